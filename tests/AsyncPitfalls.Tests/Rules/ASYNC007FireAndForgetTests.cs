using System.Threading.Tasks;
using Verify = AsyncPitfalls.Tests.CSharpAnalyzerVerifier<AsyncPitfalls.Analyzers.ASYNC001ASYNC007DroppedTaskAnalyzer>;

namespace AsyncPitfalls.Tests;

/// <summary>
/// ASYNC007: a task that can fail, dropped in synchronous code that cannot await it. The negatives are the tasks
/// that <c>ExceptionEscape</c> proves cannot fail, each shape once.
/// </summary>
public class ASYNC007FireAndForgetTests
{
    private static Task VerifyAsync(string source) => Verify.VerifyAnalyzerAsync(ASYNC007Sources.Usings + source + ASYNC007Sources.Work);

    // ---- Positives: synchronous code that cannot await, a task that can fail ----

    [Theory]
    [InlineData("{|ASYNC007:stream.FlushAsync()|};")]
    [InlineData("{|ASYNC007:Work.FailsAsync()|};")]
    [InlineData("{|ASYNC007:Work.ThrowsLaterAsync()|};")]
    [InlineData("{|ASYNC007:Task.Run(() => Work.Risky())|};")]
    [InlineData("{|ASYNC007:Task.Run(Work.Risky)|};")]
    [InlineData("{|ASYNC007:Task.Factory.StartNew(() => Work.Risky())|};")]
    [InlineData("{|ASYNC007:Task.Run(async () => { await Task.Delay(1); Work.Risky(); })|};")]
    [InlineData("{|ASYNC007:Task.Run(() => { try { Work.Risky(); } catch (IOException) { } })|};")]
    [InlineData("{|ASYNC007:Task.Run(() => { try { Work.Risky(); } catch (Exception) { throw; } })|};")]
    [InlineData("{|ASYNC007:new Work().VirtualDoneAsync()|};")]
    public Task Reports_TaskThatCanFailDroppedInAVoidMethod(string statement) => VerifyAsync(ASYNC007Sources.InVoid(statement));

    [Theory]
    [InlineData("class C { public C() { {|ASYNC007:Work.FailsAsync()|}; } }")]
    [InlineData("class C { public int P { set { {|ASYNC007:Work.FailsAsync()|}; } } }")]
    [InlineData("class C { void M() => {|ASYNC007:Work.FailsAsync()|}; }")]
    [InlineData("class C { void M() { void Local() { {|ASYNC007:Work.FailsAsync()|}; } Local(); } }")]
    [InlineData("class C { void M() { Action a = () => {|ASYNC007:Work.FailsAsync()|}; } }")]
    [InlineData("class C { void M(Work? w) { {|ASYNC007:w?.VirtualDoneAsync()|}; } }")]
    [InlineData("class C { readonly object _gate = new(); async Task M() { lock (_gate) { {|ASYNC007:Work.FailsAsync()|}; } await Task.Yield(); } }")]
    [InlineData("class C { Task M() { {|ASYNC007:Task.Run(() => Work.Risky())|}; return Task.CompletedTask; } }")]
    public Task Reports_EverySynchronousPlaceThatCannotAwait(string type) => VerifyAsync(type);

    [Fact]
    public async Task Reports_MessageNamesTheCall()
    {
        await Verify.VerifyAnalyzerAsync(ASYNC007Sources.Usings + """
            class C
            {
                void M() { {|#0:Work.FailsAsync()|}; }
            }
            """ + ASYNC007Sources.Work, Verify.Diagnostic("ASYNC007").WithLocation(0).WithArguments("Work.FailsAsync"));
    }

    // ---- Negatives: the task cannot fail, or finishes at once ----

    [Theory]
    [InlineData("Work.DoneAsync();")]
    [InlineData("Work.ValueAsync();")]
    [InlineData("Work.ReadyAsync();")]
    [InlineData("Work.ReadyValueAsync();")]
    [InlineData("Work.DelayAsync(ct);")]
    [InlineData("Task.Yield();")]
    [InlineData("Work.GuardedAsync();")]
    [InlineData("Work.GuardedWithArgumentsAsync(\"x\");")]
    [InlineData("Work.PacedAsync(ct);")]
    [InlineData("Task.Run(() => { try { Work.Risky(); } catch (Exception e) { Console.WriteLine(e); } });")]
    [InlineData("Task.Run(() => { ArgumentNullException.ThrowIfNull(stream); try { Work.Risky(); } catch { } });")]
    [InlineData("Task.Run(async () => { try { await Work.FailsAsync(); } catch (Exception) { } });")]
    [InlineData("Task.Run(Work.SafeWork);")]
    [InlineData("Task.Factory.StartNew(() => { try { Work.Risky(); } catch (Exception) { } });")]
    public Task NoDiagnostic_TaskThatCannotFail(string statement) => VerifyAsync(ASYNC007Sources.InVoid(statement));

