using System.Threading.Tasks;
using AsyncPitfalls.CodeFixes;
using Microsoft.CodeAnalysis.Testing;
using Verify = AsyncPitfalls.Tests.CSharpCodeFixVerifier<AsyncPitfalls.Analyzers.ASYNC001ASYNC007DroppedTaskAnalyzer, AsyncPitfalls.CodeFixes.ASYNC001UnawaitedTaskCodeFix>;

namespace AsyncPitfalls.Tests;

public class ASYNC001UnawaitedTaskCodeFixTests
{
    private const string Await = ASYNC001UnawaitedTaskCodeFix.AwaitKey;
    private const string Discard = ASYNC001UnawaitedTaskCodeFix.DiscardKey;
    private const string LoopKey = ASYNC001UnawaitedTaskCodeFix.LoopKey;

    private const string Api = """

        class Api
        {
            public static Task SendAsync() => Task.Delay(1);
            public static Task SaveAsync(int i) => Task.Delay(i);
            public Task DoAsync() => Task.Delay(1);
        }
        """;

    private static Task FixAsync(string source, string fixedSource, string key, CompilerDiagnostics compilerDiagnostics = CompilerDiagnostics.Warnings, string? batchFixed = null)
    {
        var test = new Verify.Test
        {
            TestCode = source + Api,
            FixedCode = fixedSource + Api,
            CodeActionEquivalenceKey = key,
            CompilerDiagnostics = compilerDiagnostics,
        };

        // Fix All (and so dotnet format) applies only what is safe without review: for an action it never applies,
        // each diagnostic gets its first safe action instead, or none.
        if (batchFixed is not null)
        {
            test.BatchFixedCode = batchFixed + Api;
            test.BatchFixedState.MarkupHandling = MarkupMode.Allow;
        }

        return test.RunAsync();
    }

    /// <summary>The action with <paramref name="key"/> is not offered: the code stays as it is.</summary>
    private static Task NotOfferedAsync(string source, string key)
        => FixAsync(source, source, key);

    [Fact]
    public Task Fix_AwaitOfATaskOfATask_AwaitsTheUnwrappedWork() => FixAsync("""
        using System.Threading.Tasks;
        class C
        {
            private async Task M()
            {
                {|CS4014:Task.Factory.StartNew(async () => await Task.Delay(1))|};
                await Task.Yield();
            }
        }
        """, """
        using System.Threading.Tasks;
        class C
        {
            private async Task M()
            {
                await Task.Factory.StartNew(async () => await Task.Delay(1)).Unwrap();
                await Task.Yield();
            }
        }
        """, ASYNC001UnawaitedTaskCodeFix.AwaitKey);

    [Fact]
    public Task Fix_AwaitMakesVoidMethodAsyncTask() => FixAsync("""
        using System.Threading.Tasks;
        class C
        {
            private void M()
            {
                {|ASYNC001:Task.Delay(1)|};
            }
        }
        """, """
        using System.Threading.Tasks;
        class C
        {
            private async Task M()
            {
                await Task.Delay(1);
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
                {|ASYNC001:Task.Delay(10)|};
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
                {|ASYNC001:Task.Delay(10)|};
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
                void Unused() { {|ASYNC001:Task.Delay(1)|}; }
            }
        }
        """, """
        using System.Threading.Tasks;
        class C
        {
            Task M()
            {
                return Task.Run(() => { });
                async Task Unused() { await Task.Delay(1); }
            }
        }
        """, Await, CompilerDiagnostics.Errors);

    [Fact]
    public Task Fix_AwaitExpressionBodiedMember() => FixAsync("""
        using System.Threading.Tasks;
        class C
        {
            void M() => {|ASYNC001:Task.Delay(1)|};
        }
        """, """
        using System.Threading.Tasks;
        class C
        {
            async Task M() => await Task.Delay(1);
        }
        """, Await);

    [Fact]
    public Task Fix_DiscardExplicitly() => FixAsync("""
        using System.Threading.Tasks;
        class C
        {
            Task M(Api api)
            {
                {|ASYNC001:Api.SendAsync()|}; // fire and forget
                {|ASYNC001:api?.DoAsync()|};
                return Task.CompletedTask;
            }
        }
        """, """
        using System.Threading.Tasks;
        class C
        {
            Task M(Api api)
            {
                _ = Api.SendAsync(); // fire and forget
                _ = api?.DoAsync();
                return Task.CompletedTask;
            }
        }
        """, Discard, batchFixed: """
        using System.Threading.Tasks;
        class C
        {
            async Task M(Api api)
            {
                await Api.SendAsync(); // fire and forget
                {|ASYNC001:api?.DoAsync()|};
            }
        }
        """);

