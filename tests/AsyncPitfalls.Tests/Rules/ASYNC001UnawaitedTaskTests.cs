using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Verify = AsyncPitfalls.Tests.CSharpAnalyzerVerifier<AsyncPitfalls.Analyzers.ASYNC001ASYNC007DroppedTaskAnalyzer>;

namespace AsyncPitfalls.Tests;

/// <summary>
/// ASYNC001 reports a dropped awaitable only with evidence of a forgotten await. A drop in synchronous code without
/// that evidence is ASYNC007's (see <see cref="ASYNC007FireAndForgetTests"/>), so the negatives here expect nothing
/// from either rule unless they say so.
/// </summary>
public class ASYNC001UnawaitedTaskTests
{
    /// <summary>Helpers whose tasks can fail (their bodies start real work), so ASYNC007 may speak where ASYNC001 does not.</summary>
    private const string Helpers = """

        class Api
        {
            public static System.Threading.Tasks.Task SaveAsync(int i = 0) => System.IO.File.WriteAllTextAsync("api.txt", i.ToString());
            public static System.Threading.Tasks.Task SendAsync() => System.IO.File.WriteAllTextAsync("api.txt", "sent");
            public static System.Threading.Tasks.Task<int> CountAsync() => System.Threading.Tasks.Task.Run(() => int.Parse("1"));
            public static System.Threading.Tasks.ValueTask PingAsync() => new(System.IO.File.WriteAllTextAsync("api.txt", "ping"));
            public static System.Threading.Tasks.ValueTask<int> ReadAsync() => new(System.Threading.Tasks.Task.Run(() => int.Parse("1")));
            public System.Threading.Tasks.Task DoAsync() => System.IO.File.WriteAllTextAsync("api.txt", "done");
        }
        """;

    private static Task VerifyAsync(string source, params DiagnosticResult[] expected) => Verify.VerifyAnalyzerAsync(source + Helpers, expected);

    private static Task VerifyWithCompilerAsync(string source)
    {
        var test = new Verify.Test
        {
            TestCode = source + Helpers,
            CompilerDiagnostics = CompilerDiagnostics.Warnings,
        };
        return test.RunAsync();
    }

    // Real code (jellyfin): a method of this compilation that returns a complete task on every path (a virtual one: every
    // override the compilation can have; a base call: that body). Dropping its task loses nothing: it has finished,
    // successfully, when the call returns, and a synchronous throw reaches the caller.
    [Theory]
    [InlineData("Store.Save(user);")]
    [InlineData("Store.Count(user);")]
    [InlineData("Store.Save(user).ConfigureAwait(false);")]
    [InlineData("new Child().Refresh(user);")]
    public Task NoDiagnostic_ACalleeThatReturnsACompleteTask(string statement) => VerifyAsync(Store + $$"""
        class C
        {
            Task M(string user)
            {
                {{statement}}
                return Task.Delay(1);
            }
        }
        """);

    [Theory]
    [InlineData("Store.SaveSometimesLater(user)", "Store.SaveSometimesLater")]
    [InlineData("new Store().Virtual(user)", "Virtual")]
    public Task Reports_ACalleeThatMayReturnARunningTask_OrIsVirtual(string call, string name) => VerifyAsync(Store + $$"""
        class C
        {
            Task M(string user)
            {
                {|#0:{{call}}|};
                return Task.Delay(1);
            }
        }
        """, Verify.Diagnostic("ASYNC001").WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithArguments(name, "the code after it runs before it completes, and its exceptions are lost"));

    private const string Store = """
        using System;
        using System.Threading.Tasks;
        class Store
        {
            public static string Last = "";
            public static Task Save(string user) { ArgumentNullException.ThrowIfNull(user); Last = user.Trim(); return Task.CompletedTask; }
            public static Task<int> Count(string user) => Task.FromResult(user.Length);
            public static Task SaveSometimesLater(string user) { if (user.Length > 3) { return Task.CompletedTask; } return Task.Delay(10); }
            public virtual Task Virtual(string user) => Task.CompletedTask;
            public virtual Task Refresh(string user) => Task.CompletedTask;
        }
        class Child : Store
        {
            public override Task Virtual(string user) => Task.Run(() => Console.WriteLine(user));
            public override Task Refresh(string user)
            {
                base.Refresh(user);
                return Task.CompletedTask;
            }
        }

        """;

