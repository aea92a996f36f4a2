using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Verify = AsyncPitfalls.Tests.CSharpAnalyzerVerifier<AsyncPitfalls.Analyzers.ASYNC010CancellationEscapesLoopAnalyzer>;

namespace AsyncPitfalls.Tests;

public class ASYNC010CancellationEscapesLoopTests
{
    /// <summary>An async method taking a token <c>token</c>, another <c>other</c> and a queue, around <paramref name="statements"/>.</summary>
    private static string InMethod(string statements) => $$"""
        class C
        {
            async Task RunAsync(CancellationToken token, CancellationToken other, Queue<int> queue)
            {
                {{statements}}
            }
        }
        """;

    private static Task VerifyAsync(string source, params DiagnosticResult[] expected) => Verify.VerifyAnalyzerAsync(ASYNC010Sources.Usings + source, expected);

    [Fact]
    public Task Reports_TheSpinnerPort() => VerifyAsync("""
        class C
        {
            static async Task SpinAsync(string message, CancellationToken token)
            {
                var i = 0;
                {|#0:while|} (!{|#2:token|}.IsCancellationRequested)
                {
                    Console.Write($"\r{"|/-\\"[i++ % 4]} {message}");
                    {|#1:await Task.Delay(100, token)|};
                }
                Console.Write("\r" + new string(' ', message.Length + 2) + "\r");
            }
        }
        """, Verify.Diagnostic().WithLocation(0).WithLocation(2).WithLocation(1).WithArguments("Task.Delay", "token"));

    // Issue 25: the loop awaits a method of this compilation that hands the loop's token to a cancellable call.
    [Fact]
    public Task Reports_ThroughACalleeThatUsesTheLoopsToken() => VerifyAsync("""
        class Poller
        {
            private readonly CancellationTokenSource _stop = new();

            async Task RunAsync()
            {
                {|#0:while|} (!{|#2:_stop|}.IsCancellationRequested)
                {
                    {|#1:await PollOnceAsync()|};
                }
                Console.WriteLine("stopped");
            }

            private async Task PollOnceAsync()
            {
                Console.WriteLine("poll");
                await Task.Delay(100, _stop.Token);
            }
        }
        """, Verify.Diagnostic().WithLocation(0).WithLocation(2).WithLocation(1).WithArguments("PollOnceAsync", "_stop"));

    // Two calls deep through a type that holds the token: the helper's own type holds one too.
    [Fact]
    public Task Reports_TwoCallsDeepThroughTypesThatHoldTheToken() => VerifyAsync("""
        class Poller
        {
            private readonly CancellationTokenSource _stop = new();

            async Task RunAsync()
            {
                {|#0:while|} (!{|#2:_stop|}.IsCancellationRequested)
                {
                    {|#1:await StepAsync()|};
                }
                Console.WriteLine("stopped");
            }

            private Task StepAsync() => PollOnceAsync();

            private Task PollOnceAsync() => Task.Delay(100, _stop.Token);
        }
        """, Verify.Diagnostic().WithLocation(0).WithLocation(2).WithLocation(1).WithArguments("StepAsync", "_stop"));

    // The cost bound: a loop that tests no token learns it from the calls that pass one; callees are not read to guess it.
    [Fact]
    public Task NoDiagnostic_AnEndlessLoopWhoseOnlyTokenIsInsideACallee_FalseNegative() => VerifyAsync("""
        class Poller
        {
            private readonly CancellationTokenSource _stop = new();

            async Task RunAsync()
            {
                while (true)
                {
                    await PollOnceAsync();
                }
            }

            private Task PollOnceAsync() => Task.Delay(100, _stop.Token);
        }
        """);

