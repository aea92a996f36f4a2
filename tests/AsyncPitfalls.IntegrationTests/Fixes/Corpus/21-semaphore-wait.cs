using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Throttling;

public sealed class Throttle
{
    private readonly SemaphoreSlim _gate = new(4);
    private readonly List<string> _log = new();

    public async Task RunAsync(string name, CancellationToken token)
    {
        _gate.Wait();
        try
        {
            await Task.Delay(10, token);
            _log.Add(name);
        }
        finally
        {
            _gate.Release();
        }
    }
}
