using System.Threading.Tasks;
using Verify = AsyncPitfalls.Tests.CSharpCodeFixVerifier<AsyncPitfalls.Analyzers.ASYNC003ASYNC008AsyncVoidAnalyzer, AsyncPitfalls.CodeFixes.ASYNC008ImposedAsyncVoidCodeFix>;

namespace AsyncPitfalls.Tests;

/// <summary>ASYNC008's fix: report the handler's failures to the logger in scope or to the type's error method.</summary>
public class ASYNC008ImposedAsyncVoidCodeFixTests
{
    private const string LoggingStubs = """

        namespace Microsoft.Extensions.Logging
        {
            public interface ILogger { }
            public static class LoggerExtensions { public static void LogError(this ILogger logger, System.Exception? exception, string message) { } }
        }
        """;

    [Fact]
    public Task Fix_ReportFailuresToTheLogger() => Verify.VerifyCodeFixAsync(ASYNC008Sources.Usings + """
        using Microsoft.Extensions.Logging;
        class C
        {
            private readonly ILogger _logger = null!;
            async void {|ASYNC008:OnClick|}(object? sender, EventArgs e)
            {
                await Work.FailsAsync();
            }
        }
        """ + ASYNC008Sources.Helpers + LoggingStubs, ASYNC008Sources.Usings + """
        using Microsoft.Extensions.Logging;
        class C
        {
            private readonly ILogger _logger = null!;
            async void OnClick(object? sender, EventArgs e)
            {
                try
                {
                    await Work.FailsAsync();
                }
                catch (Exception ex)
                {
                    _logger.LogError(ex, "OnClick failed");
                }
            }
        }
        """ + ASYNC008Sources.Helpers + LoggingStubs);

    [Fact]
    public Task Fix_ReportFailuresToTheTypesErrorMethod() => Verify.VerifyCodeFixAsync(ASYNC008Sources.Usings + """
        class C
        {
            void ShowError(Exception error) => Console.WriteLine(error);
            async void {|ASYNC008:OnClick|}(object? sender, EventArgs e) => await Work.FailsAsync();
        }
        """ + ASYNC008Sources.Helpers, ASYNC008Sources.Usings + """
        class C
        {
            void ShowError(Exception error) => Console.WriteLine(error);
            async void OnClick(object? sender, EventArgs e)
            {
                try
                {
                    await Work.FailsAsync();
                }
                catch (Exception ex)
                {
                    ShowError(ex);
                }
            }
        }
        """ + ASYNC008Sources.Helpers);

    [Fact]
    public Task NoFix_WithoutASingleReceiver() => Verify.VerifyCodeFixAsync(ASYNC008Sources.Usings + """
        class C
        {
            void ShowError(Exception error) => Console.WriteLine(error);
            void LogError(Exception error) => Console.WriteLine(error);
            async void {|ASYNC008:OnClick|}(object? sender, EventArgs e) { await Work.FailsAsync(); }
        }
        """ + ASYNC008Sources.Helpers, ASYNC008Sources.Usings + """
        class C
        {
            void ShowError(Exception error) => Console.WriteLine(error);
            void LogError(Exception error) => Console.WriteLine(error);
            async void {|ASYNC008:OnClick|}(object? sender, EventArgs e) { await Work.FailsAsync(); }
        }
        """ + ASYNC008Sources.Helpers);

    [Fact]
    public async Task Fix_AllInDocumentAndAcrossDocuments()
    {
        var test = new Verify.Test();
        test.TestState.Sources.Add(ASYNC008Sources.Usings + """
            class A
            {
                void Report(Exception error) { }
                async void {|ASYNC008:OnA|}(object? sender, EventArgs e)
                {
                    await Work.FailsAsync();
                }

                async void {|ASYNC008:OnB|}(object? sender, EventArgs e)
                {
                    await Work.FailsAsync();
                }
            }
            """ + ASYNC008Sources.Helpers);
        test.TestState.Sources.Add(ASYNC008Sources.Usings + """
            class B
            {
                void Report(Exception error) { }
                async void {|ASYNC008:OnC|}(object? sender, EventArgs e)
                {
                    await Work.FailsAsync();
                }
            }
            """);
        test.FixedState.Sources.Add(ASYNC008Sources.Usings + """
            class A
            {
                void Report(Exception error) { }
                async void OnA(object? sender, EventArgs e)
                {
                    try
                    {
                        await Work.FailsAsync();
                    }
                    catch (Exception ex)
                    {
                        Report(ex);
                    }
                }

                async void OnB(object? sender, EventArgs e)
                {
                    try
                    {
                        await Work.FailsAsync();
                    }
                    catch (Exception ex)
                    {
                        Report(ex);
                    }
                }
            }
            """ + ASYNC008Sources.Helpers);
        test.FixedState.Sources.Add(ASYNC008Sources.Usings + """
            class B
            {
                void Report(Exception error) { }
                async void OnC(object? sender, EventArgs e)
                {
                    try
                    {
                        await Work.FailsAsync();
                    }
                    catch (Exception ex)
                    {
                        Report(ex);
                    }
                }
            }
            """);
        await test.RunAsync();
    }
}
