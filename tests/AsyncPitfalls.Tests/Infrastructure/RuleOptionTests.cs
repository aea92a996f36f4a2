using System.Collections.Generic;
using System.Linq;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using AsyncPitfalls.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AsyncPitfalls.Tests;

/// <summary>Option parsing: every malformed value falls back to the default.</summary>
public class RuleOptionTests
{
    private static readonly RuleOption<int> Distance = RuleOption.Int("ASYNC999", "distance", defaultValue: 2, min: 0, max: 2, "test", example: 1);
    private static readonly RuleOption<bool> Flag = RuleOption.Bool("ASYNC999", "flag", defaultValue: true, "test");
    private static readonly RuleOption<ImmutableArray<string>> Names = RuleOption.List("ASYNC999", "names", "test", "A, B");

    [Theory]
    [InlineData("0", 0)]
    [InlineData(" 1 ", 1)]
    [InlineData("2", 2)]
    [InlineData("3", 2)]
    [InlineData("-1", 2)]
    [InlineData("two", 2)]
    [InlineData("", 2)]
    [InlineData(null, 2)]
    public void Int_OutOfRangeOrMalformedGivesTheDefault(string? raw, int expected)
        => Assert.Equal(expected, Distance.Read(OptionsWith(Distance.Key, raw), Tree));

    [Theory]
    [InlineData("false", false)]
    [InlineData("False", false)]
    [InlineData("true", true)]
    [InlineData("no", true)]
    [InlineData(null, true)]
    public void Bool_MalformedGivesTheDefault(string? raw, bool expected)
        => Assert.Equal(expected, Flag.Read(OptionsWith(Flag.Key, raw), Tree));

    [Theory]
    [InlineData("A, B", new[] { "A", "B" })]
    [InlineData("A;B|C D", new[] { "A", "B", "C", "D" })]
    [InlineData(" , ", new string[0])]
    [InlineData(null, new string[0])]
    public void List_SplitsOnEverySeparator(string? raw, string[] expected)
        => Assert.Equal(expected, Names.Read(OptionsWith(Names.Key, raw), Tree).ToArray());

    [Fact]
    public void Key_IsScopedByTheRuleId() => Assert.Equal("ASYNC999.distance", Distance.Key);

    private static readonly SyntaxTree Tree = CSharpSyntaxTree.ParseText("class C { }");

    private static AnalyzerOptions OptionsWith(string key, string? value)
    {
        var values = new Dictionary<string, string>();
        if (value is not null)
        {
            values[key] = value;
        }

        return new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, new Provider(new Options(values)));
    }

    private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
    }

    private sealed class Provider(AnalyzerConfigOptions options) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions => options;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => options;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => options;
    }
}