    [Fact]
    public Task Fix_AwaitMakesControllerActionAsync() => FixAsync("""
        using System.Threading.Tasks;
        namespace Microsoft.AspNetCore.Mvc { public abstract class ControllerBase { } }
        public class JobsController : Microsoft.AspNetCore.Mvc.ControllerBase
        {
            public int Stop(string id)
            {
                {|ASYNC001:Api.SendAsync()|};
                return 204;
            }
        }
        """, """
        using System.Threading.Tasks;
        namespace Microsoft.AspNetCore.Mvc { public abstract class ControllerBase { } }
        public class JobsController : Microsoft.AspNetCore.Mvc.ControllerBase
        {
            public async Task<int> Stop(string id)
            {
                await Api.SendAsync();
                return 204;
            }
        }
        """, Await, CompilerDiagnostics.Errors, batchFixed: """
        using System.Threading.Tasks;
        namespace Microsoft.AspNetCore.Mvc { public abstract class ControllerBase { } }
        public class JobsController : Microsoft.AspNetCore.Mvc.ControllerBase
        {
            public int Stop(string id)
            {
                {|ASYNC001:Api.SendAsync()|};
                return 204;
            }
        }
        """);

    [Fact]
    public Task Fix_AwaitKeepsTheSignatureOfATaskReturningMethod() => FixAsync("""
        using System.Threading.Tasks;
        abstract class Base { public abstract Task RunAsync(); }
        class C : Base
        {
            public override Task RunAsync() { {|ASYNC001:Api.SendAsync()|}; return Api.SaveAsync(1); }

            private Task<int> CountAsync(bool fast)
            {
                {|ASYNC001:Api.SendAsync()|};
                if (fast) return Task.FromResult(1);
                return Task.FromResult(2);
            }

            private Task StopAsync(bool fast)
            {
                {|ASYNC001:Api.SendAsync()|};
                if (fast)
                {
                    return Api.SaveAsync(1);
                }

                return Task.CompletedTask;
            }
        }
        """, """
        using System.Threading.Tasks;
        abstract class Base { public abstract Task RunAsync(); }
        class C : Base
        {
            public override async Task RunAsync() { await Api.SendAsync(); await Api.SaveAsync(1); }

            private async Task<int> CountAsync(bool fast)
            {
                await Api.SendAsync();
                if (fast) return await Task.FromResult(1);
                return await Task.FromResult(2);
            }

            private async Task StopAsync(bool fast)
            {
                await Api.SendAsync();
                if (fast)
                {
                    await Api.SaveAsync(1);
                    return;
                }
            }
        }
        """, Await);

    [Fact]
    public Task NoAwaitFix_TaskReturningMethodThatReturnsNull() => NotOfferedAsync("""
        using System.Threading.Tasks;
        class C
        {
            private Task StopAsync() { {|ASYNC001:Api.SendAsync()|}; return null; }
        }
        """, Await);

