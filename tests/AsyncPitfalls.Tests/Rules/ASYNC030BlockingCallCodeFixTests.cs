using System.Threading.Tasks;
using AsyncPitfalls.CodeFixes;
using Microsoft.CodeAnalysis.Testing;
using Verify = AsyncPitfalls.Tests.CSharpCodeFixVerifier<AsyncPitfalls.Analyzers.ASYNC030BlockingCallAnalyzer, AsyncPitfalls.CodeFixes.ASYNC030BlockingCallCodeFix>;

namespace AsyncPitfalls.Tests;

/// <summary>ASYNC030's fix: "Use await" instead of the blocking call, or the awaitable twin of a synchronous I/O call with the token.</summary>
public class ASYNC030BlockingCallCodeFixTests
{
    private static Task FixAsync(string source, string fixedSource) => Verify.VerifyCodeFixAsync(ASYNC030Sources.Usings + source, ASYNC030Sources.Usings + fixedSource);

    [Fact]
    public Task Fix_SleepBecomesDelayWithTheToken() => FixAsync("""
        class C
        {
            async Task M(CancellationToken token)
            {
                [|Thread.Sleep(100)|];
                await Task.Yield();
            }
        }
        """, """
        class C
        {
            async Task M(CancellationToken token)
            {
                await Task.Delay(100, token);
                await Task.Yield();
            }
        }
        """);

    [Theory]
    [InlineData("[|t.Wait()|];", "await t;")]
    [InlineData("var a = [|u.Result|] + 1;", "var a = await u + 1;")]
    [InlineData("var s = [|u.Result|].ToString();", "var s = (await u).ToString();")]
    [InlineData("var b = [|u.GetAwaiter().GetResult()|];", "var b = await u;")]
    [InlineData("[|Task.WaitAll(t, u)|];", "await Task.WhenAll(t, u);")]
    [InlineData("[|Task.WaitAny(t, u)|];", "await Task.WhenAny(t, u);")]
    public Task Fix_BlockingOnATaskBecomesAwait(string before, string after) => FixAsync(FixShape(before), FixShape(after));

    private static string FixShape(string statement) => $$"""
        class C
        {
            async Task M(Task t, Task<int> u)
            {
                {{statement}}
                await Task.Yield();
            }
        }
        """;

    [Fact]
    public Task Fix_SyncIoBecomesTheTwinWithTheToken() => FixAsync("""
        class C
        {
            async Task<string> M(string path, CancellationToken ct)
            {
                var text = [|File.ReadAllText(path)|];
                await Task.Yield();
                return text;
            }
        }
        """, """
        class C
        {
            async Task<string> M(string path, CancellationToken ct)
            {
                var text = await File.ReadAllTextAsync(path, ct);
                await Task.Yield();
                return text;
            }
        }
        """);

    [Fact]
    public Task NoFix_WaitAnyResultUsed() => FixAsync("""
        class C
        {
            async Task<int> M(Task t, Task u)
            {
                var i = [|Task.WaitAny(t, u)|];
                await Task.Yield();
                return i;
            }
        }
        """, """
        class C
        {
            async Task<int> M(Task t, Task u)
            {
                var i = [|Task.WaitAny(t, u)|];
                await Task.Yield();
                return i;
            }
        }
        """);

    [Fact]
    public async Task Fix_AllInDocumentAndAcrossDocuments()
    {
        var test = new Verify.Test { CodeActionEquivalenceKey = ASYNC030BlockingCallCodeFix.AwaitKey };
        test.TestState.Sources.Add(ASYNC030Sources.Usings + """
            class A
            {
                async Task M(Task t)
                {
                    [|Thread.Sleep(1)|];
                    [|t.Wait()|];
                    await Task.Yield();
                }
            }
            """);
        test.TestState.Sources.Add(ASYNC030Sources.Usings + """
            class B
            {
                async Task<int> N(Task<int> u)
                {
                    await Task.Yield();
                    return [|u.Result|];
                }
            }
            """);
        test.FixedState.Sources.Add(ASYNC030Sources.Usings + """
            class A
            {
                async Task M(Task t)
                {
                    await Task.Delay(1);
                    await t;
                    await Task.Yield();
                }
            }
            """);
        test.FixedState.Sources.Add(ASYNC030Sources.Usings + """
            class B
            {
                async Task<int> N(Task<int> u)
                {
                    await Task.Yield();
                    return await u;
                }
            }
            """);
        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_InAMethodThatPassesItsModeOn_IsOfferedButNeverAppliedInBulk()
    {
        const string Source = """
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;

            enum IOBehavior { Synchronous, Asynchronous }

            class Loader
            {
                async Task<int> LoadAsync(string path, IOBehavior ioBehavior, CancellationToken token)
                {
                    var bytes = {|ASYNC030:File.ReadAllBytes(path)|};
                    await SendAsync(bytes, ioBehavior, token);
                    return bytes.Length;
                }

                Task SendAsync(byte[] bytes, IOBehavior ioBehavior, CancellationToken token) => Task.CompletedTask;
            }
            """;
        var test = new Verify.Test
        {
            TestCode = Source,
            FixedCode = Source.Replace("{|ASYNC030:File.ReadAllBytes(path)|}", "await File.ReadAllBytesAsync(path, token)", System.StringComparison.Ordinal),
            BatchFixedCode = Source,
        };
        test.BatchFixedState.MarkupHandling = MarkupMode.Allow;
        await test.RunAsync();
    }
}
