using System;
using System.Linq;
using System.Threading.Tasks;
using AsyncPitfalls.Analyzers;
using Microsoft.CodeAnalysis;

namespace AsyncPitfalls.Tests;

/// <summary>
/// The defects a new user met when applying our fixes in bulk (issue 14), one test each. Each runs the fixes as
/// <c>dotnet format analyzers --severity warn</c> does (<see cref="CorpusWorkspace"/>) and asserts what the user needs:
/// the code compiles with no new warning, keeps its behaviour, and a second run changes nothing.
/// </summary>
public class BulkFixBehaviourTests
{
    private static readonly string[] AllRules = RuleCatalog.WarningRuleIds.ToArray();

    private static async Task<string> FormatAsync(string source, params string[] rules)
    {
        var (solution, project) = await CorpusWorkspace.SolutionAsync(("Program.cs", source));
        var before = await CorpusWorkspace.CompilerWarningsAsync(solution.GetProject(project)!);
        var fixedSolution = await CorpusWorkspace.FixAsync(solution, project, rules.Length == 0 ? AllRules : rules);
        var after = await CorpusWorkspace.CompilerWarningsAsync(fixedSolution.GetProject(project)!);
        foreach (var pair in after)
        {
            Assert.True(before.TryGetValue(pair.Key, out var count) && count >= pair.Value, $"the bulk fix added {pair.Key}:\n" + (await CorpusWorkspace.TextsAsync(fixedSolution, project))["Program.cs"]);
        }

        var text = (await CorpusWorkspace.TextsAsync(fixedSolution, project))["Program.cs"];
        var again = await CorpusWorkspace.FixAsync(fixedSolution, project, rules.Length == 0 ? AllRules : rules);
        Assert.Equal(text, (await CorpusWorkspace.TextsAsync(again, project))["Program.cs"]);
        return text;
    }

    private static string Normalize(string text) => string.Join("\n", text.Replace("\r\n", "\n").Split('\n').Select(l => l.TrimEnd())).Trim();

    // Issue 14, defect 1.
    [Fact]
    public async Task BulkFix_LoopExitInAMethodThatMustReturn_RethrowsInsteadOfBreaking()
    {
        var text = await FormatAsync("""
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            public class Client
            {
                public async Task<string> FetchAsync(Func<CancellationToken, Task<string>> op, CancellationToken ct)
                {
                    while (true)
                    {
                        try
                        {
                            return await op(ct);
                        }
                        catch (Exception ex)
                        {
                            Console.WriteLine(ex.Message);
                        }
                    }
                }
            }
            """, "ASYNC011");
        Assert.Contains("catch (OperationCanceledException) when (ct.IsCancellationRequested)", text, StringComparison.Ordinal);
        Assert.Contains("throw;", text, StringComparison.Ordinal);
        Assert.DoesNotContain("break;", text, StringComparison.Ordinal);
    }

    // Issue 14, defect 2.
    [Fact]
    public async Task BulkFix_MisspelledLocalOfAProperty_AssignsTheProperty()
    {
        var text = await FormatAsync("""
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            public class Session
            {
                public string? AccessToken { get; private set; }
                public bool IsLoggedIn => AccessToken is not null;
                public async Task<int> LoginAsync(Func<CancellationToken, Task<string>> fetch, CancellationToken ct)
                {
                    var accessToken = await fetch(ct);
                    return AccessToken!.Length;
                }
            }
            """, "ASYNC020", "ASYNC021");
        Assert.Contains("AccessToken = await fetch(ct);", text, StringComparison.Ordinal);
        Assert.DoesNotContain("var AccessToken", text, StringComparison.Ordinal);
    }

    // Issue 14, defect 3.
    [Fact]
    public async Task BulkFix_ShadowedLocalInAParallelBody_IsNotAssignedToTheSharedOuterLocal()
    {
        const string source = """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            public class Indexer
            {
                public async Task<int> IndexAsync(IEnumerable<string> items)
                {
                    var processed = 0;
                    await Parallel.ForEachAsync(items, async (item, ct) =>
                    {
                        var processed = item.Length;
                        await Task.Delay(1, ct);
                    });
                    return processed;
                }
            }
            """;
        var (solution, project) = await CorpusWorkspace.SolutionAsync(("Program.cs", source));
        Assert.Contains(await CorpusWorkspace.WarningsAsync(solution.GetProject(project)!), d => d.Id == DiagnosticIds.ShadowedResult);
        Assert.Equal(Normalize(source), Normalize(await FormatAsync(source, "ASYNC021")));
    }

