using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Downloads;

public sealed class Downloader
{
    private Task _active = Task.CompletedTask;

    public Task Active => _active;

    public void Begin(string path, CancellationToken token)
    {
        var linked = CancellationTokenSource.CreateLinkedTokenSource(token);
        _active = File.WriteAllTextAsync(path, "data", linked.Token).ContinueWith(_ => linked.Dispose());
    }

    public Task<int> MeasureAsync(string path)
        => File.ReadAllTextAsync(path).ContinueWith(_ => 42);

    public void Restart(Func<Task> prepare, Action restart)
    {
        prepare().ContinueWith(_ => restart());
    }
}
