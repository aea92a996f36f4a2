using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AsyncPitfalls.Analyzers;

/// <summary>
/// ASYNC902: suppresses exactly the reports of our own rules that the baseline file
/// (<c>asyncpitfalls.baseline.json</c>, passed to the compiler as an additional file by the package's props) lists,
/// so that adopting the rules on an existing codebase fails the build only on new pitfalls. A report the baseline does
/// not list, and every report of another analyzer, stays as it is.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ASYNC902BaselineSuppressor : DiagnosticSuppressor
{
    /// <summary>What the suppressor does, in the rule tables.</summary>
    internal const string Title = "Suppresses the reports listed in the baseline file";

    private const string Justification = "Listed in asyncpitfalls.baseline.json: the report existed when the rules were adopted";

    /// <summary>Baselines already read, by the additional file's text, so that each build parses the file once.</summary>
    private static readonly ConditionalWeakTable<Microsoft.CodeAnalysis.Text.SourceText, Baseline?> Parsed = new();

    /// <summary>One suppression per rule of the package: a suppressor must name each diagnostic ID it may suppress.</summary>
    internal static readonly ImmutableArray<SuppressionDescriptor> Rules = typeof(DiagnosticIds)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.GetRawConstantValue() is string id && id.StartsWith("ASYNC", StringComparison.Ordinal) && !id.StartsWith("ASYNC9", StringComparison.Ordinal))
        .Select(f => (string)f.GetRawConstantValue()!)
        .OrderBy(id => id, StringComparer.Ordinal)
        .Select(id => new SuppressionDescriptor(DiagnosticIds.SuppressBaselined, id, Justification))
        .ToImmutableArray();

    public override ImmutableArray<SuppressionDescriptor> SupportedSuppressions => Rules;

    public override void ReportSuppressions(SuppressionAnalysisContext context)
    {
        var file = context.Options.AdditionalFiles.FirstOrDefault(f => string.Equals(Path.GetFileName(f.Path), Baseline.FileName, StringComparison.OrdinalIgnoreCase));
        if (file?.GetText(context.CancellationToken) is not { } text
            || Parsed.GetValue(text, t => Baseline.Parse(t.ToString())) is not { Entries.Count: > 0 } baseline)
        {
            return;
        }

        var root = Path.GetDirectoryName(file.Path) ?? "";
        var byId = Rules.ToDictionary(r => r.SuppressedDiagnosticId, StringComparer.Ordinal);
        var models = new Dictionary<SyntaxTree, SemanticModel>();
        SemanticModel ModelOf(SyntaxTree tree)
        {
            if (!models.TryGetValue(tree, out var model))
            {
                models[tree] = model = context.GetSemanticModel(tree);
            }

            return model;
        }

        var ours = context.ReportedDiagnostics.Where(d => d.Location.IsInSource && byId.ContainsKey(d.Id));
        foreach (var (diagnostic, entry) in BaselineFingerprint.Of(ours, root, ModelOf))
        {
            if (baseline.Contains(entry))
            {
                context.ReportSuppression(Suppression.Create(byId[diagnostic.Id], diagnostic));
            }
        }
    }
}
