using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Templates;

public sealed class TemplateLoader
{
    private readonly string _root;

    public TemplateLoader(string root) => _root = root;

    public async Task<string> LoadAsync(string name, CancellationToken cancellationToken)
    {
        var path = Path.Combine(_root, name + ".html");
        var text = await File.ReadAllTextAsync(path, cancellationToken);
        await Task.Delay(1, cancellationToken);
        return text.Replace("{{year}}", "2026");
    }
}
