using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Verify = AsyncPitfalls.Tests.CSharpCodeFixVerifier<AsyncPitfalls.Analyzers.ASYNC010CancellationEscapesLoopAnalyzer, AsyncPitfalls.CodeFixes.ASYNC010CancellationEscapesLoopCodeFix>;

namespace AsyncPitfalls.Tests;

public class ASYNC010CancellationEscapesLoopTests
{
    private const string Usings = "using System;\nusing System.Collections.Generic;\nusing System.IO;\nusing System.Threading;\nusing System.Threading.Tasks;\n";

    private static Task VerifyAsync(string source, params DiagnosticResult[] expected) => Verify.VerifyAnalyzerAsync(Usings + source, expected);

    [Fact]
    public Task Reports_TheSpinnerPort() => VerifyAsync("""
        class C
        {
            static async Task SpinAsync(string message, CancellationToken token)
            {
                var i = 0;
                {|#0:while|} (!token.IsCancellationRequested)
                {
                    Console.Write($"\r{"|/-\\"[i++ % 4]} {message}");
                    {|#1:await Task.Delay(100, token)|};
                }
                Console.Write("\r" + new string(' ', message.Length + 2) + "\r");
            }
        }
        """, Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments("Task.Delay", "token"));

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

    [Fact]
    public Task NoDiagnostic_WorkerServiceTemplate() => VerifyAsync("""
        class Worker
        {
            protected async Task ExecuteAsync(CancellationToken stoppingToken)
            {
                while (!stoppingToken.IsCancellationRequested)
                {
                    Console.WriteLine("Worker running");
                    await Task.Delay(1000, stoppingToken);
                }
            }
            async Task BareReturnAfter(CancellationToken ct)
            {
                while (!ct.IsCancellationRequested) { await Task.Delay(1, ct); }
                return;
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_GuardedLikeThePythonSpinner() => VerifyAsync("""
        class C
        {
            async Task SpinAsync(CancellationToken token)
            {
                while (!token.IsCancellationRequested)
                {
                    try { await Task.Delay(100, token); }
                    catch (OperationCanceledException) when (token.IsCancellationRequested) { break; }
                }
                Console.WriteLine("erase");
                while (!token.IsCancellationRequested)
                {
                    try { await Task.Delay(100, token); }
                    catch (TaskCanceledException) { }
                }
                Console.WriteLine("erase");
            }
        }
        """);

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
    public Task NoDiagnostic_CombinedConditionAndOtherTokens() => VerifyAsync("""
        class C
        {
            async Task RunAsync(CancellationToken token, CancellationToken requestAborted, Queue<int> queue)
            {
                while (queue.Count > 0 && !token.IsCancellationRequested)
                {
                    await Task.Delay(queue.Dequeue(), token);
                }
                Console.WriteLine("batch done");
                while (!token.IsCancellationRequested)
                {
                    await Task.Delay(10, requestAborted);
                }
                Console.WriteLine("stopped");
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_ThrowIfCancellationRequestedInLoopOrAfter() => VerifyAsync("""
        class C
        {
            async Task RunAsync(CancellationToken token)
            {
                while (!token.IsCancellationRequested)
                {
                    token.ThrowIfCancellationRequested();
                    await Task.Delay(10, token);
                }
                Console.WriteLine("a");
                while (!token.IsCancellationRequested)
                {
                    await Task.Delay(10, token);
                }
                token.ThrowIfCancellationRequested();
                while (!token.IsCancellationRequested)
                {
                    await Task.Delay(10, token);
                }
                await Task.Delay(10, token);
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_CleanupInFinallyOrEnclosingCatch() => VerifyAsync("""
        class C
        {
            async Task RunAsync(CancellationToken token)
            {
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
            }
            async Task OtherAsync(CancellationToken token)
            {
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
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_ReturnIsTheCancellationExitOrSyncCode() => VerifyAsync("""
        class C
        {
            async Task RunAsync(CancellationToken token)
            {
                while (true)
                {
                    if (token.IsCancellationRequested) return;
                    await Task.Delay(10, token);
                }
            }
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
        """, "ASYNC010.CatchAndBreak");

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
        """, "ASYNC010.CatchAndBreak");

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
        """, "ASYNC010.SuppressThrowing");

    [Fact]
    public Task NoSuppressFix_ForGenericTasksOrEndlessLoops() => Verify.VerifyCodeFixAsync(Usings + """
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
        """, "ASYNC010.SuppressThrowing");

    [Fact]
    public async Task Fix_AllInDocumentAndAcrossDocuments()
    {
        const string loop = "        while (!t.IsCancellationRequested)\n        {\n            await Task.Delay(1, t);\n        }\n        Console.WriteLine(\"done\");\n";
        const string loopMarked = "        [|while|] (!t.IsCancellationRequested)\n        {\n            await Task.Delay(1, t);\n        }\n        Console.WriteLine(\"done\");\n";
        const string fixedLoop = "        while (!t.IsCancellationRequested)\n        {\n            try\n            {\n                await Task.Delay(1, t);\n            }\n            catch (OperationCanceledException) when (t.IsCancellationRequested)\n            {\n                break;\n            }\n        }\n        Console.WriteLine(\"done\");\n";
        var test = new Verify.Test { CodeActionEquivalenceKey = "ASYNC010.CatchAndBreak" };
        test.TestState.Sources.Add(Usings + "class A\n{\n    async Task M(CancellationToken t)\n    {\n" + loopMarked + loopMarked + "    }\n}\n");
        test.TestState.Sources.Add(Usings + "class B\n{\n    async Task N(CancellationToken t)\n    {\n" + loopMarked + "    }\n}\n");
        test.FixedState.Sources.Add(Usings + "class A\n{\n    async Task M(CancellationToken t)\n    {\n" + fixedLoop + fixedLoop + "    }\n}\n");
        test.FixedState.Sources.Add(Usings + "class B\n{\n    async Task N(CancellationToken t)\n    {\n" + fixedLoop + "    }\n}\n");
        await test.RunAsync();
        _ = loop;
    }
}
