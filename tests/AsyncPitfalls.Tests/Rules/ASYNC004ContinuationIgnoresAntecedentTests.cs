using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Verify = AsyncPitfalls.Tests.CSharpAnalyzerVerifier<AsyncPitfalls.Analyzers.ASYNC004ContinuationIgnoresAntecedentAnalyzer>;

namespace AsyncPitfalls.Tests;

/// <summary>ASYNC004: a continuation that never reads its antecedent turns the antecedent's failure into a success.</summary>
public class ASYNC004ContinuationIgnoresAntecedentTests
{
    private const string Usings = """
        using System;
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    private const string Work = """

        static class Work
        {
            public static Task RunAsync(CancellationToken token) => File.WriteAllTextAsync("a.txt", "x", token);
            public static Task<int> CountAsync() => Task.Run(() => File.ReadAllText("a.txt").Length);
            public static void Cleanup() { }
            public static void Log(Task t) => Console.WriteLine(t.Status);
            public static void Ignore(Task t) => Console.WriteLine("done");
        }
        """;

    private static Task VerifyAsync(string body, params DiagnosticResult[] expected) => Verify.VerifyAnalyzerAsync(Usings + $$"""
        class C
        {
            private Task? _active;
            private readonly TaskCompletionSource<int> _tcs = new();
            private readonly TaskCompletionSource<int> _failing = new();
            void M(CancellationToken token, CancellationTokenSource linked)
            {
                {{body}}
            }
            void Fail(Exception e) => _failing.TrySetException(e);
        }
        """ + Work, expected);

    // ---- Positives ----

    [Fact]
    public Task Reports_DisposeAfterTheWork_WithTheAntecedentInTheMessage() => VerifyAsync(
        "_active = Work.RunAsync(token).{|#0:ContinueWith|}(_ => linked.Dispose());",
        Verify.Diagnostic().WithLocation(0).WithArguments("Work.RunAsync"));

    [Theory]
    [InlineData("Work.CountAsync().[|ContinueWith|](t => Work.Cleanup());")]
    [InlineData("Work.RunAsync(token).[|ContinueWith|](delegate { Work.Cleanup(); });")]
    [InlineData("Work.RunAsync(token).[|ContinueWith|](Work.Ignore);")]
    [InlineData("Work.RunAsync(token).[|ContinueWith|](_ => Work.Cleanup(), TaskScheduler.Default);")]
    [InlineData("Work.RunAsync(token).[|ContinueWith|](_ => Work.Cleanup(), TaskContinuationOptions.ExecuteSynchronously);")]
    [InlineData("var pending = Work.RunAsync(token); pending.[|ContinueWith|](_ => Work.Cleanup());")]
    [InlineData("_failing.Task.[|ContinueWith|](_ => Work.Cleanup());")]
    [InlineData("Work.RunAsync(token).ConfigureAwait(false).GetAwaiter(); Work.CountAsync().[|ContinueWith|](_ => 1);")]
    [InlineData("_active = Work.RunAsync(token).[|ContinueWith|](_ => linked.Dispose());")]
    [InlineData("var any = Work.RunAsync(token); _active = any.[|ContinueWith|](_ => Work.Cleanup());")]
    public Task Reports_ContinuationThatNeverReadsItsTask(string body) => VerifyAsync(body);

    // ---- Negatives ----

    [Theory]
    [InlineData("Work.RunAsync(token).ContinueWith(t => Console.WriteLine(t.Exception), TaskContinuationOptions.OnlyOnFaulted);")]
    [InlineData("Work.RunAsync(token).ContinueWith(t => { if (t.IsFaulted) Console.WriteLine(t.Exception); linked.Dispose(); });")]
    [InlineData("Work.RunAsync(token).ContinueWith(Work.Log);")]
    [InlineData("Work.RunAsync(token).ContinueWith(_ => Work.Cleanup(), TaskContinuationOptions.OnlyOnRanToCompletion);")]
    [InlineData("Work.RunAsync(token).ContinueWith(_ => Work.Cleanup(), TaskContinuationOptions.NotOnFaulted);")]
    [InlineData("Work.RunAsync(token).ContinueWith(_ => Work.Cleanup(), TaskContinuationOptions.OnlyOnCanceled);")]
    [InlineData("Task.Delay(100, token).ContinueWith(_ => Work.Cleanup());")]
    [InlineData("Task.CompletedTask.ContinueWith(_ => Work.Cleanup());")]
    [InlineData("Task.WhenAny(Work.RunAsync(token), Task.Delay(10)).ContinueWith(_ => Work.Cleanup());")]
    [InlineData("_tcs.Task.ContinueWith(_ => Work.Cleanup());")]
    [InlineData("var pending = Work.RunAsync(token); pending.ContinueWith(_ => Work.Cleanup()); _active = pending;")]
    [InlineData("_active?.ContinueWith(_ => Work.Cleanup());")]
    [InlineData("_ = Work.RunAsync(token).ContinueWith(t => Work.Cleanup(), TaskContinuationOptions.OnlyOnFaulted);")]
    [InlineData("var any = Task.WhenAny(Work.RunAsync(token), Task.Delay(10)); _active = any.ContinueWith(_ => Work.Cleanup());")]
    [InlineData("_ = Work.RunAsync(token).ContinueWith(_ => linked.Dispose());")]
    [InlineData("Work.RunAsync(token).ContinueWith(_ => { linked.Cancel(); linked.Dispose(); });")]
    public Task NoDiagnostic_TheFailureIsSeenOrCannotHappen(string body) => VerifyAsync(body);

    // ---- Known misses ----

    [Fact]
    public Task NoDiagnostic_AntecedentInAField_FalseNegative() => VerifyAsync("""
        _active = Work.RunAsync(token);
                _active.ContinueWith(_ => Work.Cleanup());
        """);
}