    // The cost bound: a helper of a type that holds no token or token source is not read, so a token two calls deep
    // behind it is not seen.
    [Fact]
    public Task NoDiagnostic_ThroughAHelperOfATypeWithoutATokenMember_FalseNegative() => VerifyAsync("""
        class Poller
        {
            internal static readonly CancellationTokenSource Stop = new();

            async Task RunAsync()
            {
                while (!Stop.IsCancellationRequested)
                {
                    await Helpers.StepAsync();
                }
                Console.WriteLine("stopped");
            }
        }

        static class Helpers
        {
            public static Task StepAsync() => Task.Delay(100, Poller.Stop.Token);
        }
        """);

    [Fact]
    public Task NoDiagnostic_ThroughACalleeThatUsesAnotherToken() => VerifyAsync("""
        class Poller
        {
            private readonly CancellationTokenSource _stop = new();
            private readonly CancellationTokenSource _pace = new();

            async Task RunAsync()
            {
                while (!_stop.IsCancellationRequested)
                {
                    await PollOnceAsync();
                }
            }

            private Task PollOnceAsync() => Task.Delay(100, _pace.Token);
        }
        """);

    [Fact]
    public Task Reports_WhileTrueWithCancellationBreak_OtherBreaksDoNotMatter() => VerifyAsync("""
        class C
        {
            async Task<int> PumpAsync(Stream stream, CancellationToken ct)
            {
                var total = 0;
                var buffer = new byte[16];
                [|while|] (true)
                {
                    if (ct.IsCancellationRequested) break;
                    var read = await stream.ReadAsync(buffer, ct);
                    if (read == 0) break;
                    total += read;
                }
                return total;
            }
        }
        """);

    [Fact]
    public Task Reports_ForeverLoopWithoutExit_AndTokenSourceField() => VerifyAsync("""
        class C
        {
            private readonly CancellationTokenSource _cts = new();
            private readonly SemaphoreSlim _gate = new(1);
            async Task RunAsync()
            {
                [|for|] (;;)
                {
                    await _gate.WaitAsync(_cts.Token);
                    _gate.Release();
                }
                Console.WriteLine("stopped");
            }
        }
        """);

    [Fact]
    public Task Reports_ForeachOverANeverEndingIterator_AndWaitAsync() => VerifyAsync("""
        class C
        {
            static IEnumerable<char> Cycle(string s)
            {
                while (true)
                {
                    foreach (var c in s) yield return c;
                }
            }

            async Task SpinAsync(Task work, CancellationTokenSource cts)
            {
                [|foreach|] (var frame in Cycle("|/-\\"))
                {
                    Console.Write(frame);
                    await work.WaitAsync(cts.Token);
                }
                Console.WriteLine("done");
            }
        }
        """);

    [Fact]
    public Task Reports_LinkedTokenAndDoWhile() => VerifyAsync("""
        class C
        {
            async Task RunAsync(CancellationToken token, CancellationToken other)
            {
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(token, other);
                [|do|]
                {
                    await Task.Delay(10, linked.Token);
                }
                while (!token.IsCancellationRequested);
                Console.WriteLine("stopped");
            }
        }
        """);

    [Fact]
    public Task Reports_FilterThatExcludesCancellationDoesNotGuard() => VerifyAsync("""
        class C
        {
            async Task<int> RunAsync(CancellationToken token)
            {
                var n = 0;
                [|while|] (!token.IsCancellationRequested)
                {
                    try { await Task.Delay(10, token); n++; }
                    catch (Exception ex) when (ex is not OperationCanceledException) { }
                }
                return n;
            }
        }
        """);

    [Theory]
    [InlineData("while (!token.IsCancellationRequested) { Console.WriteLine(\"Worker running\"); await Task.Delay(1000, token); }")]
    [InlineData("while (!token.IsCancellationRequested) { await Task.Delay(1, token); } return;")]
    public Task NoDiagnostic_WorkerServiceTemplate(string statements) => VerifyAsync(InMethod(statements));

