using System.Threading.Tasks;
using AsyncPitfalls.CodeFixes;
using Microsoft.CodeAnalysis.Testing;
using Verify = AsyncPitfalls.Tests.CSharpCodeFixVerifier<AsyncPitfalls.Analyzers.ASYNC010CancellationEscapesLoopAnalyzer, AsyncPitfalls.CodeFixes.ASYNC010CancellationEscapesLoopCodeFix>;

namespace AsyncPitfalls.Tests;

public class ASYNC010CancellationEscapesLoopTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        """;

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

    private static Task VerifyAsync(string source, params DiagnosticResult[] expected) => Verify.VerifyAnalyzerAsync(Usings + source, expected);

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

    [Fact]
    public Task Fix_CatchAndBreak_TheSpinner() => Verify.VerifyCodeFixAsync(Usings + """
        class C
        {
            static async Task SpinAsync(string message, CancellationToken token)
            {
                var i = 0;
                [|while|] (!token.IsCancellationRequested)
                {
                    Console.Write($"\r{"|/-\\"[i++ % 4]} {message}");
                    await Task.Delay(100, token);
                }
                Console.Write("\r");
            }
        }
        """, Usings + """
        class C
        {
            static async Task SpinAsync(string message, CancellationToken token)
            {
                var i = 0;
                while (!token.IsCancellationRequested)
                {
                    Console.Write($"\r{"|/-\\"[i++ % 4]} {message}");
                    try
                    {
                        await Task.Delay(100, token);
                    }
                    catch (OperationCanceledException) when (token.IsCancellationRequested)
                    {
                        break;
                    }
                }
                Console.Write("\r");
            }
        }
        """, ASYNC010CancellationEscapesLoopCodeFix.CatchKey);

    [Fact]
    public Task Fix_CatchAndBreak_KeepsLocalsVisible() => Verify.VerifyCodeFixAsync(Usings + """
        class C
        {
            async Task<int> RunAsync(Stream s, CancellationToken ct)
            {
                var total = 0;
                [|while|] (!ct.IsCancellationRequested)
                {
                    var read = await s.ReadAsync(new byte[4], ct);
                    total += read;
                }
                return total;
            }
        }
        """, Usings + """
        class C
        {
            async Task<int> RunAsync(Stream s, CancellationToken ct)
            {
                var total = 0;
                while (!ct.IsCancellationRequested)
                {
                    try
                    {
                        var read = await s.ReadAsync(new byte[4], ct);
                        total += read;
                    }
                    catch (OperationCanceledException) when (ct.IsCancellationRequested)
                    {
                        break;
                    }
                }
                return total;
            }
        }
        """, ASYNC010CancellationEscapesLoopCodeFix.CatchKey);

    [Fact]
    public Task Fix_SuppressThrowing() => Verify.VerifyCodeFixAsync(Usings + """
        class C
        {
            async Task SpinAsync(CancellationToken token)
            {
                [|while|] (!token.IsCancellationRequested)
                {
                    await Task.Delay(100, token);
                }
                Console.Write("\r");
            }
        }
        """, Usings + """
        class C
        {
            async Task SpinAsync(CancellationToken token)
            {
                while (!token.IsCancellationRequested)
                {
                    await Task.Delay(100, token).ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext | ConfigureAwaitOptions.SuppressThrowing);
                }
                Console.Write("\r");
            }
        }
        """, ASYNC010CancellationEscapesLoopCodeFix.SuppressKey);

    [Fact]
    public Task NoSuppressFix_ForGenericTasks() => Verify.VerifyCodeFixAsync(Usings + """
        class C
        {
            async Task<int> RunAsync(Stream s, CancellationToken ct)
            {
                var total = 0;
                [|while|] (!ct.IsCancellationRequested)
                {
                    total += await s.ReadAsync(new byte[4], ct);
                }
                return total;
            }
        }
        """, Usings + """
        class C
        {
            async Task<int> RunAsync(Stream s, CancellationToken ct)
            {
                var total = 0;
                [|while|] (!ct.IsCancellationRequested)
                {
                    total += await s.ReadAsync(new byte[4], ct);
                }
                return total;
            }
        }
        """, ASYNC010CancellationEscapesLoopCodeFix.SuppressKey);

    [Fact]
    public Task NoSuppressFix_ForEndlessLoops() => Verify.VerifyCodeFixAsync(Usings + """
        class C
        {
            async Task RunAsync(CancellationToken ct)
            {
                [|for|] (;;)
                {
                    await Task.Delay(10, ct);
                }
                Console.WriteLine("stopped");
            }
        }
        """, Usings + """
        class C
        {
            async Task RunAsync(CancellationToken ct)
            {
                [|for|] (;;)
                {
                    await Task.Delay(10, ct);
                }
                Console.WriteLine("stopped");
            }
        }
        """, ASYNC010CancellationEscapesLoopCodeFix.SuppressKey);

    /// <summary>.NET 6 has no ConfigureAwaitOptions: the SuppressThrowing fix is not offered there, the catch fix is.</summary>
    [Fact]
    public async Task NoSuppressFix_WithoutConfigureAwaitOptions()
    {
        const string source = """
            class C
            {
                async Task SpinAsync(CancellationToken token)
                {
                    [|while|] (!token.IsCancellationRequested)
                    {
                        await Task.Delay(100, token);
                    }
                    Console.Write("\r");
                }
            }
            """;
        var test = new Verify.Test
        {
            ReferenceAssemblies = TestDefaults.Net60,
            TestCode = Usings + source,
            FixedCode = Usings + source,
            CodeActionEquivalenceKey = ASYNC010CancellationEscapesLoopCodeFix.SuppressKey,
        };
        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_AllInDocumentAndAcrossDocuments()
    {
        const string loop = """
                    [|while|] (!t.IsCancellationRequested)
                    {
                        await Task.Delay(1, t);
                    }
                    Console.WriteLine("done");
            """;
        const string fixedLoop = """
                    while (!t.IsCancellationRequested)
                    {
                        try
                        {
                            await Task.Delay(1, t);
                        }
                        catch (OperationCanceledException) when (t.IsCancellationRequested)
                        {
                            break;
                        }
                    }
                    Console.WriteLine("done");
            """;
        var test = new Verify.Test { CodeActionEquivalenceKey = ASYNC010CancellationEscapesLoopCodeFix.CatchKey };
        test.TestState.Sources.Add(Usings + Method("A", loop + "\n" + loop));
        test.TestState.Sources.Add(Usings + Method("B", loop));
        test.FixedState.Sources.Add(Usings + Method("A", fixedLoop + "\n" + fixedLoop));
        test.FixedState.Sources.Add(Usings + Method("B", fixedLoop));
        await test.RunAsync();

        static string Method(string type, string body) => $$"""
            class {{type}}
            {
                async Task M(CancellationToken t)
                {
            {{body}}
                }
            }
            """;
    }
}
