using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Verify = AsyncPitfalls.Tests.CSharpCodeFixVerifier<AsyncPitfalls.Analyzers.ASYNC011CancellationSwallowedInLoopAnalyzer, AsyncPitfalls.CodeFixes.ASYNC011CancellationSwallowedInLoopCodeFix>;

namespace AsyncPitfalls.Tests;

public class ASYNC011CancellationSwallowedInLoopTests
{
    private const string Usings = "using System;\nusing System.Collections.Generic;\nusing System.Threading;\nusing System.Threading.Channels;\nusing System.Threading.Tasks;\n";

    private const string Log = "\nstatic class Logger { public static void Error(Exception e, string m) { } public static void Info(string m) { } }\n";

    private static Task VerifyAsync(string source, params DiagnosticResult[] expected) => Verify.VerifyAnalyzerAsync(Usings + source + Log, expected);

    [Fact]
    public Task Reports_TheChannelReaderLoop() => VerifyAsync("""
        class Pump
        {
            async Task RunAsync(ChannelReader<int> reader, CancellationToken token)
            {
                while (true)
                {
                    try { var item = await reader.ReadAsync(token); Console.WriteLine(item); }
                    {|#0:catch (Exception ex)|} { Logger.Error(ex, "failed"); }
                }
            }
        }
        """, Verify.Diagnostic().WithLocation(0).WithArguments("catch (Exception)", "ReadAsync", "token"));

