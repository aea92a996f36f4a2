using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AsyncPitfalls.Engine;

/// <summary>What one bulk pass did to one rule: the reports before and after it.</summary>
public sealed record RuleFixCount(string RuleId, int Before, int After)
{
    /// <summary>The reports the pass removed: fixed, or gone with the code another fix changed.</summary>
    public int Fixed => Math.Max(Before - After, 0);
}

/// <summary>
/// What <c>dotnet format analyzers --diagnostics ID...</c> does with the package's fixes, in process: for each rule in
/// turn, the equivalence key of the first action offered for its first diagnostic, then that fix's Fix All at
/// solution scope with that key. The command-line tool's <c>fix</c>, the Fix-All corpus tests and the benchmark's
/// real-code bulk run all go through here, so they apply exactly what users' <c>dotnet format</c> applies.
/// </summary>
public sealed class BulkFixEngine
{
    private readonly ImmutableArray<DiagnosticAnalyzer> _analyzers;
    private readonly ImmutableArray<CodeFixProvider> _fixers;

    public BulkFixEngine(ImmutableArray<DiagnosticAnalyzer> analyzers, ImmutableArray<CodeFixProvider> fixers)
    {
        _analyzers = analyzers;
        _fixers = fixers;
    }

    /// <summary>How many passes settle the fixes that make work for other rules: the tool and the tests use this many at most.</summary>
    public const int PassesToSettle = 4;

    /// <summary>The package's own analyzers, suppressors and fixes.</summary>
    public static BulkFixEngine Package { get; } = new(RuleCatalog.AnalyzersAndSuppressors, RuleCatalog.Fixers);

    /// <summary>
    /// The diagnostics of <paramref name="project"/> with one of <paramref name="ids"/> at <paramref name="minimum"/>
    /// severity or above, after the project's <c>.editorconfig</c> and suppressions, in file and position order. The
    /// compiler's own diagnostics are included when one of their IDs is asked for (CS4014).
    /// </summary>
    public async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(Project project, IReadOnlyCollection<string> ids, DiagnosticSeverity minimum, CancellationToken cancellationToken = default)
    {
        if (await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false) is not { } compilation)
        {
            return ImmutableArray<Diagnostic>.Empty;
        }

        var options = new CompilationWithAnalyzersOptions(project.AnalyzerOptions, onAnalyzerException: null, concurrentAnalysis: true, logAnalyzerExecutionTime: false, reportSuppressedDiagnostics: false);
        var withAnalyzers = compilation.WithAnalyzers(_analyzers, options);
        var diagnostics = ids.Any(id => !id.StartsWith("ASYNC", StringComparison.Ordinal))
            ? await withAnalyzers.GetAllDiagnosticsAsync(cancellationToken).ConfigureAwait(false)
            : await withAnalyzers.GetAnalyzerDiagnosticsAsync(cancellationToken).ConfigureAwait(false);
        return diagnostics
            .Where(d => ids.Contains(d.Id) && d.Severity >= minimum && !d.IsSuppressed && d.Location.IsInSource)
            .OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ToImmutableArray();
    }

    /// <summary>
    /// Passes over <paramref name="ruleOrder"/> in <paramref name="projects"/>: each rule's Fix All, applied to the
    /// solution in turn. One pass is what <c>dotnet format</c> does. A fix can make work for another rule (a method
    /// made async by one rule may hold a blocking call that another then reports), so with <paramref name="maxPasses"/>
    /// above one the passes repeat until one changes nothing: the result is then the same in any order of rules.
    /// Returns the changed solution and, per rule, the reports before its first turn and after its last.
    /// </summary>
    public async Task<(Solution Solution, IReadOnlyList<RuleFixCount> Counts)> FixAsync(Solution solution, IReadOnlyList<ProjectId> projects, IEnumerable<string> ruleOrder, DiagnosticSeverity minimum = DiagnosticSeverity.Warning, CancellationToken cancellationToken = default, int maxPasses = 1)
    {
        var ids = ruleOrder.ToList();
        var before = new Dictionary<string, int>();
        var after = new Dictionary<string, int>();
        for (var pass = 0; pass < Math.Max(maxPasses, 1); pass++)
        {
            var start = solution;
            foreach (var id in ids)
            {
                var (ruleBefore, ruleAfter) = (0, 0);
                foreach (var projectId in projects)
                {
                    var (changed, count, left) = await FixRuleAsync(solution, projectId, id, minimum, cancellationToken).ConfigureAwait(false);
                    solution = changed;
                    ruleBefore += count;
                    ruleAfter += left;
                }

                if (pass == 0)
                {
                    before[id] = ruleBefore;
                }

                after[id] = ruleAfter;
            }

            if (solution.GetChanges(start).GetProjectChanges().All(p => !p.GetChangedDocuments(onlyGetDocumentsWithTextChanges: true).Any()))
            {
                break;
            }
        }

        return (solution, ids.Select(id => new RuleFixCount(id, before[id], after[id])).ToList());
    }

    /// <summary>One rule's Fix All in one project, as <c>dotnet format</c> picks it.</summary>
    private async Task<(Solution Solution, int Before, int After)> FixRuleAsync(Solution solution, ProjectId projectId, string id, DiagnosticSeverity minimum, CancellationToken cancellationToken)
    {
        var ids = new[] { id };
        var project = solution.GetProject(projectId)!;
        var diagnostics = await DiagnosticsAsync(project, ids, minimum, cancellationToken).ConfigureAwait(false);
        var fixer = _fixers.FirstOrDefault(f => f.FixableDiagnosticIds.Contains(id));
        if (fixer is null || diagnostics.IsEmpty || fixer.GetFixAllProvider() is not { } fixAll)
        {
            return (solution, diagnostics.Length, diagnostics.Length);
        }

        // The first action offered for the first diagnostic gives the key, as dotnet format does.
        var first = diagnostics[0];
        var document = project.GetDocument(first.Location.SourceTree);
        if (document is null)
        {
            return (solution, diagnostics.Length, diagnostics.Length);
        }

        var actions = new List<CodeAction>();
        await fixer.RegisterCodeFixesAsync(new CodeFixContext(document, first, (action, _) => actions.Add(action), cancellationToken)).ConfigureAwait(false);
        // No action for that diagnostic gives no key; dotnet format still asks for the Fix All then.
        var context = new FixAllContext(document, fixer, FixAllScope.Project, actions.Count == 0 ? null : actions[0].EquivalenceKey, ids, new KnownDiagnostics(diagnostics), cancellationToken);
        if (await fixAll.GetFixAsync(context).ConfigureAwait(false) is { } action)
        {
            foreach (var operation in await action.GetOperationsAsync(cancellationToken).ConfigureAwait(false))
            {
                if (operation is ApplyChangesOperation apply)
                {
                    solution = apply.ChangedSolution;
                }
            }
        }

        var left = await DiagnosticsAsync(solution.GetProject(projectId)!, ids, minimum, cancellationToken).ConfigureAwait(false);
        return (solution, diagnostics.Length, left.Length);
    }
}