    // Issue 14, defect 4.
    [Fact]
    public async Task BulkFix_TaskDroppedInAParallelLoopBody_IsAwaitedByAnAsyncLoop_NotDiscarded()
    {
        var text = await FormatAsync("""
            using System.Collections.Generic;
            using System.IO;
            using System.Threading.Tasks;
            class Exporter
            {
                private void Export(List<string> items)
                {
                    Parallel.ForEach(items, item => File.WriteAllTextAsync(item + ".txt", item));
                }

                public void Run() => Export(new List<string> { "a" });
            }
            """, "ASYNC001");

        // Export has a caller, so it cannot become async: the bulk run leaves the diagnostic for a person, and never discards.
        Assert.DoesNotContain("_ =", text, StringComparison.Ordinal);

        var converted = await FormatAsync("""
            using System.Collections.Generic;
            using System.IO;
            using System.Threading.Tasks;
            class Exporter
            {
                private void Export(List<string> items)
                {
                    Parallel.ForEach(items, item => File.WriteAllTextAsync(item + ".txt", item));
                }
            }
            """, "ASYNC001");
        Assert.Contains("await Parallel.ForEachAsync(items, async (item, cancellationToken) => await File.WriteAllTextAsync(item + \".txt\", item));", converted, StringComparison.Ordinal);
        Assert.Contains("private async Task Export", converted, StringComparison.Ordinal);
    }

    // Issue 14, defect 5.
    [Fact]
    public async Task BulkFix_PublicSignature_IsNeverChanged()
    {
        const string source = """
            using System.Threading.Tasks;
            namespace Microsoft.AspNetCore.Mvc { public abstract class ControllerBase { } }
            public class OrdersController : Microsoft.AspNetCore.Mvc.ControllerBase
            {
                public void OrderPlaced(int id)
                {
                    Task.Delay(id);
                }
            }
            """;
        Assert.Equal(Normalize(source), Normalize(await FormatAsync(source, "ASYNC001")));
    }

    // Issue 14, defect 6.
    [Theory]
    [InlineData("_gate.Wait();", "await _gate.WaitAsync(token);")]
    [InlineData("File.WriteAllText(path, text);", "await File.WriteAllTextAsync(path, text, token);")]
    [InlineData("stream.Flush();", "await stream.FlushAsync(token);")]
    [InlineData("process.WaitForExit();", "await process.WaitForExitAsync(token);")]
    public async Task BulkFix_BlockingCallUsedAsAStatement_IsFixed(string statement, string expected)
    {
        var text = await FormatAsync($$"""
            using System.Diagnostics;
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;
            class Worker
            {
                private readonly SemaphoreSlim _gate = new(1);
                public async Task RunAsync(string path, string text, Stream stream, Process process, CancellationToken token)
                {
                    await Task.Yield();
                    {{statement}}
                }
            }
            """, "ASYNC030");
        Assert.Contains(expected, text, StringComparison.Ordinal);
    }

    // Issue 14, defect 6.
    [Fact]
    public async Task BulkFix_UnobservedTaskInTopLevelStatements_IsAwaited()
    {
        var text = await FormatAsync("""
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            var cts = new CancellationTokenSource();
            var spinner = SpinAsync(cts.Token);
            await Task.Delay(10);
            cts.Cancel();
            Console.WriteLine("done");

            static async Task SpinAsync(CancellationToken token)
            {
                while (!token.IsCancellationRequested)
                {
                    Console.Write('.');
                    await Task.Delay(100, CancellationToken.None);
                }
            }
            """, "ASYNC002");
        Assert.Contains("await spinner;", text, StringComparison.Ordinal);
    }

    // Issue 14, defect 7.
    [Fact]
    public async Task BulkFix_FixesOfTwoRulesInOneCatch_GiveTheSameResultInEitherOrder()
    {
        const string source = """
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            class Poller
            {
                public async Task RunAsync(Func<CancellationToken, Task> poll, CancellationToken token)
                {
                    while (true)
                    {
                        try
                        {
                            await poll(token);
                        }
                        catch (Exception ex)
                        {
                            Console.WriteLine(ex.Message);
                            Thread.Sleep(1000);
                        }
                    }
                }
            }
            """;
        var (solution, project) = await CorpusWorkspace.SolutionAsync(("Program.cs", source));
        var forward = await CorpusWorkspace.FixAsync(solution, project, new[] { "ASYNC011", "ASYNC030" });
        var backward = await CorpusWorkspace.FixAsync(solution, project, new[] { "ASYNC030", "ASYNC011" });
        var forwardText = (await CorpusWorkspace.TextsAsync(forward, project))["Program.cs"];
        Assert.Equal(forwardText, (await CorpusWorkspace.TextsAsync(backward, project))["Program.cs"]);
        Assert.Contains("catch (OperationCanceledException) when (token.IsCancellationRequested)", forwardText, StringComparison.Ordinal);
        Assert.Contains("await Task.Delay(1000);", forwardText, StringComparison.Ordinal);
    }

    // Issue 14, defect 8.
    [Fact]
    public async Task BulkFix_ReturningTaskInsteadOfVoid_LeavesNoFollowUpWarningAtTheCallers()
    {
        var text = await FormatAsync("""
            using System.Threading.Tasks;
            class Startup
            {
                private async void LogStartup() => await Task.Delay(1);

                public async Task RunAsync()
                {
                    LogStartup();
                    await Task.Yield();
                }

                public void Run() => LogStartup();
            }
            """);
        Assert.Contains("private async Task LogStartup()", text, StringComparison.Ordinal);
        Assert.Contains("_ = LogStartup();", text, StringComparison.Ordinal);
    }
}
