using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Verify = AsyncPitfalls.Tests.CSharpCodeFixVerifier<AsyncPitfalls.Analyzers.LostResultAnalyzer, AsyncPitfalls.CodeFixes.ASYNC021ShadowedResultCodeFix>;

namespace AsyncPitfalls.Tests;

public class ASYNC021ShadowedResultTests
{
    private const string Work = """

        static class Work
        {
            public static System.Threading.Tasks.Task<int> HeavyAsync() => System.Threading.Tasks.Task.FromResult(42);
            public static int Compute() => 42;
        }
        """;

    private static Task VerifyAsync(string source, params DiagnosticResult[] expected) => Verify.VerifyAnalyzerAsync(source + Work, expected);

    [Fact]
    public Task Reports_LambdaLocalShadowsOuterLocal() => VerifyAsync("""
        using System.Threading.Tasks;
        class C
        {
            async Task<int> M()
            {
                int result = 0;
                await Task.Run(async () => { var {|#0:result|} = await Work.HeavyAsync(); });
                return result;
            }
        }
        """, Verify.Diagnostic("ASYNC021").WithLocation(0).WithArguments("result", 6));

    [Fact]
    public Task Reports_ParameterShadowedInLocalFunctionAfterItIsCalled() => VerifyAsync("""
        class C
        {
            int M(int total)
            {
                void Add() { var {|ASYNC021:total|} = Work.Compute(); }
                Add();
                return total;
            }
        }
        """);

    [Fact]
    public Task Reports_NestedBlockLocalShadowsField() => VerifyAsync("""
        class C
        {
            private int result;
            int M(bool ready)
            {
                if (ready)
                {
                    var {|ASYNC021:result|} = Work.Compute();
                }
                return result;
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_InnerLocalIsRead() => VerifyAsync("""
        using System;
        class C
        {
            int M()
            {
                int result = 0;
                Func<int> f = static () => { var result = Work.Compute(); return result * 2; };
                Action g = () => { var result = Work.Compute(); Console.WriteLine(result); };
                return result + f();
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_OuterNeverReadAfterwards() => VerifyAsync("""
        using System;
        class C
        {
            private int result;
            void M()
            {
                int total = 0;
                Console.WriteLine(total);
                Action a = () => { var total = Work.Compute(); };
                if (total > 0)
                {
                }
                {
                    var result = Work.Compute();
                }
            }
        }
        """.Replace("if (total > 0)", "if (DateTime.Now.Ticks > 0)"));

    [Fact]
    public Task NoDiagnostic_LocalFunctionNeverCalledBeforeTheRead() => VerifyAsync("""
        class C
        {
            int M(int total)
            {
                var before = total;
                void Add() { var total = Work.Compute(); }
                return before;
            }
        }
        """);

    [Fact]
    public Task Fix_AssignTheOuterVariable() => Verify.VerifyCodeFixAsync("""
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
        """ + Work, """
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
        """ + Work);

    [Fact]
    public Task NoFix_InStaticLambdaOrIncompatibleType() => Verify.VerifyCodeFixAsync("""
        using System;
        class C
        {
            int M()
            {
                int result = 0;
                Action a = static () => { var {|ASYNC021:result|} = Work.Compute(); };
                int total = 0;
                Action b = () => { var {|ASYNC021:total|} = "text"; };
                return result + total;
            }
        }
        """ + Work, """
        using System;
        class C
        {
            int M()
            {
                int result = 0;
                Action a = static () => { var {|ASYNC021:result|} = Work.Compute(); };
                int total = 0;
                Action b = () => { var {|ASYNC021:total|} = "text"; };
                return result + total;
            }
        }
        """ + Work);

    [Fact]
    public async Task Fix_AllInDocumentAndAcrossDocuments()
    {
        const string shadowing = "    int {0}()\n    {{\n        int result = 0;\n        System.Action a = () => {{ var {{|ASYNC021:result|}} = Work.Compute(); }};\n        a();\n        return result;\n    }}\n";
        const string fixedShadowing = "    int {0}()\n    {{\n        int result = 0;\n        System.Action a = () => {{ result = Work.Compute(); }};\n        a();\n        return result;\n    }}\n";
        var test = new Verify.Test();
        test.TestState.Sources.Add("class A\n{\n" + string.Format(shadowing, "M") + string.Format(shadowing, "N") + "}\n" + Work);
        test.TestState.Sources.Add("class B\n{\n" + string.Format(shadowing, "O") + "}\n");
        test.FixedState.Sources.Add("class A\n{\n" + string.Format(fixedShadowing, "M") + string.Format(fixedShadowing, "N") + "}\n" + Work);
        test.FixedState.Sources.Add("class B\n{\n" + string.Format(fixedShadowing, "O") + "}\n");
        await test.RunAsync();
    }
}
