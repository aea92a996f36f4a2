using System;
using System.Linq;
using System.Threading.Tasks;

namespace AsyncPitfalls.Tests;

/// <summary>
/// Analyzers run on code as it is typed. Over broken and half-written sources, no analyzer may throw (AD0001).
/// </summary>
public class RobustnessTests
{
    /// <summary>A realistic file touching every construct the rules look at.</summary>
    internal const string RealisticSpinner = """
        using System;
        using System.Collections.Generic;
        using System.Diagnostics;
        using System.IO;
        using System.Linq;
        using System.Threading;
        using System.Threading.Channels;
        using System.Threading.Tasks;

        namespace Demo;

        public sealed class Supervisor : IDisposable
        {
            private readonly CancellationTokenSource _cts = new();
            private readonly SemaphoreSlim _gate = new(1);
            private int result;
            public event EventHandler? Done;

            public async Task<int> RunAsync(string message, CancellationToken token)
            {
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(token, _cts.Token);
                var spinner = SpinAsync(message, linked.Token);
                Console.WriteLine($"spinner object: {spinner}");
                var resut = await HeavyWorkAsync(linked.Token).ConfigureAwait(false);
                _cts.Cancel();
                try { await spinner; } catch (OperationCanceledException) { }
                Task.Run(() => Log("done"));
                items.ForEach(async i => await SaveAsync(i));
                Thread.Sleep(10);
                var count = CountAsync().Result;
                Done?.Invoke(this, EventArgs.Empty);
                return result + count;
            }

            private List<int> items = new() { 1, 2, 3 };

            private static async Task SpinAsync(string message, CancellationToken token)
            {
                foreach (var frame in Cycle("|/-\\"))
                {
                    Console.Write($"\r{frame} {message}");
                    try
                    {
                        await Task.Delay(100, token);
                    }
                    catch (OperationCanceledException) when (token.IsCancellationRequested)
                    {
                        break;
                    }
                }

                Console.Write("\r" + new string(' ', message.Length + 2) + "\r");
            }

            private static IEnumerable<char> Cycle(string s)
            {
                while (true)
                {
                    foreach (var c in s) yield return c;
                }
            }

            private static async Task<int> HeavyWorkAsync(CancellationToken token)
            {
                await Task.Delay(300, token);
                return 42;
            }

            private async Task PumpAsync(ChannelReader<int> reader, CancellationToken token)
            {
                while (true)
                {
                    try
                    {
                        var item = await reader.ReadAsync(token);
                        await _gate.WaitAsync(token);
                        Func<int, int> f = x => { var result = x * 2; return result; };
                        Log(f(item).ToString());
                    }
                    catch (Exception ex)
                    {
                        Log(ex.Message);
                    }
                    finally
                    {
                        _gate.Release();
                    }
                }
            }

            private static Task<int> CountAsync() => Task.FromResult(1);
            private static Task SaveAsync(int i) => File.WriteAllTextAsync("x" + i, "y");
            private static Task FlushAsync() { SaveAsync(-1); return Task.CompletedTask; }
            private static void Log(string text) => Debug.WriteLine(text);
            public async void OnTick(object? state) { try { await SaveAsync(0); } catch (Exception) { } }
            public void Start() { Task.Run(() => Log("tick")); }
            public void Dispose() => _cts.Dispose();
        }
        """;

    private static readonly string[] BrokenSources =
    {
        "",
        "class",
        "class C { void M() { Task.Delay(",
        "class C { async Task M() { await } }",
        "class C { void M() { Missing.DoAsync(); UnknownType x = Foo(); } }",
        "using System.Threading.Tasks; class C { void M() { Task.Run(() => ); } }",
        "using System.Threading.Tasks; class C { async void M( { await Task.Delay(1 } }",
        "using System.Threading.Tasks; class C { void M() { var t = ; t. } }",
        "using System.Threading; using System.Threading.Tasks; class C { async Task M(CancellationToken ct) { while (!ct.) { await Task.Delay(1, ct); } } }",
        "using System.Threading.Tasks; class C { async Task M() { try { await Task.Delay(1); } catch ( { } } }",
        "using System.Threading.Tasks; class C { async Task<int> M() { var resut = await N(); return result; } Task<int> N() => null!; }",
        "using System; using System.Threading.Tasks; class C { void M() { Action a = async () => { await Task.Delay(1) }; } }",
        "using System.Threading.Tasks; class C : IMissing { public void Run() { Task.Delay(1); } }",
        "using System.Threading.Tasks; class C { void M() { lock () { Task.Delay(1); } } }",
        "using System.Threading.Tasks; class C { void M() { foo?.DoAsync(); default(Task)?.ContinueWith(; } }",
        "using System.Threading.Tasks; class C { Task T => Task.Delay(1); void M() { T; T.Wait(; } }",
        "using System.Threading.Tasks; static class X { public static Task Observe(this Task t) => t; } class C { void M() { ((Task)null).Observe(); } }",
        "using System.Threading.Tasks; class C { void M() { System.Threading.Thread.Sleep(; Task.WaitAll(; } }",
        "using System.Threading.Tasks; class C { unsafe void M() { int* p = null; Task.Delay(*p); } }",
        "Task.Delay(1); await Task.Delay(2); async void Local() { }",
    };

