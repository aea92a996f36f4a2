using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using AsyncPitfalls.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace AsyncPitfalls.Benchmarks;

/// <summary>
/// What the code fixes cost, where users wait for them: registering the fixes of one diagnostic in a ~1,000-line
/// document (the light bulb), applying one fix (the edit and its compile check), and Fix All of every rule over
/// the 8x corpus (what <c>dotnet format</c> does). It reports numbers and asserts nothing.
/// </summary>
internal static class FixCost
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static async Task WriteAsync(StringBuilder report, Program.BenchmarkOptions options, ImmutableArray<MetadataReference> references, ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        var fixers = RuleCatalog.Fixers;

        // The light bulb: the same document as the IDE latency table, its model already computed, as in an editor.
        var sources = CorpusGenerator.Files(options.Seed + 2, 98);
        sources.Add(CorpusGenerator.File(options.Seed + 2, 1000, methodCount: 54));
        var (solution, projectId, ids) = Solution(sources, references);
        var target = solution.GetDocument(ids[^1])!;
        var model = (await target.GetSemanticModelAsync())!;
        var tree = (await target.GetSyntaxTreeAsync())!;
        var compilation = (await solution.GetProject(projectId)!.GetCompilationAsync())!;
        var diagnostics = (await compilation.WithAnalyzers(analyzers).GetAnalyzerDiagnosticsAsync())
            .Where(d => d.Location.SourceTree == tree && fixers.Any(f => f.FixableDiagnosticIds.Contains(d.Id)))
            .ToList();

        var registration = new List<double>();
        var apply = new List<double>();
        for (var run = 0; run < options.LatencyRuns + 2; run++)
        {
            foreach (var diagnostic in diagnostics)
            {
                var fixer = fixers.First(f => f.FixableDiagnosticIds.Contains(diagnostic.Id));
                var actions = new List<CodeAction>();
                var clock = Stopwatch.StartNew();
                await fixer.RegisterCodeFixesAsync(new CodeFixContext(target, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
                var registered = clock.Elapsed.TotalMilliseconds;
                if (run < 2)
                {
                    continue; // warm-up
                }

                registration.Add(registered);
                if (run == 2 && actions.Count > 0)
                {
                    clock.Restart();
                    _ = await actions[0].GetOperationsAsync(CancellationToken.None);
                    apply.Add(clock.Elapsed.TotalMilliseconds);
                }
            }
        }

        report.AppendLine(Invariant, $"## Code fixes: the light bulb, one fix, Fix All");
        report.AppendLine();
        report.AppendLine(Invariant, $"In a {tree.GetText().Lines.Count:N0}-line document of a {ids.Length}-file project, {diagnostics.Count} diagnostics with a fix, {options.LatencyRuns} runs each:");
        report.AppendLine();
        report.AppendLine("| step | p50 (ms) | p95 (ms) | max (ms) | samples |");
        report.AppendLine("|---|---:|---:|---:|---:|");
        report.AppendLine(Invariant, $"| register the fixes of one diagnostic | {Percentile(registration, 0.5):F2} | {Percentile(registration, 0.95):F2} | {registration.DefaultIfEmpty().Max():F2} | {registration.Count} |");
        report.AppendLine(Invariant, $"| apply the first fix (edit, compile check, formatting) | {Percentile(apply, 0.5):F1} | {Percentile(apply, 0.95):F1} | {apply.DefaultIfEmpty().Max():F1} | {apply.Count} |");
        report.AppendLine();

        // Fix All over the largest generated corpus, rule by rule, as dotnet format runs it.
        var size = options.Sizes.Max();
        var (big, bigProject, bigIds) = Solution(CorpusGenerator.Files(options.Seed, options.FilesPerUnit * size), references);
        var lines = 0;
        foreach (var id in bigIds)
        {
            lines += (await big.GetDocument(id)!.GetTextAsync()).Lines.Count;
        }

        report.AppendLine(Invariant, $"Fix All at solution scope over the {size}x corpus ({lines:N0} lines), each rule with the first action's key:");
        report.AppendLine();
        report.AppendLine("| rule | diagnostics | fixed | time (ms) |");
        report.AppendLine("|---|---:|---:|---:|");
        var total = Stopwatch.StartNew();
        foreach (var ruleId in fixers.SelectMany(f => f.FixableDiagnosticIds).Where(i => i.StartsWith("ASYNC", StringComparison.Ordinal)).Distinct().OrderBy(i => i, StringComparer.Ordinal))
        {
            var fixer = fixers.First(f => f.FixableDiagnosticIds.Contains(ruleId));
            var bigCompilation = (await big.GetProject(bigProject)!.GetCompilationAsync())!;
            var found = (await bigCompilation.WithAnalyzers(analyzers).GetAnalyzerDiagnosticsAsync()).Where(d => d.Id == ruleId).ToImmutableArray();
            if (found.IsEmpty)
            {
                continue;
            }

            var clock = Stopwatch.StartNew();
            var first = big.GetDocument(found[0].Location.SourceTree)!;
            var actions = new List<CodeAction>();
            await fixer.RegisterCodeFixesAsync(new CodeFixContext(first, found[0], (action, _) => actions.Add(action), CancellationToken.None));
            var changed = big;
            if (actions.Count > 0 && fixer.GetFixAllProvider() is { } provider
                && await provider.GetFixAsync(new FixAllContext(first, fixer, FixAllScope.Solution, actions[0].EquivalenceKey, new[] { ruleId }, new KnownDiagnostics(found), CancellationToken.None)) is { } fixAll)
            {
                foreach (var operation in await fixAll.GetOperationsAsync(CancellationToken.None))
                {
                    if (operation is ApplyChangesOperation applyChanges)
                    {
                        changed = applyChanges.ChangedSolution;
                    }
                }
            }

            var elapsed = clock.Elapsed.TotalMilliseconds;
            var after = (await (await changed.GetProject(bigProject)!.GetCompilationAsync())!.WithAnalyzers(analyzers).GetAnalyzerDiagnosticsAsync()).Count(d => d.Id == ruleId);
            report.AppendLine(Invariant, $"| {ruleId} | {found.Length} | {found.Length - after} | {elapsed:F0} |");
        }

        report.AppendLine();
        report.AppendLine(Invariant, $"Fix All total, with the analysis between rules: {total.Elapsed.TotalSeconds:F1} s.");
        report.AppendLine();
    }

    private static (Solution Solution, ProjectId Project, DocumentId[] Documents) Solution(IReadOnlyList<string> sources, ImmutableArray<MetadataReference> references)
    {
        var workspace = new AdhocWorkspace();
        var project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(),
            VersionStamp.Default,
            "Corpus",
            "Corpus",
            LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
            parseOptions: new CSharpParseOptions(LanguageVersion.Latest),
            metadataReferences: references));
        var solution = project.Solution;
        var ids = new DocumentId[sources.Count];
        for (var i = 0; i < sources.Count; i++)
        {
            ids[i] = DocumentId.CreateNewId(project.Id);
            solution = solution.AddDocument(ids[i], $"File{i}.cs", SourceText.From(sources[i]), filePath: $"/corpus/File{i}.cs");
        }

        return (solution, project.Id, ids);
    }

    private static double Percentile(List<double> samples, double fraction)
    {
        if (samples.Count == 0)
        {
            return 0;
        }

        var sorted = samples.OrderBy(s => s).ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(fraction * sorted.Count) - 1)];
    }
}
