using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Spinner.Pitfalls;

/// <summary>The spinner demo with the tutorial's bugs ported faithfully, one instance per rule.</summary>
internal static class Program
{
    private static int result;

    private static async Task Main(string[] args)
    {
        var seconds = args.Length == 2 && args[0] == "--seconds" ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3;
        await AnnounceAsync();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var answer = await SupervisorAsync(seconds);
        double elapsed = 0;
        await Task.Run(() => { var elapsed = clock.Elapsed.TotalSeconds; });
        Console.WriteLine($"answer: {answer} (after {elapsed:F1} s)");
    }

    private static async Task<int> SupervisorAsync(double seconds)
    {
        var cts = new CancellationTokenSource();
        _ = HeartbeatAsync(cts.Token);
        var spinner = SpinAsync("thinking ...", cts.Token);
        Console.WriteLine($"spinner object: {spinner}");
        var resut = await HeavyWorkAsync(seconds);
        cts.Cancel();
        return result;
    }

    private static async Task SpinAsync(string message, CancellationToken token)
    {
        var width = 0;
        var i = 0;
        while (!token.IsCancellationRequested)
        {
            var status = $"{"|/-\\"[i++ % 4]} {message}";
            width = status.Length;
            Console.Write(status + new string('\b', width));
            await Task.Delay(100, token);
        }

        Console.Write(new string(' ', width) + new string('\b', width));
    }

    private static async Task HeartbeatAsync(CancellationToken token)
    {
        while (true)
        {
            try
            {
                await Task.Delay(250, token);
                System.Diagnostics.Debug.WriteLine("alive");
            }
            catch (Exception ex)
            {
                System.Diagnostics.Debug.WriteLine(ex.Message);
            }
        }
    }

    private static async Task<int> HeavyWorkAsync(double seconds)
    {
        Thread.Sleep(TimeSpan.FromSeconds(seconds / 2));
        await Task.Delay(TimeSpan.FromSeconds(seconds / 2));
        return 42;
    }

    private static Task AnnounceAsync()
    {
        Console.Out.WriteLineAsync("starting the supervisor");
        LogStartup();
        return Console.Out.FlushAsync();
    }

    private static async void LogStartup()
    {
        await Console.Out.FlushAsync();
    }
}
