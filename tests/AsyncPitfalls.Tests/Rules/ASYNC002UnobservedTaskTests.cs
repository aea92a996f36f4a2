using System.Threading.Tasks;
using Verify = AsyncPitfalls.Tests.CSharpAnalyzerVerifier<AsyncPitfalls.Analyzers.ASYNC002UnobservedTaskAnalyzer>;

namespace AsyncPitfalls.Tests;

public class ASYNC002UnobservedTaskTests
{
    private static Task VerifyAsync(string source) => Verify.VerifyAnalyzerAsync(source + ASYNC002Sources.Helpers);

    [Fact]
    public Task Reports_TheSpinnerThatIsCancelledButNeverAwaited() => VerifyAsync("""
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
        """);

    [Fact]
    public async Task Reports_MessageNamesTheLocal()
    {
        await Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            class C
            {
                void M() { var {|#0:pending|} = Work.SaveAsync(); }
            }
            """ + ASYNC002Sources.Helpers, Verify.Diagnostic().WithLocation(0).WithArguments("pending"));
    }

    /// <summary>An async method with the members the single-statement shapes below use.</summary>
    private static string InMethod(string statements) => $$"""
        using System;
        using System.Collections.Generic;
        using System.Diagnostics;
        using System.Threading.Tasks;
        static class Ext { public static Task ForAwait(this Task t) => t; public static void WaitAndUnwrapException(this Task t) { } }
        class C
        {
            private Task? _field;
            public Task? Property { get; set; }
            async Task<object?> M()
            {
                {{statements}}
                await Task.Yield();
                return null;
            }
        }
        """;

    [Theory]
    [InlineData("var [|a|] = Task.Run(() => { });")]
    [InlineData("var [|b|] = Task.Factory.StartNew(() => { });")]
    [InlineData("Task [|c|] = new Task(() => { });")]
    [InlineData("var [|d|] = Work.HeavyAsync();")]
    public Task Reports_StartedTaskThatIsNeverObserved(string statement) => VerifyAsync(InMethod(statement));

    [Theory]
    [InlineData("Console.WriteLine(t.IsCompleted);")]
    [InlineData("Console.WriteLine(t.IsCanceled || t.IsFaulted || t.IsCompletedSuccessfully);")]
    [InlineData("Console.WriteLine(t.Status);")]
    [InlineData("Console.WriteLine(t.Id);")]
    [InlineData("Console.WriteLine(t.ToString());")]
    [InlineData("Console.WriteLine(t.GetHashCode());")]
    [InlineData("Console.WriteLine(t);")]
    [InlineData("Console.WriteLine(\"task: \" + t);")]
    [InlineData("Work.Log(t);")]
    [InlineData("t = Work.SaveAsync();")]
    public Task Reports_WhenOnlyStatusIdentityOrFormattingIsRead(string use) => VerifyAsync(InMethod("var [|t|] = Work.SaveAsync(); " + use));

    [Fact]
    public Task Reports_InAsyncLambda() => VerifyAsync("""
        using System;
        using System.Threading.Tasks;
        class C
        {
            void M()
            {
                Func<Task> f = async () => { var [|t|] = Work.SaveAsync(); await Task.Yield(); };
            }
        }
        """);

    [Fact]
    public Task Reports_InLocalFunction() => VerifyAsync("""
        using System.Threading.Tasks;
        class C
        {
            void M()
            {
                void Local() { var [|u|] = Work.SaveAsync(); }
                Local();
            }
        }
        """);

    [Fact]
    public Task Reports_PatternVariableThatIsNeverAwaited() => VerifyAsync(InMethod(
        "if (Work.HeavyAsync() is Task<int> [|pending|]) { Console.WriteLine(pending.Status); }"));

    [Theory]
    [InlineData("var t = Work.SaveAsync(); await t;")]
    [InlineData("var t = Work.SaveAsync(); Work.Use(t);")]
    [InlineData("var t = Work.SaveAsync(); Work.UseAny(t);")]
    [InlineData("var t = Work.SaveAsync(); _field = t;")]
    [InlineData("var t = Work.SaveAsync(); Property = t;")]
    [InlineData("var t = Work.SaveAsync(); var all = new[] { t };")]
    [InlineData("var t = Work.SaveAsync(); var all = new List<Task> { t };")]
    [InlineData("var t = Work.SaveAsync(); var pair = (t, 1);")]
    [InlineData("var t = Work.HeavyAsync(); Console.WriteLine(t.Result);")]
    [InlineData("var t = Work.SaveAsync(); t.Wait();")]
    [InlineData("var t = Work.SaveAsync(); t.GetAwaiter().GetResult();")]
    [InlineData("var t = Work.SaveAsync(); _ = t.ContinueWith(x => x.Exception);")]
    [InlineData("var t = Work.SaveAsync(); await t.ConfigureAwait(false);")]
    [InlineData("var t = Work.SaveAsync(); await t.ForAwait();")]
    [InlineData("var t = Work.SaveAsync(); t.WaitAndUnwrapException();")]
    [InlineData("var t = Work.SaveAsync(); Console.WriteLine(t.Exception);")]
    [InlineData("var t = Work.SaveAsync(); Debug.Assert(t.IsCompleted);")]
    [InlineData("var t = Work.SaveAsync(); if (t is Task<int> typed) { await typed; }")]
    [InlineData("var t = Work.SaveAsync(); await Task.WhenAll(t, Work.SaveAsync());")]
    [InlineData("var t = Work.SaveAsync(); await Task.WhenAny(t);")]
    [InlineData("var t = Work.SaveAsync(); Action act = () => t.Wait();")]
    [InlineData("var t = Work.SaveAsync(); Local(); void Local() => t.Wait();")]
    public Task NoDiagnostic_ObservingForm(string statements) => VerifyAsync(InMethod(statements));

    // Real code (StackExchange.Redis): a test framework's assertion on the status observes the outcome it asserts.
    [Theory]
    [InlineData("var t = Work.SaveAsync(); Assert.Equal(TaskStatus.Canceled, t.Status);")]
    [InlineData("var t = Work.SaveAsync(); Assert.True(t.IsCompleted);")]
    [InlineData("var t = Work.SaveAsync(); ClassicAssert.IsTrue(t.IsCompletedSuccessfully);")]
    public Task NoDiagnostic_StatusAssertedByATestFramework(string statements) => VerifyAsync(InMethod(statements) + Asserts);

    [Theory]
    [InlineData("var [|t|] = Work.SaveAsync(); var s = t.Status; Assert.Equal(TaskStatus.Canceled, s);")]
    [InlineData("var [|t|] = Work.SaveAsync(); Check.Equal(TaskStatus.Canceled, t.Status);")]
    public Task Reports_AStatusReadOutsideAnAssertion(string statements) => VerifyAsync(InMethod(statements) + Asserts);

    private const string Asserts = """

        static class Assert { public static void Equal<T>(T expected, T actual) { } public static void True(bool condition) { } }
        static class ClassicAssert { public static void IsTrue(bool condition) { } }
        static class Check { public static void Equal<T>(T expected, T actual) { } }
        """;

    [Fact]
    public Task NoDiagnostic_Returned() => VerifyAsync("""
        using System.Threading.Tasks;
        class C
        {
            Task N()
            {
                var t = Work.SaveAsync();
                return t;
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_TasksCollectedInALoopAndAwaited() => VerifyAsync("""
        using System.Collections.Generic;
        using System.Threading.Tasks;
        class C
        {
            async Task M(int[] items)
            {
                var tasks = new List<Task>();
                foreach (var item in items)
                {
                    var task = Work.SaveAsync(item);
                    tasks.Add(task);
                }

                await Task.WhenAll(tasks);
            }
        }
        """);

    [Theory]
    [InlineData("var done = Task.CompletedTask;")]
    [InlineData("var value = Task.FromResult(1);")]
    [InlineData("var failed = Task.FromException(new Exception());")]
    [InlineData("var ready = new ValueTask<int>(1);")]
    [InlineData("var source = new TaskCompletionSource<int>(); var task = source.Task;")]
    [InlineData("if (Task.FromResult(1) is Task<int> done) { Console.WriteLine(done.Status); }")]
    public Task NoDiagnostic_TaskThatIsNotStartedWork(string statements) => VerifyAsync(InMethod(statements));

    [Theory]
    [InlineData("using var t = Work.SaveAsync();")]
    [InlineData("using (var u = Work.SaveAsync()) { }")]
    [InlineData("var n = int.Parse(\"1\");")]
    [InlineData("var s = Work.SaveAsync().ToString();")]
    public Task NoDiagnostic_UsingDeclarationOrNonTaskLocal(string statement) => VerifyAsync(InMethod(statement));

    [Theory]
    [InlineData("var _ = Task.Run(() => { });")]
    [InlineData("var __ = Work.SaveAsync();")]
    [InlineData("var _1 = Work.SaveAsync(); var _2 = Work.SaveAsync();")]
    public Task NoDiagnostic_LocalNamedAsADiscard(string statements) => VerifyAsync(InMethod(statements));

    [Fact]
    public Task NoDiagnostic_ContinueWithIsTheObserver() => VerifyAsync(InMethod("var continuation = Work.SaveAsync().ContinueWith(t => t.Exception);"));

    // ---- Known misses: each exclusion on the rule page that gives up a true report ----

    [Fact]
    public Task NoDiagnostic_CapturedOnlyToReadItsStatus_FalseNegative() => VerifyAsync(InMethod(
        "var t = Work.SaveAsync(); Action log = () => Console.WriteLine(t.Status);"));

    [Fact]
    public Task NoDiagnostic_PassedToAMethodThatIgnoresIt_FalseNegative() => VerifyAsync(InMethod(
        "var t = Work.SaveAsync(); Work.Use(t);"));

    [Fact]
    public Task NoDiagnostic_StartedTaskReadFromAProperty_FalseNegative() => VerifyAsync("""
        using System.Threading.Tasks;
        class Worker { public Task Completion => Work.SaveAsync(); }
        class C
        {
            void M(Worker worker) { var t = worker.Completion; }
        }
        """);
}

/// <summary>Sources that <see cref="ASYNC002UnobservedTaskTests"/> and <see cref="ASYNC002UnobservedTaskCodeFixTests"/> share.</summary>
internal static class ASYNC002Sources
{
    public const string Helpers = """

        static class Work
        {
            public static System.Threading.Tasks.Task SpinAsync(string message, System.Threading.CancellationToken token) => System.Threading.Tasks.Task.Delay(-1, token);
            public static System.Threading.Tasks.Task<int> HeavyAsync() => System.Threading.Tasks.Task.FromResult(42);
            public static System.Threading.Tasks.Task SaveAsync(int i = 0) => System.Threading.Tasks.Task.CompletedTask;
            public static void Use(System.Threading.Tasks.Task task) { }
            public static void UseAny<T>(T value) { }
            public static void Log(object value) { }
        }
        """;
}
