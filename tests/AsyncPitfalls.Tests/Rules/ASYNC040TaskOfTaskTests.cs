using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Verify = AsyncPitfalls.Tests.CSharpAnalyzerVerifier<AsyncPitfalls.Analyzers.ASYNC040TaskOfTaskAnalyzer>;

namespace AsyncPitfalls.Tests;

/// <summary>What the ASYNC040 tests and fix tests share: a pump whose loop is started with StartNew, and helpers.</summary>
internal static class ASYNC040Sources
{
    public static string InPump(string members) => $$"""
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;

        class Pump
        {
            private Task? _loop;
            private readonly TaskCompletionSource<Task> _next = new();
            {{members}}
            private static Task PumpAsync(CancellationToken token) => Task.Delay(10, token);
            private static void Track(Task task) => Console.WriteLine(task.Id);
            private static async Task<Task> StartLoopAsync() { await Task.Yield(); return Task.Delay(10); }
            private static ValueTask<Task> NextAsync() => new ValueTask<Task>(Task.Delay(10));
            private static Task Wrap<T>(T task) where T : Task => task;
        }
        """;
}

/// <summary>ASYNC040: a task of a task used as if it were the work it started.</summary>
public class ASYNC040TaskOfTaskTests
{
    private static Task VerifyAsync(string members, params DiagnosticResult[] expected) => Verify.VerifyAnalyzerAsync(ASYNC040Sources.InPump(members), expected);

    private static Task VerifyBodyAsync(string body, params DiagnosticResult[] expected)
        => VerifyAsync("async Task RunAsync(CancellationToken token, Task antecedent, int[] items) { " + body + " }", expected);

    // ---- Positives ----

    [Fact]
    public Task Reports_AwaitOfStartNew_WithTheCallTheTypeAndWhatIsLost() => VerifyBodyAsync(
        "await Task.Factory.{|#0:StartNew|}(async () => { await PumpAsync(token); });",
        Verify.Diagnostic().WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
            .WithArguments("'StartNew' returns", "Task<Task>", "awaiting it"));

    [Theory]
    [InlineData("await antecedent.[|ContinueWith|](async _ => await PumpAsync(token));")]
    [InlineData("_ = await Task.Factory.[|StartNew|](async () => await PumpAsync(token));")]
    [InlineData("await Task.Factory.[|StartNew|](async () => await PumpAsync(token)).ConfigureAwait(false);")]
    [InlineData("await antecedent.[|ContinueWith|](_ => PumpAsync(token));")]
    [InlineData("await [|StartLoopAsync|]();")]
    [InlineData("await [|NextAsync|]();")]
    [InlineData("var outer = Task.Factory.StartNew(async () => await PumpAsync(token)); await [|outer|];")]
    public Task Reports_AnAwaitThatDropsTheInnerTask(string body) => VerifyBodyAsync(body);

    [Theory]
    [InlineData("Task Start(CancellationToken token) => Task.Factory.[|StartNew|](async () => await PumpAsync(token));")]
    [InlineData("Task Start(CancellationToken token) { return Task.Factory.[|StartNew|](async () => await PumpAsync(token)); }")]
    [InlineData("void Start(CancellationToken token) { _loop = Task.Factory.[|StartNew|](async () => { while (!token.IsCancellationRequested) await PumpAsync(token); }, token, TaskCreationOptions.LongRunning, TaskScheduler.Default); }")]
    [InlineData("void Start(CancellationToken token) { Task local = Task.Factory.[|StartNew|](async () => await PumpAsync(token)); Track(local); }")]
    [InlineData("void Start(CancellationToken token) { Track(Task.Factory.[|StartNew|](async () => await PumpAsync(token))); }")]
    [InlineData("Func<Task> Starter(CancellationToken token) => () => Task.Factory.[|StartNew|](async () => await PumpAsync(token));")]
    public Task Reports_TheOuterTaskReturnedKeptOrPassedAsATask(string member) => VerifyAsync(member);

