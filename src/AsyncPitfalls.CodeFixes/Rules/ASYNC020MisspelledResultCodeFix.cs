using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AsyncPitfalls.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.FindSymbols;

namespace AsyncPitfalls.CodeFixes;

/// <summary>
/// Fixes ASYNC020: "Use 'result'" turns <c>var resut = X;</c> into <c>result = X;</c>, and "Read 'resut'
/// instead" points the later reads of <c>result</c> at the local. Each is offered only when the changed
/// document compiles with no new diagnostic.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ASYNC020MisspelledResultCodeFix)), Shared]
public sealed class ASYNC020MisspelledResultCodeFix : CodeFixProvider
{
    internal const string UseKey = "ASYNC020.UsePartner";
    internal const string ReadKey = "ASYNC020.ReadLocal";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.MisspelledResult);

    public override FixAllProvider GetFixAllProvider() => FixAll;

    private static readonly DocumentFixAll FixAll = new(UseKey, key => key == ReadKey ? "Read the misspelled locals instead" : "Use the intended variables", (document, diagnostics, key, ct) => DocumentFixAll.ApplyEachAsync(document, diagnostics, (current, diagnostic, token) => ApplyVerifiedAsync(current, diagnostic, key, token), ct));

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(ASYNC020ASYNC021LostResultAnalyzer.PartnerProperty, out var partner) || partner is null)
            {
                continue;
            }

            var local = (await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false))?.FindToken(diagnostic.Location.SourceSpan.Start).ValueText;
            foreach (var key in new[] { UseKey, ReadKey })
            {
                if (await ApplyVerifiedAsync(context.Document, diagnostic, key, context.CancellationToken).ConfigureAwait(false) is { } changed)
                {
                    var title = key == UseKey ? $"Use '{partner}'" : $"Read '{local}' instead";
                    context.RegisterCodeFix(CodeAction.Create(title, _ => Task.FromResult(changed), key), diagnostic);
                }
            }
        }
    }

    /// <summary>
    /// One diagnostic fixed, or null when the result would add a diagnostic (or nothing changes). For "Use 'result'"
    /// with a field or property as the intended symbol, renaming the local comes first: it leaves the object's state
    /// alone, and the later reads of <c>result</c> in the local's scope then see the value. When the rename does not
    /// compile cleanly (a read before the declaration, the member left unused), the assignment is used instead.
    /// </summary>
    private static async Task<Document?> ApplyVerifiedAsync(Document document, Diagnostic diagnostic, string key, CancellationToken cancellationToken)
    {
        if (key == UseKey && await RenameToMemberAsync(document, diagnostic, cancellationToken).ConfigureAwait(false) is { } renamed
            && await FixVerification.AddsNoDiagnosticsAsync(document, renamed, cancellationToken).ConfigureAwait(false))
        {
            return renamed;
        }

        var changed = await ApplyAsync(document, ImmutableArray.Create(diagnostic), key, cancellationToken).ConfigureAwait(false);
        return changed != document && await FixVerification.AddsNoDiagnosticsAsync(document, changed, cancellationToken).ConfigureAwait(false) ? changed : null;
    }

    internal static async Task<Document> ApplyAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string key, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var model = editor.SemanticModel;
        var changedAny = false;
        foreach (var diagnostic in diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(ASYNC020ASYNC021LostResultAnalyzer.PartnerProperty, out var partnerName) || partnerName is null
                || editor.OriginalRoot.FindToken(diagnostic.Location.SourceSpan.Start).Parent is not VariableDeclaratorSyntax declarator
                || model.GetDeclaredSymbol(declarator, cancellationToken) is not ILocalSymbol local)
            {
                continue;
            }

            if (Body(declarator) is not { } body)
            {
                continue;
            }

            var references = FixSyntax.ReferencesTo(local, body, model, cancellationToken);
            if (key == UseKey)
            {
                if (!AssignPartner(editor, declarator, references, partnerName))
                {
                    continue;
                }
            }
            else
            {
                var partner = model.LookupSymbols(declarator.SpanStart, name: partnerName).FirstOrDefault();
                var reads = body.DescendantNodes().OfType<IdentifierNameSyntax>()
                    .Where(i => i.SpanStart > declarator.Span.End && i.Identifier.ValueText == partnerName
                        && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(i, cancellationToken).Symbol, partner)
                        && !IsWriteTarget(i))
                    .ToList();
                if (partner is null || reads.Count == 0)
                {
                    continue;
                }

                foreach (var read in reads)
                {
                    SyntaxNode target = read.Parent is MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } access && access.Name == read ? access : read;
                    editor.ReplaceNode(target, SyntaxFactory.IdentifierName(local.Name).WithTriviaFrom(target));
                }
            }

            changedAny = true;
        }

        return changedAny ? editor.GetChangedDocument() : document;
    }

    /// <summary>Renames the local to the name of the field or property it was meant to be; null for other partners.</summary>
    private static async Task<Document?> RenameToMemberAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null
            || !diagnostic.Properties.TryGetValue(ASYNC020ASYNC021LostResultAnalyzer.PartnerProperty, out var partnerName) || partnerName is null
            || root.FindToken(diagnostic.Location.SourceSpan.Start).Parent is not VariableDeclaratorSyntax declarator
            || model.GetDeclaredSymbol(declarator, cancellationToken) is not ILocalSymbol local
            || model.LookupSymbols(declarator.SpanStart, name: partnerName).FirstOrDefault() is not ({ Kind: SymbolKind.Field or SymbolKind.Property } member))
        {
            return null;
        }

        var body = Body(declarator);
        var scope = declarator.FirstAncestorOrSelf<BlockSyntax>();
        if (body is null || scope is null)
        {
            return null;
        }

        // The member must stay in use after the rename; the reads the local takes over do not count. (The compiler
        // reports an unused field only for the whole compilation, which the per-document check does not see.)
        var references = await SymbolFinder.FindReferencesAsync(member, document.Project.Solution, cancellationToken).ConfigureAwait(false);
        var remaining = references.SelectMany(r => r.Locations).Count(l => l.Document.Id != document.Id
            || !(scope.Span.Contains(l.Location.SourceSpan) && l.Location.SourceSpan.Start > declarator.Span.End
                && root.FindNode(l.Location.SourceSpan, getInnermostNodeForTie: true) is IdentifierNameSyntax { Parent: not MemberAccessExpressionSyntax }));
        if (remaining == 0)
        {
            return null;
        }

        var tokens = FixSyntax.ReferencesTo(local, body, model, cancellationToken).Select(i => i.Identifier).Append(declarator.Identifier);
        return document.WithSyntaxRoot(root.ReplaceTokens(tokens, (original, _) => SyntaxFactory.Identifier(partnerName).WithTriviaFrom(original)));
    }

    /// <summary>The member, accessor or local function that holds the declaration.</summary>
    private static SyntaxNode? Body(VariableDeclaratorSyntax declarator)
        => declarator.FirstAncestorOrSelf<SyntaxNode>(n => n is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or LocalFunctionStatementSyntax or CompilationUnitSyntax);

    /// <summary><c>var resut = X;</c> becomes <c>result = X;</c> when the local has no other reference.</summary>
    private static bool AssignPartner(DocumentEditor editor, VariableDeclaratorSyntax declarator, List<IdentifierNameSyntax> references, string partnerName)
    {
        if (references.Count > 0 || FixSyntax.AssignmentInsteadOf(declarator, partnerName) is not { } rewrite)
        {
            return false;
        }

        editor.ReplaceNode(rewrite.Statement, rewrite.Assignment);
        return true;
    }

    private static bool IsWriteTarget(IdentifierNameSyntax name)
    {
        SyntaxNode node = name.Parent is MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } access && access.Name == name ? access : name;
        return node.Parent is AssignmentExpressionSyntax assignment && assignment.Left == node
            || node.Parent is ArgumentSyntax argument && argument.RefKindKeyword.IsKind(SyntaxKind.OutKeyword);
    }
}
