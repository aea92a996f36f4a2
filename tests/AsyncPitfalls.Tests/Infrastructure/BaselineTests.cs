using System;
using System.Linq;
using AsyncPitfalls.Analyzers;

namespace AsyncPitfalls.Tests;

/// <summary>The baseline file's text: what the tool writes, the suppressor reads back.</summary>
public class BaselineTests
{
    [Fact]
    public void Baseline_RoundTripsThroughItsText()
    {
        var entries = new[]
        {
            new BaselineEntry("ASYNC001", "src/a \"quoted\".cs", "M:N.T.M(System.String)", "Call(\"x\\n\")", 1),
            new BaselineEntry("ASYNC030", "src/b.cs", BaselineFingerprint.TopLevel, "Thread.Sleep(1)", 0),
        };
        var parsed = Baseline.Parse(new Baseline(entries).Serialize());
        Assert.NotNull(parsed);
        Assert.Equal(entries.OrderBy(e => e.File, StringComparer.Ordinal), parsed!.Entries);
    }

    [Theory]
    [InlineData("Thread.Sleep(10)", "Thread . Sleep ( 10 )")]
    [InlineData("Thread.Sleep(\n        10 /* ms */)", "Thread . Sleep ( 10 )")]
    [InlineData("await  x.ConfigureAwait( false )", "await x . ConfigureAwait ( false )")]
    public void Code_IgnoresWhitespaceAndComments(string code, string expected)
    {
        var tree = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText("class C { async void M() { " + code + "; } }");
        var start = tree.GetText().ToString().IndexOf(code, StringComparison.Ordinal);
        Assert.Equal(expected, BaselineFingerprint.Code(tree.GetRoot(), new Microsoft.CodeAnalysis.Text.TextSpan(start, code.Length)));
    }

    [Theory]
    [InlineData("/repo", "/repo/src/a.cs", "src/a.cs")]
    [InlineData("/repo/", "/repo/src/a.cs", "src/a.cs")]
    [InlineData("C:\\repo", "C:\\repo\\src\\a.cs", "src/a.cs")]
    [InlineData("/repo", "/elsewhere/a.cs", "/elsewhere/a.cs")]
    public void RelativePath_UsesForwardSlashes(string root, string path, string expected)
        => Assert.Equal(expected, BaselineFingerprint.RelativePath(root, path));
}