    // ---- Evidence 1: an async function, where the compiler's CS4014 is silent ----

    [Fact]
    public Task Reports_ConditionalCallInAsyncMethod() => VerifyWithCompilerAsync("""
        using System.Threading.Tasks;
        class C
        {
            async Task M(Api foo)
            {
                {|ASYNC001:foo?.DoAsync()|};
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Reports_ConditionalCallInAsyncLambda() => VerifyWithCompilerAsync("""
        using System;
        using System.Threading.Tasks;
        class C
        {
            void M(Api foo)
            {
                Func<Task> f = async () => { {|ASYNC001:foo?.DoAsync()|}; await Task.Yield(); };
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_InALockOfAnAsyncMethod() => VerifyAsync("""
        using System.Threading.Tasks;
        class C
        {
            private readonly object _gate = new();
            async Task M()
            {
                lock (_gate) { {|ASYNC007:Api.SendAsync()|}; }
                await Task.Yield();
            }
        }
        """);

    // ---- Evidence 2: a function that returns a task, which could have awaited or returned this one ----

    [Theory]
    [InlineData("Task M() { {|ASYNC001:Api.SendAsync()|}; return Task.CompletedTask; }")]
    [InlineData("Task<int> M() { {|ASYNC001:Api.SendAsync()|}; return Task.FromResult(1); }")]
    [InlineData("ValueTask M() { {|ASYNC001:Api.SendAsync()|}; return default; }")]
    [InlineData("void M() { Func<Task> f = () => { {|ASYNC001:Api.SendAsync()|}; return Task.CompletedTask; }; }")]
    public Task Reports_InAFunctionThatReturnsATask(string member) => VerifyAsync($$"""
        using System;
        using System.Threading.Tasks;
        class C
        {
            {{member}}
        }
        """);

    [Fact]
    public Task NoDiagnostic_BackgroundStartInAFunctionThatReturnsATask() => VerifyAsync("""
        using System.Threading;
        using System.Threading.Tasks;
        class Worker
        {
            public Task StartAsync(CancellationToken ct) { {|ASYNC007:Task.Run(() => Loop(ct))|}; return Task.CompletedTask; }
            static void Loop(CancellationToken ct) { ct.ThrowIfCancellationRequested(); }
        }
        """);

    // ---- Evidence 3: ConfigureAwait as a statement ----

    [Theory]
    [InlineData("{|ASYNC001:Api.SendAsync().ConfigureAwait(false)|};")]
    [InlineData("{|ASYNC001:Api.CountAsync().ConfigureAwait(true)|};")]
    public Task Reports_ConfigureAwaitAsAStatement(string statement) => VerifyAsync($$"""
        using System.Threading.Tasks;
        class C
        {
            void M() { {{statement}} }
        }
        """);

    [Fact]
    public Task NoDiagnostic_ConfigureAwaitThatIsAwaited() => VerifyAsync("""
        using System.Threading.Tasks;
        class C
        {
            async Task M() { await Api.SendAsync().ConfigureAwait(false); }
        }
        """);

    // ---- Evidence 4: a synchronous lambda that is a loop body ----

    [Theory]
    [InlineData("items.ForEach(i => {|ASYNC001:Api.SaveAsync(i)|});")]
    [InlineData("Parallel.ForEach(items, i => {|ASYNC001:Api.SaveAsync(i)|});")]
    [InlineData("Parallel.For(0, 10, i => {|ASYNC001:Api.SaveAsync(i)|});")]
    [InlineData("Array.ForEach(array, i => {|ASYNC001:Api.SaveAsync(i)|});")]
    public Task Reports_LoopBody(string statement) => VerifyWithCompilerAsync($$"""
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;
        class C
        {
            void M(List<int> items, int[] array)
            {
                {{statement}}
            }
        }
        """);

    [Theory]
    [InlineData("Action a = () => {|ASYNC007:Api.SendAsync()|};")]
    [InlineData("items.Select(i => i + 1).ToList().ForEach(i => Console.WriteLine(i));")]
    public Task NoDiagnostic_LambdaThatIsNotALoopBody(string statement) => VerifyAsync($$"""
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;
        class C
        {
            void M(List<int> items)
            {
                {{statement}}
            }
        }
        """);

    // ---- Evidence 5: an operation whose only effect is to wait ----

    [Theory]
    [InlineData("{|ASYNC001:Task.Delay(100)|};")]
    [InlineData("{|ASYNC001:Task.WhenAll(t, u)|};")]
    [InlineData("{|ASYNC001:Task.WhenAny(t, u)|};")]
    [InlineData("{|ASYNC001:t.WaitAsync(TimeSpan.FromSeconds(1))|};")]
    [InlineData("{|ASYNC001:gate.WaitAsync()|};")]
    [InlineData("{|ASYNC001:reader.WaitToReadAsync()|};")]
    public Task Reports_WaitThatDoesNothingWhenDropped(string statement) => VerifyAsync($$"""
        using System;
        using System.Threading;
        using System.Threading.Channels;
        using System.Threading.Tasks;
        class C
        {
            void M(Task t, Task u, SemaphoreSlim gate, ChannelReader<int> reader)
            {
                {{statement}}
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_DelayThatIsAwaited() => VerifyAsync("""
        using System.Threading.Tasks;
        class C
        {
            async Task M() { await Task.Delay(100); }
        }
        """);

    // ---- Evidence 6: a method that only a framework calls ----

    private const string AspNetStubs = """

        namespace Microsoft.AspNetCore.Mvc
        {
            public abstract class ControllerBase { }
            public sealed class ApiControllerAttribute : System.Attribute { }
            public sealed class NonActionAttribute : System.Attribute { }
        }
        namespace Microsoft.AspNetCore.SignalR
        {
            public abstract class Hub { }
        }
        namespace Microsoft.AspNetCore.Builder
        {
            public interface IEndpointRouteBuilder { }
            public static class EndpointRouteBuilderExtensions
            {
                public static object MapDelete(this IEndpointRouteBuilder app, string pattern, System.Delegate handler) => handler;
            }
        }
        interface IHandle { void Handle(string message); }
        """;

    [Theory]
    [InlineData("public class JobsController : Microsoft.AspNetCore.Mvc.ControllerBase { public int Stop(string id) { {|ASYNC001:Api.SendAsync()|}; return 204; } }")]
    [InlineData("[Microsoft.AspNetCore.Mvc.ApiController] public class JobsApi { public int Stop(string id) { {|ASYNC001:Api.SendAsync()|}; return 204; } }")]
    [InlineData("public class ChatHub : Microsoft.AspNetCore.SignalR.Hub { public void Send(string text) { {|ASYNC001:Api.SendAsync()|}; } }")]
    [InlineData("using Microsoft.AspNetCore.Builder; public static class Endpoints { public static void Map(IEndpointRouteBuilder app) => app.MapDelete(\"/jobs\", () => { {|ASYNC001:Api.SendAsync()|}; return 204; }); }")]
    public Task Reports_InAMethodOnlyAFrameworkCalls(string type) => VerifyAsync(type + AspNetStubs);

    [Theory]
    [InlineData("public class JobsController : Microsoft.AspNetCore.Mvc.ControllerBase { [Microsoft.AspNetCore.Mvc.NonAction] public void Stop() { {|ASYNC007:Api.SendAsync()|}; } }")]
    [InlineData("public class JobsController : Microsoft.AspNetCore.Mvc.ControllerBase { private void Stop() { {|ASYNC007:Api.SendAsync()|}; } }")]
    [InlineData("public class JobsController : Microsoft.AspNetCore.Mvc.ControllerBase, IHandle { public void Handle(string message) { {|ASYNC007:Api.SendAsync()|}; } }")]
    [InlineData("public class JobsController : Microsoft.AspNetCore.Mvc.ControllerBase { public int Shutdown() { {|ASYNC007:Task.Run(() => System.Environment.Exit(0))|}; return 202; } }")]
    [InlineData("public class Plain { public int Stop(string id) { {|ASYNC007:Api.SendAsync()|}; return 204; } }")]
    public Task NoDiagnostic_WhereTheFrameworkDoesNotCallIt(string type) => VerifyAsync("using System.Threading.Tasks;\n" + type + AspNetStubs);

    // ---- Messages and kinds ----

    [Fact]
    public async Task Reports_MessageNamesTheCalledMemberAndWhatIsLost()
    {
        await Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            class C
            {
                Task M(Api api)
                {
                    {|#0:Task.Delay(1)|};
                    {|#1:api.DoAsync()|};
                    {|#2:Api.SendAsync().ConfigureAwait(false)|};
                    return Task.CompletedTask;
                }
            }
            """ + Helpers,
            Verify.Diagnostic("ASYNC001").WithLocation(0).WithArguments("Task.Delay", "the wait never happens, since only an await makes it wait"),
            Verify.Diagnostic("ASYNC001").WithLocation(1).WithArguments("DoAsync", "the code after it runs before it completes, and its exceptions are lost"),
            Verify.Diagnostic("ASYNC001").WithLocation(2).WithArguments("Api.SendAsync", "ConfigureAwait configures an await that is missing, and the task's exceptions are lost"));
    }

    [Fact]
    public async Task Reports_MessageNamesTheDelegate()
    {
        await Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Threading.Tasks;
            class C
            {
                Task M(Func<Task> refresh) { {|#0:refresh()|}; return Task.CompletedTask; }
            }
            """ + Helpers, Verify.Diagnostic("ASYNC001").WithLocation(0).WithArguments("refresh", "the code after it runs before it completes, and its exceptions are lost"));
    }

    [Theory]
    [InlineData("{|ASYNC001:Api.CountAsync()|};")]
    [InlineData("{|ASYNC001:Api.PingAsync()|};")]
    [InlineData("{|ASYNC001:Api.ReadAsync()|};")]
    [InlineData("{|ASYNC001:Job.Start()|};")]
    [InlineData("{|ASYNC001:Op.Begin()|};")]
    public Task Reports_EveryAwaitableKind(string statement) => VerifyAsync($$"""
        using System;
        using System.Runtime.CompilerServices;
        using System.Threading.Tasks;
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
            Task M() { {{statement}} return Task.CompletedTask; }
        }
        """);

    // ---- Negatives: accepted shapes, in a context that would otherwise be evidence ----

    [Theory]
    [InlineData("_ = Api.SendAsync();")]
    [InlineData("await Api.SendAsync();")]
    [InlineData("var t = Api.SendAsync(); await t;")]
    [InlineData("_pending = Api.SendAsync();")]
    [InlineData("all.Add(Api.SendAsync());")]
    [InlineData("await Task.WhenAll(Api.SendAsync(), Api.SendAsync());")]
    public Task NoDiagnostic_TaskIsDiscardedAwaitedStoredOrPassed(string statement) => VerifyAsync($$"""
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
            Task N() => Api.SendAsync();
        }
        """);

    [Theory]
    [InlineData("Api.SendAsync().ContinueWith(t => System.Console.WriteLine(t.Exception), TaskContinuationOptions.OnlyOnFaulted);")]
    [InlineData("Api.SendAsync().ObserveErrors();")]
    [InlineData("Api.CountAsync().LogExceptions();")]
    public Task NoDiagnostic_ContinuationOrObserverHelper(string statement) => VerifyAsync($$"""
        using System.Threading.Tasks;
        static class TaskExtensions
        {
            public static Task ObserveErrors(this Task task) => task;
            public static Task LogExceptions<T>(this Task<T> task) => task.ContinueWith(t => t.Exception);
        }
        class C
        {
            Task M() { {{statement}} return Task.CompletedTask; }
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
            Task M(IStore store) { {{statement}} return Task.CompletedTask; }
        }
        """);

    [Fact]
    public Task Reports_LookalikeReceivedOutsideNSubstitute() => VerifyAsync("""
        using System.Threading.Tasks;
        static class Mine { public static T Received<T>(this T substitute) => substitute; }
        public interface IStore { Task SaveAsync(int i); }
        class C
        {
            Task M(IStore store) { {|ASYNC001:store.Received().SaveAsync(1)|}; return Task.CompletedTask; }
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
                    class Bus { public Task PublishAsync() => Task.Run(() => { }); public Task SendAsync() => Task.Run(() => { }); public Task FlushAsync() => Task.Run(() => { }); }
                    class C
                    {
                        Task M(Bus bus)
                        {
                            bus.PublishAsync();
                            bus.FlushAsync();
                            Task.Delay(1);
                            {|ASYNC001:bus.SendAsync()|};
                            return Task.CompletedTask;
                        }
                    }
                }
                """,
        };
        test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", TestDefaults.GlobalConfig("ASYNC001.excluded_methods = Bus.PublishAsync, Messaging.Bus.FlushAsync, M:System.Threading.Tasks.Task.Delay")));
        await test.RunAsync();
    }

    [Theory]
    [InlineData("db.SetAsync(\"k\", CommandFlags.FireAndForget);")]
    [InlineData("db.SetAsync(\"k\", flags: CommandFlags.FireAndForget | CommandFlags.DemandMaster);")]
    public Task NoDiagnostic_FireAndForgetFlagInTheCall(string statement) => VerifyAsync($$"""
        using System;
        using System.Threading.Tasks;
        [Flags] enum CommandFlags { None = 0, FireAndForget = 2, DemandMaster = 4 }
        class Db { public Task SetAsync(string key, CommandFlags flags = CommandFlags.None) => Task.Run(() => { }); }
        class C
        {
            Task M(Db db) { {{statement}} return Task.CompletedTask; }
        }
        """);

    [Fact]
    public Task Reports_FlagsThatDoNotSayFireAndForget() => VerifyAsync("""
        using System.Threading.Tasks;
        enum CommandFlags { None = 0, FireAndForget = 2, DemandMaster = 4 }
        class Db { public Task SetAsync(string key, CommandFlags flags = CommandFlags.None) => Task.Run(() => { }); }
        class C
        {
            Task M(Db db) { {|ASYNC001:db.SetAsync("k", CommandFlags.DemandMaster)|}; return Task.CompletedTask; }
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

    [Fact]
    public Task NoDiagnostic_ExpressionTree() => VerifyAsync("""
        using System;
        using System.Linq.Expressions;
        using System.Threading.Tasks;
        class C
        {
            void M() { Expression<Func<Task>> e = () => Task.Delay(1); }
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
        using System.Threading.Tasks;
        class NotAwaitable { public int GetAwaiter() => 0; public static NotAwaitable Make() => new(); }
        class C
        {
            Task M(List<int> list, StringBuilder sb, dynamic d) { {{statement}} return Task.CompletedTask; }
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
        }
        """);

    [Fact]
    public Task NoDiagnostic_GeneratedCode() => VerifyAsync("""
        // <auto-generated/>
        using System.Threading.Tasks;
        class C
        {
            Task M() { Task.Delay(1); return Task.CompletedTask; }
        }
        """);

    // ---- Known misses: each exclusion on the rule page that gives up a true report ----

    [Fact]
    public Task NoDiagnostic_ContinueWithThatIgnoresTheAntecedent_FalseNegative() => VerifyAsync("""
        using System.Threading.Tasks;
        class C
        {
            Task M() { Api.SendAsync().ContinueWith(_ => System.Console.WriteLine("sent")); return Task.CompletedTask; }
        }
        """);

    [Fact]
    public Task NoDiagnostic_ExtensionThatReturnsTheTaskUnobserved_FalseNegative() => VerifyAsync("""
        using System.Threading.Tasks;
        static class TaskExtensions { public static Task Tagged(this Task task, string tag) => task; }
        class C
        {
            Task M() { Api.SendAsync().Tagged("send"); return Task.CompletedTask; }
        }
        """);

    [Fact]
    public Task NoDiagnostic_ForgottenAwaitInAVoidMethod_FalseNegative() => VerifyAsync("""
        using System.Threading.Tasks;
        class C
        {
            void Save() { {|ASYNC007:Api.SaveAsync()|}; System.Console.WriteLine("saved"); }
        }
        """);
}
