using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Verify = AsyncPitfalls.Tests.CSharpCodeFixVerifier<AsyncPitfalls.Analyzers.ASYNC001UnawaitedTaskAnalyzer, AsyncPitfalls.CodeFixes.ASYNC001UnawaitedTaskCodeFix>;

namespace AsyncPitfalls.Tests;

public class ASYNC001UnawaitedTaskTests
{
    private const string Helpers = """

        class Api
        {
            public static System.Threading.Tasks.Task SaveAsync(int i = 0) => System.Threading.Tasks.Task.CompletedTask;
            public static System.Threading.Tasks.Task SendAsync() => System.Threading.Tasks.Task.CompletedTask;
            public static System.Threading.Tasks.Task<int> CountAsync() => System.Threading.Tasks.Task.FromResult(1);
            public static System.Threading.Tasks.ValueTask PingAsync() => default;
            public static System.Threading.Tasks.ValueTask<int> ReadAsync() => default;
            public System.Threading.Tasks.Task DoAsync() => System.Threading.Tasks.Task.CompletedTask;
        }
        """;

    private static Task VerifyAsync(string source) => Verify.VerifyAnalyzerAsync(source + Helpers);

    private static Task VerifyWithCompilerAsync(string source)
    {
        var test = new Verify.Test
        {
            TestCode = source + Helpers,
            CompilerDiagnostics = CompilerDiagnostics.Warnings,
        };
        return test.RunAsync();
    }

    // ---- Positives: every place CS4014 is silent ----

    [Fact]
    public Task Reports_FrameworkTaskInSyncMethod() => VerifyAsync("""
        using System.IO;
        using System.Threading.Tasks;
        class C
        {
            void M(string p, string s) { [|File.WriteAllTextAsync(p, s)|]; }
        }
        """);

    [Theory]
    [InlineData("[|Task.Run(() => { })|];")]
    [InlineData("[|Task.Delay(100)|];")]
    public Task Reports_FrameworkStaticTaskInSyncMethod(string statement) => VerifyAsync($$"""
        using System.Threading.Tasks;
        class C
        {
            void M()
            {
                {{statement}}
            }
        }
        """);

    [Fact]
    public Task Reports_StreamFlushAsyncInSyncMethod() => VerifyAsync("""
        using System.IO;
        using System.Threading.Tasks;
        class C
        {
            void M(Stream stream) { [|stream.FlushAsync()|]; }
        }
        """);

    [Fact]
    public Task Reports_ConditionalCallEvenInAsyncMethod() => VerifyWithCompilerAsync("""
        using System.Threading.Tasks;
        class C
        {
            async Task M(Api foo)
            {
                [|foo?.DoAsync()|];
                await Task.Yield();
            }
        }
        """);

    [Theory]
    [InlineData("items.ForEach(i => [|Api.SaveAsync(i)|]);")]
    [InlineData("Parallel.ForEach(items, i => [|Api.SaveAsync(i)|]);")]
    [InlineData("using var timer = new Timer(_ => [|Api.SendAsync()|], null, 0, 1000);")]
    [InlineData("Action a = () => [|Api.SendAsync()|];")]
    [InlineData("Action b = delegate { [|Api.SendAsync()|]; };")]
    public Task Reports_LambdaConvertedToAVoidDelegate(string statement) => VerifyWithCompilerAsync($$"""
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            void M(List<int> items)
            {
                {{statement}}
            }
        }
        """);

    [Fact]
    public Task Reports_ExpressionBodiedVoidMember() => VerifyWithCompilerAsync("""
        using System.Threading.Tasks;
        class C
        {
            void M() => [|Api.SendAsync()|];
        }
        """);

    [Fact]
    public Task Reports_LocalFunctionInSyncCode() => VerifyWithCompilerAsync("""
        using System.Threading.Tasks;
        class C
        {
            void M()
            {
                Local();
                void Local() { [|Api.SendAsync()|]; }
            }
        }
        """);

