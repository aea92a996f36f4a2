using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;

namespace AsyncPitfalls.Tests;

/// <summary>The samples with every analyzer: the pitfalls demo shows each rule once, the correct demo none.</summary>
public class SampleTests
{
    [Fact]
    public async Task PitfallsSample_ReportsExactlyTheExpectedDiagnostics()
    {
        var path = TestDefaults.RepositoryFile("samples", "Spinner.Pitfalls", "Program.cs");
        var source = await File.ReadAllTextAsync(path);
        var lines = source.Replace("\r\n", "\n").Split('\n');
        var expected = SampleExpectations.Pitfalls
            .Select(e => (e.Id, Line: Array.FindIndex(lines, l => l.Contains(e.LineFragment, StringComparison.Ordinal)) + 1))
            .OrderBy(e => e.Line).ThenBy(e => e.Id)
            .ToList();
        Assert.DoesNotContain(expected, e => e.Line == 0);

        var actual = (await AnalyzeAsync(source))
            .Where(d => d.Id.StartsWith("ASYNC", StringComparison.Ordinal) && !d.IsSuppressed)
            .Select(d => (d.Id, Line: d.Location.GetLineSpan().StartLinePosition.Line + 1))
            .OrderBy(e => e.Line).ThenBy(e => e.Id)
            .ToList();
        Assert.Equal(expected, actual);

        // Every warning rule of the package shows up in the pitfalls demo at least once, except the ones the demo has
        // no natural instance of (and those really do not show up).
        var absent = SampleExpectations.NotInTheSample.Select(n => n.Id).ToList();
        foreach (var id in RuleCatalog.Rules.Where(d => d.DefaultSeverity == DiagnosticSeverity.Warning).Select(d => d.Id))
        {
            if (absent.Contains(id))
            {
                Assert.DoesNotContain(actual, a => a.Id == id);
            }
            else
            {
                Assert.Contains(actual, a => a.Id == id);
            }
        }
    }

    [Fact]
    public async Task SpinnerSample_IsCleanUnderEveryRule()
    {
        var source = await File.ReadAllTextAsync(TestDefaults.RepositoryFile("samples", "Spinner", "Program.cs"));
        var diagnostics = await AnalyzeAsync(source);
        Assert.Empty(diagnostics.Where(d => d.Id.StartsWith("ASYNC", StringComparison.Ordinal) || d.Id == "AD0001" || d.Severity >= DiagnosticSeverity.Warning));
    }

    private static async Task<System.Collections.Immutable.ImmutableArray<Diagnostic>> AnalyzeAsync(string source)
    {
        var compilation = (await AnalyzerRunner.CompileAsync(source))
            .WithOptions(new Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        var diagnostics = await AnalyzerRunner.RunAsync(compilation, AnalyzerRunner.AllAnalyzers());
        Assert.DoesNotContain(diagnostics, d => d.Severity == DiagnosticSeverity.Error || d.Id == "AD0001");
        return diagnostics;
    }
}
