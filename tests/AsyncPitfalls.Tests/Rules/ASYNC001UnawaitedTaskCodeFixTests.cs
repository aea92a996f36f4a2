using System.Threading.Tasks;
using AsyncPitfalls.CodeFixes;
using Microsoft.CodeAnalysis.Testing;
using Verify = AsyncPitfalls.Tests.CSharpCodeFixVerifier<AsyncPitfalls.Analyzers.ASYNC001UnawaitedTaskAnalyzer, AsyncPitfalls.CodeFixes.ASYNC001UnawaitedTaskCodeFix>;

namespace AsyncPitfalls.Tests;

public class ASYNC001UnawaitedTaskCodeFixTests
{
    private const string Await = ASYNC001UnawaitedTaskCodeFix.AwaitKey;
    private const string Discard = ASYNC001UnawaitedTaskCodeFix.DiscardKey;

    private const string Api = """

        class Api
        {
            public static Task SendAsync() => Task.CompletedTask;
            public static Task SaveAsync(int i) => Task.CompletedTask;
            public Task DoAsync() => Task.CompletedTask;
        }
        """;

    private static Task FixAsync(string source, string fixedSource, string key, CompilerDiagnostics compilerDiagnostics = CompilerDiagnostics.Warnings)
    {
        var test = new Verify.Test
        {
            TestCode = source + Api,
            FixedCode = fixedSource + Api,
            CodeActionEquivalenceKey = key,
            CompilerDiagnostics = compilerDiagnostics,
        };
        return test.RunAsync();
    }

    /// <summary>The action with <paramref name="key"/> is not offered: the code stays as it is.</summary>
    private static Task NotOfferedAsync(string source, string key)
        => FixAsync(source, source, key);

    [Fact]
    public Task Fix_AwaitMakesVoidMethodAsyncTask() => FixAsync("""
        using System.Threading.Tasks;
        class C
        {
            private void M()
            {
                [|Api.SendAsync()|];
            }
        }
        """, """
        using System.Threading.Tasks;
        class C
        {
            private async Task M()
            {
                await Api.SendAsync();
            }
        }
        """, Await);

    [Fact]
    public Task Fix_AwaitMakesStaticVoidMainAsyncTask() => FixAsync("""
        using System.Threading.Tasks;
        class Program
        {
            static void Main()
            {
                [|Task.Delay(10)|];
            }
        }
        """, """
        using System.Threading.Tasks;
        class Program
        {
            static async Task Main()
            {
                await Task.Delay(10);
            }
        }
        """, Await);

    [Fact]
    public Task Fix_AwaitMakesIntMainReturnTaskOfInt() => FixAsync("""
        using System.Threading.Tasks;
        class Program
        {
            static int Main(string[] args)
            {
                [|Task.Delay(10)|];
                return 0;
            }
        }
        """, """
        using System.Threading.Tasks;
        class Program
        {
            static async Task<int> Main(string[] args)
            {
                await Task.Delay(10);
                return 0;
            }
        }
        """, Await);

    [Fact]
    public Task Fix_AwaitInsertedForCompilerWarningInAsyncMethod() => FixAsync("""
        using System.Threading.Tasks;
        class C
        {
            async Task M()
            {
                {|CS4014:Api.SendAsync()|};
                await Task.Yield();
            }
        }
        """, """
        using System.Threading.Tasks;
        class C
        {
            async Task M()
            {
                await Api.SendAsync();
                await Task.Yield();
            }
        }
        """, Await);

    [Fact]
    public Task Fix_AwaitMakesLocalFunctionAsync() => FixAsync("""
        using System.Threading.Tasks;
        class C
        {
            Task M()
            {
                return Task.Run(() => { });
                void Unused() { [|Api.SendAsync()|]; }
            }
        }
        """, """
        using System.Threading.Tasks;
        class C
        {
            Task M()
            {
                return Task.Run(() => { });
                async Task Unused() { await Api.SendAsync(); }
            }
        }
        """, Await, CompilerDiagnostics.Errors);

    [Fact]
    public Task Fix_AwaitExpressionBodiedMember() => FixAsync("""
        using System.Threading.Tasks;
        class C
        {
            void M() => [|Api.SendAsync()|];
        }
        """, """
        using System.Threading.Tasks;
        class C
        {
            async Task M() => await Api.SendAsync();
        }
        """, Await);

