using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Verify = AsyncPitfalls.Tests.CSharpAnalyzerVerifier<AsyncPitfalls.Analyzers.ASYNC011CancellationSwallowedInLoopAnalyzer>;

namespace AsyncPitfalls.Tests;

public class ASYNC011CancellationSwallowedInLoopTests
{
    /// <summary>A method with a token <c>ct</c>, a list, a delegate and a flag, around <paramref name="statements"/>.</summary>
    private static string InMethod(string statements) => $$"""
        class C
        {
            async Task<int> M(CancellationToken ct, List<int> items, Func<bool> running, Func<Task> work)
            {
                {{statements}}
            }
        }
        """;

    private static Task VerifyAsync(string source, params DiagnosticResult[] expected) => Verify.VerifyAnalyzerAsync(ASYNC011Sources.Usings + source + ASYNC011Sources.Log, expected);

    [Fact]
    public Task Reports_TheChannelReaderLoop() => VerifyAsync("""
        class Pump
        {
            async Task RunAsync(ChannelReader<int> reader, CancellationToken token)
            {
                while (true)
                {
                    try { var item = await reader.ReadAsync({|#1:token|}); Console.WriteLine(item); }
                    {|#0:catch (Exception ex)|} { Logger.Error(ex, "failed"); }
                }
            }
        }
        """, Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments("catch (Exception)", "ReadAsync", "token"));

    [Theory]
    [InlineData("while (true) { try { await Task.Delay(10, ct); } [|catch (OperationCanceledException)|] { Logger.Info(\"cancelled?\"); } }")]
    [InlineData("for (;;) { try { await Task.Delay(10, ct); } [|catch|] { } }")]
    [InlineData("do { try { ct.ThrowIfCancellationRequested(); Thread.Sleep(10); } [|catch (SystemException e)|] { Logger.Error(e, \"x\"); } } while (true);")]
    [InlineData("while (true) { try { await Task.Delay(10, ct); } [|catch (TaskCanceledException)|] { } }")]
    [InlineData("for (var i = 0; ; i++) { try { await Task.Delay(i, ct); } [|catch (Exception e)|] { Logger.Error(e, \"x\"); } }")]
    [InlineData("while (true) { try { return await Task.FromResult(1).WaitAsync(ct); } [|catch (Exception e)|] { Logger.Error(e, \"retry\"); } }")]
    [InlineData("while (true) { try { await Task.Delay(10, ct); } [|catch (Exception e)|] when (e is not TimeoutException) { } }")]
    public Task Reports_ClauseThatSwallowsCancellation(string statements) => VerifyAsync(InMethod(statements));

    // Issue 25: exits that only straight-line code after the work reaches do not end the loop on cancellation.
    [Theory]
    [InlineData("for (var attempt = 0; ; attempt++) { try { await Task.Delay(10, ct); return 1; } [|catch (Exception e)|] { Logger.Error(e, \"retry\"); continue; } }")]
    [InlineData("while (true) { try { await Task.Delay(10, ct); break; } [|catch (Exception e)|] { Logger.Error(e, \"retry\"); } } return 0;")]
    [InlineData("for (var attempt = 0; ; attempt++) { try { await Task.Delay(10, ct); } [|catch (Exception e)|] { Logger.Error(e, \"retry\"); await Task.Delay(attempt); continue; } return 1; }")]
    public Task Reports_ARetryLoopWhoseOnlyExitFollowsTheWork(string statements) => VerifyAsync($$"""
        class C
        {
            async Task<int> M(CancellationToken ct)
            {
                {{statements}}
            }
        }
        """);

    [Theory]
    [InlineData("for (var attempt = 0; ; attempt++) { try { await Task.Delay(10, ct); } catch (Exception e) { Logger.Error(e, \"retry\"); if (attempt > 3) { return 0; } continue; } return 1; }")]
    [InlineData("while (true) { if (ct.IsCancellationRequested) { return 0; } try { await Task.Delay(10, ct); } catch (Exception e) { Logger.Error(e, \"retry\"); } }")]
    public Task NoDiagnostic_ARetryLoopWithAnExitItDecides(string statements) => VerifyAsync($$"""
        class C
        {
            async Task<int> M(CancellationToken ct)
            {
                {{statements}}
            }
        }
        """);

    [Fact]
    public Task Reports_ForeachOverANeverEndingIterator() => VerifyAsync("""
        class C
        {
            static IEnumerable<char> Cycle(string s)
            {
                while (true)
                {
                    foreach (var c in s) yield return c;
                }
            }

            async Task SpinAsync(CancellationToken ct)
            {
                foreach (var frame in Cycle("|/-\\"))
                {
                    try { Console.Write(frame); await Task.Delay(100, ct); }
                    [|catch (Exception e)|] { Logger.Error(e, "frame"); }
                }
            }
        }
        """);