    [Theory]
    [InlineData("_ = Work.FailsAsync();")]
    [InlineData("Work.FailsAsync().ContinueWith(t => Console.WriteLine(t.Exception), TaskContinuationOptions.OnlyOnFaulted);")]
    [InlineData("Work.FailsAsync().Forget();")]
    public Task NoDiagnostic_DiscardedOrObserved(string statement) => VerifyAsync("""
        static class TaskExtensions { public static Task Forget(this Task task) => task.ContinueWith(t => t.Exception); }
        """ + ASYNC007Sources.InVoid(statement));

    [Theory]
    [InlineData("Work.ThrowsAsync();")]
    [InlineData("Work.AwaitsFailingAsync();")]
    public Task NoDiagnostic_CalleeDeclaredAsyncIsTheCompilersCS4014(string statement) => VerifyAsync(ASYNC007Sources.InVoid(statement));

    // Real code (Polly): the lambda given to NSubstitute's When(...) names the call to intercept; it starts nothing.
    [Theory]
    [InlineData("NSubstitute")]
    [InlineData("Mine")]
    public Task NoDiagnostic_NSubstituteWhenLambda_ButReportsALookalike(string ns) => VerifyAsync($$"""
        namespace {{ns}}
        {
            public static class SubstituteExtensions
            {
                public static WhenCalled<T> When<T>(this T substitute, Action<T> call) => new();
            }
            public sealed class WhenCalled<T> { public void Do(Action<object> callback) { } }
        }
        public interface IComponent { ValueTask DisposeAsync(); }
        class C
        {
            void M(IComponent component)
            {
                {{ns}}.SubstituteExtensions.When(component, c => {{(ns == "Mine" ? "{|ASYNC007:c.DisposeAsync()|}" : "c.DisposeAsync()")}}).Do(_ => { });
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_WhereASYNC001HasEvidence() => VerifyAsync("""
        class C
        {
            void M() { {|ASYNC001:Task.Delay(10)|}; {|ASYNC001:Work.FailsAsync().ConfigureAwait(false)|}; }
        }
        """);

    // ---- Known misses ----

    [Fact]
    public Task NoDiagnostic_CatchAllWhoseHandlerThrowsThroughACall_FalseNegative() => VerifyAsync(ASYNC007Sources.InVoid(
        "Task.Run(() => { try { Work.Risky(); } catch (Exception) { Work.Risky(); } });"));
}

/// <summary>Sources that <see cref="ASYNC007FireAndForgetTests"/> and <see cref="ASYNC007FireAndForgetCodeFixTests"/> share.</summary>
internal static class ASYNC007Sources
{
    public const string Usings = """
        using System;
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    /// <summary>Methods of this compilation whose tasks can fail, cannot fail, or finish at once.</summary>
    public const string Work = """

        public class Work
        {
            public static Task FailsAsync() => File.WriteAllTextAsync("a.txt", "x");
            public static async Task ThrowsAsync() { await Task.Yield(); throw new InvalidOperationException(); }
            public static Task ThrowsLaterAsync() => ThrowsAsync();
            public static Task DoneAsync() => Task.CompletedTask;
            public static Task<int> ValueAsync() { Console.WriteLine("sync part"); return Task.FromResult(1); }
            public static ValueTask ReadyAsync() => default;
            public static ValueTask<int> ReadyValueAsync() => new(3);
            public static Task DelayAsync(CancellationToken ct) => Task.Delay(10, ct);
            public static async Task GuardedAsync() { try { await FailsAsync(); } catch (Exception e) { Console.WriteLine(e); } }
            public static async Task GuardedWithArgumentsAsync(string name) { ArgumentNullException.ThrowIfNull(name); try { await FailsAsync(); } catch { } }
            public static async Task PacedAsync(CancellationToken ct) { await Task.Delay(10, ct); await DoneAsync(); await Task.Yield(); }
            public static async Task AwaitsFailingAsync() { await Task.Delay(1); await FailsAsync(); }
            public static void SafeWork() { try { File.Delete("a.txt"); } catch (IOException) { } catch (Exception) { } }
            public static void Risky() => File.Delete("a.txt");
            public virtual Task VirtualDoneAsync() => Task.CompletedTask;
            public virtual Task InternalVirtualDoneAsync() => Task.CompletedTask;
        }
        """;

    public static string InVoid(string statement) => $$"""
        class C
        {
            void M(Stream stream, CancellationToken ct)
            {
                {{statement}}
            }
        }
        """;
}
