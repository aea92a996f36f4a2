using System.Threading.Tasks;
using AsyncPitfalls.CodeFixes;
using Verify = AsyncPitfalls.Tests.CSharpCodeFixVerifier<AsyncPitfalls.Analyzers.ASYNC011CancellationSwallowedInLoopAnalyzer, AsyncPitfalls.CodeFixes.ASYNC011CancellationSwallowedInLoopCodeFix>;

namespace AsyncPitfalls.Tests;

/// <summary>ASYNC011's fixes: stop the loop on cancellation, or rethrow cancellation.</summary>
public class ASYNC011CancellationSwallowedInLoopCodeFixTests
{
    [Fact]
    public Task Fix_StopTheLoopOnCancellation() => Verify.VerifyCodeFixAsync(ASYNC011Sources.Usings + """
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
        """ + ASYNC011Sources.Log, ASYNC011Sources.Usings + """
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
        """ + ASYNC011Sources.Log, ASYNC011CancellationSwallowedInLoopCodeFix.BreakKey);

    [Fact]
    public Task Fix_RethrowCancellation() => Verify.VerifyCodeFixAsync(ASYNC011Sources.Usings + """
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
        """ + ASYNC011Sources.Log, ASYNC011Sources.Usings + """
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
        """ + ASYNC011Sources.Log, ASYNC011CancellationSwallowedInLoopCodeFix.RethrowKey);

    [Fact]
    public Task NoBreakFix_InsideASwitch() => Verify.VerifyCodeFixAsync(ASYNC011Sources.Usings + """
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
        """ + ASYNC011Sources.Log, ASYNC011Sources.Usings + """
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
        """ + ASYNC011Sources.Log, ASYNC011CancellationSwallowedInLoopCodeFix.BreakKey);

    [Fact]
    public async Task Fix_AllInDocumentAndAcrossDocuments()
    {
        const string loop = """
                    while (true)
                    {
                        try
                        {
                            await Task.Delay(1, t);
                        }
                        [|catch (Exception)|]
                        {
                        }
                    }
            """;
        const string fixedLoop = """
                    while (true)
                    {
                        try
                        {
                            await Task.Delay(1, t);
                        }
                        catch (OperationCanceledException) when (t.IsCancellationRequested)
                        {
                            break;
                        }
                        catch (Exception)
                        {
                        }
                    }
            """;
        var test = new Verify.Test { CodeActionEquivalenceKey = ASYNC011CancellationSwallowedInLoopCodeFix.BreakKey };
        test.TestState.Sources.Add(ASYNC011Sources.Usings + Type("A", loop, "M", "N"));
        test.TestState.Sources.Add(ASYNC011Sources.Usings + Type("B", loop, "O"));
        test.FixedState.Sources.Add(ASYNC011Sources.Usings + Type("A", fixedLoop, "M", "N"));
        test.FixedState.Sources.Add(ASYNC011Sources.Usings + Type("B", fixedLoop, "O"));
        await test.RunAsync();

        static string Type(string name, string body, params string[] methods) => $$"""
            class {{name}}
            {
            {{string.Join("\n", System.Linq.Enumerable.Select(methods, m => $$$"""
                async Task {{{m}}}(CancellationToken t)
                {
            {{{body}}}
                }
            """))}}
            }
            """;
    }
}