    [Theory]
    [InlineData("[|Api.CountAsync()|];")]
    [InlineData("[|Api.PingAsync()|];")]
    [InlineData("[|Api.ReadAsync()|];")]
    public Task Reports_EveryTaskKind(string statement) => VerifyAsync($$"""
        using System.Threading.Tasks;
        class C
        {
            void M()
            {
                {{statement}}
            }
        }
        """);

    [Theory]
    [InlineData("[|Job.Start()|];")]
    [InlineData("[|Op.Begin()|];")]
    public Task Reports_CustomAwaitableWithInstanceOrExtensionGetAwaiter(string statement) => VerifyAsync($$"""
        using System;
        using System.Runtime.CompilerServices;
        class Job
        {
            public JobAwaiter GetAwaiter() => new JobAwaiter();
            public static Job Start() => new Job();
        }
        class Op { public static Op Begin() => new Op(); }
        static class OpExtensions { public static JobAwaiter GetAwaiter(this Op op) => new JobAwaiter(); }
        struct JobAwaiter : INotifyCompletion
        {
            public bool IsCompleted => true;
            public void GetResult() { }
            public void OnCompleted(Action continuation) => continuation();
        }
        class C
        {
            void M()
            {
                {{statement}}
            }
        }
        """);

    [Theory]
    [InlineData("[|Api.SendAsync().ConfigureAwait(false)|];")]
    [InlineData("[|Api.SendAsync().WaitAsync(TimeSpan.FromSeconds(1))|];")]
    public Task Reports_TaskDroppedBehindAWrapper(string statement) => VerifyAsync($$"""
        using System;
        using System.Threading.Tasks;
        class C
        {
            void M()
            {
                {{statement}}
            }
        }
        """);

