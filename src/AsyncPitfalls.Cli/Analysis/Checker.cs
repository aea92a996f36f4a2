using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AsyncPitfalls.Analyzers;
using AsyncPitfalls.Cli.Loading;
using AsyncPitfalls.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AsyncPitfalls.Cli.Analysis;

/// <summary>One report, once per location, with the target frameworks it appears in.</summary>
internal sealed record Finding(
    string RuleId,
    DiagnosticSeverity Severity,
    string Message,
    string FilePath,
    string RelativePath,
    int Line,
    int Column,
    int EndLine,
    int EndColumn,
    IReadOnlyList<string> Frameworks,
    string ProjectPath,
    bool InTestProject,
    BaselineEntry Fingerprint)
{
    /// <summary>Listed in the baseline: shown, but it does not fail the check.</summary>
    public bool Baselined { get; init; }
}

/// <summary>What one project file produced, over all its target frameworks.</summary>
internal sealed record ProjectSummary(string FilePath, IReadOnlyList<string> Frameworks, bool IsTest, int Documents, IReadOnlyList<string> FilesWithUnresolvedTypes, int Findings);

/// <summary>The result of a check: reports, projects, and where the time went.</summary>
internal sealed class CheckResult
{
    public required IReadOnlyList<Finding> Findings { get; init; }

    public required IReadOnlyList<ProjectSummary> Projects { get; init; }

    public required IReadOnlyList<ProjectFailure> Failures { get; init; }

    /// <summary>Problems while loading projects that loaded anyway.</summary>
    public IReadOnlyList<ProjectFailure> LoadWarnings { get; init; } = System.Array.Empty<ProjectFailure>();

    public required IReadOnlyList<string> Excluded { get; init; }

    /// <summary>Baseline entries that match no report any more: the code was fixed or removed.</summary>
    public required IReadOnlyList<BaselineEntry> Stale { get; init; }

    public required TimeSpan Load { get; init; }

    /// <summary>The compiler's work: parsing and binding every body, as a build does before it emits.</summary>
    public required TimeSpan Compile { get; init; }

    /// <summary>The analyzer driver's pass with the rules (it builds the operation trees the rules read).</summary>
    public required TimeSpan Analyze { get; init; }

    public Restorer.Result? Restore { get; init; }

    public int AnalyzerExceptions { get; init; }
}

/// <summary>
/// Runs the package's rules over every loaded project the way a build does: the project's own compilation and
/// options (<c>.editorconfig</c>, global configs, <c>#pragma</c>, severities), each target framework, then one report
/// per location.
/// </summary>
internal static class Checker
{
    /// <summary>The compiler's "type or namespace not found" family: what a project without its packages shows.</summary>
    private static readonly ImmutableHashSet<string> UnresolvedIds = ImmutableHashSet.Create("CS0246", "CS0234", "CS0400", "CS0012", "CS0103");

