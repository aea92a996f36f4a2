using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace AsyncPitfalls.CodeFixes;

/// <summary>
/// The one fix-all provider every fix of the package uses: edits stay inside the diagnostic's document, so it is a
/// <see cref="DocumentBasedFixAllProvider"/> that hands each document's diagnostics to the fix's own apply method.
/// </summary>
internal sealed class DocumentFixAll : DocumentBasedFixAllProvider
{
    private readonly string _defaultKey;
    private readonly Func<string, string> _title;
    private readonly Func<Document, ImmutableArray<Diagnostic>, string, CancellationToken, Task<Document>> _apply;

    public DocumentFixAll(string defaultKey, Func<string, string> title, Func<Document, ImmutableArray<Diagnostic>, string, CancellationToken, Task<Document>> apply)
    {
        _defaultKey = defaultKey;
        _title = title;
        _apply = apply;
    }

    protected override string GetFixAllTitle(FixAllContext fixAllContext)
        => _title(fixAllContext.CodeActionEquivalenceKey ?? _defaultKey);

    protected override async Task<Document?> FixAllAsync(FixAllContext fixAllContext, Document document, ImmutableArray<Diagnostic> diagnostics)
        => await _apply(document, diagnostics, fixAllContext.CodeActionEquivalenceKey ?? _defaultKey, fixAllContext.CancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Applies the diagnostics one at a time, later ones first so the spans of the earlier ones stay valid. A fix
    /// that cannot be applied (<paramref name="applyOne"/> returns null) is skipped without blocking the others.
    /// </summary>
    public static async Task<Document> ApplyEachAsync(
        Document document,
        ImmutableArray<Diagnostic> diagnostics,
        Func<Document, Diagnostic, CancellationToken, Task<Document?>> applyOne,
        CancellationToken cancellationToken)
    {
        var current = document;
        foreach (var diagnostic in diagnostics.OrderByDescending(d => d.Location.SourceSpan.Start))
        {
            if (await applyOne(current, diagnostic, cancellationToken).ConfigureAwait(false) is { } changed)
            {
                current = changed;
            }
        }

        return current;
    }
}