    [Fact]
    public Task Reports_WhereAwaitIsIllegalInAsyncMethod() => VerifyWithCompilerAsync("""
        using System.Threading.Tasks;
        class C
        {
            private readonly object _gate = new();
            async Task M()
            {
                lock (_gate) { [|Api.SendAsync()|]; }
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Reports_SyncLambdaInsideAsyncMethod() => VerifyWithCompilerAsync("""
        using System;
        using System.Threading.Tasks;
        class C
        {
            async Task M()
            {
                Action a = () => { [|Api.SendAsync()|]; };
                a();
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Reports_DelegateInvocation() => VerifyAsync("""
        using System;
        using System.Threading.Tasks;
        class C
        {
            void M(Func<Task> work) { [|work()|]; }
        }
        """);

    [Fact]
    public async Task Reports_MessageNamesTheCalledMember()
    {
        var expected = Verify.Diagnostic().WithLocation(0).WithArguments("Task.Delay");
        var expectedInstance = Verify.Diagnostic().WithLocation(1).WithArguments("DoAsync");
        var expectedWrapped = Verify.Diagnostic().WithLocation(2).WithArguments("Api.SendAsync");
        await Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            class C
            {
                void M(Api api)
                {
                    {|#0:Task.Delay(1)|};
                    {|#1:api.DoAsync()|};
                    {|#2:Api.SendAsync().ConfigureAwait(false)|};
                }
            }
            """ + Helpers, expected, expectedInstance, expectedWrapped);
    }

    [Fact]
    public async Task Reports_MessageNamesTheDelegate()
    {
        await Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Threading.Tasks;
            class C
            {
                void M(Func<Task> refresh) { {|#0:refresh()|}; }
            }
            """ + Helpers, Verify.Diagnostic().WithLocation(0).WithArguments("refresh"));
    }

    [Fact]
    public Task Reports_FlagsThatDoNotSayFireAndForget() => VerifyAsync("""
        using System.Threading.Tasks;
        enum CommandFlags { None = 0, FireAndForget = 2, DemandMaster = 4 }
        class Db { public Task SetAsync(string key, CommandFlags flags = CommandFlags.None) => Task.CompletedTask; }
        class C
        {
            void M(Db db) { [|db.SetAsync("k", CommandFlags.DemandMaster)|]; }
        }
        """);

    // ---- Negatives ----

    [Fact]
    public Task NoDiagnostic_ExplicitDiscard() => VerifyAsync("""
        using System.Threading.Tasks;
        class C
        {
            void M() { _ = Api.SendAsync(); }
        }
        """);

    [Theory]
    [InlineData("await Api.SendAsync();")]
    [InlineData("var t = Api.SendAsync(); await t;")]
    [InlineData("_pending = Api.SendAsync();")]
    [InlineData("all.Add(Api.SendAsync());")]
    [InlineData("await Task.WhenAll(Api.SendAsync(), Api.SendAsync());")]
    public Task NoDiagnostic_TaskIsAwaitedStoredOrPassed(string statement) => VerifyAsync($$"""
        using System.Collections.Generic;
        using System.Threading.Tasks;
        class C
        {
            private Task? _pending;
            async Task M(List<Task> all)
            {
                {{statement}}
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_TaskIsReturned() => VerifyAsync("""
        using System.Threading.Tasks;
        class C
        {
            Task O() { return Api.SendAsync(); }
        }
        """);

    [Fact]
    public Task NoDiagnostic_ExpressionBodiedTaskMember() => VerifyAsync("""
        using System.Threading.Tasks;
        class C
        {
            Task N() => Api.SendAsync();
        }
        """);

    [Fact]
    public Task NoDiagnostic_DroppedContinueWith() => VerifyAsync("""
        using System.Threading.Tasks;
        class C
        {
            void M() { Api.SendAsync().ContinueWith(t => System.Console.WriteLine(t.Exception), TaskContinuationOptions.OnlyOnFaulted); }
        }
        """);

    [Fact]
    public Task NoDiagnostic_ObserverExtensionHelper() => VerifyAsync("""
        using System.Threading.Tasks;
        static class TaskExtensions
        {
            public static Task ObserveErrors(this Task task) => task;
            public static Task LogExceptions<T>(this Task<T> task) => task.ContinueWith(t => t.Exception);
        }
        class C
        {
            void M()
            {
                Api.SendAsync().ObserveErrors();
                Api.CountAsync().LogExceptions();
            }
        }
        """);

    [Theory]
    [InlineData("store.Received().SaveAsync(1);")]
    [InlineData("store.Received(2).SaveAsync(1);")]
    [InlineData("store.DidNotReceive().SaveAsync(2);")]
    [InlineData("store.ReceivedWithAnyArgs().SaveAsync(default);")]
    public Task NoDiagnostic_NSubstituteVerification(string statement) => VerifyAsync($$"""
        using System.Threading.Tasks;
        using NSubstitute;
        namespace NSubstitute
        {
            public static class SubstituteExtensions
            {
                public static T Received<T>(this T substitute) => substitute;
                public static T Received<T>(this T substitute, int count) => substitute;
                public static T DidNotReceive<T>(this T substitute) => substitute;
                public static T ReceivedWithAnyArgs<T>(this T substitute) => substitute;
            }
        }
        public interface IStore { Task SaveAsync(int i); }
        class C
        {
            void M(IStore store)
            {
                {{statement}}
            }
        }
        """);

    [Fact]
    public Task Reports_LookalikeReceivedOutsideNSubstitute() => VerifyAsync("""
        using System.Threading.Tasks;
        static class Mine { public static T Received<T>(this T substitute) => substitute; }
        public interface IStore { Task SaveAsync(int i); }
        class C
        {
            void M(IStore store) { [|store.Received().SaveAsync(1)|]; }
        }
        """);

    [Fact]
    public async Task NoDiagnostic_ExcludedMethodsOption()
    {
        var test = new Verify.Test
        {
            TestCode = """
                using System.Threading.Tasks;
                namespace Messaging
                {
                    class Bus { public Task PublishAsync() => Task.CompletedTask; public Task SendAsync() => Task.CompletedTask; public Task FlushAsync() => Task.CompletedTask; }
                    class C
                    {
                        void M(Bus bus)
                        {
                            bus.PublishAsync();
                            bus.FlushAsync();
                            Task.Delay(1);
                            [|bus.SendAsync()|];
                        }
                    }
                }
                """,
        };
        test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", TestDefaults.GlobalConfig("ASYNC001.excluded_methods = Bus.PublishAsync, Messaging.Bus.FlushAsync, M:System.Threading.Tasks.Task.Delay")));
        await test.RunAsync();
    }

    [Fact]
    public Task NoDiagnostic_ExpressionTree() => VerifyAsync("""
        using System;
        using System.Linq.Expressions;
        using System.Threading.Tasks;
        class C
        {
            void M() { Expression<Action> e = () => Api.SendAsync(); }
        }
        """);

    [Theory]
    [InlineData("list.Remove(1);")]
    [InlineData("sb.Append(\"x\");")]
    [InlineData("NotAwaitable.Make();")]
    [InlineData("d.SaveAsync();")]
    [InlineData("Console.WriteLine();")]
    public Task NoDiagnostic_NonAwaitableResult(string statement) => VerifyAsync($$"""
        using System;
        using System.Collections.Generic;
        using System.Text;
        class NotAwaitable { public int GetAwaiter() => 0; public static NotAwaitable Make() => new(); }
        class C
        {
            void M(List<int> list, StringBuilder sb, dynamic d)
            {
                {{statement}}
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_WhereCompilerAlreadyWarns() => VerifyWithCompilerAsync("""
        using System.Threading.Tasks;
        class C
        {
            async Task M()
            {
                {|CS4014:Api.SendAsync()|};
                {|CS4014:Api.SendAsync().ConfigureAwait(false)|};
                await Task.Yield();
            }
            void N() { {|CS4014:DeclaredAsync()|}; }
            async Task DeclaredAsync() => await Task.Yield();
            async Task Lambda()
            {
                System.Func<Task> f = async () => { {|CS4014:Api.SendAsync()|}; await Task.Yield(); };
                await f();
            }
        }
        """);

    [Theory]
    [InlineData("db.SetAsync(\"k\", CommandFlags.FireAndForget);")]
    [InlineData("db.SetAsync(\"k\", flags: CommandFlags.FireAndForget | CommandFlags.DemandMaster);")]
    public Task NoDiagnostic_FireAndForgetFlagInTheCall(string statement) => VerifyAsync($$"""
        using System;
        using System.Threading.Tasks;
        [Flags] enum CommandFlags { None = 0, FireAndForget = 2, DemandMaster = 4 }
        class Db { public Task SetAsync(string key, CommandFlags flags = CommandFlags.None) => Task.CompletedTask; }
        class C
        {
            void M(Db db) { {{statement}} }
        }
        """);

    [Theory]
    [InlineData("public void OnCompleted(Action continuation) => Task.Run(continuation);")]
    [InlineData("public void OnCompleted(Action continuation) { Task.Factory.StartNew(continuation); }")]
    public Task NoDiagnostic_AwaiterSchedulesItsContinuation(string member) => VerifyAsync($$"""
        using System;
        using System.Runtime.CompilerServices;
        using System.Threading.Tasks;
        struct YieldAwaiter : ICriticalNotifyCompletion
        {
            public bool IsCompleted => false;
            public void GetResult() { }
            {{member}}
            public void UnsafeOnCompleted(Action continuation) => Task.Run(continuation);
        }
        """);

    // ---- Known misses: each exclusion on the rule page that gives up a true report ----

    [Fact]
    public Task NoDiagnostic_ContinueWithThatIgnoresTheAntecedent_FalseNegative() => VerifyAsync("""
        using System.Threading.Tasks;
        class C
        {
            void M() { Api.SendAsync().ContinueWith(_ => System.Console.WriteLine("sent")); }
        }
        """);

    [Fact]
    public Task NoDiagnostic_ExtensionThatReturnsTheTaskUnobserved_FalseNegative() => VerifyAsync("""
        using System.Threading.Tasks;
        static class TaskExtensions { public static Task Tagged(this Task task, string tag) => task; }
        class C
        {
            void M() { Api.SendAsync().Tagged("send"); }
        }
        """);

    [Fact]
    public Task NoDiagnostic_GeneratedCode() => VerifyAsync("""
        // <auto-generated/>
        using System.Threading.Tasks;
        class C
        {
            void M() { Task.Delay(1); }
        }
        """);
}
