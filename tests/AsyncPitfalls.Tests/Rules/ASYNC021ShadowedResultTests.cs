using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Verify = AsyncPitfalls.Tests.CSharpAnalyzerVerifier<AsyncPitfalls.Analyzers.ASYNC020ASYNC021LostResultAnalyzer>;

namespace AsyncPitfalls.Tests;

public class ASYNC021ShadowedResultTests
{
    private static Task VerifyAsync(string source, params DiagnosticResult[] expected) => Verify.VerifyAnalyzerAsync(source + ASYNC021Sources.Work, expected);

    [Fact]
    public Task Reports_LambdaLocalShadowsOuterLocal() => VerifyAsync("""
        using System.Threading.Tasks;
        class C
        {
            async Task<int> M()
            {
                int result = 0;
                await Task.Run(async () => { var {|#0:result|} = await Work.HeavyAsync(); });
                return {|#1:result|};
            }
        }
        """, Verify.Diagnostic("ASYNC021").WithLocation(0).WithLocation(1).WithArguments("result", 6));

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
}

/// <summary>Sources that <see cref="ASYNC021ShadowedResultTests"/> and <see cref="ASYNC021ShadowedResultCodeFixTests"/> share.</summary>
internal static class ASYNC021Sources
{
    public const string Work = """

        static class Work
        {
            public static System.Threading.Tasks.Task<int> HeavyAsync() => System.Threading.Tasks.Task.FromResult(42);
            public static int Compute() => 42;
        }
        """;
}
