using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace AsyncPitfalls.Tests;

/// <summary>
/// What the pitfalls sample must produce: one entry per warning rule, and a suggestion rule where it occurs there
/// naturally, naming the line by a fragment of its text so the expectation survives edits to the sample.
/// </summary>
public static class SampleExpectations
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

    /// <summary>
    /// Warning rules the spinner demo has no natural instance of, and why. The demo is not bent to show them: each is
    /// shown by its tests and its docs page.
    /// </summary>
    public static readonly IReadOnlyList<(string Id, string Reason)> NotInTheSample = new[]
    {
        ("ASYNC004", "the demo has no ContinueWith"),
        ("ASYNC005", "the demo keeps no task in a field: its supervisor is one method"),
        ("ASYNC006", "the demo has no LINQ query"),
        ("ASYNC009", "the demo raises no event: its supervisor cancels the spinner directly"),
        ("ASYNC040", "the demo starts its spinner as a coroutine, never through StartNew or ContinueWith"),
        ("ASYNC041", "the demo returns no task from inside a using, a finally or a catch"),
    };

    /// <summary>The entries whose rule is a warning by default: what <c>dotnet build</c> prints.</summary>
    public static IEnumerable<(string Id, string LineFragment)> Warnings
        => Pitfalls.Where(e => DefaultSeverity(e.Id) == DiagnosticSeverity.Warning);

    public static DiagnosticSeverity DefaultSeverity(string id)
        => AsyncPitfalls.Engine.RuleCatalog.Rules.Single(d => d.Id == id).DefaultSeverity;
}
