using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;

namespace AsyncPitfalls.CodeFixes;

/// <summary>
/// Fix All for every fix of the package, in document, project and solution scope. It is what <c>dotnet format</c>
/// runs, with the equivalence key of the first action, so it is built to be safe without review:
/// <list type="bullet">
/// <item>Only options marked <see cref="FixOption.Bulk"/> are applied. For each diagnostic it tries the chosen key,
/// then the diagnostic's other bulk options in order; the first that applies and passes verification wins.</item>
/// <item>Diagnostics are applied one at a time: documents in path order, and in a document from the last diagnostic
/// to the first. Each one is found again in the edited document through annotations on its first and last tokens,
/// so an earlier edit never makes a later diagnostic point at the wrong code. The result does not depend on timing.</item>
/// </list>
/// </summary>
internal sealed class BulkFix : FixAllProvider
{

    private readonly AsyncPitfallsCodeFix _fix;

    public BulkFix(AsyncPitfallsCodeFix fix)
    {
        _fix = fix;
    }

    public override IEnumerable<FixAllScope> GetSupportedFixAllScopes()
        => new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution };

    public override async Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
    {
        // dotnet format passes the key of the first action it was offered for one diagnostic of the fix's IDs, or none
        // (no key) when that diagnostic has no action of this fix: every diagnostic then gets its first bulk option.
        var key = fixAllContext.CodeActionEquivalenceKey ?? string.Empty;
        string? firstBulkKey = null;

        var documents = fixAllContext.Scope switch
        {
            FixAllScope.Document when fixAllContext.Document is { } document => new[] { document },
            FixAllScope.Project => fixAllContext.Project.Documents.ToArray(),
            FixAllScope.Solution => fixAllContext.Solution.Projects.SelectMany(p => p.Documents).ToArray(),
            _ => System.Array.Empty<Document>(),
        };

        var work = new List<(DocumentId Id, string Path, ImmutableArray<Diagnostic> Diagnostics)>();
        foreach (var document in documents)
        {
            // Only the diagnostics with an option that is safe in bulk: when none has one, there is no Fix All to offer.
            var diagnostics = new List<Diagnostic>();
            foreach (var diagnostic in await fixAllContext.GetDocumentDiagnosticsAsync(document).ConfigureAwait(false))
            {
                if (!_fix.FixableDiagnosticIds.Contains(diagnostic.Id))
                {
                    continue;
                }

                if ((await _fix.OptionsAsync(document, diagnostic, fixAllContext.CancellationToken).ConfigureAwait(false)).FirstOrDefault(o => o.Bulk) is { } bulk)
                {
                    firstBulkKey ??= bulk.Key;
                    diagnostics.Add(diagnostic);
                }
            }

            if (diagnostics.Count > 0)
            {
                work.Add((document.Id, document.FilePath ?? document.Name, diagnostics.ToImmutableArray()));
            }
        }

        if (work.Count == 0)
        {
            return null;
        }

        return CodeAction.Create(
            _fix.FixAllTitle(key.Length > 0 ? key : firstBulkKey!),
            ct => FixAllAsync(fixAllContext.Solution, work.OrderBy(w => w.Path, System.StringComparer.Ordinal).ToList(), key, ct),
            key);
    }

    private async Task<Solution> FixAllAsync(Solution solution, List<(DocumentId Id, string Path, ImmutableArray<Diagnostic> Diagnostics)> work, string key, CancellationToken cancellationToken)
    {
        foreach (var (id, _, diagnostics) in work)
        {
            solution = await FixDocumentAsync(solution, id, diagnostics, key, cancellationToken).ConfigureAwait(false);
        }

        return solution;
    }

    /// <summary>
    /// Applies <paramref name="diagnostics"/> of one document one at a time, the last first (or the first first, for a fix that
    /// asks: <see cref="AsyncPitfallsCodeFix.FixAllInSourceOrder"/>), each checked in the members
    /// it touched. Then every document the pass changed is checked whole against the state before the pass: when the
    /// result adds a compiler error or warning anywhere (an edit can break code outside its member), the pass is redone
    /// with every fix checked against whole documents, so only the fixes that add nothing remain.
    /// </summary>
    internal async Task<Solution> FixDocumentAsync(Solution solution, DocumentId id, ImmutableArray<Diagnostic> diagnostics, string key, CancellationToken cancellationToken)
    {
        var result = await FixDocumentAsync(solution, id, diagnostics, key, wholeDocuments: false, cancellationToken).ConfigureAwait(false);
        if (result == solution || await FixVerification.AddsNoDiagnosticsAsync(solution, result, cancellationToken, wholeDocuments: true).ConfigureAwait(false))
        {
            return result;
        }

        return await FixDocumentAsync(solution, id, diagnostics, key, wholeDocuments: true, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Solution> FixDocumentAsync(Solution solution, DocumentId id, ImmutableArray<Diagnostic> diagnostics, string key, bool wholeDocuments, CancellationToken cancellationToken)
    {
        var ordered = (_fix.FixAllInSourceOrder
                ? diagnostics.OrderBy(d => d.Location.SourceSpan.Start).ThenBy(d => d.Location.SourceSpan.End)
                : diagnostics.OrderByDescending(d => d.Location.SourceSpan.Start).ThenByDescending(d => d.Location.SourceSpan.End))
            .ThenBy(d => d.Id, System.StringComparer.Ordinal)
            .ToImmutableArray();
        // Marks of this run only: a tree may still carry the marks of an earlier Fix All (another rule's).
        var kind = "AsyncPitfalls.Diagnostic." + System.Guid.NewGuid().ToString("N");
        solution = await AnnotateAsync(solution, id, ordered, kind, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < ordered.Length; i++)
        {
            if (solution.GetDocument(id) is not { } document
                || await FindAgainAsync(document, ordered[i], i, kind, cancellationToken).ConfigureAwait(false) is not { } diagnostic)
            {
                continue;
            }

            foreach (var option in await CandidatesAsync(document, diagnostic, key, cancellationToken).ConfigureAwait(false))
            {
                if (await _fix.ApplyVerifiedAsync(document, diagnostic, option, cancellationToken, wholeDocuments).ConfigureAwait(false) is { } changed)
                {
                    solution = changed;
                    break;
                }
            }
        }

        return solution;
    }

    /// <summary>The keys to try for one diagnostic: the chosen one, then the others, bulk options only.</summary>
    private async Task<IEnumerable<string>> CandidatesAsync(Document document, Diagnostic diagnostic, string key, CancellationToken cancellationToken)
    {
        var options = (await _fix.OptionsAsync(document, diagnostic, cancellationToken).ConfigureAwait(false)).Where(o => o.Bulk).Select(o => o.Key).ToList();
        return options.Contains(key) ? new[] { key }.Concat(options.Where(o => o != key)) : options;
    }

    /// <summary>Marks the first and last tokens of every location of every diagnostic.</summary>
    private static async Task<Solution> AnnotateAsync(Solution solution, DocumentId id, ImmutableArray<Diagnostic> diagnostics, string kind, CancellationToken cancellationToken)
    {
        var document = solution.GetDocument(id)!;
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return solution;
        }

        var marks = new Dictionary<SyntaxToken, List<SyntaxAnnotation>>();
        void Mark(SyntaxToken token, string data)
        {
            if (!marks.TryGetValue(token, out var list))
            {
                marks[token] = list = new List<SyntaxAnnotation>();
            }

            list.Add(new SyntaxAnnotation(kind, data));
        }

        for (var i = 0; i < diagnostics.Length; i++)
        {
            var locations = Locations(diagnostics[i], root.SyntaxTree);
            for (var j = 0; j < locations.Count; j++)
            {
                if (locations[j] is not { } span)
                {
                    continue;
                }

                // The offsets into the first and last tokens travel with the marks.
                var first = root.FindToken(span.Start);
                var last = root.FindToken(span.IsEmpty ? span.Start : span.End - 1);
                Mark(first, $"{i}:{j}:s:{System.Math.Max(span.Start - first.SpanStart, 0)}");
                Mark(last, $"{i}:{j}:e:{System.Math.Max(last.Span.End - span.End, 0)}");
            }
        }

        var annotated = root.ReplaceTokens(marks.Keys, (original, _) => original.WithAdditionalAnnotations(marks[original]));
        return solution.WithDocumentSyntaxRoot(id, annotated);
    }

    /// <summary>The main location (index 0) and the additional locations of a diagnostic in this tree; null for those elsewhere.</summary>
    private static List<TextSpan?> Locations(Diagnostic diagnostic, SyntaxTree tree)
        => new[] { diagnostic.Location }.Concat(diagnostic.AdditionalLocations)
            .Select(l => l.IsInSource && l.SourceTree?.FilePath == tree.FilePath ? l.SourceSpan : (TextSpan?)null)
            .ToList();

    /// <summary>
    /// The diagnostic with its locations moved to where its tokens are now. Null when an earlier edit removed them:
    /// the code it was about is gone.
    /// </summary>
    private static async Task<Diagnostic?> FindAgainAsync(Document document, Diagnostic original, int index, string kind, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return null;
        }

        var before = Locations(original, root.SyntaxTree);
        var after = new List<Location>();
        for (var j = 0; j < before.Count; j++)
        {
            if (before[j] is not { } span)
            {
                after.Add(j == 0 ? original.Location : original.AdditionalLocations[j - 1]);
                continue;
            }

            var (start, startOffset) = Marked(root, kind, $"{index}:{j}:s:");
            var (end, endSlack) = Marked(root, kind, $"{index}:{j}:e:");
            if (start.RawKind == 0 || end.RawKind == 0 || end.Span.End < start.SpanStart)
            {
                return null;
            }

            var newStart = System.Math.Min(start.SpanStart + startOffset, end.Span.End);
            var newEnd = span.IsEmpty ? newStart : System.Math.Max(end.Span.End - endSlack, newStart);
            after.Add(Location.Create(root.SyntaxTree, TextSpan.FromBounds(newStart, newEnd)));
        }

        return Diagnostic.Create(original.Descriptor, after[0], original.Severity, after.Skip(1), original.Properties);
    }

    /// <summary>The token with the mark that starts with <paramref name="prefix"/>, and the offset stored in it.</summary>
    private static (SyntaxToken Token, int Offset) Marked(SyntaxNode root, string kind, string prefix)
    {
        foreach (var token in root.GetAnnotatedTokens(kind))
        {
            foreach (var annotation in token.GetAnnotations(kind))
            {
                if (annotation.Data is { } data && data.StartsWith(prefix, System.StringComparison.Ordinal))
                {
                    return (token, int.Parse(data.Substring(prefix.Length), System.Globalization.CultureInfo.InvariantCulture));
                }
            }
        }

        return (default, 0);
    }
}
