using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Verify = AsyncPitfalls.Tests.CSharpCodeFixVerifier<AsyncPitfalls.Analyzers.ASYNC020ASYNC021LostResultAnalyzer, AsyncPitfalls.CodeFixes.ASYNC021ShadowedResultCodeFix>;

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

    [Theory]
    [InlineData("Func<int> f = static () => { var result = Work.Compute(); return result * 2; };")]
    [InlineData("Action g = () => { var result = Work.Compute(); Console.WriteLine(result); };")]
    public Task NoDiagnostic_InnerLocalIsRead(string statement) => VerifyAsync($$"""
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
        """);

    [Fact]
    public Task NoDiagnostic_OuterLocalNeverReadAfterwards() => VerifyAsync("""
        using System;
        class C
        {
            void M()
            {
                int total = 0;
                Console.WriteLine(total);
                Action a = () => { var total = Work.Compute(); };
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_FieldNeverReadAfterTheBlock() => VerifyAsync("""
        class C
        {
            private int result;
            void M()
            {
                {
                    var result = Work.Compute();
                }
            }
        }
        """);

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
            """ + Work;
        return Verify.VerifyCodeFixAsync(source, source);
    }

    [Fact]
    public async Task Fix_AllInDocumentAndAcrossDocuments()
    {
        var test = new Verify.Test();
        test.TestState.Sources.Add(Type("A", "var {|ASYNC021:result|} = Work.Compute();", "M", "N") + Work);
        test.TestState.Sources.Add(Type("B", "var {|ASYNC021:result|} = Work.Compute();", "O"));
        test.FixedState.Sources.Add(Type("A", "result = Work.Compute();", "M", "N") + Work);
        test.FixedState.Sources.Add(Type("B", "result = Work.Compute();", "O"));
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