    [Fact]
    public Task Reports_MessageNamesTheDelegateAndTheStopToken() => VerifyAsync("""
        class C
        {
            async Task RunAsync(Func<CancellationToken, Task> op, CancellationToken stoppingToken)
            {
                while (true)
                {
                    try { await op({|#1:stoppingToken|}); }
                    {|#0:catch (Exception e)|} { Logger.Error(e, "failed"); }
                }
            }
        }
        """, Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments("catch (Exception)", "op", "stoppingToken"));

    [Fact]
    public Task Reports_LinkedPerAttemptTokenCaughtByACatchAll() => VerifyAsync(InMethod("""
        while (true)
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
                    try { await Task.Delay(10, linked.Token); }
                    [|catch (Exception e)|] { Logger.Error(e, "attempt failed"); }
                }
        """));

    [Fact]
    public Task Reports_FilterForATimeoutThatShutdownAlsoSatisfies() => VerifyAsync(InMethod("""
        while (true)
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    using var linked = CancellationTokenSource.CreateLinkedTokenSource({|#1:ct|}, timeout.Token);
                    try { await Task.Delay(10, linked.Token); }
                    {|#0:catch (OperationCanceledException)|} when (linked.Token.IsCancellationRequested) { Logger.Info("timed out"); }
                }
        """), Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments("catch (OperationCanceledException)", "Task.Delay", "ct"));

    [Theory]
    [InlineData("using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)); try { await Task.Delay(10, timeout.Token); } catch (OperationCanceledException) { Logger.Info(\"timeout\"); }")]
    [InlineData("var attempt = new CancellationTokenSource(); attempt.CancelAfter(100); try { await Task.Delay(10, attempt.Token); } catch (Exception e) { Logger.Error(e, \"x\"); }")]
    [InlineData("try { using var timeout = new CancellationTokenSource(100); await Task.Delay(10, timeout.Token); } catch (Exception e) { Logger.Error(e, \"x\"); }")]
    public Task NoDiagnostic_PerAttemptTimeoutToken(string body) => VerifyAsync(InMethod("while (true) { " + body + " }"));

    [Fact]
    public Task NoDiagnostic_LinkedPerAttemptTokenWhenTheLoopTestsTheStopToken() => VerifyAsync(InMethod("""
        while (!ct.IsCancellationRequested)
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
                    try { await Task.Delay(10, linked.Token); }
                    catch (OperationCanceledException) when (linked.Token.IsCancellationRequested) { Logger.Info("timed out"); }
                }
                return 0;
        """));

    [Fact]
    public Task NoDiagnostic_AwaitInTheLoopCondition() => VerifyAsync("""
        class C
        {
            async Task M(PeriodicTimer timer, CancellationToken ct)
            {
                while (await timer.WaitForNextTickAsync(ct))
                {
                    try { await Task.Delay(10, ct); } catch (Exception e) { Logger.Error(e, "tick"); }
                }
            }
        }
        """);

    [Theory]
    [InlineData("while (true) { var pending = items.Count > 0 ? (int?)items[0] : null; if (pending is null) break; items.RemoveAt(0); try { await Task.Delay(pending.Value, ct); } catch (Exception e) { Logger.Error(e, \"x\"); } } return 0;")]
    [InlineData("while (running()) { try { await Task.Delay(10, ct); } catch (TaskCanceledException) { } } return 0;")]
    [InlineData("while (true) { if (items.Count == 0) return 0; try { await Task.Delay(10, ct); } catch (Exception e) { Logger.Error(e, \"x\"); } }")]
    public Task NoDiagnostic_LoopThatEndsAnotherWay(string statements) => VerifyAsync(InMethod(statements));

    [Fact]
    public Task NoDiagnostic_FlagThatCancellationNeverClears_FalseNegative() => VerifyAsync("""
        class C
        {
            private bool _running = true;
            async Task M(CancellationToken ct)
            {
                while (_running)
                {
                    try { await Task.Delay(10, ct); } catch (Exception e) { Logger.Error(e, "x"); }
                }
            }
        }
        """);

    [Theory]
    [InlineData("foreach (var i in items) { try { await Task.Delay(i, ct); } catch (Exception e) { Logger.Error(e, \"x\"); } } return 0;")]
    [InlineData("for (var i = 0; i < 3; i++) { try { await Task.Delay(i, ct); } catch (Exception e) { Logger.Error(e, \"x\"); } } return 0;")]
    public Task NoDiagnostic_LoopThatEndsByItself(string statements) => VerifyAsync(InMethod(statements));

