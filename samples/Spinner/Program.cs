using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;

namespace Spinner;

/// <summary>
/// The Fluent Python spinner in C#: a task draws |/-\ while a slow job runs, then the supervisor cancels the
/// spinner, awaits it so its status line is erased, and prints the answer.
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        if (!TryParseSeconds(args, out var seconds))
        {
            Console.Error.WriteLine("usage: Spinner [--seconds N]");
            return 2;
        }

        var result = await SupervisorAsync(seconds);
        Console.WriteLine($"answer: {result}");
        return 0;
    }

    private static async Task<int> SupervisorAsync(double seconds)
    {
        using var cts = new CancellationTokenSource();
        var spinner = SpinAsync("thinking ...", cts.Token);
        Console.WriteLine($"spinner object: {spinner}");
        var result = await HeavyWorkAsync(seconds);
        await cts.CancelAsync();
        await spinner; // the spinner leaves its loop on cancellation and erases its line before we go on
        return result;
    }

    private static async Task SpinAsync(string message, CancellationToken token)
    {
        var animate = !Console.IsOutputRedirected;
        var delay = animate ? 100 : 500;
        var width = 0;
        foreach (var frame in Cycle("|/-\\"))
        {
            var status = $"{frame} {message}";
            width = status.Length;
            if (animate)
            {
                Console.Write(status + new string('\b', width));
            }
            else
            {
                Console.WriteLine(status);
            }

            try
            {
                await Task.Delay(delay, token);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                break; // Python's `except CancelledError: break`
            }
        }

        if (animate)
        {
            Console.Write(new string(' ', width) + new string('\b', width));
        }
    }

    private static async Task<int> HeavyWorkAsync(double seconds)
    {
        await Task.Delay(TimeSpan.FromSeconds(seconds)); // pretend to wait a long time for I/O
        return 42;
    }

    /// <summary>Python's itertools.cycle: repeats the characters of <paramref name="text"/> for ever.</summary>
    private static IEnumerable<char> Cycle(string text)
    {
        while (true)
        {
            foreach (var c in text)
            {
                yield return c;
            }
        }
    }

    private static bool TryParseSeconds(string[] args, out double seconds)
    {
        seconds = 3;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--seconds" && i + 1 < args.Length
                && double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out seconds) && seconds >= 0)
            {
                i++;
                continue;
            }

            return false;
        }

        return true;
    }
}
