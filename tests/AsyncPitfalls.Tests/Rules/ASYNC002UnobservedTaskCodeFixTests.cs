using System.Threading.Tasks;
using Verify = AsyncPitfalls.Tests.CSharpCodeFixVerifier<AsyncPitfalls.Analyzers.ASYNC002UnobservedTaskAnalyzer, AsyncPitfalls.CodeFixes.ASYNC002UnobservedTaskCodeFix>;

namespace AsyncPitfalls.Tests;

/// <summary>ASYNC002's fix: "Await 'spinner'" after the last use of the task, or after the cancel of its token.</summary>
public class ASYNC002UnobservedTaskCodeFixTests
{
    private static Task FixAsync(string source, string fixedSource)
        => Verify.VerifyCodeFixAsync(source + ASYNC002Sources.Helpers, fixedSource + ASYNC002Sources.Helpers);

    [Fact]
    public Task Fix_AwaitsAfterTheLastUse() => FixAsync("""
        using System;
        using System.Threading.Tasks;
        class C
        {
            async Task M()
            {
                var [|save|] = Work.SaveAsync();
                Console.WriteLine(save.IsCompleted);
                Console.WriteLine("other work");
            }
        }
        """, """
        using System;
        using System.Threading.Tasks;
        class C
        {
            async Task M()
            {
                var save = Work.SaveAsync();
                Console.WriteLine(save.IsCompleted);
                await save;
                Console.WriteLine("other work");
            }
        }
        """);

    [Fact]
    public Task Fix_TheSpinner_AwaitsAfterCancelAndCatchesCancellation() => FixAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        class Supervisor
        {
            async Task<int> RunAsync()
            {
                using var cts = new CancellationTokenSource();
                var [|spinner|] = Work.SpinAsync("thinking", cts.Token);
                Console.WriteLine($"spinner object: {spinner}");
                var result = await Work.HeavyAsync();
                cts.Cancel();
                return result;
            }
        }
        """, """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        class Supervisor
        {
            async Task<int> RunAsync()
            {
                using var cts = new CancellationTokenSource();
                var spinner = Work.SpinAsync("thinking", cts.Token);
                Console.WriteLine($"spinner object: {spinner}");
                var result = await Work.HeavyAsync();
                cts.Cancel();
                try
                {
                    await spinner;
                }
                catch (OperationCanceledException)
                {
                }

                return result;
            }
        }
        """);

    [Fact]
    public Task Fix_MakesAnUnreferencedVoidMethodAsync() => FixAsync("""
        using System.Threading.Tasks;
        class C
        {
            void M()
            {
                var [|t|] = Work.SaveAsync();
            }
        }
        """, """
        using System.Threading.Tasks;
        class C
        {
            async Task M()
            {
                var t = Work.SaveAsync();
                await t;
            }
        }
        """);

    [Fact]
    public async Task Fix_AllInDocumentAndAcrossDocuments()
    {
        var test = new Verify.Test();
        test.TestState.Sources.Add("""
            using System.Threading.Tasks;
            class A
            {
                async Task M()
                {
                    var [|x|] = Work.SaveAsync(1);
                    var [|y|] = Work.SaveAsync(2);
                }
            }
            """ + ASYNC002Sources.Helpers);
        test.TestState.Sources.Add("""
            using System.Threading.Tasks;
            class B
            {
                async Task N()
                {
                    var [|z|] = Work.SaveAsync(3);
                }
            }
            """);
        test.FixedState.Sources.Add("""
            using System.Threading.Tasks;
            class A
            {
                async Task M()
                {
                    var x = Work.SaveAsync(1);
                    await x;
                    var y = Work.SaveAsync(2);
                    await y;
                }
            }
            """ + ASYNC002Sources.Helpers);
        test.FixedState.Sources.Add("""
            using System.Threading.Tasks;
            class B
            {
                async Task N()
                {
                    var z = Work.SaveAsync(3);
                    await z;
                }
            }
            """);
        await test.RunAsync();
    }

    [Fact]
    public Task NoFix_InSyncLambda() => Verify.VerifyCodeFixAsync("""
        using System;
        using System.Threading.Tasks;
        class C
        {
            void M()
            {
                Action a = () => { var [|t|] = Work.SaveAsync(); };
            }
        }
        """ + ASYNC002Sources.Helpers, """
        using System;
        using System.Threading.Tasks;
        class C
        {
            void M()
            {
                Action a = () => { var [|t|] = Work.SaveAsync(); };
            }
        }
        """ + ASYNC002Sources.Helpers);
}
