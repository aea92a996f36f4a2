using System;
using System.Threading;
using System.Threading.Tasks;

namespace Supervision;

public sealed class Supervisor
{
    public async Task<int> SuperviseAsync(Func<CancellationToken, Task> heartbeat, Func<Task<int>> work)
    {
        using var cts = new CancellationTokenSource();
        var beat = heartbeat(cts.Token);
        var answer = await work();
        cts.Cancel();
        try
        {
            await beat;
        }
        catch (OperationCanceledException)
        {
        }

        return answer;
    }
}