    [Fact]
    public Task NoDiscardFix_WaitOnly() => NotOfferedAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            void M(SemaphoreSlim gate, Task other)
            {
                {|ASYNC001:Task.Delay(1)|};
                {|ASYNC001:gate.WaitAsync()|};
                {|ASYNC001:Task.WhenAll(other)|};
            }
        }
        """, Discard);

    [Fact]
    public Task Fix_AsyncLoop_ListAndArrayForEach() => FixAsync("""
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;
        class C
        {
            private void M(List<int> items, int[] array)
            {
                items.ForEach(i => {|ASYNC001:Api.SaveAsync(i)|});
                Array.ForEach(array, (int i) =>
                {
                    var next = i + 1;
                    {|ASYNC001:Api.SaveAsync(next)|};
                });
            }
        }
        """, """
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;
        class C
        {
            private async Task M(List<int> items, int[] array)
            {
                foreach (var i in items)
                {
                    await Api.SaveAsync(i);
                }
                foreach (int i in array)
                {
                    var next = i + 1;
                    await Api.SaveAsync(next);
                }
            }
        }
        """, LoopKey);

    [Fact]
    public Task Fix_AsyncLoop_Parallel() => FixAsync("""
        using System.Collections.Generic;
        using System.Threading.Tasks;
        class C
        {
            private void M(List<int> items)
            {
                Parallel.ForEach(items, i => {|ASYNC001:Api.SaveAsync(i)|});
                Parallel.For(0, 10, i => { {|ASYNC001:Api.SaveAsync(i)|}; });
            }
        }
        """, """
        using System.Collections.Generic;
        using System.Threading.Tasks;
        class C
        {
            private async Task M(List<int> items)
            {
                await Parallel.ForEachAsync(items, async (i, cancellationToken) => await Api.SaveAsync(i));
                await Parallel.ForAsync(0, 10, async (i, cancellationToken) => { await Api.SaveAsync(i); });
            }
        }
        """, LoopKey);

    [Fact]
    public Task NoAsyncLoopFix_BodyReturnsEarlyOrMethodHasCallers() => NotOfferedAsync("""
        using System.Collections.Generic;
        using System.Threading.Tasks;
        class C
        {
            private void M(List<int> items)
            {
                items.ForEach(i =>
                {
                    if (i < 0) return;
                    {|ASYNC001:Api.SaveAsync(i)|};
                });
            }

            private void N(List<int> items) => items.ForEach(i => {|ASYNC001:Api.SaveAsync(i)|});
            private void Caller() => N(new List<int>());
        }
        """, LoopKey);

    [Fact]
    public Task Fix_Discard_InALoopBody_IsASingleActionThatFixAllNeverApplies() => FixAsync("""
        using System.Collections.Generic;
        using System.Threading.Tasks;
        class C
        {
            private void N(List<int> items) => items.ForEach(i => {|ASYNC001:Api.SaveAsync(i)|});
            private void Caller() => N(new List<int>());
        }
        """, """
        using System.Collections.Generic;
        using System.Threading.Tasks;
        class C
        {
            private void N(List<int> items) => items.ForEach(i => _ = Api.SaveAsync(i));
            private void Caller() => N(new List<int>());
        }
        """, Discard, batchFixed: """
        using System.Collections.Generic;
        using System.Threading.Tasks;
        class C
        {
            private void N(List<int> items) => items.ForEach(i => {|ASYNC001:Api.SaveAsync(i)|});
            private void Caller() => N(new List<int>());
        }
        """);

    [Fact]
    public Task NoAwaitFix_Override() => NotOfferedAsync("""
        using System.Threading.Tasks;
        abstract class Base { public abstract void Run(); }
        class C : Base
        {
            public override void Run() { {|ASYNC001:Task.Delay(1)|}; }
        }
        """, Await);

    [Fact]
    public Task NoAwaitFix_InterfaceImplementationAndEventHandler() => NotOfferedAsync("""
        using System;
        using System.Threading.Tasks;
        interface IRunner { void Run(); }
        class C : IRunner
        {
            public void Run() { {|ASYNC001:Task.Delay(1)|}; }
            void OnClick(object sender, EventArgs e) { {|ASYNC001:Task.Delay(1)|}; }
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
                Action a = () => {|ASYNC001:Task.Delay(1)|};
                lock (_gate) { {|ASYNC001:Task.Delay(1)|}; }
                {|ASYNC001:api?.DoAsync()|};
                await Task.Yield();
            }
        }
        """, Await);

    [Fact]
    public Task NoAwaitFix_MethodWithCallers() => NotOfferedAsync("""
        using System.Threading.Tasks;
        class C
        {
            void Start() { {|ASYNC001:Task.Delay(1)|}; }
            void Caller() { Start(); }
            int Count() { {|ASYNC001:Task.Delay(1)|}; return 1; }
            int Use() => Count();
        }
        """, Await);

    [Fact]
    public Task NoDiscardFix_WhenUnderscoreIsAVariable() => NotOfferedAsync("""
        using System.Threading.Tasks;
        class C
        {
            Task M(int _) { {|ASYNC001:Api.SendAsync()|}; return Task.CompletedTask; }
        }
        """, Discard);

    [Fact]
    public Task Fix_AwaitAll_InDocument_MakesMethodAsyncOnce() => FixAsync("""
        using System.Threading.Tasks;
        class C
        {
            void M()
            {
                {|ASYNC001:Task.Delay(1)|};
                {|ASYNC001:Task.Delay(1)|};
            }
            void N() { {|ASYNC001:Task.Delay(1)|}; }
        }
        """, """
        using System.Threading.Tasks;
        class C
        {
            async Task M()
            {
                await Task.Delay(1);
                await Task.Delay(1);
            }
            async Task N() { await Task.Delay(1); }
        }
        """, Await);

    [Theory]
    [InlineData(Await, "void M() { {|ASYNC001:Task.Delay(1)|}; }", "async Task M() { await Task.Delay(1); }")]
    [InlineData(Await, "private void M() { {|ASYNC001:Task.Delay(1)|}; {|ASYNC001:Task.Delay(2)|}; }", "private async Task M() { await Task.Delay(1); await Task.Delay(2); }")]
    public async Task Fix_AllAcrossDocuments(string key, string method, string fixedMethod)
    {
        var test = new Verify.Test
        {
            CodeActionEquivalenceKey = key,
            CompilerDiagnostics = CompilerDiagnostics.Warnings,
        };
        test.TestState.Sources.Add($$"""
            using System.Threading.Tasks;
            class A
            {
                {{method}}
            }
            """ + Api);
        test.TestState.Sources.Add($$"""
            using System.Threading.Tasks;
            class B
            {
                {{method}}
            }
            """);
        test.FixedState.Sources.Add($$"""
            using System.Threading.Tasks;
            class A
            {
                {{fixedMethod}}
            }
            """ + Api);
        test.FixedState.Sources.Add($$"""
            using System.Threading.Tasks;
            class B
            {
                {{fixedMethod}}
            }
            """);
        await test.RunAsync();
    }
}
