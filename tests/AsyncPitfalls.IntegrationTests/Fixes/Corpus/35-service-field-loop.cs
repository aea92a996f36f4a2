using System;
using System.Threading;
using System.Threading.Tasks;

namespace Services;

public sealed class QueuePoller
{
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;

    public void Start() => _loop = Task.Run(() => PollAsync(_stopping.Token));

    public async Task StopAsync()
    {
        _stopping.Cancel();
        await Task.Yield();
    }

    private static async Task PollAsync(CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            await Task.Delay(100, token);
        }
    }
}

public sealed class Heartbeat
{
    private readonly CancellationTokenSource _stop = new();
    private Task _pump = Task.CompletedTask;

    public void Start() => _pump = PumpAsync(_stop.Token);

    public void Stop() => _stop.Cancel();

    private static async Task PumpAsync(CancellationToken token)
    {
        await Task.Delay(1000, token);
        Console.WriteLine("beat");
    }
}
