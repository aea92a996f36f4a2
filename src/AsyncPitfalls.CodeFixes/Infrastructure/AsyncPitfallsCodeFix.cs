using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace AsyncPitfalls.CodeFixes;

/// <summary>
/// The base of every fix in the package. It owns registration and Fix All, so each fix only says which options a
/// diagnostic has (<see cref="Options"/>, from cheap checks: the diagnostic's properties, the syntax, the semantic
/// model at hand) and how to apply one (<see cref="ApplyAsync"/>, run when the action is invoked). Every application
/// is verified (<see cref="FixVerification"/>): an edit that adds a compiler error or warning in the members it
/// touches is not applied, and Fix All then tries the diagnostic's next option that is safe in bulk, or none.
/// Fix All applies the diagnostics of a document one at a time, in a fixed order (<see cref="BulkFix"/>), so the
/// same input always gives the same output.
/// </summary>
public abstract class AsyncPitfallsCodeFix : CodeFixProvider
{
    /// <summary>The options for one diagnostic, the preferred first. Only cheap checks here.</summary>
    internal abstract IEnumerable<FixOption> Options(FixRequest request);

    /// <summary>
    /// Applies the option <paramref name="key"/> to the request's diagnostic; null when it cannot be applied there. A
    /// fix that edits other documents (call sites) returns the whole solution.
    /// </summary>
    internal abstract Task<Solution?> ApplyAsync(FixRequest request, string key);

    /// <summary>
    /// Fix All applies a document's diagnostics the last first, unless this is true. A fix that moves code to a common
    /// place (ASYNC009 moves writes to before one await) asks for the first first, so the moved statements keep their order.
    /// </summary>
    internal virtual bool FixAllInSourceOrder => false;

    /// <summary>The Fix All title for an equivalence key.</summary>
    internal abstract string FixAllTitle(string key);

    public sealed override FixAllProvider GetFixAllProvider() => new BulkFix(this);

    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (!FixableDiagnosticIds.Contains(diagnostic.Id))
            {
                continue;
            }

            foreach (var option in Options(new FixRequest(context.Document, root, model, diagnostic, context.CancellationToken)))
            {
                context.RegisterCodeFix(new VerifiedAction(this, context.Document, diagnostic, option), diagnostic);
            }
        }
    }

    /// <summary>The options of <paramref name="diagnostic"/> in <paramref name="document"/>, or none when the document has no tree or model.</summary>
    internal async Task<IReadOnlyList<FixOption>> OptionsAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
        => await FixRequest.CreateAsync(document, diagnostic, cancellationToken).ConfigureAwait(false) is { } request
            ? Options(request).ToList()
            : System.Array.Empty<FixOption>();

    /// <summary>
    /// Applies one option and verifies it (in the members it touched, or with <paramref name="wholeDocuments"/> in every
    /// changed document); null when it cannot be applied or adds a compiler diagnostic.
    /// </summary>
    internal async Task<Solution?> ApplyVerifiedAsync(Document document, Diagnostic diagnostic, string key, CancellationToken cancellationToken, bool wholeDocuments = false)
    {
        if (await FixRequest.CreateAsync(document, diagnostic, cancellationToken).ConfigureAwait(false) is not { } request)
        {
            return null;
        }

        var changed = await ApplyAsync(request, key).ConfigureAwait(false);
        if (changed is null || changed == document.Project.Solution)
        {
            return null;
        }

        return await FixVerification.AddsNoDiagnosticsAsync(document.Project.Solution, changed, cancellationToken, wholeDocuments).ConfigureAwait(false) ? changed : null;
    }

    /// <summary>A light-bulb action: the edit runs, and is verified, only when the user invokes it.</summary>
    private sealed class VerifiedAction : CodeAction
    {
        private readonly AsyncPitfallsCodeFix _fix;
        private readonly Document _document;
        private readonly Diagnostic _diagnostic;
        private readonly FixOption _option;

        public VerifiedAction(AsyncPitfallsCodeFix fix, Document document, Diagnostic diagnostic, FixOption option)
        {
            _fix = fix;
            _document = document;
            _diagnostic = diagnostic;
            _option = option;
        }

        public override string Title => _option.Title;

        public override string? EquivalenceKey => _option.Key;

        protected override async Task<Solution?> GetChangedSolutionAsync(CancellationToken cancellationToken)
            => await _fix.ApplyVerifiedAsync(_document, _diagnostic, _option.Key, cancellationToken).ConfigureAwait(false) ?? _document.Project.Solution;
    }
}
