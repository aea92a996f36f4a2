using System;
using System.Collections.Immutable;
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
        var violations = await BulkContract.ViolationsAsync(solution.GetProject(project)!, fixedSolution.GetProject(project)!);
        Assert.True(violations.Count == 0, "the bulk fix broke its contract: " + string.Join("; ", violations) + "\n" + text);
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

    // Issue 14, defect 2, as issue 24 (defect 3) changed it: assigning the property is a new write to shared state, so
    // the bulk fix reads the local instead, which writes nothing.
    [Fact]
    public async Task BulkFix_MisspelledLocalOfAProperty_ReadsTheLocal_WithoutWritingTheProperty()
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
        Assert.Contains("var accessToken = await fetch(ct);", text, StringComparison.Ordinal);
        Assert.Contains("return accessToken!.Length;", text, StringComparison.Ordinal);
        Assert.DoesNotContain("AccessToken = ", text, StringComparison.Ordinal);
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

    // ---- Issue 24: what new-user trials broke. Each test failed on the main of that day. ----

    // Issue 24, defect 1: an await inserted in front of a "??" awaited only its left operand (CS0019, CS0201).
    [Fact]
    public async Task BulkFix_ReturnOfACoalesce_InAMethodMadeAsync_AwaitsTheWholeExpression()
    {
        var text = await FormatAsync("""
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            public sealed class Worker
            {
                private readonly CancellationTokenSource _cts = new();
                private Task? _loop;
                public void Start() => _loop = Task.Run(() => Task.Delay(100, _cts.Token));
                internal Task StopAsync()
                {
                    _cts.Cancel();
                    Console.Out.FlushAsync();
                    return _loop ?? Task.CompletedTask;
                }
            }
            """, "ASYNC001");
        Assert.Contains("await (_loop ?? Task.CompletedTask);", text, StringComparison.Ordinal);
        Assert.Contains("await Console.Out.FlushAsync();", text, StringComparison.Ordinal);
    }

    // Issue 24, defect 2: the rethrow turned a failure the program logged into a crash.
    [Fact]
    public async Task BulkFix_ContinuationThatIgnoresItsAntecedent_IsNotMadeToRethrow()
    {
        const string source = """
            using System;
            using System.Threading.Tasks;
            public static class Fetcher
            {
                public static Task<int> FetchAsync() => throw new InvalidOperationException("fetch failed");
                public static async Task<int> RunAsync()
                {
                    try
                    {
                        await FetchAsync().ContinueWith(_ => Console.WriteLine("fetched"));
                    }
                    catch (Exception ex)
                    {
                        Console.WriteLine("fetch failed: " + ex.Message);
                    }

                    return 0;
                }
            }
            """;
        var text = await FormatAsync(source, "ASYNC004");
        Assert.DoesNotContain("GetResult", text, StringComparison.Ordinal);
        Assert.Equal(Normalize(source), Normalize(text));
    }

    // Issue 24, defect 3: the awaited result went into the field the method reads, a new write to shared state.
    [Fact]
    public async Task BulkFix_MisspelledLocalOfAField_DoesNotAddAWriteToTheField()
    {
        var text = await FormatAsync("""
            using System.Threading.Tasks;
            public sealed class OrderService
            {
                private string _result = "";
                public string Last => _result;
                private static Task<string> LoadAsync(int id) => Task.FromResult(id.ToString());
                public async Task<int> CountAsync(int id)
                {
                    var reslt = await LoadAsync(id);
                    return _result.Length;
                }
            }
            """, "ASYNC020");
        Assert.DoesNotContain("_result = await", text, StringComparison.Ordinal);
        Assert.Contains("var reslt = await LoadAsync(id);", text, StringComparison.Ordinal);
        Assert.Contains("return reslt.Length;", text, StringComparison.Ordinal);
    }

    // CI, 12-06: with ASYNC020 and ASYNC021 both on the command line, dotnet format asked the ASYNC020 fix for its Fix All
    // with no equivalence key (the diagnostic it registered for was ASYNC021's, which that fix has no action for) and got
    // none, so the sample's misspelled local stayed. Fix All now gives each diagnostic its first bulk option then.
    [Fact]
    public async Task BulkFix_WithNoEquivalenceKey_AndAnotherRulesDiagnosticFirst_StillAppliesTheBulkOption()
    {
        var (solution, projectId) = await CorpusWorkspace.SolutionAsync(("Program.cs", """
            using System.Threading.Tasks;
            public static class Job
            {
                private static Task<int> LoadAsync() => Task.FromResult(42);
                public static async Task<double> RunAsync()
                {
                    double elapsed = 0;
                    await Task.Run(() => { var elapsed = 1.5; });
                    var value = 0;
                    var valeu = await LoadAsync();
                    return value + elapsed;
                }
            }
            """));
        var project = solution.GetProject(projectId)!;
        var diagnostics = (await CorpusWorkspace.WarningsAsync(project)).Where(d => d.Id is "ASYNC020" or "ASYNC021").OrderBy(d => d.Location.SourceSpan.Start).ToImmutableArray();
        Assert.Equal(new[] { "ASYNC021", "ASYNC020" }, diagnostics.Select(d => d.Id));
        var fixer = RuleCatalog.Fixers.Single(f => f.FixableDiagnosticIds.Contains("ASYNC020"));
        var document = project.GetDocument(diagnostics[0].Location.SourceTree)!;

        // As dotnet format does it: the first diagnostic is another rule's, so no action and no key.
        var actions = new System.Collections.Generic.List<Microsoft.CodeAnalysis.CodeActions.CodeAction>();
        await fixer.RegisterCodeFixesAsync(new Microsoft.CodeAnalysis.CodeFixes.CodeFixContext(document, diagnostics[0], (a, _) => actions.Add(a), default));
        Assert.Empty(actions);
        var context = new Microsoft.CodeAnalysis.CodeFixes.FixAllContext(document, fixer, Microsoft.CodeAnalysis.CodeFixes.FixAllScope.Solution, null,
            new[] { "ASYNC020", "ASYNC021" }, new KnownDiagnostics(diagnostics), default);
        var action = await fixer.GetFixAllProvider()!.GetFixAsync(context);
        Assert.NotNull(action);
        var changed = (await action!.GetOperationsAsync(default)).OfType<Microsoft.CodeAnalysis.CodeActions.ApplyChangesOperation>().Single().ChangedSolution;
        var text = (await CorpusWorkspace.TextsAsync(changed, projectId))["Program.cs"];
        Assert.Contains("value = await LoadAsync();", text, StringComparison.Ordinal);
        Assert.DoesNotContain("var valeu", text, StringComparison.Ordinal);
        Assert.Contains("var elapsed = 1.5;", text, StringComparison.Ordinal);
    }

    // Issue 24, defect 4: "_cts?.Cancel()" was not seen as the stop method's cancel, so the fix did nothing.
    [Theory]
    [InlineData("_cts?.Cancel();")]
    [InlineData("await (_cts?.CancelAsync() ?? Task.CompletedTask);")]
    [InlineData("_cts!.CancelAfter(TimeSpan.FromSeconds(5));")]
    public async Task BulkFix_FieldTask_IsAwaitedAfterTheCancel_WhateverItsForm(string cancel)
    {
        var text = await FormatAsync($$"""
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            internal sealed class Pump
            {
                private CancellationTokenSource? _cts;
                private Task? _loop;
                public void Start()
                {
                    _cts = new CancellationTokenSource();
                    _loop = RunAsync(_cts.Token);
                }
                public async Task StopAsync()
                {
                    {{cancel}}
                    Console.WriteLine("stopping");
                    _cts?.Dispose();
                }
                private static async Task RunAsync(CancellationToken token)
                {
                    while (!token.IsCancellationRequested)
                    {
                        await Task.Delay(10, CancellationToken.None);
                    }
                }
            }
            """, "ASYNC005");
        var cancelAt = text.IndexOf(cancel, StringComparison.Ordinal);
        var awaitAt = text.IndexOf("await (_loop ?? Task.CompletedTask);", StringComparison.Ordinal);
        Assert.True(cancelAt >= 0 && awaitAt > cancelAt, text);
        Assert.True(awaitAt < text.IndexOf("_cts?.Dispose();", StringComparison.Ordinal), text);
    }

    // Issue 24, defect 5: the README's bulk command did not fix the dropped tasks that the compiler reports as CS4014.
    [Fact]
    public async Task BulkFix_TheReadmeCommand_FixesCS4014Too()
    {
        var readme = await System.IO.File.ReadAllTextAsync(TestDefaults.RepositoryFile("README.md"));
        var command = System.Text.RegularExpressions.Regex.Match(readme, @"dotnet format analyzers --severity warn --diagnostics([^\n`]+)");
        Assert.True(command.Success, "README.md shows no bulk command");
        var ids = command.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var (solution, project) = await CorpusWorkspace.SolutionAsync(("Program.cs", """
            using System.Threading.Tasks;
            public static class Job
            {
                private static async Task SaveAsync() => await Task.Delay(1);
                public static async Task RunAsync()
                {
                    SaveAsync();
                    await Task.Yield();
                }
            }
            """));
        var fixedSolution = await CorpusWorkspace.FixAsync(solution, project, ids);
        var text = (await CorpusWorkspace.TextsAsync(fixedSolution, project))["Program.cs"];
        Assert.Contains("await SaveAsync();", text, StringComparison.Ordinal);
        Assert.DoesNotContain((await fixedSolution.GetProject(project)!.GetCompilationAsync())!.GetDiagnostics(), d => d.Id == "CS4014");
    }
}
