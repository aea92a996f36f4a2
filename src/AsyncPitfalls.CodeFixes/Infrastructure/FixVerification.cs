using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace AsyncPitfalls.CodeFixes;

/// <summary>
/// The check every fix passes before it is applied: the changed code has no compiler error or warning that the
/// original did not have. A single fix is checked in the members it touches (each changed document's changed members,
/// before and after), which keeps the light bulb cheap in large files. Fix All then checks every changed document
/// whole (with <c>wholeDocuments</c> set), since an edit can break code outside the member it touched (a caller, a
/// declaration), and redoes a document whose result adds a diagnostic with whole-document checks for each fix
/// (<see cref="BulkFix"/>).
/// </summary>
internal static class FixVerification
{
    public static async Task<bool> AddsNoDiagnosticsAsync(Solution original, Solution changed, CancellationToken cancellationToken, bool wholeDocuments = false)
    {
        foreach (var projectChanges in changed.GetChanges(original).GetProjectChanges())
        {
            foreach (var id in projectChanges.GetChangedDocuments(onlyGetDocumentsWithTextChanges: true).Concat(projectChanges.GetAddedDocuments()))
            {
                var before = original.GetDocument(id);
                var after = changed.GetDocument(id);
                if (after is null || !await AddsNoDiagnosticsAsync(before, after, wholeDocuments, cancellationToken).ConfigureAwait(false))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static async Task<bool> AddsNoDiagnosticsAsync(Document? original, Document changed, bool wholeDocuments, CancellationToken cancellationToken)
    {
        var afterModel = await changed.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        var afterRoot = await changed.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (afterModel is null || afterRoot is null)
        {
            return false;
        }

        if (original is null)
        {
            return !Count(afterModel, new[] { afterRoot.FullSpan }, cancellationToken).Any();
        }

        var beforeModel = await original.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        var beforeRoot = await original.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (beforeModel is null || beforeRoot is null)
        {
            return false;
        }

        if (wholeDocuments)
        {
            return AddsNone(Count(beforeModel, new[] { beforeRoot.FullSpan }, cancellationToken), Count(afterModel, new[] { afterRoot.FullSpan }, cancellationToken));
        }

        var changes = (await changed.GetTextChangesAsync(original, cancellationToken).ConfigureAwait(false)).ToList();
        var beforeSpans = changes.Select(c => Member(beforeRoot, c.Span)).Distinct().ToList();

        // The span of each change in the new text: where it starts, shifted by the changes before it.
        var afterSpans = new List<TextSpan>();
        var shift = 0;
        foreach (var change in changes.OrderBy(c => c.Span.Start))
        {
            var start = change.Span.Start + shift;
            afterSpans.Add(Member(afterRoot, new TextSpan(start, change.NewText?.Length ?? 0)));
            shift += (change.NewText?.Length ?? 0) - change.Span.Length;
        }

        return AddsNone(Count(beforeModel, beforeSpans, cancellationToken), Count(afterModel, afterSpans.Distinct(), cancellationToken));
    }

    /// <summary>No ID has more diagnostics after than before.</summary>
    private static bool AddsNone(Dictionary<string, int> before, Dictionary<string, int> after)
        => after.All(pair => before.TryGetValue(pair.Key, out var count) && pair.Value <= count);

    /// <summary>The full span of the member (or type, or file header) that contains <paramref name="span"/>.</summary>
    private static TextSpan Member(SyntaxNode root, TextSpan span)
    {
        var node = root.FindNode(new TextSpan(System.Math.Min(span.Start, root.FullSpan.End), 0), findInsideTrivia: false, getInnermostNodeForTie: true);
        var member = node.AncestorsAndSelf().FirstOrDefault(n => n is BaseMethodDeclarationSyntax or BasePropertyDeclarationSyntax or FieldDeclarationSyntax
            or EventFieldDeclarationSyntax or GlobalStatementSyntax);

        // Top-level statements share one body; a change in the file header (usings) can affect the whole file.
        return member is GlobalStatementSyntax || member is null ? root.FullSpan : member.FullSpan;
    }

    /// <summary>Errors and warnings per ID in the given spans; the whole file when any span is the whole file.</summary>
    private static Dictionary<string, int> Count(SemanticModel model, IEnumerable<TextSpan> spans, CancellationToken cancellationToken)
    {
        var list = spans.ToList();
        var whole = list.Any(s => s == model.SyntaxTree.GetRoot(cancellationToken).FullSpan);
        IEnumerable<Diagnostic> diagnostics = whole
            ? model.GetDiagnostics(cancellationToken: cancellationToken)
            : list.SelectMany(s => model.GetDiagnostics(s, cancellationToken)).Distinct();
        return diagnostics
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .GroupBy(d => d.Id)
            .ToDictionary(g => g.Key, g => g.Count());
    }
}
