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
            e.SetObserved();
            await LogAsync(e.Exception.Message);
        };
    }

    private async void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        Console.WriteLine("stopping...");
        e.Cancel = true;
        await FlushAsync();
        _stopping.Cancel();
    }

    private async Task FlushAsync()
    {
        await Task.Delay(10);
        _flushes++;
    }

    private static Task LogAsync(string message) => Console.Error.WriteLineAsync(message);
}
