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
        WriteBanner();
        Console.WriteLine("started");
    }

    public async Task StartAsync()
    {
        WriteBanner();
        await Task.Yield();
    }

    private async void WriteBanner()
    {
        await File.AppendAllTextAsync(_logPath, "starting\n");
    }
}
