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

namespace AsyncPitfalls.CodeFixes;

/// <summary>
/// Fixes ASYNC021 with "Assign the outer 'result'": <c>var result = X;</c> becomes <c>result = X;</c>, so the
/// value reaches the outer variable. Not in static lambdas or static local functions, which cannot capture it,
/// and only when the changed document compiles with no new diagnostic.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ASYNC021ShadowedResultCodeFix)), Shared]
public sealed class ASYNC021ShadowedResultCodeFix : CodeFixProvider
{
    internal const string AssignKey = "ASYNC021.AssignOuter";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.ShadowedResult);

    public override FixAllProvider GetFixAllProvider() => FixAll;

    private static readonly DocumentFixAll FixAll = new(AssignKey, _ => "Assign the outer variables", (document, diagnostics, _, ct) => DocumentFixAll.ApplyEachAsync(document, diagnostics, ApplyVerifiedAsync, ct));

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (await ApplyVerifiedAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false) is { } changed)
            {
                var name = diagnostic.Properties.TryGetValue(ASYNC020ASYNC021LostResultAnalyzer.PartnerProperty, out var partner) ? partner : "outer variable";
                context.RegisterCodeFix(CodeAction.Create($"Assign the outer '{name}'", _ => Task.FromResult(changed), AssignKey), diagnostic);
            }
        }
    }

    /// <summary>One diagnostic fixed, or null when the fix does not apply or would add a diagnostic.</summary>
    private static async Task<Document?> ApplyVerifiedAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var changed = await ApplyAsync(document, diagnostic, cancellationToken).ConfigureAwait(false);
        return changed is not null && await FixVerification.AddsNoDiagnosticsAsync(document, changed, cancellationToken).ConfigureAwait(false) ? changed : null;
    }

    private static async Task<Document?> ApplyAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root?.FindToken(diagnostic.Location.SourceSpan.Start).Parent is not VariableDeclaratorSyntax declarator
            || FixSyntax.AssignmentInsteadOf(declarator, declarator.Identifier.ValueText) is not { } rewrite
            || declarator.Ancestors().Any(a => a is AnonymousFunctionExpressionSyntax { Modifiers: var modifiers } && modifiers.Any(SyntaxKind.StaticKeyword)
                || a is LocalFunctionStatementSyntax local && local.Modifiers.Any(SyntaxKind.StaticKeyword)))
        {
            return null;
        }

        return document.WithSyntaxRoot(root.ReplaceNode(rewrite.Statement, rewrite.Assignment));
    }
}
