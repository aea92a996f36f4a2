using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using AsyncPitfalls.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AsyncPitfalls.Tests;

/// <summary>
/// The baseline suppressor on real compilations: a baseline is written from one version of the code (as
/// <c>asyncpitfalls baseline</c> writes it), then the code changes and the build runs with the file as an additional
/// file. Exactly the listed reports are suppressed, whatever else moved around them.
/// </summary>
public class ASYNC902BaselineSuppressorTests
{
    private const string Root = "/repo";

    private const string Worker = """
        using System.Threading;
        using System.Threading.Tasks;
        namespace App;
        public class Worker
        {
            public Task StartAsync(CancellationToken ct)
            {
                SaveAsync(1);
                return Task.CompletedTask;
            }

            public async Task RunAsync()
            {
                Thread.Sleep(10);
                await Task.Yield();
            }

            public Task FlushAsync()
            {
                SaveAsync(2);
                return Task.CompletedTask;
            }

            private Task SaveAsync(int n) => Task.Delay(n);
        }
        """;

    private static ImmutableArray<DiagnosticAnalyzer> Analyzers => RuleCatalog.AnalyzersAndSuppressors;

    /// <summary>The baseline of the reports of our rules on <paramref name="sources"/>, written as the tool writes it.</summary>
    private static async Task<string> BaselineOfAsync(params (string Path, string Text)[] sources)
    {
        var compilation = await AnalyzerRunner.CompileAtAsync(sources);
        var diagnostics = (await AnalyzerRunner.RunAsync(compilation, Analyzers))
            .Where(d => d.Id.StartsWith("ASYNC", StringComparison.Ordinal) && !d.IsSuppressed && d.Location.IsInSource)
            .ToList();
        var entries = BaselineFingerprint.Of(diagnostics, Root, tree => compilation.GetSemanticModel(tree)).Select(p => p.Entry);
        return new Baseline(entries).Serialize();
    }

    private static async Task<List<Diagnostic>> RunAsync(string? baseline, params (string Path, string Text)[] sources)
    {
        var compilation = await AnalyzerRunner.CompileAtAsync(sources);
        var files = baseline is null ? Array.Empty<AdditionalText>() : new AdditionalText[] { new AnalyzerRunner.InMemoryAdditionalText(Root + "/" + Baseline.FileName, baseline) };
        var diagnostics = await AnalyzerRunner.RunAsync(compilation, Analyzers, files);
        Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");
        return diagnostics.Where(d => d.Id.StartsWith("ASYNC", StringComparison.Ordinal) || d.Id == "CS4014").ToList();
    }

    private static string Line(Diagnostic d) => $"{d.Id} {d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan)} suppressed={d.IsSuppressed}";

