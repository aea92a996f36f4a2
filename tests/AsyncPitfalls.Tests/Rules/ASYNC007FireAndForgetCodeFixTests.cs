using System.Threading.Tasks;
using AsyncPitfalls.CodeFixes;
using Verify = AsyncPitfalls.Tests.CSharpCodeFixVerifier<AsyncPitfalls.Analyzers.ASYNC001ASYNC007DroppedTaskAnalyzer, AsyncPitfalls.CodeFixes.ASYNC007FireAndForgetCodeFix>;

namespace AsyncPitfalls.Tests;

/// <summary>ASYNC007's fixes: fire and forget explicitly, or observe the failures with the observer helper or the logger in scope.</summary>
public class ASYNC007FireAndForgetCodeFixTests
{
    [Fact]
    public Task Fix_FireAndForgetExplicitly() => Verify.VerifyCodeFixAsync(
        ASYNC007Sources.Usings + ASYNC007Sources.InVoid("{|ASYNC007:Work.FailsAsync()|};") + ASYNC007Sources.Work,
        ASYNC007Sources.Usings + ASYNC007Sources.InVoid("_ = Work.FailsAsync();") + ASYNC007Sources.Work,
        ASYNC007FireAndForgetCodeFix.DiscardKey);

    [Fact]
    public Task Fix_ObserveFailuresWithTheObserverHelper() => Verify.VerifyCodeFixAsync(ASYNC007Sources.Usings + """
        static class TaskExtensions { public static Task LogFailures(this Task task) => task.ContinueWith(t => Console.WriteLine(t.Exception), TaskContinuationOptions.OnlyOnFaulted); }
        class C
        {
            void M() { {|ASYNC007:Work.FailsAsync()|}; }
        }
        """ + ASYNC007Sources.Work, ASYNC007Sources.Usings + """
        static class TaskExtensions { public static Task LogFailures(this Task task) => task.ContinueWith(t => Console.WriteLine(t.Exception), TaskContinuationOptions.OnlyOnFaulted); }
        class C
        {
            void M() { Work.FailsAsync().LogFailures(); }
        }
        """ + ASYNC007Sources.Work, ASYNC007FireAndForgetCodeFix.ObserveKey);

    private const string LoggingStubs = """

        namespace Microsoft.Extensions.Logging
        {
            public interface ILogger { }
            public interface ILogger<out T> : ILogger { }
            public static class LoggerExtensions { public static void LogError(this ILogger logger, System.Exception? exception, string message) { } }
        }
        """;

    [Fact]
    public Task Fix_ObserveFailuresWithTheLoggerInScope() => Verify.VerifyCodeFixAsync(ASYNC007Sources.Usings + """
        using Microsoft.Extensions.Logging;
        class C
        {
            private readonly ILogger<C> _logger;
            public C(ILogger<C> logger) => _logger = logger;
            void M() { {|ASYNC007:Work.FailsAsync()|}; }
        }
        """ + ASYNC007Sources.Work + LoggingStubs, ASYNC007Sources.Usings + """
        using Microsoft.Extensions.Logging;
        class C
        {
            private readonly ILogger<C> _logger;
            public C(ILogger<C> logger) => _logger = logger;
            void M() { Work.FailsAsync().ContinueWith(t => _logger.LogError(t.Exception, "FailsAsync failed"), TaskContinuationOptions.OnlyOnFaulted); }
        }
        """ + ASYNC007Sources.Work + LoggingStubs, ASYNC007FireAndForgetCodeFix.ObserveKey);

    [Fact]
    public Task NoObserveFix_WithoutALoggerOrHelper() => Verify.VerifyCodeFixAsync(
        ASYNC007Sources.Usings + ASYNC007Sources.InVoid("{|ASYNC007:Work.FailsAsync()|};") + ASYNC007Sources.Work,
        ASYNC007Sources.Usings + ASYNC007Sources.InVoid("{|ASYNC007:Work.FailsAsync()|};") + ASYNC007Sources.Work,
        ASYNC007FireAndForgetCodeFix.ObserveKey);

    [Fact]
    public async Task Fix_AllFireAndForgetInDocumentAndAcrossDocuments()
    {
        var test = new Verify.Test { CodeActionEquivalenceKey = ASYNC007FireAndForgetCodeFix.DiscardKey };
        test.TestState.Sources.Add(ASYNC007Sources.Usings + """
            class A
            {
                void M() { {|ASYNC007:Work.FailsAsync()|}; {|ASYNC007:Work.ThrowsLaterAsync()|}; }
            }
            """ + ASYNC007Sources.Work);
        test.TestState.Sources.Add(ASYNC007Sources.Usings + """
            class B
            {
                void N() { {|ASYNC007:Work.FailsAsync()|}; }
            }
            """);
        test.FixedState.Sources.Add(ASYNC007Sources.Usings + """
            class A
            {
                void M() { _ = Work.FailsAsync(); _ = Work.ThrowsLaterAsync(); }
            }
            """ + ASYNC007Sources.Work);
        test.FixedState.Sources.Add(ASYNC007Sources.Usings + """
            class B
            {
                void N() { _ = Work.FailsAsync(); }
            }
            """);
        await test.RunAsync();
    }
}