    [Fact]
    public async Task NoAnalyzerThrows_OnBrokenSources()
    {
        var analyzers = AnalyzerRunner.AllAnalyzers();
        foreach (var source in BrokenSources)
        {
            await AssertNoAnalyzerExceptionAsync(source, analyzers);
        }
    }

    [Fact]
    public async Task NoAnalyzerThrows_OnEveryPrefixOfARealisticFile()
    {
        var analyzers = AnalyzerRunner.AllAnalyzers();
        var lines = RealisticSpinner.Split('\n');
        for (var count = 1; count <= lines.Length; count++)
        {
            var prefix = string.Join("\n", lines.Take(count));
            await AssertNoAnalyzerExceptionAsync(prefix, analyzers);

            // The next line half typed, as an editor sees it mid-keystroke.
            if (count < lines.Length && lines[count].Trim().Length > 4)
            {
                var next = lines[count];
                await AssertNoAnalyzerExceptionAsync(prefix + "\n" + next.Substring(0, next.Length / 2), analyzers);
            }
        }
    }

    /// <summary>What every rule reports on <see cref="RealisticSpinner"/>: the rule and a fragment of the line.</summary>
    private static readonly (string Id, string LineFragment)[] RealisticExpectations =
    {
        ("ASYNC001", "FlushAsync() { SaveAsync(-1);"),
        ("ASYNC007", "public void Start() { Task.Run("),
        ("ASYNC003", "items.ForEach(async i =>"),
        ("ASYNC011", "catch (Exception ex)"),
        ("ASYNC020", "var resut = await HeavyWorkAsync"),
        ("ASYNC030", "Thread.Sleep(10);"),
        ("ASYNC030", "var count = CountAsync().Result;"),
    };

    [Fact]
    public async Task RealisticFile_ReportsExactlyTheExpectedDiagnostics()
    {
        var compilation = await AnalyzerRunner.CompileAsync(RealisticSpinner);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error));
        var diagnostics = await AnalyzerRunner.RunAsync(compilation, AnalyzerRunner.AllAnalyzers());
        Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");

        var lines = RealisticSpinner.Split('\n');
        var expected = RealisticExpectations
            .Select(e => $"{e.Id} line {Array.FindIndex(lines, l => l.Contains(e.LineFragment, StringComparison.Ordinal)) + 1}")
            .OrderBy(e => e, StringComparer.Ordinal);
        var actual = diagnostics
            .Where(d => d.Id.StartsWith("ASYNC", StringComparison.Ordinal) && !d.IsSuppressed)
            .Select(d => $"{d.Id} line {d.Location.GetLineSpan().StartLinePosition.Line + 1}: {lines[d.Location.GetLineSpan().StartLinePosition.Line].Trim()}")
            .OrderBy(e => e, StringComparer.Ordinal)
            .ToList();
        Assert.True(
            expected.SequenceEqual(actual.Select(a => a.Substring(0, a.IndexOf(':', StringComparison.Ordinal)))),
            "Expected:\n" + string.Join("\n", expected) + "\nActual:\n" + string.Join("\n", actual));
    }

    private static async Task AssertNoAnalyzerExceptionAsync(string source, System.Collections.Immutable.ImmutableArray<Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer> analyzers)
    {
        var compilation = await AnalyzerRunner.CompileAsync(source);
        var diagnostics = await AnalyzerRunner.RunAsync(compilation, analyzers);
        var failures = diagnostics.Where(d => d.Id == "AD0001").Select(d => d.GetMessage()).ToList();
        Assert.True(failures.Count == 0, "Analyzer exception on:\n" + source + "\n\n" + string.Join("\n", failures));
    }
}
