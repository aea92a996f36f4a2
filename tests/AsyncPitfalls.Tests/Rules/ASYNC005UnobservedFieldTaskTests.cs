using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Verify = AsyncPitfalls.Tests.CSharpAnalyzerVerifier<AsyncPitfalls.Analyzers.ASYNC005UnobservedFieldTaskAnalyzer>;

namespace AsyncPitfalls.Tests;

/// <summary>ASYNC005: a private field or auto-property holds a started task that nothing in its type observes.</summary>
public class ASYNC005UnobservedFieldTaskTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    private static Task VerifyAsync(string source, params DiagnosticResult[] expected) => Verify.VerifyAnalyzerAsync(Usings + source, expected);

    private static string Service(string members) => $$"""
        public class Poller
        {
            private readonly CancellationTokenSource _cts = new();
            {{members}}
            private async Task PollAsync(CancellationToken token) { while (!token.IsCancellationRequested) await Task.Delay(100, token); }
        }
        """;

    // ---- Positives ----

    [Fact]
    public Task Reports_TheServiceSpinner_WithTheCancelAndTheStartAsAdditionalLocations() => VerifyAsync(Service("""
        private Task? {|#0:_loop|};
            public void Start() => _loop = {|#2:Task.Run(() => PollAsync(_cts.Token))|};
            public void Stop() => {|#1:_cts.Cancel()|};
        """), Verify.Diagnostic().WithLocation(0).WithLocation(1).WithLocation(2).WithArguments("_loop"));

    [Theory]
    [InlineData("private Task? {|#0:_loop|}; public void Start() { _loop = {|#1:PollAsync(_cts.Token)|}; }")]
    [InlineData("private Task {|#0:_loop|} = {|#1:Task.Run(() => Console.WriteLine())|};")]
    [InlineData("private Task? {|#0:Loop|} { get; set; } public void Start() => Loop = {|#1:Task.Factory.StartNew(() => Console.WriteLine())|};")]
    [InlineData("private Task? {|#0:_loop|}; public void Start() { if (_loop is null || _loop.IsCompleted) _loop = {|#1:PollAsync(_cts.Token)|}; }")]
    [InlineData("private Task? {|#0:_loop|}; public bool Running => _loop?.IsCompleted == false; public void Start() => _loop = {|#1:PollAsync(_cts.Token)|};")]
    [InlineData("private ValueTask {|#0:_loop|}; public void Start() => _loop = {|#1:new ValueTask(PollAsync(_cts.Token))|};")]
    public Task Reports_StartedAndNeverObserved(string members)
        => VerifyAsync(Service(members), Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments(members.Contains("Loop|}", System.StringComparison.Ordinal) ? "Loop" : "_loop"));

    // ---- Negatives: shapes real services write ----

    [Theory]
    [InlineData("private Task? _loop; public void Start() => _loop = PollAsync(_cts.Token); public async Task StopAsync() { _cts.Cancel(); if (_loop != null) await _loop; }")]
    [InlineData("private Task? _loop; public void Start() => _loop = PollAsync(_cts.Token); public void Stop() { _cts.Cancel(); _loop?.Wait(); }")]
    [InlineData("private Task? _loop; public void Start() => _loop = PollAsync(_cts.Token); public Task Completion => _loop ?? Task.CompletedTask;")]
    [InlineData("private Task? _loop; public void Start() => _loop = PollAsync(_cts.Token); public Task WhenDone() => Task.WhenAll(_loop!);")]
    [InlineData("private Task? _loop; private readonly List<Task> _all = new(); public void Start() { _loop = PollAsync(_cts.Token); _all.Add(_loop); }")]
    [InlineData("private Task? _loop; public void Start() { _loop = PollAsync(_cts.Token); _loop.ContinueWith(t => Console.WriteLine(t.Exception), TaskContinuationOptions.OnlyOnFaulted); }")]
    [InlineData("private Task _done = Task.CompletedTask; public void Reset() => _done = Task.FromResult(1);")]
    [InlineData("private readonly TaskCompletionSource<int> _tcs = new(); private Task<int> _ready; public Poller() { _ready = _tcs.Task; }")]
    [InlineData("public Task? Loop; public void Start() => Loop = PollAsync(_cts.Token);")]
    [InlineData("internal Task? Loop { get; set; } public void Start() => Loop = PollAsync(_cts.Token);")]
    [InlineData("private Task? _loop; public void Start() => _loop = PollAsync(_cts.Token); public async ValueTask DisposeAsync() { _cts.Cancel(); try { await _loop!; } catch (OperationCanceledException) { } }")]
    [InlineData("private Task? _loop; private Task Current => _loop!; public void Start() => _loop = PollAsync(_cts.Token);")]
    [InlineData("private Task? _reset; private readonly object _gate = new(); public void Release() { lock (_gate) { if (_reset == null) _reset = ResetLaterAsync(); } } private async Task ResetLaterAsync() { await Task.Delay(10); lock (_gate) { _reset = null; } }")]
    public Task NoDiagnostic_ObservedExposedOrNeverStarted(string members) => VerifyAsync(Service(members));

    [Fact]
    public Task NoDiagnostic_UsedFromANestedType() => VerifyAsync(Service("""
        private Task? _loop;
            public void Start() => _loop = PollAsync(_cts.Token);
            private sealed class Watcher { public Task Await(Poller p) => p._loop!; }
        """));

    [Fact]
    public Task NoDiagnostic_ObservedInAnotherPartialPart() => VerifyAsync("""
        partial class Worker
        {
            private Task? _loop;
            public void Start() => _loop = Task.Run(() => Console.WriteLine());
        }
        partial class Worker
        {
            public async Task StopAsync() => await _loop!;
        }
        """);

    // ---- Types only this assembly sees ----

    [Theory]
    [InlineData("internal class Worker { public Task? {|#0:Loop|}; public void Start() => Loop = {|#1:Task.Run(() => Console.WriteLine())|}; }")]
    [InlineData("class Worker { internal Task? {|#0:Loop|} { get; set; } public void Start() => Loop = {|#1:Task.Run(() => Console.WriteLine())|}; }")]
    [InlineData("public class Host { private sealed class Worker { public Task? {|#0:Loop|}; public void Start() => Loop = {|#1:Task.Run(() => Console.WriteLine())|}; } }")]
    public Task Reports_MembersOfTypesNoOtherAssemblySees(string source)
        => VerifyAsync(source, Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments("Loop"));

    [Fact]
    public Task NoDiagnostic_InternalMemberAwaitedByAnotherType() => VerifyAsync("""
        internal class Worker
        {
            public Task? Loop;
            public void Start() => Loop = Task.Run(() => Console.WriteLine());
        }
        internal class Supervisor
        {
            public async Task StopAsync(Worker worker) => await worker.Loop!;
        }
        """);

    [Fact]
    public Task NoDiagnostic_PrivateNestedTypeMemberAwaitedByItsContainer() => VerifyAsync("""
        public class Host
        {
            private readonly Worker _worker = new();
            public Task StopAsync() => _worker.Loop ?? Task.CompletedTask;
            private sealed class Worker { public Task? Loop; public void Start() => Loop = Task.Run(() => Console.WriteLine()); }
        }
        """);

    [Fact]
    public Task NoDiagnostic_InternalTypeWithInternalsVisibleTo() => VerifyAsync("""
        [assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Tests")]
        internal class Worker
        {
            public Task? Loop;
            public void Start() => Loop = Task.Run(() => Console.WriteLine());
        }
        """);

    // ---- Known misses ----

    [Fact]
    public Task NoDiagnostic_InternalMemberNamedByAnUnrelatedType_FalseNegative() => VerifyAsync("""
        internal class Worker
        {
            public Task? Loop;
            public void Start() => Loop = Task.Run(() => Console.WriteLine());
        }
        internal class Other
        {
            public int Loop;
        }
        """);

    [Fact]
    public Task NoDiagnostic_FieldTypedThroughAnAlias_FalseNegative() => VerifyAsync("""
        using Job = System.Threading.Tasks.Task;
        class Worker
        {
            private Job? _loop;
            public void Start() => _loop = Task.Run(() => Console.WriteLine());
        }
        """);

    [Fact]
    public Task NoDiagnostic_TaskPassedByRefToAnExchange_FalseNegative() => VerifyAsync("""
        class Worker
        {
            private Task? _loop;
            public void Start() => Interlocked.Exchange(ref _loop, Task.Run(() => Console.WriteLine()));
        }
        """);
}