    [Theory]
    [InlineData("catch (OperationCanceledException) when (token.IsCancellationRequested) { break; }")]
    [InlineData("catch (TaskCanceledException) { }")]
    public Task NoDiagnostic_GuardedLikeThePythonSpinner(string catchClause) => VerifyAsync(InMethod($$"""
        while (!token.IsCancellationRequested)
                {
                    try { await Task.Delay(100, token); }
                    {{catchClause}}
                }
                Console.WriteLine("erase");
        """));

    [Fact]
    public Task NoDiagnostic_ForeachOverAListPropagatesCancellation() => VerifyAsync("""
        class C
        {
            async Task ProcessAllAsync(List<int> items, CancellationToken ct)
            {
                foreach (var item in items)
                {
                    await Task.Delay(item, ct);
                }
                Console.WriteLine("done");
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_AwaitsReceiveAnotherToken() => VerifyAsync(InMethod("""
        while (!token.IsCancellationRequested)
                {
                    await Task.Delay(10, other);
                }
                Console.WriteLine("stopped");
        """));

    [Theory]
    [InlineData("while (!token.IsCancellationRequested) { token.ThrowIfCancellationRequested(); await Task.Delay(10, token); } Console.WriteLine(\"a\");")]
    [InlineData("while (!token.IsCancellationRequested) { await Task.Delay(10, token); } token.ThrowIfCancellationRequested();")]
    [InlineData("while (!token.IsCancellationRequested) { await Task.Delay(10, token); } await Task.Delay(10, token);")]
    public Task NoDiagnostic_ThrowsOnTheTokenInTheLoopOrRightAfter(string statements) => VerifyAsync(InMethod(statements));

    [Fact]
    public Task NoDiagnostic_CleanupInFinally() => VerifyAsync(InMethod("""
        try
                {
                    while (!token.IsCancellationRequested)
                    {
                        await Task.Delay(10, token);
                    }
                }
                finally
                {
                    Console.WriteLine("erase");
                }
        """));

    [Fact]
    public Task NoDiagnostic_EnclosingTryCatchesCancellation() => VerifyAsync(InMethod("""
        try
                {
                    while (!token.IsCancellationRequested)
                    {
                        await Task.Delay(10, token);
                    }
                    Console.WriteLine("stopped");
                }
                catch (OperationCanceledException)
                {
                    Console.WriteLine("cancelled");
                }
        """));

    [Fact]
    public Task NoDiagnostic_ReturnIsTheCancellationExit() => VerifyAsync(InMethod("""
        while (true)
                {
                    if (token.IsCancellationRequested) return;
                    await Task.Delay(10, token);
                }
        """));

    [Fact]
    public Task NoDiagnostic_SyncCode() => VerifyAsync("""
        class C
        {
            void Sync(CancellationToken token)
            {
                while (!token.IsCancellationRequested)
                {
                    Task.Delay(10, token).Wait();
                }
                Console.WriteLine("x");
            }
        }
        """);

    // ---- Known misses: each exclusion on the rule page that gives up a true report ----

    [Fact]
    public Task NoDiagnostic_ConditionCombinesTheTokenWithOtherTests_FalseNegative() => VerifyAsync(InMethod("""
        while (queue.Count > 0 && !token.IsCancellationRequested)
                {
                    await Task.Delay(queue.Dequeue(), token);
                }
                Console.WriteLine("batch done");
        """));

    [Fact]
    public Task NoDiagnostic_FirstStatementAfterTheLoopMentionsTheToken_FalseNegative() => VerifyAsync(InMethod("""
        while (!token.IsCancellationRequested)
                {
                    await Task.Delay(10, token);
                }
                Console.WriteLine($"stopped: {token.IsCancellationRequested}");
        """));
}

/// <summary>Sources that <see cref="ASYNC010CancellationEscapesLoopTests"/> and <see cref="ASYNC010CancellationEscapesLoopCodeFixTests"/> share.</summary>
internal static class ASYNC010Sources
{
    public const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        """;
}