    [Fact]
    public Task Reports_ExplicitSwallowAndBareCatchAndSystemException() => VerifyAsync("""
        class C
        {
            async Task A(CancellationToken ct)
            {
                while (true)
                {
                    try { await Task.Delay(10, ct); }
                    [|catch (OperationCanceledException)|] { Logger.Info("cancelled?"); }
                }
            }
            async Task B(CancellationToken ct)
            {
                for (;;)
                {
                    try { await Task.Delay(10, ct); }
                    [|catch|] { }
                }
            }
            void C2(CancellationToken ct)
            {
                do
                {
                    try { ct.ThrowIfCancellationRequested(); Thread.Sleep(10); }
                    [|catch (SystemException e)|] { Logger.Error(e, "x"); }
                }
                while (true);
            }
            async Task D(CancellationToken ct, Func<bool> running)
            {
                while (running())
                {
                    try { await Task.Delay(10, ct); }
                    [|catch (TaskCanceledException)|] { }
                }
            }
            async Task E(CancellationToken ct)
            {
                while (true)
                {
                    try { await Task.Delay(10, ct); }
                    [|catch (Exception e)|] when (e is not TimeoutException) { }
                }
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_ForeachAndCountedFor() => VerifyAsync("""
        class C
        {
            async Task M(List<int> items, CancellationToken ct)
            {
                foreach (var i in items)
                {
                    try { await Task.Delay(i, ct); } catch (Exception e) { Logger.Error(e, "x"); }
                }
                for (var i = 0; i < 3; i++)
                {
                    try { await Task.Delay(i, ct); } catch (Exception e) { Logger.Error(e, "x"); }
                }
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_LoopThatTestsTheToken() => VerifyAsync("""
        class C
        {
            async Task M(CancellationToken ct)
            {
                while (!ct.IsCancellationRequested)
                {
                    try { await Task.Delay(10, ct); } catch (Exception e) { Logger.Error(e, "x"); }
                }
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_FiltersThatExcludeCancellation() => VerifyAsync("""
        class C
        {
            async Task M(CancellationToken ct)
            {
                while (true)
                {
                    try { await Task.Delay(10, ct); }
                    catch (Exception e) when (e is not OperationCanceledException) { Logger.Error(e, "x"); }
                    catch (Exception e) when (!ct.IsCancellationRequested) { Logger.Error(e, "y"); }
                }
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_CatchesThatLeaveOrDealWithCancellation() => VerifyAsync("""
        class C
        {
            async Task M(CancellationToken ct)
            {
                while (true)
                {
                    try { await Task.Delay(10, ct); }
                    catch (Exception e) { Logger.Error(e, "x"); throw; }
                }
            }
            async Task N(CancellationToken ct)
            {
                while (true)
                {
                    try { await Task.Delay(10, ct); }
                    catch (Exception) { if (ct.IsCancellationRequested) break; }
                }
            }
            async Task O(CancellationToken ct)
            {
                while (true)
                {
                    try { await Task.Delay(10, ct); }
                    catch (OperationCanceledException) { return; }
                    catch (Exception e) { Logger.Error(e, "x"); }
                }
            }
            async Task<int> P(CancellationToken ct)
            {
                while (true)
                {
                    try { await Task.Delay(10, ct); return 1; }
                    catch (Exception) { return 0; }
                }
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_NoTokenInTheTryOrAnotherExit() => VerifyAsync("""
        class C
        {
            async Task Retry(Func<Task> work)
            {
                while (true)
                {
                    try { await work(); break; } catch (Exception e) { Logger.Error(e, "retry"); }
                }
            }
            async Task M(CancellationToken ct)
            {
                while (true)
                {
                    if (ct.IsCancellationRequested) break;
                    try { await Task.Delay(10, ct); } catch (Exception e) { Logger.Error(e, "x"); }
                }
            }
            async Task N(CancellationToken ct)
            {
                while (true)
                {
                    try { await Task.Delay(10, ct); } catch (Exception e) { Logger.Error(e, "x"); }
                    await Task.Delay(100, ct);
                }
            }
        }
        """);

    [Fact]
    public Task Fix_StopTheLoopOnCancellation() => Verify.VerifyCodeFixAsync(Usings + """
        class Pump
        {
            async Task RunAsync(ChannelReader<int> reader, CancellationToken token)
            {
                while (true)
                {
                    try
                    {
                        var item = await reader.ReadAsync(token);
                    }
                    [|catch (Exception ex)|]
                    {
                        Logger.Error(ex, "failed");
                    }
                }
            }
        }
        """ + Log, Usings + """
        class Pump
        {
            async Task RunAsync(ChannelReader<int> reader, CancellationToken token)
            {
                while (true)
                {
                    try
                    {
                        var item = await reader.ReadAsync(token);
                    }
                    catch (OperationCanceledException) when (token.IsCancellationRequested)
                    {
                        break;
                    }
                    catch (Exception ex)
                    {
                        Logger.Error(ex, "failed");
                    }
                }
            }
        }
        """ + Log, "ASYNC011.Break");

    [Fact]
    public Task Fix_RethrowCancellation() => Verify.VerifyCodeFixAsync(Usings + """
        class C
        {
            async Task M(CancellationToken ct)
            {
                while (true)
                {
                    try
                    {
                        await Task.Delay(10, ct);
                    }
                    [|catch (OperationCanceledException)|]
                    {
                        Logger.Info("x");
                    }
                }
            }
        }
        """ + Log, Usings + """
        class C
        {
            async Task M(CancellationToken ct)
            {
                while (true)
                {
                    try
                    {
                        await Task.Delay(10, ct);
                    }
                    catch (OperationCanceledException) when (ct.IsCancellationRequested)
                    {
                        throw;
                    }
                    catch (OperationCanceledException)
                    {
                        Logger.Info("x");
                    }
                }
            }
        }
        """ + Log, "ASYNC011.Rethrow");

    [Fact]
    public Task NoBreakFix_InsideASwitch() => Verify.VerifyCodeFixAsync(Usings + """
        class C
        {
            async Task M(CancellationToken ct, int mode)
            {
                while (true)
                {
                    switch (mode)
                    {
                        case 1:
                            try { await Task.Delay(10, ct); } [|catch (Exception)|] { }
                            break;
                    }
                }
            }
        }
        """ + Log, Usings + """
        class C
        {
            async Task M(CancellationToken ct, int mode)
            {
                while (true)
                {
                    switch (mode)
                    {
                        case 1:
                            try { await Task.Delay(10, ct); } [|catch (Exception)|] { }
                            break;
                    }
                }
            }
        }
        """ + Log, "ASYNC011.Break");

    [Fact]
    public async Task Fix_AllInDocumentAndAcrossDocuments()
    {
        static string Loop(string catchText) => "        while (true)\n        {\n            try\n            {\n                await Task.Delay(1, t);\n            }\n" + catchText + "            catch (Exception)\n            {\n            }\n        }\n";
        var marked = "        while (true)\n        {\n            try\n            {\n                await Task.Delay(1, t);\n            }\n            [|catch (Exception)|]\n            {\n            }\n        }\n";
        var fixedLoop = Loop("            catch (OperationCanceledException) when (t.IsCancellationRequested)\n            {\n                break;\n            }\n");
        var test = new Verify.Test { CodeActionEquivalenceKey = "ASYNC011.Break" };
        test.TestState.Sources.Add(Usings + "class A\n{\n    async Task M(CancellationToken t)\n    {\n" + marked + "    }\n    async Task N(CancellationToken t)\n    {\n" + marked + "    }\n}\n");
        test.TestState.Sources.Add(Usings + "class B\n{\n    async Task O(CancellationToken t)\n    {\n" + marked + "    }\n}\n");
        test.FixedState.Sources.Add(Usings + "class A\n{\n    async Task M(CancellationToken t)\n    {\n" + fixedLoop + "    }\n    async Task N(CancellationToken t)\n    {\n" + fixedLoop + "    }\n}\n");
        test.FixedState.Sources.Add(Usings + "class B\n{\n    async Task O(CancellationToken t)\n    {\n" + fixedLoop + "    }\n}\n");
        await test.RunAsync();
    }
}
