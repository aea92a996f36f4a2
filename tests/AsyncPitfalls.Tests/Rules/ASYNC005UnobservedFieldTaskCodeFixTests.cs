using System.Threading.Tasks;
using Verify = AsyncPitfalls.Tests.CSharpCodeFixVerifier<AsyncPitfalls.Analyzers.ASYNC005UnobservedFieldTaskAnalyzer, AsyncPitfalls.CodeFixes.ASYNC005UnobservedFieldTaskCodeFix>;

namespace AsyncPitfalls.Tests;

/// <summary>ASYNC005's fix: "Await '_loop' when stopping", after the cancel in the type's stop method.</summary>
public class ASYNC005UnobservedFieldTaskCodeFixTests
{
    private static string Service(string members) => $$"""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class Poller
        {
            private readonly CancellationTokenSource _cts = new();
            {{members}}
            private async Task PollAsync(CancellationToken token) { while (!token.IsCancellationRequested) await Task.Delay(100, token); }
        }
        """;

    private static Task FixAsync(string members, string fixedMembers) => Verify.VerifyCodeFixAsync(Service(members), Service(fixedMembers));

    [Fact]
    public Task Fix_AwaitsAfterTheCancel_InAnAsyncStop() => FixAsync("""
        private Task? [|_loop|];
            public void Start() => _loop = PollAsync(_cts.Token);
            public async Task StopAsync()
            {
                _cts.Cancel();
                await Task.Yield();
            }
        """, """
        private Task? _loop;
            public void Start() => _loop = PollAsync(_cts.Token);
            public async Task StopAsync()
            {
                _cts.Cancel();
                try
                {
                    await (_loop ?? Task.CompletedTask);
                }
                catch (OperationCanceledException)
                {
                }

                await Task.Yield();
            }
        """);

    [Fact]
    public Task Fix_MakesATaskReturningStopAsync() => FixAsync("""
        private Task? [|_loop|];
            public void Start() => _loop = PollAsync(_cts.Token);
            public Task StopAsync()
            {
                _cts.Cancel();
                return Task.CompletedTask;
            }
        """, """
        private Task? _loop;
            public void Start() => _loop = PollAsync(_cts.Token);
            public async Task StopAsync()
            {
                _cts.Cancel();
                try
                {
                    await (_loop ?? Task.CompletedTask);
                }
                catch (OperationCanceledException)
                {
                }
            }
        """);

    [Fact]
    public Task Fix_TurnsAnArrowBodiedStopIntoABlock() => FixAsync("""
        private Task [|_loop|] = Task.CompletedTask;
            public void Start() => _loop = PollAsync(_cts.Token);
            private void Stop() => _cts.Cancel();
        """, """
        private Task _loop = Task.CompletedTask;
            public void Start() => _loop = PollAsync(_cts.Token);
            private async Task Stop()
            {
                _cts.Cancel();
                try
                {
                    await _loop;
                }
                catch (OperationCanceledException)
                {
                }
            }

        """);

    [Fact]
    public Task NoFix_InASynchronousDispose() => FixAsync("""
        private Task? [|_loop|];
            public void Start() => _loop = PollAsync(_cts.Token);
            public void Dispose() => _cts.Cancel();
        """, """
        private Task? [|_loop|];
            public void Start() => _loop = PollAsync(_cts.Token);
            public void Dispose() => _cts.Cancel();
        """);

    [Fact]
    public Task NoFix_WithoutAStopMethod() => FixAsync("""
        private Task? [|_loop|];
            public void Start() => _loop = PollAsync(_cts.Token);
        """, """
        private Task? [|_loop|];
            public void Start() => _loop = PollAsync(_cts.Token);
        """);

    [Fact]
    public Task NoFix_WhenTheStopMethodIsUsedAsAnAction() => FixAsync("""
        private Task? [|_loop|];
            public void Start() { _loop = PollAsync(_cts.Token); Action stop = Stop; }
            private void Stop() => _cts.Cancel();
        """, """
        private Task? [|_loop|];
            public void Start() { _loop = PollAsync(_cts.Token); Action stop = Stop; }
            private void Stop() => _cts.Cancel();
        """);
}
