using System.Threading.Tasks;
using Verify = AsyncPitfalls.Tests.CSharpCodeFixVerifier<AsyncPitfalls.Analyzers.ASYNC003ASYNC008AsyncVoidAnalyzer, AsyncPitfalls.CodeFixes.ASYNC003AsyncVoidCodeFix>;

namespace AsyncPitfalls.Tests;

/// <summary>ASYNC003's fix: "Return Task instead of void" on methods and local functions, with their call sites.</summary>
public class ASYNC003AsyncVoidCodeFixTests
{
    [Fact]
    public Task Fix_ReturnTaskInsteadOfVoid_Method() => Verify.VerifyCodeFixAsync("""
        using System.Threading.Tasks;
        class C
        {
            private async void {|ASYNC003:FireAsync|}()
            {
                await Task.Delay(1);
            }
        }
        """, """
        using System.Threading.Tasks;
        class C
        {
            private async Task FireAsync()
            {
                await Task.Delay(1);
            }
        }
        """);

    [Theory]
    [InlineData("var task = new Task({|ASYNC003:async|} () => await Task.Delay(1));\n        task.Start();\n        await task;", "var task = Task.Run(async () => await Task.Delay(1));\n        await task;")]
    [InlineData("var task = new Task({|ASYNC003:async|} () => await Task.Delay(1, token), token);\n        task.Start();\n        await task;", "var task = Task.Run(async () => await Task.Delay(1, token), token);\n        await task;")]
    public Task Fix_ATaskConstructedAndStartedAtOnce_BecomesTaskRun(string body, string fixedBody) => Verify.VerifyCodeFixAsync(InAsyncMethod(body), InAsyncMethod(fixedBody));

    [Theory]
    [InlineData("var task = new Task({|ASYNC003:async|} () => await Task.Delay(1));\n        System.Console.WriteLine(task.Id);\n        task.Start();\n        await task;")]
    [InlineData("var task = new Task({|ASYNC003:async|} () => await Task.Delay(1), TaskCreationOptions.LongRunning);\n        task.Start();\n        await task;")]
    public Task NoTaskRunFix_WhenTheStartIsNotRightAfterOrOptionsAreGiven(string body) => Verify.VerifyCodeFixAsync(InAsyncMethod(body), InAsyncMethod(body));

    private static string InAsyncMethod(string body) => $$"""
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            async Task M(CancellationToken token)
            {
                {{body}}
            }
        }
        """;

    [Fact]
    public Task Fix_ReturnTaskInsteadOfVoid_LocalFunction() => Verify.VerifyCodeFixAsync("""
        using System.Threading.Tasks;
        class C
        {
            void M()
            {
                async void {|ASYNC003:Local|}() => await Task.Delay(1);
            }
        }
        """, """
        using System.Threading.Tasks;
        class C
        {
            void M()
            {
                async Task Local() => await Task.Delay(1);
            }
        }
        """);

    [Fact]
    public Task NoFix_MethodGroupUse() => Verify.VerifyCodeFixAsync("""
        using System;
        using System.Threading.Tasks;
        class C
        {
            async void {|ASYNC003:Fire|}() { await Task.Delay(1); }
            void M()
            {
                Action a = Fire;
            }
        }
        """, """
        using System;
        using System.Threading.Tasks;
        class C
        {
            async void {|ASYNC003:Fire|}() { await Task.Delay(1); }
            void M()
            {
                Action a = Fire;
            }
        }
        """);

    [Fact]
    public Task NoFix_Lambda() => Verify.VerifyCodeFixAsync("""
        using System;
        using System.Threading.Tasks;
        class C
        {
            void M()
            {
                Action b = {|ASYNC003:async|} () => await Task.Delay(1);
            }
        }
        """, """
        using System;
        using System.Threading.Tasks;
        class C
        {
            void M()
            {
                Action b = {|ASYNC003:async|} () => await Task.Delay(1);
            }
        }
        """);

    [Fact]
    public async Task Fix_AllInDocumentAndAcrossDocuments_UpdatesTheCallSites()
    {
        var test = new Verify.Test();
        test.TestState.Sources.Add("""
            using System.Threading.Tasks;
            class A
            {
                async void {|ASYNC003:X|}() => await Task.Yield();
                async void {|ASYNC003:Y|}() => await Task.Yield();
            }
            """);
        test.TestState.Sources.Add("""
            using System.Threading.Tasks;
            class B
            {
                async void {|ASYNC003:Z|}() => await Task.Yield();
                void Caller() { Z(); }
                async Task AsyncCaller() { Z(); await Task.Yield(); }
            }
            """);
        test.FixedState.Sources.Add("""
            using System.Threading.Tasks;
            class A
            {
                async Task X() => await Task.Yield();
                async Task Y() => await Task.Yield();
            }
            """);
        test.FixedState.Sources.Add("""
            using System.Threading.Tasks;
            class B
            {
                async Task Z() => await Task.Yield();
                void Caller() { _ = Z(); }
                async Task AsyncCaller() { _ = Z(); await Task.Yield(); }
            }
            """);
        await test.RunAsync();
    }
}
