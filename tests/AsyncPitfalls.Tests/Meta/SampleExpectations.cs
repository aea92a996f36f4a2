using System.Collections.Generic;

namespace AsyncPitfalls.Tests;

/// <summary>
/// What the pitfalls sample must produce: one entry per rule, naming the line by a fragment of its text so the
/// expectation survives edits to the sample. A new rule adds one line here.
/// </summary>
internal static class SampleExpectations
{
    public static readonly IReadOnlyList<(string Id, string LineFragment)> Pitfalls = new[]
    {
        ("ASYNC001", "Console.Out.WriteLineAsync(\"starting the supervisor\");"),
        ("ASYNC002", "var spinner = SpinAsync(\"thinking ...\", cts.Token);"),
        ("ASYNC003", "private static async void LogStartup()"),
        ("ASYNC010", "while (!token.IsCancellationRequested)"),
        ("ASYNC011", "catch (Exception ex)"),
        ("ASYNC020", "var resut = await HeavyWorkAsync(seconds);"),
        ("ASYNC030", "Thread.Sleep(TimeSpan.FromSeconds(seconds / 2));"),
        ("ASYNC021", "await Task.Run(() => { var elapsed = clock.Elapsed.TotalSeconds; });"),
    };
}
