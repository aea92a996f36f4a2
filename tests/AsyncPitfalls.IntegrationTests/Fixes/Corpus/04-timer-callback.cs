using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Monitoring;

public sealed class DiskWatcher : IDisposable
{
    private readonly Timer _timer;
    private readonly string _path;

    public DiskWatcher(string path)
    {
        _path = path;
        _timer = new Timer(OnTick, null, TimeSpan.Zero, TimeSpan.FromMinutes(1));
    }

    private async void OnTick(object? state)
    {
        var text = await File.ReadAllTextAsync(_path);
        Console.WriteLine($"{_path}: {text.Length} bytes");
    }

    public void Dispose() => _timer.Dispose();
}