    [Fact]
    public async Task Suppresses_EveryReportOfTheBaseline_AndOnlyThose()
    {
        var baseline = await BaselineOfAsync(($"{Root}/src/Worker.cs", Worker));
        var diagnostics = await RunAsync(baseline, ($"{Root}/src/Worker.cs", Worker));
        var ours = diagnostics.Where(d => d.Id.StartsWith("ASYNC", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, ours.Count);
        Assert.All(ours, d => Assert.True(d.IsSuppressed, Line(d)));
    }

    [Fact]
    public async Task Suppresses_AfterReformattingAndMovingMembers()
    {
        var baseline = await BaselineOfAsync(($"{Root}/src/Worker.cs", Worker));
        var moved = """
            using System.Threading;
            using System.Threading.Tasks;
            namespace App;
            public class Worker
            {
                private Task SaveAsync(int n) => Task.Delay(n);

                public Task FlushAsync()
                {
                    SaveAsync(  2 );
                    return Task.CompletedTask;
                }

                // A comment, a blank line and a new member above the old ones.
                public int Count { get; set; }

                public async Task RunAsync()
                {
                    await Task.Yield();
                    Thread.Sleep(
                        10 /* ms */);
                }

                public Task StartAsync(CancellationToken ct)
                {
                    Count++;
                    SaveAsync(1);
                    return Task.CompletedTask;
                }
            }
            """;
        var diagnostics = await RunAsync(baseline, ($"{Root}/src/Worker.cs", moved));
        Assert.All(diagnostics.Where(d => d.Id.StartsWith("ASYNC", StringComparison.Ordinal)), d => Assert.True(d.IsSuppressed, Line(d)));
    }

    [Fact]
    public async Task DoesNotSuppress_ANewReport_OrAChangedLine()
    {
        var baseline = await BaselineOfAsync(($"{Root}/src/Worker.cs", Worker));
        var changed = Worker
            .Replace("SaveAsync(2);", "SaveAsync(3);", StringComparison.Ordinal)
            .Replace("SaveAsync(1);", "SaveAsync(1);\n        SaveAsync(4);", StringComparison.Ordinal);
        var diagnostics = await RunAsync(baseline, ($"{Root}/src/Worker.cs", changed));
        var kept = diagnostics.Where(d => d.Id.StartsWith("ASYNC", StringComparison.Ordinal) && !d.IsSuppressed).Select(Line).ToList();
        Assert.Equal(new[] { "ASYNC001 SaveAsync(3) suppressed=False", "ASYNC001 SaveAsync(4) suppressed=False" }, kept.OrderBy(l => l, StringComparer.Ordinal));
        Assert.Contains(diagnostics, d => d.Id == "ASYNC001" && d.IsSuppressed && Line(d).Contains("SaveAsync(1)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DoesNotSuppress_TheSameCodeInAnotherMemberOrFile()
    {
        var baseline = await BaselineOfAsync(($"{Root}/src/Worker.cs", Worker));
        var renamed = Worker.Replace("FlushAsync", "DrainAsync", StringComparison.Ordinal);
        var diagnostics = await RunAsync(baseline, ($"{Root}/src/Worker.cs", renamed), ($"{Root}/src/Copy.cs", Worker.Replace("class Worker", "class Copy", StringComparison.Ordinal)));
        var kept = diagnostics.Where(d => d.Id.StartsWith("ASYNC", StringComparison.Ordinal) && !d.IsSuppressed).ToList();
        Assert.Contains(kept, d => Line(d).Contains("SaveAsync(2)", StringComparison.Ordinal) && d.Location.SourceTree!.FilePath.EndsWith("Worker.cs", StringComparison.Ordinal));
        Assert.Equal(3, kept.Count(d => d.Location.SourceTree!.FilePath.EndsWith("Copy.cs", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task DoesNotSuppress_AnotherRuleOnTheSameCode()
    {
        var entries = new Baseline(new[]
        {
            new BaselineEntry("ASYNC030", "src/Worker.cs", "M:App.Worker.StartAsync(System.Threading.CancellationToken)", "SaveAsync ( 1 )", 0),
            new BaselineEntry("ASYNC001", "src/Worker.cs", "M:App.Worker.RunAsync", "Thread . Sleep ( 10 )", 0),
        });
        var diagnostics = await RunAsync(entries.Serialize(), ($"{Root}/src/Worker.cs", Worker));
        Assert.All(diagnostics.Where(d => d.Id.StartsWith("ASYNC", StringComparison.Ordinal)), d => Assert.False(d.IsSuppressed, Line(d)));
    }

    [Fact]
    public async Task DoesNotSuppress_TheCompilersWarningOnABaselinedLine()
    {
        // CS4014 is the compiler's report of a dropped call to an async method: the baseline can name it, and it stays.
        var source = """
            using System.Threading.Tasks;
            namespace App;
            public class Worker
            {
                public async Task RunAsync()
                {
                    SaveAsync();
                    await Task.Yield();
                }

                private async Task SaveAsync() => await Task.Yield();
            }
            """;
        var baseline = new Baseline(new[] { new BaselineEntry("CS4014", "src/Worker.cs", "M:App.Worker.RunAsync", "SaveAsync ( )", 0) }).Serialize();
        var diagnostics = await RunAsync(baseline, ($"{Root}/src/Worker.cs", source));
        Assert.Contains(diagnostics, d => d.Id == "CS4014" && !d.IsSuppressed);
    }

    [Fact]
    public async Task Suppresses_OnlyTheListedOccurrence_OfTheSameCode()
    {
        var twice = """
            using System.Threading.Tasks;
            namespace App;
            public class Worker
            {
                public Task RunAsync()
                {
                    SaveAsync();
                    return Task.CompletedTask;
                }

                private Task SaveAsync() => Task.Delay(1);
            }
            """;
        var baseline = await BaselineOfAsync(($"{Root}/src/Worker.cs", twice));
        var diagnostics = await RunAsync(baseline, ($"{Root}/src/Worker.cs", twice.Replace("SaveAsync();", "SaveAsync();\n        SaveAsync();", StringComparison.Ordinal)));
        var ours = diagnostics.Where(d => d.Id == "ASYNC001").ToList();
        Assert.Equal(2, ours.Count);
        Assert.Equal(1, ours.Count(d => d.IsSuppressed));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("{ not json")]
    [InlineData("{ \"version\": 2, \"entries\": [] }")]
    [InlineData("{ \"version\": 1, \"entries\": [ { \"rule\": 1 } ] }")]
    public async Task DoesNotSuppress_WithoutAReadableBaseline(string? baseline)
    {
        var diagnostics = await RunAsync(baseline, ($"{Root}/src/Worker.cs", Worker));
        Assert.All(diagnostics.Where(d => d.Id.StartsWith("ASYNC", StringComparison.Ordinal)), d => Assert.False(d.IsSuppressed, Line(d)));
    }
}
