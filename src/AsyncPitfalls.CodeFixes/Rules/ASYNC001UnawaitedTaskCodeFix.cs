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
using Microsoft.CodeAnalysis.Formatting;

namespace AsyncPitfalls.CodeFixes;

/// <summary>
/// Fixes ASYNC001 (and the compiler's CS4014): "Await the call", making the function async where
/// that is safe, or "Discard the task explicitly" (<c>_ = call;</c>).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ASYNC001UnawaitedTaskCodeFix)), Shared]
public sealed partial class ASYNC001UnawaitedTaskCodeFix : CodeFixProvider
{
    internal const string AwaitKey = "ASYNC001.Await";
    internal const string DiscardKey = "ASYNC001.Discard";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticIds.UnawaitedTask, DiagnosticIds.CompilerUnawaitedCall);

    public override FixAllProvider GetFixAllProvider() => FixAll;

    private static readonly DocumentFixAll FixAll = new(AwaitKey, key => key == DiscardKey ? "Discard all dropped tasks explicitly" : "Await all dropped calls", ApplyAsync);

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            var plan = await DropPlan.CreateAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false);
            if (plan is null)
            {
                continue;
            }

            if (plan.CanAwait)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Await the call",
                        ct => ApplyAsync(context.Document, ImmutableArray.Create(diagnostic), AwaitKey, ct),
                        AwaitKey),
                    diagnostic);
            }

            if (plan.CanDiscard && diagnostic.Id == DiagnosticIds.UnawaitedTask)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Discard the task explicitly",
                        ct => ApplyAsync(context.Document, ImmutableArray.Create(diagnostic), DiscardKey, ct),
                        DiscardKey),
                    diagnostic);
            }
        }
    }

    internal static async Task<Document> ApplyAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string key, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var functionsToMakeAsync = new Dictionary<SyntaxNode, AsyncConversion>();
        foreach (var diagnostic in diagnostics.OrderByDescending(d => d.Location.SourceSpan.Start))
        {
            var plan = await DropPlan.CreateAsync(document, diagnostic, cancellationToken).ConfigureAwait(false);
            if (plan is null || (key == AwaitKey ? !plan.CanAwait : !plan.CanDiscard))
            {
                continue;
            }

            if (key == DiscardKey)
            {
                editor.ReplaceNode(plan.Expression, (current, _) => SyntaxFactory.AssignmentExpression(
                        SyntaxKind.SimpleAssignmentExpression,
                        SyntaxFactory.IdentifierName("_"),
                        ((ExpressionSyntax)current).WithoutTrivia())
                    .WithTriviaFrom(current)
                    .WithAdditionalAnnotations(Formatter.Annotation));
                continue;
            }

            editor.ReplaceNode(plan.Expression, (current, _) => SyntaxFactory.AwaitExpression(((ExpressionSyntax)current).WithoutTrivia())
                .WithTriviaFrom(current)
                .WithAdditionalAnnotations(Formatter.Annotation));
            if (plan.Conversion?.FunctionToMakeAsync is { } function && !functionsToMakeAsync.ContainsKey(function))
            {
                functionsToMakeAsync.Add(function, plan.Conversion);
            }
        }

        foreach (var pair in functionsToMakeAsync)
        {
            editor.ReplaceNode(pair.Key, (current, generator) => pair.Value.Apply(current, generator));
        }

        return editor.GetChangedDocument();
    }
}