    [Theory]
    [InlineData("await Task.WhenAll(items.Select(i => Task.Factory.[|StartNew|](async () => await PumpAsync(token))));")]
    [InlineData("var a = Task.Factory.StartNew(async () => await PumpAsync(token)); var b = Task.Factory.StartNew(async () => await PumpAsync(token)); Task.WaitAll([|a|], [|b|]);")]
    [InlineData("var a = Task.Factory.StartNew(async () => await PumpAsync(token)); await Task.WhenAll(new Task[] { [|a|] });")]
    [InlineData("var all = items.Select(i => Task.Factory.StartNew(async () => await PumpAsync(token))).ToList(); await Task.WhenAll([|all|]);")]
    public Task Reports_TasksOfTasksWaitedForTogether(string body) => VerifyBodyAsync(body);

    // ---- Negatives ----

    [Theory]
    [InlineData("await Task.Factory.StartNew(async () => await PumpAsync(token)).Unwrap();")]
    [InlineData("await await Task.Factory.StartNew(async () => await PumpAsync(token));")]
    [InlineData("var inner = await Task.Factory.StartNew(async () => await PumpAsync(token)); await inner;")]
    [InlineData("await Task.Run(async () => await PumpAsync(token));")]
    [InlineData("var n = await antecedent.ContinueWith(_ => 42);")]
    [InlineData("await Task.WhenAny(PumpAsync(token), Task.Delay(100, token));")]
    [InlineData("Task winner = await Task.WhenAny(PumpAsync(token), Task.Delay(100, token)); await winner;")]
    [InlineData("var any = Task.WhenAny(PumpAsync(token), Task.Delay(100, token)); await any;")]
    [InlineData("await _next.Task;")]
    [InlineData("var reader = System.Threading.Channels.Channel.CreateUnbounded<Task>().Reader; await reader.ReadAsync(token);")]
    [InlineData("var lazy = new Lazy<Task>(() => PumpAsync(token)); Track(lazy.Value); await Task.Yield();")]
    [InlineData("var outers = items.Select(i => Task.Factory.StartNew(async () => await PumpAsync(token))).ToArray(); var inners = await Task.WhenAll(outers); await Task.WhenAll(inners);")]
    [InlineData("Task<Task> outer = Task.Factory.StartNew(async () => await PumpAsync(token)); await outer.Unwrap();")]
    public Task NoDiagnostic_TheInnerTaskIsReachedOrTheOuterIsTheSignal(string body) => VerifyBodyAsync(body);

    [Theory]
    [InlineData("Task Either(Task a, Task b) => Task.WhenAny(a, b);")]
    [InlineData("Task<Task> Start(CancellationToken token) => Task.Factory.StartNew(async () => await PumpAsync(token));")]
    [InlineData("Task Start(CancellationToken token) => Task.Factory.StartNew(() => Console.WriteLine(token));")]
    public Task NoDiagnostic_NotATaskOfTaskUsedAsTheWork(string member) => VerifyAsync(member);

    [Fact]
    public Task NoDiagnostic_InGeneratedCode() => Verify.VerifyAnalyzerAsync("// <auto-generated/>\n" + ASYNC040Sources.InPump(
        "async Task RunAsync(CancellationToken token) { await Task.Factory.StartNew(async () => await PumpAsync(token)); }"));

    // ---- Known misses ----

    [Fact]
    public Task NoDiagnostic_ThroughObject_FalseNegative() => VerifyBodyAsync(
        "object boxed = Task.Factory.StartNew(async () => await PumpAsync(token)); await (Task)boxed;");

    [Fact]
    public Task NoDiagnostic_ThroughAGenericMethodThatErasesIt_FalseNegative() => VerifyBodyAsync(
        "await Wrap(Task.Factory.StartNew(async () => await PumpAsync(token)));");
}
