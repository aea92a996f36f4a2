using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Verify = AsyncPitfalls.Tests.CSharpAnalyzerVerifier<AsyncPitfalls.Analyzers.ASYNC020ASYNC021LostResultAnalyzer>;

namespace AsyncPitfalls.Tests;

public class ASYNC020MisspelledResultTests
{
    private static Task VerifyAsync(string source, params DiagnosticResult[] expected) => Verify.VerifyAnalyzerAsync(source + ASYNC020Sources.Work, expected);

    [Fact]
    public Task Reports_TheSpinnerTypo_WithAField() => VerifyAsync("""
        using System.Threading.Tasks;
        class Supervisor
        {
            private int result;
            async Task<int> RunAsync()
            {
                var {|#0:resut|} = await Work.HeavyAsync();
                return {|#1:result|};
            }
        }
        """, Verify.Diagnostic("ASYNC020").WithLocation(0).WithLocation(1).WithArguments("resut", "result", 8));

    /// <summary>A class with a field, a property, a static field and helpers, around <paramref name="members"/>.</summary>
    private static string InType(string members) => $$"""
        using System;
        using System.Collections.Generic;
        using System.Diagnostics;
        using System.Threading.Tasks;
        class Grant { }
        class C
        {
            private static int counter;
            private int result;
            private int value;
            private readonly Stopwatch _stopwatch = new();
            private List<int> responses = new();
            public int Total { get; set; }
            {{members}}
        }
        """;

    [Theory]
    [InlineData("int Param(int amount) { int.TryParse(\"1\", out var {|ASYNC020:amuont|}); return amount; }")]
    [InlineData("int Prop() { var {|ASYNC020:totl|} = Work.Compute(); return Total; }")]
    [InlineData("int Static() { var {|ASYNC020:counetr|} = Work.Compute(); return counter; }")]
    [InlineData("async Task<int> Local() { int amount = 0; var {|ASYNC020:amuont|} = await Work.HeavyAsync(); return amount; }")]
    public Task Reports_NearMissOfALocalParameterPropertyOrStatic(string member) => VerifyAsync(InType(member));

    [Theory]
    [InlineData("long Elapsed() { var {|ASYNC020:stopwatch|} = Stopwatch.StartNew(); return _stopwatch.ElapsedMilliseconds; }")]
    [InlineData("int Count() { var {|ASYNC020:respnoes|} = new List<int>(); return responses.Count; }")]
    public Task Reports_UnderscoreNormalisedOrDistanceTwoForLongNames(string member) => VerifyAsync(InType(member));

    [Theory]
    [InlineData("int M(int average) { var {|ASYNC020:averagee|} = Work.Compute(); return average; }")]
    [InlineData("int M() { var {|ASYNC020:resultt|} = Work.Compute(); return result; }")]
    [InlineData("int M(int average) { var {|ASYNC020:averagex|} = Work.Compute(); return average; }")]
    [InlineData("int M(List<int> items) { var {|ASYNC020:itemss|} = new List<int>(); return items.Count; }")]
    public Task Reports_OneLetterSlipPastTheEnd(string member) => VerifyAsync(InType(member));

    [Theory]
    [InlineData("int M(Dictionary<string, int> torrent) { var torrentId = torrent[\"id\"]; return torrent.Count; }")]
    [InlineData("int M(List<int> items) { var item = items[0]; return items.Count; }")]
    [InlineData("int M(int item1) { var item2 = 2; return item1; }")]
    [InlineData("int M(int x1) { var x2 = 3; return x1; }")]
    [InlineData("int M(int categoryids) { var categoryid = 1; return categoryids; }")]
    [InlineData("int M(List<int> item) { var items = item; return item.Count; }")]
    [InlineData("int M(int asyncPolicy) { var asyncPolicyT = Work.Compute(); return asyncPolicy; }")]
    [InlineData("int M(int asyncPolicy) { var syncPolicy = Work.Compute(); return asyncPolicy; }")]
    [InlineData("int M(int syncPolicy) { var asyncPolicy = Work.Compute(); return syncPolicy; }")]
    [InlineData("int M(int asyncPolicy) { var syncPolicyT = Work.Compute(); return asyncPolicy; }")]
    public Task NoDiagnostic_DeliberatePairsOfNames(string member) => VerifyAsync(InType(member));

