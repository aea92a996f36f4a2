using System.Threading;
using System.Threading.Tasks;
using AsyncPitfalls.CodeFixes;
using Microsoft.CodeAnalysis.Testing;
using Verify = AsyncPitfalls.Tests.CSharpCodeFixVerifier<AsyncPitfalls.Analyzers.ASYNC004ContinuationIgnoresAntecedentAnalyzer, AsyncPitfalls.CodeFixes.ASYNC004ContinuationIgnoresAntecedentCodeFix>;

namespace AsyncPitfalls.Tests;

/// <summary>ASYNC004's fixes: rethrow the antecedent's failure after the continuation, or run it only on success.</summary>
public class ASYNC004ContinuationIgnoresAntecedentCodeFixTests
{
    private const string Work = """

        static class Work
        {
            public static Task RunAsync(CancellationToken token) => Task.Run(() => throw new InvalidOperationException(), token);
            public static Task<int> CountAsync() => Task.Run(() => int.Parse("42"));
            public static void Cleanup() { }
            public static int Twice(int x) => 2 * x;
            public static void Ignore(Task t) => Console.WriteLine("done");
        }
        """;

    private static string InMethod(string body) => $$"""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            Task M(CancellationToken token, CancellationTokenSource linked)
            {
                {{body}}
            }
        }
        """ + Work;

    private static Task FixAsync(string body, string fixedBody, string? key = null) => FixSourceAsync(InMethod(body), InMethod(fixedBody), key);

    // Neither fix is applied in bulk: the rethrow lets a failure the continuation used to swallow surface, and "run only
    // when it succeeds" skips the continuation's work on failure. Fix All therefore leaves every diagnostic as it was.
    private static Task FixSourceAsync(string source, string fixedSource, string? key)
    {
        var test = new Verify.Test { TestCode = source, FixedCode = fixedSource, BatchFixedCode = source, CodeActionEquivalenceKey = key };
        test.BatchFixedState.MarkupHandling = MarkupMode.Allow;
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task Fix_Rethrow_NamesTheParameterAndEndsWithGetResult() => FixAsync(
        "return Work.RunAsync(token).[|ContinueWith|](_ => linked.Dispose());",
        """
        return Work.RunAsync(token).ContinueWith(t =>
                {
                    linked.Dispose();
                    t.GetAwaiter().GetResult();
                });
        """);

    [Fact]
    public Task Fix_Rethrow_AppendsToAStatementBody() => FixAsync(
        "return Work.RunAsync(token).[|ContinueWith|](_ => { Work.Cleanup(); linked.Dispose(); });",
        "return Work.RunAsync(token).ContinueWith(t => { Work.Cleanup(); linked.Dispose(); t.GetAwaiter().GetResult(); });");

    [Fact]
    public Task Fix_Rethrow_KeepsTheContinuationsValue() => FixAsync(
        "return Work.CountAsync().[|ContinueWith|](_ => Work.Twice(2));",
        """
        return Work.CountAsync().ContinueWith(t =>
                {
                    var result = Work.Twice(2);
                    t.GetAwaiter().GetResult();
                    return result;
                });
        """);

    [Fact]
    public Task Fix_Rethrow_AvoidsANameInScope() => FixSourceAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            Task M(CancellationToken token, Task t) => Work.RunAsync(token).[|ContinueWith|](_ => Work.Cleanup());
        }
        """ + Work, """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            Task M(CancellationToken token, Task t) => Work.RunAsync(token).ContinueWith(task =>
            {
                Work.Cleanup();
                task.GetAwaiter().GetResult();
            });
        }
        """ + Work, key: null);

    [Fact]
    public Task Fix_OnlyOnSuccess_AddsTheOptionAndTheDefaultScheduler() => FixAsync(
        "return Work.RunAsync(token).[|ContinueWith|](_ => Work.Cleanup());",
        "return Work.RunAsync(token).ContinueWith(_ => Work.Cleanup(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);",
        ASYNC004ContinuationIgnoresAntecedentCodeFix.OnlyOnSuccessKey);

    [Fact]
    public Task Fix_OnlyOnSuccess_CombinesWithGivenOptionsAndKeepsTheScheduler() => FixAsync(
        "return Work.RunAsync(token).[|ContinueWith|](_ => Work.Cleanup(), token, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Current);",
        "return Work.RunAsync(token).ContinueWith(_ => Work.Cleanup(), token, TaskContinuationOptions.ExecuteSynchronously | TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Current);",
        ASYNC004ContinuationIgnoresAntecedentCodeFix.OnlyOnSuccessKey);

    [Fact]
    public Task Fix_OnlyOnSuccess_IsTheOnlyFixForAMethodGroup() => FixAsync(
        "return Work.RunAsync(token).[|ContinueWith|](Work.Ignore);",
        "return Work.RunAsync(token).ContinueWith(Work.Ignore, CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);");

    [Fact]
    public Task NoRethrowFix_WhenTheStatementBodyReturns() => FixAsync(
        "return Work.CountAsync().[|ContinueWith|](_ => { Work.Cleanup(); return 1; });",
        "return Work.CountAsync().ContinueWith(_ => { Work.Cleanup(); return 1; }, CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);");

    [Fact]
    public async Task FixAll_LeavesEveryContinuationAlone_WhileEachFixStillAppliesOneAtATime()
    {
        var source = InMethod("""
            Work.RunAsync(token).[|ContinueWith|](_ => Work.Cleanup());
                    Work.RunAsync(token).[|ContinueWith|](Work.Ignore);
                    return Work.CountAsync().[|ContinueWith|](_ => { Work.Cleanup(); });
            """);
        var test = new Verify.Test
        {
            TestCode = source,
            FixedCode = InMethod("""
                Work.RunAsync(token).ContinueWith(t =>
                        {
                            Work.Cleanup();
                            t.GetAwaiter().GetResult();
                        });
                        Work.RunAsync(token).[|ContinueWith|](Work.Ignore);
                        return Work.CountAsync().ContinueWith(t => { Work.Cleanup(); t.GetAwaiter().GetResult(); });
                """),
            BatchFixedCode = source,
            CodeActionEquivalenceKey = ASYNC004ContinuationIgnoresAntecedentCodeFix.RethrowKey,
        };
        test.FixedState.MarkupHandling = MarkupMode.Allow;
        test.BatchFixedState.MarkupHandling = MarkupMode.Allow;
        await test.RunAsync(CancellationToken.None);
    }
}