    [Fact]
    public Task NoDiagnostic_LoopThatTestsTheToken() => VerifyAsync(InMethod(
        "while (!ct.IsCancellationRequested) { try { await Task.Delay(10, ct); } catch (Exception e) { Logger.Error(e, \"x\"); } } return 0;"));

    [Theory]
    [InlineData("catch (Exception e) when (e is not OperationCanceledException) { Logger.Error(e, \"x\"); }")]
    [InlineData("catch (Exception e) when (!ct.IsCancellationRequested) { Logger.Error(e, \"y\"); }")]
    public Task NoDiagnostic_FilterThatExcludesCancellation(string clause) => VerifyAsync(InMethod(
        "while (true) { try { await Task.Delay(10, ct); } " + clause + " }"));

    [Theory]
    [InlineData("catch (Exception e) { Logger.Error(e, \"x\"); throw; }")]
    [InlineData("catch (Exception) { if (ct.IsCancellationRequested) break; }")]
    [InlineData("catch (OperationCanceledException) { return 0; } catch (Exception e) { Logger.Error(e, \"x\"); }")]
    [InlineData("catch (Exception) { return 0; }")]
    public Task NoDiagnostic_CatchThatLeavesOrDealsWithCancellation(string clauses) => VerifyAsync(InMethod(
        "while (true) { try { await Task.Delay(10, ct); } " + clauses + " } return 1;"));

    [Fact]
    public Task NoDiagnostic_NoTokenInTheTry() => VerifyAsync(InMethod(
        "while (true) { try { await work(); break; } catch (Exception e) { Logger.Error(e, \"retry\"); } } return 0;"));

    [Theory]
    [InlineData("if (ct.IsCancellationRequested) break; try { await Task.Delay(10, ct); } catch (Exception e) { Logger.Error(e, \"x\"); }")]
    [InlineData("try { await Task.Delay(10, ct); } catch (Exception e) { Logger.Error(e, \"x\"); } await Task.Delay(100, ct);")]
    public Task NoDiagnostic_AnotherExitOnCancellation(string body) => VerifyAsync(InMethod("while (true) { " + body + " } return 0;"));

    // Issue 25: a method of this compilation that hands its field's token to a cancellable call (this was a known miss).
    [Fact]
    public Task Reports_TokenCapturedByTheCallee() => VerifyAsync("""
        class Worker
        {
            private readonly CancellationToken _stop;
            public Worker(CancellationToken stop) => _stop = stop;
            public Task StepAsync() => Task.Delay(10, _stop);
        }
        class C
        {
            async Task M(Worker worker)
            {
                while (true)
                {
                    try { await worker.StepAsync(); } {|#0:catch (Exception e)|} { Logger.Error(e, "x"); }
                }
            }
        }
        """, Verify.Diagnostic().WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithArguments("catch (Exception)", "StepAsync", "_stop"));

    [Fact]
    public Task NoDiagnostic_ACalleeWhoseTokenIsItsOwnParameter_GivenNothingHere() => VerifyAsync("""
        class Worker
        {
            public Task StepAsync(CancellationToken token = default) => Task.Delay(10, token);
        }
        class C
        {
            async Task M(Worker worker)
            {
                while (true)
                {
                    try { await worker.StepAsync(); } catch (Exception e) { Logger.Error(e, "x"); }
                }
            }
        }
        """);

    // ---- Known misses: each exclusion on the rule page that gives up a true report ----

    [Fact]
    public Task NoDiagnostic_ATokenReachedThroughAVirtualCallee_FalseNegative() => VerifyAsync("""
        abstract class Step
        {
            protected CancellationToken Stop;
            public abstract Task RunAsync();
        }
        sealed class Pause : Step { public override Task RunAsync() => Task.Delay(10, Stop); }
        class C
        {
            async Task M(Step step)
            {
                while (true)
                {
                    try { await step.RunAsync(); } catch (Exception e) { Logger.Error(e, "x"); }
                }
            }
        }
        """);
}

/// <summary>Sources that <see cref="ASYNC011CancellationSwallowedInLoopTests"/> and <see cref="ASYNC011CancellationSwallowedInLoopCodeFixTests"/> share.</summary>
internal static class ASYNC011Sources
{
    public const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Channels;
        using System.Threading.Tasks;

        """;

    public const string Log = """

        static class Logger { public static void Error(Exception e, string m) { } public static void Info(string m) { } }

        """;
}
