using System.Threading.Tasks;
using AsyncPitfalls.Analyzers;
using Microsoft.CodeAnalysis.Testing;
using VerifySuppressor = AsyncPitfalls.Tests.CSharpAnalyzerVerifier<AsyncPitfalls.Analyzers.ASYNC901AcceptedDropSuppressor>;

namespace AsyncPitfalls.Tests;

public class ASYNC901AcceptedDropSuppressorTests
{
    private static Task VerifyAsync(string source, string? globalConfig, params DiagnosticResult[] expected)
    {
        var test = new VerifySuppressor.Test
        {
            TestCode = source,
            CompilerDiagnostics = CompilerDiagnostics.Warnings,
        };
        if (globalConfig is not null)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", TestDefaults.GlobalConfig(globalConfig)));
        }

        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    private static DiagnosticResult Suppressed(int location)
        => DiagnosticResult.CompilerWarning(DiagnosticIds.CompilerUnawaitedCall).WithLocation(location).WithIsSuppressed(true);

    private static DiagnosticResult Kept(int location)
        => DiagnosticResult.CompilerWarning(DiagnosticIds.CompilerUnawaitedCall).WithLocation(location).WithIsSuppressed(false);

    [Theory]
    [InlineData("{|#0:store.Received().SaveAsync(1)|};")]
    [InlineData("{|#0:store.DidNotReceive().SaveAsync(2)|};")]
    public Task Suppresses_NSubstituteVerificationInAsyncTest(string statement) => VerifyAsync($$"""
        using System.Threading.Tasks;
        using NSubstitute;
        namespace NSubstitute
        {
            internal static class SubstituteExtensions
            {
                internal static T Received<T>(this T substitute) => substitute;
                internal static T DidNotReceive<T>(this T substitute) => substitute;
            }
        }
        internal interface IStore { Task SaveAsync(int i); }
        class Tests
        {
            async Task Saves(IStore store)
            {
                await Task.Yield();
                {{statement}}
            }
        }
        """, null, Suppressed(0));

    [Theory]
    [InlineData("{|#0:SendAsync().ContinueWith(t => t.Exception)|};")]
    [InlineData("{|#0:SendAsync().ObserveErrors()|};")]
    public Task Suppresses_ContinueWithOrObserverHelper(string statement) => VerifyAsync($$"""
        using System.Threading.Tasks;
        static class TaskExtensions { public static Task ObserveErrors(this Task task) => task; }
        class C
        {
            static Task SendAsync() => Task.CompletedTask;
            async Task M()
            {
                await Task.Yield();
                {{statement}}
            }
        }
        """, null, Suppressed(0));

    [Fact]
    public Task Suppresses_ExcludedMethodsOnly() => VerifyAsync("""
        using System.Threading.Tasks;
        class Bus { public Task PublishAsync() => Task.CompletedTask; public Task SendAsync() => Task.CompletedTask; }
        class C
        {
            async Task M(Bus bus)
            {
                await Task.Yield();
                {|#0:bus.PublishAsync()|};
                {|#1:bus.SendAsync()|};
            }
        }
        """, "ASYNC001.excluded_methods = Bus.PublishAsync", Suppressed(0), Kept(1));

    [Fact]
    public Task DoesNotSuppress_WhenTheSuppressionIsTurnedOff() => VerifyAsync("""
        using System.Threading.Tasks;
        class C
        {
            static Task SendAsync() => Task.CompletedTask;
            async Task M()
            {
                await Task.Yield();
                {|#0:SendAsync().ContinueWith(t => t.Exception)|};
            }
        }
        """, "ASYNC901.enabled = false", Kept(0));

    [Theory]
    [InlineData("{|#0:SendAsync()|};")]
    [InlineData("{|#0:SendAsync().ConfigureAwait(false)|};")]
    [InlineData("{|#0:Task.Delay(1).WaitAsync(System.TimeSpan.FromSeconds(1))|};")]
    public Task DoesNotSuppress_RealBugs(string statement) => VerifyAsync($$"""
        using System.Threading.Tasks;
        class C
        {
            static Task SendAsync() => Task.CompletedTask;
            async Task M()
            {
                await Task.Yield();
                {{statement}}
            }
        }
        """, null, Kept(0));
}
