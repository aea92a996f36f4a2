using System.Threading.Tasks;
using Verify = AsyncPitfalls.Tests.CSharpCodeFixVerifier<AsyncPitfalls.Analyzers.ASYNC020ASYNC021LostResultAnalyzer, AsyncPitfalls.CodeFixes.ASYNC021ShadowedResultCodeFix>;

namespace AsyncPitfalls.Tests;

/// <summary>
/// ASYNC021's fix: assign the outer variable instead of declaring a shadowing local. The outer variable is captured by
/// the lambda, so the fix writes shared state: it is offered one at a time and never applied by Fix All.
/// </summary>
public class ASYNC021ShadowedResultCodeFixTests
{
    private static Task FixOneAtATimeAsync(string source, string fixedSource)
    {
        var test = new Verify.Test { TestCode = source, FixedCode = fixedSource, BatchFixedCode = source };
        test.BatchFixedState.MarkupHandling = Microsoft.CodeAnalysis.Testing.MarkupMode.Allow;
        return test.RunAsync();
    }

    [Fact]
    public Task Fix_AssignTheOuterVariable() => FixOneAtATimeAsync("""
        using System.Threading.Tasks;
        class C
        {
            async Task<int> M()
            {
                int result = 0;
                await Task.Run(async () => { var {|ASYNC021:result|} = await Work.HeavyAsync(); });
                return result;
            }
        }
        """ + ASYNC021Sources.Work, """
        using System.Threading.Tasks;
        class C
        {
            async Task<int> M()
            {
                int result = 0;
                await Task.Run(async () => { result = await Work.HeavyAsync(); });
                return result;
            }
        }
        """ + ASYNC021Sources.Work);

    [Theory]
    [InlineData("Action a = static () => { var {|ASYNC021:result|} = Work.Compute(); };")]
    [InlineData("Action b = () => { var {|ASYNC021:result|} = \"text\"; };")]
    public Task NoFix_InStaticLambdaOrIncompatibleType(string statement)
    {
        var source = $$"""
            using System;
            class C
            {
                int M()
                {
                    int result = 0;
                    {{statement}}
                    return result;
                }
            }
            """ + ASYNC021Sources.Work;
        return Verify.VerifyCodeFixAsync(source, source);
    }

    [Fact]
    public async Task FixAll_LeavesEveryShadowAlone()
    {
        var test = new Verify.Test();
        test.TestState.Sources.Add(Type("A", "var {|ASYNC021:result|} = Work.Compute();", "M", "N") + ASYNC021Sources.Work);
        test.TestState.Sources.Add(Type("B", "var {|ASYNC021:result|} = Work.Compute();", "O"));
        test.FixedState.Sources.Add(Type("A", "result = Work.Compute();", "M", "N") + ASYNC021Sources.Work);
        test.FixedState.Sources.Add(Type("B", "result = Work.Compute();", "O"));
        test.BatchFixedState.Sources.Add(test.TestState.Sources[0].content.ToString());
        test.BatchFixedState.Sources.Add(test.TestState.Sources[1].content.ToString());
        test.BatchFixedState.MarkupHandling = Microsoft.CodeAnalysis.Testing.MarkupMode.Allow;
        await test.RunAsync();

        static string Type(string name, string assignment, params string[] methods) => $$"""
            class {{name}}
            {
            {{string.Join("\n", System.Linq.Enumerable.Select(methods, m => $$$"""
                int {{{m}}}()
                {
                    int result = 0;
                    System.Action a = () => { {{{assignment}}} };
                    a();
                    return result;
                }
            """))}}
            }
            """;
    }
}