    [Fact]
    public Task Fix_DiscardExplicitly() => FixAsync("""
        using System.Collections.Generic;
        using System.Threading.Tasks;
        class C
        {
            void M(List<int> items, Api? api)
            {
                [|Task.Run(() => { })|]; // fire and forget
                items.ForEach(i => [|Api.SaveAsync(i)|]);
                [|api?.DoAsync()|];
            }
        }
        """, """
        using System.Collections.Generic;
        using System.Threading.Tasks;
        class C
        {
            void M(List<int> items, Api? api)
            {
                _ = Task.Run(() => { }); // fire and forget
                items.ForEach(i => _ = Api.SaveAsync(i));
                _ = api?.DoAsync();
            }
        }
        """, Discard, CompilerDiagnostics.Errors);

    [Fact]
    public Task NoAwaitFix_Override() => NotOfferedAsync("""
        using System.Threading.Tasks;
        abstract class Base { public abstract void Run(); }
        class C : Base
        {
            public override void Run() { [|Api.SendAsync()|]; }
        }
        """, Await);

    [Fact]
    public Task NoAwaitFix_InterfaceImplementationAndEventHandler() => NotOfferedAsync("""
        using System;
        using System.Threading.Tasks;
        interface IRunner { void Run(); }
        class C : IRunner
        {
            public void Run() { [|Api.SendAsync()|]; }
            void OnClick(object sender, EventArgs e) { [|Api.SendAsync()|]; }
        }
        """, Await);

    [Fact]
    public Task NoAwaitFix_VoidLambdaLockAndConditional() => NotOfferedAsync("""
        using System;
        using System.Threading.Tasks;
        class C
        {
            private readonly object _gate = new();
            async Task M(Api api)
            {
                Action a = () => [|Api.SendAsync()|];
                lock (_gate) { [|Api.SendAsync()|]; }
                [|api?.DoAsync()|];
                await Task.Yield();
            }
        }
        """, Await);

    [Fact]
    public Task NoAwaitFix_MethodWithCallers() => NotOfferedAsync("""
        using System.Threading.Tasks;
        class C
        {
            void Start() { [|Api.SendAsync()|]; }
            void Caller() { Start(); }
            int Count() { [|Api.SendAsync()|]; return 1; }
            int Use() => Count();
        }
        """, Await);

    [Fact]
    public Task NoDiscardFix_WhenUnderscoreIsAVariable() => NotOfferedAsync("""
        using System.Threading.Tasks;
        class C
        {
            void M(int _) { [|Api.SendAsync()|]; }
        }
        """, Discard);

    [Fact]
    public Task Fix_AwaitAll_InDocument_MakesMethodAsyncOnce() => FixAsync("""
        using System.Threading.Tasks;
        class C
        {
            void M()
            {
                [|Api.SendAsync()|];
                [|Task.Delay(1)|];
            }
            void N() { [|Api.SendAsync()|]; }
        }
        """, """
        using System.Threading.Tasks;
        class C
        {
            async Task M()
            {
                await Api.SendAsync();
                await Task.Delay(1);
            }
            async Task N() { await Api.SendAsync(); }
        }
        """, Await);

    [Theory]
    [InlineData(Await, "async Task M() { await Api.SendAsync(); }", "async Task N() { await Task.Delay(1); }")]
    [InlineData(Discard, "void M() { _ = Api.SendAsync(); }", "void N() { _ = Task.Delay(1); }")]
    public async Task Fix_AllAcrossDocuments(string key, string fixedM, string fixedN)
    {
        var test = new Verify.Test
        {
            CodeActionEquivalenceKey = key,
            CompilerDiagnostics = CompilerDiagnostics.Warnings,
        };
        test.TestState.Sources.Add("""
            using System.Threading.Tasks;
            class A
            {
                void M() { [|Api.SendAsync()|]; }
            }
            """ + Api);
        test.TestState.Sources.Add("""
            using System.Threading.Tasks;
            class B
            {
                void N() { [|Task.Delay(1)|]; }
            }
            """);
        test.FixedState.Sources.Add($$"""
            using System.Threading.Tasks;
            class A
            {
                {{fixedM}}
            }
            """ + Api);
        test.FixedState.Sources.Add($$"""
            using System.Threading.Tasks;
            class B
            {
                {{fixedN}}
            }
            """);
        await test.RunAsync();
    }
}
