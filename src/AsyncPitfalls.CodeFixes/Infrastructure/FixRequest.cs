using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;

namespace AsyncPitfalls.CodeFixes;

/// <summary>The diagnostic a fix is asked about, with what registration already has at hand.</summary>
internal sealed class FixRequest
{
    public FixRequest(Document document, SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        Document = document;
        Root = root;
        Model = model;
        Diagnostic = diagnostic;
        CancellationToken = cancellationToken;
    }

    public Document Document { get; }
    public SyntaxNode Root { get; }
    public SemanticModel Model { get; }
    public Diagnostic Diagnostic { get; }
    public CancellationToken CancellationToken { get; }

    /// <summary>The request for <paramref name="diagnostic"/> in <paramref name="document"/>; null when the document has no tree or model.</summary>
    public static async Task<FixRequest?> CreateAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        return root is null || model is null ? null : new FixRequest(document, root, model, diagnostic, cancellationToken);
    }

    /// <summary>The solution with <see cref="Document"/>'s root replaced by <paramref name="root"/>.</summary>
    public Solution With(SyntaxNode root) => Document.WithSyntaxRoot(root).Project.Solution;

    /// <summary>The innermost node at <paramref name="location"/> of this document, or null for a location elsewhere.</summary>
    public SyntaxNode? NodeAt(Location location)
        => location.IsInSource && location.SourceTree == Root.SyntaxTree ? Root.FindNode(location.SourceSpan, getInnermostNodeForTie: true) : null;

    /// <summary>The innermost node at the diagnostic's span.</summary>
    public SyntaxNode Node => Root.FindNode(Diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);

    /// <summary>The node that owns the token where the diagnostic starts (a declarator, a catch clause, a loop).</summary>
    public SyntaxNode? TokenParent => Root.FindToken(Diagnostic.Location.SourceSpan.Start).Parent;
}
