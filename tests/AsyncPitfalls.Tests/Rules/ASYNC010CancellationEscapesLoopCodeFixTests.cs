using System.Threading.Tasks;
using AsyncPitfalls.CodeFixes;
using Verify = AsyncPitfalls.Tests.CSharpCodeFixVerifier<AsyncPitfalls.Analyzers.ASYNC010CancellationEscapesLoopAnalyzer, AsyncPitfalls.CodeFixes.ASYNC010CancellationEscapesLoopCodeFix>;

namespace AsyncPitfalls.Tests;

/// <summary>ASYNC010's fixes: catch cancellation and leave the loop, or don't throw on cancellation.</summary>
public class ASYNC010CancellationEscapesLoopCodeFixTests
{
    [Fact]
    public Task Fix_CatchAndBreak_TheSpinner() => Verify.VerifyCodeFixAsync(ASYNC010Sources.Usings + """
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
        """, ASYNC010Sources.Usings + """
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
    public Task Fix_CatchAndBreak_KeepsLocalsVisible() => Verify.VerifyCodeFixAsync(ASYNC010Sources.Usings + """
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
        """, ASYNC010Sources.Usings + """
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
    public Task Fix_SuppressThrowing() => Verify.VerifyCodeFixAsync(ASYNC010Sources.Usings + """
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
        """, ASYNC010Sources.Usings + """
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
    public Task NoSuppressFix_ForGenericTasks() => Verify.VerifyCodeFixAsync(ASYNC010Sources.Usings + """
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
        """, ASYNC010Sources.Usings + """
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
    public Task NoSuppressFix_ForEndlessLoops() => Verify.VerifyCodeFixAsync(ASYNC010Sources.Usings + """
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
        """, ASYNC010Sources.Usings + """
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
            TestCode = ASYNC010Sources.Usings + source,
            FixedCode = ASYNC010Sources.Usings + source,
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
        test.TestState.Sources.Add(ASYNC010Sources.Usings + Method("A", loop + "\n" + loop));
        test.TestState.Sources.Add(ASYNC010Sources.Usings + Method("B", loop));
        test.FixedState.Sources.Add(ASYNC010Sources.Usings + Method("A", fixedLoop + "\n" + fixedLoop));
        test.FixedState.Sources.Add(ASYNC010Sources.Usings + Method("B", fixedLoop));
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
