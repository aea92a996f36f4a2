using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Verify = AsyncPitfalls.Tests.CSharpCodeFixVerifier<AsyncPitfalls.Analyzers.LostResultAnalyzer, AsyncPitfalls.CodeFixes.ASYNC020MisspelledResultCodeFix>;

namespace AsyncPitfalls.Tests;

public class ASYNC020MisspelledResultTests
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
    public Task Reports_TheSpinnerTypo_WithAField() => VerifyAsync("""
        using System.Threading.Tasks;
        class Supervisor
        {
            private int result;
            async Task<int> RunAsync()
            {
                var {|#0:resut|} = await Work.HeavyAsync();
                return result;
            }
        }
        """, Verify.Diagnostic("ASYNC020").WithLocation(0).WithArguments("resut", "result", 8));

    [Fact]
    public Task Reports_OuterLocalParameterPropertyAndStatic() => VerifyAsync("""
        using System.Threading.Tasks;
        class C
        {
            private static int counter;
            public int Total { get; set; }
            async Task<int> Outer()
            {
                int result = 0;
                var {|ASYNC020:resut|} = await Work.HeavyAsync();
                return result;
            }
            int Param(int value)
            {
                int.TryParse("1", out var {|ASYNC020:vaule|});
                return value;
            }
            int Prop()
            {
                var {|ASYNC020:totl|} = Work.Compute();
                return Total;
            }
            int Static()
            {
                var {|ASYNC020:counetr|} = Work.Compute();
                return counter;
            }
        }
        """);

    [Fact]
    public Task Reports_DistanceTwoForLongNamesAndUnderscoreNormalisation() => VerifyAsync("""
        using System.Collections.Generic;
        using System.Diagnostics;
        class C
        {
            private readonly Stopwatch _stopwatch = new();
            private List<int> responses = new();
            long Elapsed()
            {
                var {|ASYNC020:stopwatch|} = Stopwatch.StartNew();
                return _stopwatch.ElapsedMilliseconds;
            }
            int Count()
            {
                var {|ASYNC020:respnoes|} = new List<int>();
                return responses.Count;
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_ProperPrefixesTrailingDigitsAndShortNames() => VerifyAsync("""
        using System.Collections.Generic;
        class C
        {
            int M(Dictionary<string, int> torrent, List<int> items, int item1, int x1)
            {
                var torrentId = torrent["id"];
                var item = items[0];
                var item2 = items[1];
                var x2 = 3;
                var abc = 1;
                var categoryid = 1;
                return torrent.Count + items.Count + item1 + x1 + abc;
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_NameInOwnInitializerOrPatternInput() => VerifyAsync("""
        class Grant { }
        class C
        {
            int M(int total, object obj)
            {
                var totl = total + 1;
                if (obj is not Grant gObj) { }
                return total + (obj == null ? 0 : 1);
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_BothReadOrLocalReadOrNoReadAfter() => VerifyAsync("""
        class C
        {
            int result;
            int M()
            {
                var resut = Work.Compute();
                return result + resut;
            }
            int N()
            {
                var x = result;
                var resut = Work.Compute();
                return x;
            }
            void O()
            {
                var resut = Work.Compute();
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_PlaceholdersDiscardsAndForeach() => VerifyAsync("""
        using System.Collections.Generic;
        class C
        {
            int value;
            int M(List<int> values)
            {
                var unusedValue = Work.Compute();
                var dummyValue = Work.Compute();
                _ = Work.Compute();
                foreach (var valeu in values) { }
                return value;
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_OutVarInLambdaStandIn() => VerifyAsync("""
        using System;
        class C
        {
            int M(int value)
            {
                Func<string, bool> parse = s => int.TryParse(s, out var vaule);
                return value + (parse("1") ? 1 : 0);
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_TiesBetweenCandidates() => VerifyAsync("""
        class C
        {
            int M(int rate, int rata)
            {
                var rats = Work.Compute();
                return rate + rata;
            }
        }
        """);

    [Fact]
    public async Task NoDiagnostic_WhenOptionsExcludeMembersOrCapDistance()
    {
        var test = new Verify.Test
        {
            TestCode = """
                class C
                {
                    private int result;
                    int M(int respones)
                    {
                        var resut = Work.Compute();
                        var respnoes = Work.Compute();
                        return result + respones;
                    }
                }
                """ + Work,
        };
        test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", TestDefaults.GlobalConfig("ASYNC020.include_members = false\nASYNC020.max_distance = 0")));
        await test.RunAsync();
    }

    [Fact]
    public Task Fix_UseTheIntendedField() => Verify.VerifyCodeFixAsync("""
        using System.Threading.Tasks;
        class Supervisor
        {
            private int result;
            async Task<int> RunAsync()
            {
                var {|ASYNC020:resut|} = await Work.HeavyAsync();
                return result;
            }
        }
        """ + Work, """
        using System.Threading.Tasks;
        class Supervisor
        {
            private int result;
            async Task<int> RunAsync()
            {
                result = await Work.HeavyAsync();
                return result;
            }
        }
        """ + Work, "ASYNC020.UsePartner");

    [Fact]
    public Task Fix_UseRenamesTheLocalWhenTheFieldIsUsedElsewhere() => Verify.VerifyCodeFixAsync("""
        using System.Threading.Tasks;
        class Supervisor
        {
            private int result = 1;
            public int Last => result;
            async Task<int> RunAsync()
            {
                var {|ASYNC020:resut|} = await Work.HeavyAsync();
                return result + 1;
            }
        }
        """ + Work, """
        using System.Threading.Tasks;
        class Supervisor
        {
            private int result = 1;
            public int Last => result;
            async Task<int> RunAsync()
            {
                var result = await Work.HeavyAsync();
                return result + 1;
            }
        }
        """ + Work, "ASYNC020.UsePartner");

    [Fact]
    public Task Fix_ReadTheLocalInstead() => Verify.VerifyCodeFixAsync("""
        using System.Threading.Tasks;
        class Supervisor
        {
            private readonly int result;
            async Task<int> RunAsync()
            {
                var {|ASYNC020:resut|} = await Work.HeavyAsync();
                return this.result + result;
            }
        }
        """ + Work, """
        using System.Threading.Tasks;
        class Supervisor
        {
            private readonly int result;
            async Task<int> RunAsync()
            {
                var resut = await Work.HeavyAsync();
                return resut + resut;
            }
        }
        """ + Work, "ASYNC020.ReadLocal");

    [Fact]
    public Task NoUseFix_WhenThePartnerCannotBeAssigned() => Verify.VerifyCodeFixAsync("""
        class C
        {
            private readonly int result;
            private const int Limit = 1;
            int M()
            {
                var {|ASYNC020:resut|} = Work.Compute();
                return result;
            }
            string N()
            {
                var {|ASYNC020:lenght|} = Work.Compute();
                return Length;
            }
            string Length => "x";
        }
        """ + Work, """
        class C
        {
            private readonly int result;
            private const int Limit = 1;
            int M()
            {
                var {|ASYNC020:resut|} = Work.Compute();
                return result;
            }
            string N()
            {
                var {|ASYNC020:lenght|} = Work.Compute();
                return Length;
            }
            string Length => "x";
        }
        """ + Work, "ASYNC020.UsePartner");

    [Fact]
    public async Task Fix_AllInDocumentAndAcrossDocuments()
    {
        var test = new Verify.Test { CodeActionEquivalenceKey = "ASYNC020.UsePartner" };
        test.TestState.Sources.Add("class A\n{\n    int result;\n    int M()\n    {\n        var {|ASYNC020:resut|} = Work.Compute();\n        return result;\n    }\n    int N(int total)\n    {\n        var {|ASYNC020:totl|} = Work.Compute();\n        return total;\n    }\n}\n" + Work);
        test.TestState.Sources.Add("class B\n{\n    int O(int value)\n    {\n        var {|ASYNC020:vaule|} = Work.Compute();\n        return value;\n    }\n}\n");
        test.FixedState.Sources.Add("class A\n{\n    int result;\n    int M()\n    {\n        result = Work.Compute();\n        return result;\n    }\n    int N(int total)\n    {\n        total = Work.Compute();\n        return total;\n    }\n}\n" + Work);
        test.FixedState.Sources.Add("class B\n{\n    int O(int value)\n    {\n        value = Work.Compute();\n        return value;\n    }\n}\n");
        await test.RunAsync();
    }
}
