using System.Threading.Tasks;

namespace Sync;

public interface IMirror
{
    Task PushAsync(string path);
}

public sealed class Mirror
{
    private readonly IMirror _remote;

    public Mirror(IMirror remote) => _remote = remote;

    public async Task MirrorAllAsync(string[] paths)
    {
        foreach (var path in paths)
        {
            var push = _remote.PushAsync(path);
            await push;
        }

        await Task.CompletedTask;
    }
}
