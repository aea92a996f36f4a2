using System;
using System.Threading;
using System.Threading.Tasks;

namespace Shell;

public sealed class GracefulShell
{
    private readonly CancellationTokenSource _stopping = new();
    private int _flushes;

    public int Flushes => _flushes;

    public CancellationToken Stopping => _stopping.Token;

    public void Install()
    {
        Console.CancelKeyPress += OnCancelKeyPress;
        TaskScheduler.UnobservedTaskException += async (sender, e) =>
        {
            await LogAsync(e.Exception.Message);
            e.SetObserved();
        };
    }

    private async void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        Console.WriteLine("stopping...");
        await FlushAsync();
        e.Cancel = true;
        _stopping.Cancel();
    }

    private async Task FlushAsync()
    {
        await Task.Delay(10);
        _flushes++;
    }

    private static Task LogAsync(string message) => Console.Error.WriteLineAsync(message);
}
