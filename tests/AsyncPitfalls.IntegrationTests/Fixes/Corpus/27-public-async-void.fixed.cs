using System.IO;
using System.Threading.Tasks;

namespace Plugins;

public class PluginHost
{
    public async void Reload(string path)
    {
        var manifest = await File.ReadAllTextAsync(path);
        System.Console.WriteLine(manifest.Length);
    }
}
