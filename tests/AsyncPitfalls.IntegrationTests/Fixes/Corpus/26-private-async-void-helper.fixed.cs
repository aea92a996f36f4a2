using System;
using System.IO;
using System.Threading.Tasks;

namespace Startup;

internal sealed class Bootstrapper
{
    private readonly string _logPath;

    public Bootstrapper(string logPath) => _logPath = logPath;

    public void Start()
    {
        _ = WriteBanner();
        Console.WriteLine("started");
    }

    public async Task StartAsync()
    {
        _ = WriteBanner();
        await Task.Yield();
    }

    private async Task WriteBanner()
    {
        await File.AppendAllTextAsync(_logPath, "starting\n");
    }
}
