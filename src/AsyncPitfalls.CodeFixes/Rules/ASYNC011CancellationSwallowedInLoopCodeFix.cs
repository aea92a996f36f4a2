using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using AsyncPitfalls.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;

namespace AsyncPitfalls.CodeFixes;

/// <summary>
/// Fixes ASYNC011 by putting <c>catch (OperationCanceledException) when (token.IsCancellationRequested)</c> in
/// front of the swallowing clause, with <c>break;</c> ("Stop the loop on cancellation") or <c>throw;</c>
/// ("Rethrow cancellation").
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ASYNC011CancellationSwallowedInLoopCodeFix)), Shared]
public sealed class ASYNC011CancellationSwallowedInLoopCodeFix : CodeFixProvider
{
    internal const string BreakKey = "ASYNC011.Break";
    internal const string RethrowKey = "ASYNC011.Rethrow";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.CancellationSwallowedInLoop);

    public override FixAllProvider GetFixAllProvider() => FixAll;

    private static readonly DocumentFixAll FixAll = new(BreakKey, key => key == RethrowKey ? "Rethrow cancellation everywhere" : "Stop every such loop on cancellation", ApplyAsync);

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            if (root is null || Find(root, diagnostic) is null)
            {
                continue;
            }

            if (diagnostic.Properties.ContainsKey(ASYNC011CancellationSwallowedInLoopAnalyzer.CanBreakProperty))
            {
                context.RegisterCodeFix(
                    CodeAction.Create("Stop the loop on cancellation", ct => ApplyAsync(context.Document, ImmutableArray.Create(diagnostic), BreakKey, ct), BreakKey),
                    diagnostic);
            }

            context.RegisterCodeFix(
                CodeAction.Create("Rethrow cancellation", ct => ApplyAsync(context.Document, ImmutableArray.Create(diagnostic), RethrowKey, ct), RethrowKey),
                diagnostic);
        }
    }

    private static (CatchClauseSyntax Clause, string Token)? Find(SyntaxNode root, Diagnostic diagnostic)
        => root.FindToken(diagnostic.Location.SourceSpan.Start).Parent is CatchClauseSyntax clause
            && diagnostic.Properties.TryGetValue(ASYNC011CancellationSwallowedInLoopAnalyzer.TokenProperty, out var token) && token is not null
            ? (clause, token)
            : null;

    private static async Task<Document> ApplyAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string key, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in diagnostics)
        {
            if (Find(editor.OriginalRoot, diagnostic) is not { } found
                || key == BreakKey && !diagnostic.Properties.ContainsKey(ASYNC011CancellationSwallowedInLoopAnalyzer.CanBreakProperty))
            {
                continue;
            }

            StatementSyntax leave = key == BreakKey ? SyntaxFactory.BreakStatement() : SyntaxFactory.ThrowStatement();
            var clause = CancellationCatch.Clause(found.Token, leave).WithAdditionalAnnotations(Formatter.Annotation);
            editor.InsertBefore(found.Clause, clause);
        }

        return editor.GetChangedDocument();
    }
}
