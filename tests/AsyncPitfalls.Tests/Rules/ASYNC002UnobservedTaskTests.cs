using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Verify = AsyncPitfalls.Tests.CSharpCodeFixVerifier<AsyncPitfalls.Analyzers.ASYNC002UnobservedTaskAnalyzer, AsyncPitfalls.CodeFixes.ASYNC002UnobservedTaskCodeFix>;

namespace AsyncPitfalls.Tests;

public class ASYNC002UnobservedTaskTests
{
    private const string Helpers = """

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

    private static Task VerifyAsync(string source) => Verify.VerifyAnalyzerAsync(source + Helpers);

    private static Task FixAsync(string source, string fixedSource)
        => Verify.VerifyCodeFixAsync(source + Helpers, fixedSource + Helpers);

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
                var {|#0:spinner|} = Work.SpinAsync("thinking", cts.Token);
                Console.WriteLine($"spinner object: {spinner}");
                var result = await Work.HeavyAsync();
                cts.Cancel();
                return result;
            }
        }
        """.Replace("{|#0:spinner|}", "[|spinner|]"));

    [Fact]
    public async Task Reports_MessageNamesTheLocal()
    {
        await Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            class C
            {
                void M() { var {|#0:pending|} = Work.SaveAsync(); }
            }
            """ + Helpers, Verify.Diagnostic().WithLocation(0).WithArguments("pending"));
    }

    [Fact]
    public Task Reports_TaskRunStartNewAndObjectCreation() => VerifyAsync("""
        using System.Threading.Tasks;
        class C
        {
            void M()
            {
                var [|a|] = Task.Run(() => { });
                var [|b|] = Task.Factory.StartNew(() => { });
                Task [|c|] = new Task(() => { });
                var [|d|] = Work.HeavyAsync();
            }
        }
        """);

    [Fact]
    public Task Reports_WhenOnlyStatusAndIdentityAreRead() => VerifyAsync("""
        using System;
        using System.Threading.Tasks;
        class C
        {
            void M()
            {
                var [|t|] = Work.SaveAsync();
                Console.WriteLine(t.IsCompleted);
                Console.WriteLine(t.IsCanceled || t.IsFaulted || t.IsCompletedSuccessfully);
                Console.WriteLine(t.Status);
                Console.WriteLine(t.Id);
                Console.WriteLine(t.ToString());
                Console.WriteLine(t.GetHashCode());
                Console.WriteLine(t);
                Console.WriteLine("task: " + t);
                Work.Log(t);
            }
        }
        """);

    [Fact]
    public Task Reports_InLambdaAndLocalFunction() => VerifyAsync("""
        using System;
        using System.Threading.Tasks;
        class C
        {
            void M()
            {
                Func<Task> f = async () => { var [|t|] = Work.SaveAsync(); await Task.Yield(); };
                void Local() { var [|u|] = Work.SaveAsync(); }
                Local();
            }
        }
        """);

    [Fact]
    public Task Reports_PatternVariableThatIsNeverAwaited() => VerifyAsync("""
        using System;
        using System.Threading.Tasks;
        class C
        {
            void M()
            {
                if (Work.HeavyAsync() is Task<int> [|pending|]) { Console.WriteLine(pending.Status); }
                if (Work.HeavyAsync() is Task<int> awaited) { awaited.Wait(); }
                if (Task.FromResult(1) is Task<int> done) { Console.WriteLine(done.Status); }
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_EveryObservingForm() => VerifyAsync("""
        using System;
        using System.Collections.Generic;
        using System.Diagnostics;
        using System.Threading.Tasks;
        static class Ext { public static Task ForAwait(this Task t) => t; public static void WaitAndUnwrapException(this Task t) { } }
        class C
        {
            private Task? _field;
            public Task? Property { get; set; }
            async Task<Task> M()
            {
                var a = Work.SaveAsync(); await a;
                var b = Work.SaveAsync(); Work.Use(b);
                var c = Work.SaveAsync(); Work.UseAny(c);
                var d = Work.SaveAsync(); _field = d;
                var e = Work.SaveAsync(); Property = e;
                var f = Work.SaveAsync(); var arr = new[] { f };
                var g = Work.SaveAsync(); var list = new List<Task> { g };
                var h = Work.SaveAsync(); var tuple = (h, 1);
                var i = Work.SaveAsync(); Action act = () => i.Wait();
                var j = Work.HeavyAsync(); Console.WriteLine(j.Result);
                var k = Work.SaveAsync(); k.Wait();
                var l = Work.SaveAsync(); k.GetAwaiter(); l.GetAwaiter().GetResult();
                var m = Work.SaveAsync(); _ = m.ContinueWith(x => x.Exception);
                var n = Work.SaveAsync(); await n.ConfigureAwait(false);
                var o = Work.SaveAsync(); await o.ForAwait();
                var p = Work.SaveAsync(); p.WaitAndUnwrapException();
                var q = Work.SaveAsync(); Console.WriteLine(q.Exception);
                var r = Work.SaveAsync(); Debug.Assert(r.IsCompleted);
                var s = Work.SaveAsync(); if (s is Task<int> typed) { await typed; }
                var t = Work.SaveAsync(); await Task.WhenAll(t, Work.SaveAsync());
                var u = Work.SaveAsync(); await Task.WhenAny(u);
                var v = Work.SaveAsync(); Local(); void Local() => v.Wait();
                var w = Work.SaveAsync();
                return w;
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

    [Fact]
    public Task NoDiagnostic_AlreadyCompleteAndTaskCompletionSource() => VerifyAsync("""
        using System.Threading.Tasks;
        class C
        {
            Task<int> M()
            {
                var done = Task.CompletedTask;
                var value = Task.FromResult(1);
                var failed = Task.FromException(new System.Exception());
                var source = new TaskCompletionSource<int>();
                var task = source.Task;
                return task;
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_UsingDeclarationsAndNonTaskLocals() => VerifyAsync("""
        using System.Threading.Tasks;
        class C
        {
            void M()
            {
                using var t = Work.SaveAsync();
                using (var u = Work.SaveAsync()) { }
                var n = int.Parse("1");
                var s = Work.SaveAsync().ToString();
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_ContinueWithIsTheObserver() => VerifyAsync("""
        using System.Threading.Tasks;
        class C
        {
            void M()
            {
                var continuation = Work.SaveAsync().ContinueWith(t => t.Exception);
            }
        }
        """);

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
        test.TestState.Sources.Add("using System.Threading.Tasks;\nclass A\n{\n    async Task M()\n    {\n        var [|x|] = Work.SaveAsync(1);\n        var [|y|] = Work.SaveAsync(2);\n    }\n}\n" + Helpers);
        test.TestState.Sources.Add("using System.Threading.Tasks;\nclass B\n{\n    async Task N()\n    {\n        var [|z|] = Work.SaveAsync(3);\n    }\n}\n");
        test.FixedState.Sources.Add("using System.Threading.Tasks;\nclass A\n{\n    async Task M()\n    {\n        var x = Work.SaveAsync(1);\n        await x;\n        var y = Work.SaveAsync(2);\n        await y;\n    }\n}\n" + Helpers);
        test.FixedState.Sources.Add("using System.Threading.Tasks;\nclass B\n{\n    async Task N()\n    {\n        var z = Work.SaveAsync(3);\n        await z;\n    }\n}\n");
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
        """ + Helpers, """
        using System;
        using System.Threading.Tasks;
        class C
        {
            void M()
            {
                Action a = () => { var [|t|] = Work.SaveAsync(); };
            }
        }
        """ + Helpers);
}
