using System.Threading;
using System.Threading.Tasks;
using AsyncPitfalls.CodeFixes;
using Microsoft.CodeAnalysis.Testing;
using Verify = AsyncPitfalls.Tests.CSharpCodeFixVerifier<AsyncPitfalls.Analyzers.ASYNC040TaskOfTaskAnalyzer, AsyncPitfalls.CodeFixes.ASYNC040TaskOfTaskCodeFix>;

namespace AsyncPitfalls.Tests;

/// <summary>ASYNC040's fixes: unwrap the inner task (bulk), or use Task.Run where it equals the StartNew.</summary>
public class ASYNC040TaskOfTaskCodeFixTests
{
    private static Task FixAsync(string members, string fixedMembers, string key, string? batchFixedMembers = null)
    {
        var test = new Verify.Test
        {
            TestCode = ASYNC040Sources.InPump(members),
            FixedCode = ASYNC040Sources.InPump(fixedMembers),
            BatchFixedCode = ASYNC040Sources.InPump(batchFixedMembers ?? fixedMembers),
            CodeActionEquivalenceKey = key,
        };
        test.FixedState.MarkupHandling = MarkupMode.Allow;
        test.BatchFixedState.MarkupHandling = MarkupMode.Allow;
        return test.RunAsync(CancellationToken.None);
    }

    [Theory]
    [InlineData(
        "async Task RunAsync(CancellationToken token) { await Task.Factory.[|StartNew|](async () => await PumpAsync(token)); }",
        "async Task RunAsync(CancellationToken token) { await Task.Factory.StartNew(async () => await PumpAsync(token)).Unwrap(); }")]
    [InlineData(
        "async Task RunAsync(CancellationToken token) { await Task.Factory.[|StartNew|](async () => await PumpAsync(token)).ConfigureAwait(false); }",
        "async Task RunAsync(CancellationToken token) { await Task.Factory.StartNew(async () => await PumpAsync(token)).Unwrap().ConfigureAwait(false); }")]
    [InlineData(
        "void Start(CancellationToken token) { _loop = Task.Factory.[|StartNew|](async () => await PumpAsync(token), token, TaskCreationOptions.LongRunning, TaskScheduler.Default); }",
        "void Start(CancellationToken token) { _loop = Task.Factory.StartNew(async () => await PumpAsync(token), token, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap(); }")]
    [InlineData(
        "async Task RunAsync(CancellationToken token, int[] items) { await Task.WhenAll(items.Select(i => Task.Factory.[|StartNew|](async () => await PumpAsync(token)))); }",
        "async Task RunAsync(CancellationToken token, int[] items) { await Task.WhenAll(items.Select(i => Task.Factory.StartNew(async () => await PumpAsync(token)).Unwrap())); }")]
    [InlineData(
        "async Task RunAsync(Task antecedent, CancellationToken token) { await antecedent.[|ContinueWith|](_ => PumpAsync(token)); }",
        "async Task RunAsync(Task antecedent, CancellationToken token) { await antecedent.ContinueWith(_ => PumpAsync(token)).Unwrap(); }")]
    public Task Fix_UnwrapsTheInnerTask_KeepingEveryOption(string member, string fixedMember) => FixAsync(member, fixedMember, ASYNC040TaskOfTaskCodeFix.UnwrapKey);

    [Fact]
    public Task Fix_TaskRun_WhereItIsTheSameCall() => FixAsync(
        "async Task RunAsync(CancellationToken token) { await Task.Factory.[|StartNew|](async () => await PumpAsync(token), token, TaskCreationOptions.DenyChildAttach, TaskScheduler.Default); }",
        "async Task RunAsync(CancellationToken token) { await Task.Run(async () => await PumpAsync(token), token); }",
        ASYNC040TaskOfTaskCodeFix.TaskRunKey);

    [Fact]
    public Task Fix_TaskRun_OnTheCurrentScheduler_IsOneAtATime_AndFixAllUnwraps() => FixAsync(
        "async Task RunAsync(CancellationToken token) { await Task.Factory.[|StartNew|](async () => await PumpAsync(token)); }",
        "async Task RunAsync(CancellationToken token) { await Task.Run(async () => await PumpAsync(token)); }",
        ASYNC040TaskOfTaskCodeFix.TaskRunKey,
        "async Task RunAsync(CancellationToken token) { await Task.Factory.StartNew(async () => await PumpAsync(token)).Unwrap(); }");

    [Fact]
    public Task NoFix_ForAValueTaskOfATask_WhichUnwrapDoesNotTake()
    {
        const string member = "async Task RunAsync() { await [|NextAsync|](); }";
        return FixAsync(member, member, ASYNC040TaskOfTaskCodeFix.UnwrapKey);
    }

    [Fact]
    public Task NoTaskRunFix_ForLongRunning()
    {
        const string member = "async Task RunAsync(CancellationToken token) { await Task.Factory.[|StartNew|](async () => await PumpAsync(token), token, TaskCreationOptions.LongRunning, TaskScheduler.Default); }";
        return FixAsync(member, member, ASYNC040TaskOfTaskCodeFix.TaskRunKey);
    }

    [Fact]
    public async Task FixAll_UnwrapsEveryOuterTask_InTheDocumentAndAcrossDocuments()
    {
        var test = new Verify.Test { CodeActionEquivalenceKey = ASYNC040TaskOfTaskCodeFix.UnwrapKey };
        test.TestState.Sources.Add(ASYNC040Sources.InPump("""
            async Task RunAsync(CancellationToken token)
            {
                await Task.Factory.[|StartNew|](async () => await PumpAsync(token));
                _loop = Task.Factory.[|StartNew|](async () => await PumpAsync(token), token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            }
            """));
        test.TestState.Sources.Add("""
            using System.Threading.Tasks;
            class Other
            {
                Task Later(Task antecedent) => antecedent.[|ContinueWith|](async _ => await Task.Delay(1));
            }
            """);
        test.FixedState.Sources.Add(ASYNC040Sources.InPump("""
            async Task RunAsync(CancellationToken token)
            {
                await Task.Factory.StartNew(async () => await PumpAsync(token)).Unwrap();
                _loop = Task.Factory.StartNew(async () => await PumpAsync(token), token, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
            }
            """));
        test.FixedState.Sources.Add("""
            using System.Threading.Tasks;
            class Other
            {
                Task Later(Task antecedent) => antecedent.ContinueWith(async _ => await Task.Delay(1)).Unwrap();
            }
            """);
        await test.RunAsync(CancellationToken.None);
    }
}