    [Theory]
    [InlineData("int M(int total) { var totl = total + 1; return total; }")]
    [InlineData("int M(object obj) { if (obj is not Grant gObj) { } return obj == null ? 0 : 1; }")]
    public Task NoDiagnostic_NameInOwnInitializerOrPatternInput(string member) => VerifyAsync(InType(member));

    [Theory]
    [InlineData("int M() { var resut = Work.Compute(); return result + resut; }")]
    [InlineData("int M() { var x = result; var resut = Work.Compute(); return x; }")]
    [InlineData("void M() { var resut = Work.Compute(); }")]
    [InlineData("bool M(byte[] bytes) { var memoryA = bytes.AsSpan(); var memoryB = bytes.AsSpan(); var countA = bytes.Length; var countB = bytes.Length; return memoryA[..countA].SequenceEqual(memoryB[..countB]); }")]
    public Task NoDiagnostic_LocalReadOrPartnerNotReadAfterwards(string member) => VerifyAsync(InType(member));

    [Theory]
    [InlineData("int M() { var unusedValue = Work.Compute(); return value; }")]
    [InlineData("int M() { var dummyValue = Work.Compute(); return value; }")]
    [InlineData("int M() { _ = Work.Compute(); return value; }")]
    [InlineData("int M(List<int> values) { foreach (var valeu in values) { } return value; }")]
    public Task NoDiagnostic_PlaceholderDiscardOrForeachVariable(string member) => VerifyAsync(InType(member));

    [Fact]
    public Task NoDiagnostic_OutVarInLambdaStandIn() => VerifyAsync(InType(
        "int M(int amount) { Func<string, bool> parse = s => int.TryParse(s, out var amuont); return amount + (parse(\"1\") ? 1 : 0); }"));

    // ---- Known misses: each exclusion on the rule page that gives up a true report ----

    [Fact]
    public Task NoDiagnostic_LocalIsAProperPrefixOfTheRead_FalseNegative() => VerifyAsync(InType(
        "int M() { var resul = Work.Compute(); return result; }"));

    [Fact]
    public Task NoDiagnostic_FirstLetterMissing_FalseNegative() => VerifyAsync(InType(
        "int M() { var esult = Work.Compute(); return result; }"));

    [Fact]
    public Task Reports_NameThatDiffersOnlyInCase() => VerifyAsync(InType(
        "int M(int fileName) { var {|ASYNC020:filename|} = Work.Compute(); return fileName; }"));

    [Fact]
    public Task NoDiagnostic_NamesShorterThanFour_FalseNegative() => VerifyAsync(InType(
        "int M(int sum) { var sun = Work.Compute(); return sum; }"));

    [Fact]
    public Task NoDiagnostic_TieBetweenCandidates_FalseNegative() => VerifyAsync(InType(
        "int M(int rate, int rata) { var rats = Work.Compute(); return rate + rata; }"));

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
                """ + ASYNC020Sources.Work,
        };
        test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", TestDefaults.GlobalConfig("""
            ASYNC020.include_members = false
            ASYNC020.max_distance = 0
            """)));
        await test.RunAsync();
    }
}

/// <summary>Sources that <see cref="ASYNC020MisspelledResultTests"/> and <see cref="ASYNC020MisspelledResultCodeFixTests"/> share.</summary>
internal static class ASYNC020Sources
{
    public const string Work = """

        static class Work
        {
            public static System.Threading.Tasks.Task<int> HeavyAsync() => System.Threading.Tasks.Task.FromResult(42);
            public static int Compute() => 42;
        }
        """;
}