    public static async Task<CheckResult> RunAsync(Input input, LoadedInput loaded, Baseline? baseline, TimeSpan load, Action<string, int, int> onProject, CancellationToken cancellationToken)
    {
        // The baseline is applied here, from the same fingerprints: the build's suppressor is not needed, and a report it
        // hid would look fixed.
        var analyzers = RuleCatalog.AnalyzersAndSuppressors.Where(a => a is not ASYNC902BaselineSuppressor).ToImmutableArray();
        var perLocation = new Dictionary<(string Id, string Path, int Start, int End, string Message), (Finding Finding, SortedSet<string> Frameworks)>();
        var projects = new Dictionary<string, (SortedSet<string> Frameworks, bool IsTest, int Documents, SortedSet<string> Unresolved)>(StringComparer.Ordinal);
        var analyzedFiles = new HashSet<string>(StringComparer.Ordinal);
        var compile = TimeSpan.Zero;
        var rules = TimeSpan.Zero;
        var exceptions = 0;
        var index = 0;
        foreach (var loadedProject in loaded.Projects)
        {
            cancellationToken.ThrowIfCancellationRequested();
            onProject(loadedProject.Name + (loadedProject.TargetFramework is { } tfm ? $" ({tfm})" : ""), ++index, loaded.Projects.Count);
            var project = loadedProject.Project;
            // The two phases of a build: the compiler binds every body (its errors show what did not resolve), then
            // the analyzer driver runs the rules over the operation trees.
            var clock = Stopwatch.StartNew();
            if (await project.GetCompilationAsync(cancellationToken) is not { } compilation)
            {
                continue;
            }

            var compilerDiagnostics = compilation.GetDiagnostics(cancellationToken);
            compile += clock.Elapsed;
            clock.Restart();
            var options = new CompilationWithAnalyzersOptions(TestProjectOptions.For(project, loadedProject.IsTest), onAnalyzerException: (_, _, _) => Interlocked.Increment(ref exceptions),
                concurrentAnalysis: true, logAnalyzerExecutionTime: false, reportSuppressedDiagnostics: false);
            var diagnostics = compilerDiagnostics.AddRange(await compilation.WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync(cancellationToken));
            rules += clock.Elapsed;

            if (!projects.TryGetValue(loadedProject.FilePath, out var summary))
            {
                projects[loadedProject.FilePath] = summary = (new SortedSet<string>(StringComparer.Ordinal), loadedProject.IsTest, project.DocumentIds.Count, new SortedSet<string>(StringComparer.Ordinal));
            }

            if (loadedProject.TargetFramework is { } framework)
            {
                summary.Frameworks.Add(framework);
            }

            foreach (var document in project.Documents.Where(d => d.FilePath is not null))
            {
                analyzedFiles.Add(BaselineFingerprint.RelativePath(input.Root, document.FilePath!));
            }

            foreach (var error in diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error && UnresolvedIds.Contains(d.Id) && d.Location.SourceTree is not null))
            {
                summary.Unresolved.Add(Path.GetRelativePath(input.Root, error.Location.SourceTree!.FilePath));
            }

            var reported = diagnostics.Where(d => d.Id.StartsWith("ASYNC", StringComparison.Ordinal) && d.Location.IsInSource && !d.IsSuppressed && d.Severity >= DiagnosticSeverity.Info).ToList();
            foreach (var (diagnostic, fingerprint) in BaselineFingerprint.Of(reported, input.Root, tree => compilation.GetSemanticModel(tree)))
            {
                var span = diagnostic.Location.GetLineSpan();
                var path = diagnostic.Location.SourceTree!.FilePath;
                var key = (diagnostic.Id, path, diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.End, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
                if (!perLocation.TryGetValue(key, out var entry))
                {
                    var finding = new Finding(diagnostic.Id, diagnostic.Severity, key.Item5, path, fingerprint.File,
                        span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1, span.EndLinePosition.Line + 1, span.EndLinePosition.Character + 1,
                        Array.Empty<string>(), loadedProject.FilePath, loadedProject.IsTest, fingerprint)
                    {
                        Baselined = baseline?.Contains(fingerprint) == true,
                    };
                    perLocation[key] = entry = (finding, new SortedSet<string>(StringComparer.Ordinal));
                }

                if (loadedProject.TargetFramework is { } tfmOfReport)
                {
                    entry.Frameworks.Add(tfmOfReport);
                }
            }
        }

        var findings = perLocation.Values
            .Select(v => v.Finding with { Frameworks = v.Frameworks.ToList() })
            .OrderBy(f => f.RelativePath, StringComparer.Ordinal).ThenBy(f => f.Line).ThenBy(f => f.Column).ThenBy(f => f.RuleId, StringComparer.Ordinal)
            .ToList();
        var found = new HashSet<BaselineEntry>(findings.Select(f => f.Fingerprint));
        var stale = baseline?.Entries.Where(e => analyzedFiles.Contains(e.File) && !found.Contains(e)).ToList() ?? new List<BaselineEntry>();
        return new CheckResult
        {
            Findings = findings,
            Projects = projects.Select(p => new ProjectSummary(p.Key, p.Value.Frameworks.ToList(), p.Value.IsTest, p.Value.Documents, p.Value.Unresolved.ToList(),
                findings.Count(f => f.ProjectPath == p.Key))).OrderBy(p => p.FilePath, StringComparer.Ordinal).ToList(),
            Failures = loaded.Failures,
            LoadWarnings = loaded.Warnings,
            Excluded = loaded.Excluded,
            Stale = stale,
            Load = load,
            Compile = compile,
            Analyze = rules,
            AnalyzerExceptions = exceptions,
        };
    }
}
