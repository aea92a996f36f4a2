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
using Microsoft.CodeAnalysis.Simplification;

namespace AsyncPitfalls.CodeFixes;

/// <summary>
/// Fixes ASYNC010: "Catch cancellation and leave the loop" (the spinner's <c>except CancelledError: break</c>), or
/// "Don't throw on cancellation" with <c>ConfigureAwaitOptions.SuppressThrowing</c> where the loop tests the token.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ASYNC010CancellationEscapesLoopCodeFix)), Shared]
public sealed class ASYNC010CancellationEscapesLoopCodeFix : CodeFixProvider
{
    internal const string CatchKey = "ASYNC010.CatchAndBreak";
    internal const string SuppressKey = "ASYNC010.SuppressThrowing";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.CancellationEscapesLoop);

    public override FixAllProvider GetFixAllProvider() => FixAll;

    private static readonly DocumentFixAll FixAll = new(CatchKey, key => key == SuppressKey ? "Don't throw on cancellation in every such loop" : "Catch cancellation and leave every such loop", ApplyAsync);

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (PlanCatch(root, diagnostic) is not null)
            {
                context.RegisterCodeFix(
                    CodeAction.Create("Catch cancellation and leave the loop", ct => ApplyAsync(context.Document, ImmutableArray.Create(diagnostic), CatchKey, ct), CatchKey),
                    diagnostic);
            }

            if (PlanSuppress(root, diagnostic) is not null)
            {
                context.RegisterCodeFix(
                    CodeAction.Create("Don't throw on cancellation", ct => ApplyAsync(context.Document, ImmutableArray.Create(diagnostic), SuppressKey, ct), SuppressKey),
                    diagnostic);
            }
        }
    }

    private sealed class CatchPlan
    {
        public CatchPlan(StatementSyntax loop, StatementSyntax body, int first, int last, string token)
        {
            Loop = loop;
            Body = body;
            First = first;
            Last = last;
            Token = token;
        }

        public StatementSyntax Loop { get; }
        public StatementSyntax Body { get; }
        public int First { get; }
        public int Last { get; }
        public string Token { get; }
    }

    private static CatchPlan? PlanCatch(SyntaxNode root, Diagnostic diagnostic)
    {
        if (!diagnostic.Properties.TryGetValue(ASYNC010CancellationEscapesLoopAnalyzer.TokenProperty, out var token) || token is null
            || root.FindToken(diagnostic.Location.SourceSpan.Start).Parent is not StatementSyntax loop)
        {
            return null;
        }

        var body = loop switch
        {
            WhileStatementSyntax w => w.Statement,
            DoStatementSyntax d => d.Statement,
            ForStatementSyntax f => f.Statement,
            CommonForEachStatementSyntax fe => fe.Statement,
            _ => null,
        };
        if (body is null)
        {
            return null;
        }

        var statements = body is BlockSyntax block ? block.Statements.ToList() : new List<StatementSyntax> { body };
        var indices = new List<int>();
        foreach (var location in diagnostic.AdditionalLocations)
        {
            var node = root.FindNode(location.SourceSpan, getInnermostNodeForTie: true);
            var index = statements.FindIndex(s => s.Span.Contains(location.SourceSpan));
            if (index < 0 || node is not AwaitExpressionSyntax && node.FirstAncestorOrSelf<AwaitExpressionSyntax>() is null)
            {
                return null;
            }

            indices.Add(index);
        }

        if (indices.Count == 0)
        {
            return null;
        }

        var first = indices.Min();
        var last = indices.Max();

        // Locals declared inside the wrapped range must stay visible to the statements after it.
        var declared = new HashSet<string>(statements.Skip(first).Take(last - first + 1).OfType<LocalDeclarationStatementSyntax>()
            .SelectMany(d => d.Declaration.Variables.Select(v => v.Identifier.ValueText)));
        if (declared.Count > 0 && statements.Skip(last + 1).Any(s => s.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Any(i => declared.Contains(i.Identifier.ValueText))))
        {
            last = statements.Count - 1;
        }

        // yield cannot appear in a try with a catch; a local function moved into a try changes nothing but is odd.
        if (statements.Skip(first).Take(last - first + 1).Any(s => s.DescendantNodesAndSelf().Any(n => n is YieldStatementSyntax)))
        {
            return null;
        }

        return new CatchPlan(loop, body, first, last, token);
    }

    private static List<AwaitExpressionSyntax>? PlanSuppress(SyntaxNode root, Diagnostic diagnostic)
    {
        if (!diagnostic.Properties.ContainsKey(ASYNC010CancellationEscapesLoopAnalyzer.CanSuppressThrowingProperty))
        {
            return null;
        }

        var awaits = new List<AwaitExpressionSyntax>();
        foreach (var location in diagnostic.AdditionalLocations)
        {
            if (root.FindNode(location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<AwaitExpressionSyntax>() is not { } awaitExpression)
            {
                return null;
            }

            awaits.Add(awaitExpression);
        }

        return awaits.Count > 0 ? awaits : null;
    }

    private static async Task<Document> ApplyAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string key, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var root = editor.OriginalRoot;
        if (key == SuppressKey)
        {
            foreach (var awaitExpression in diagnostics.Select(d => PlanSuppress(root, d)).Where(p => p is not null).SelectMany(p => p!).Distinct())
            {
                ExpressionSyntax Option(string name) => SyntaxFactory.MemberAccessExpression(
                    SyntaxKind.SimpleMemberAccessExpression,
                    SyntaxFactory.ParseExpression("System.Threading.Tasks.ConfigureAwaitOptions").WithAdditionalAnnotations(Simplifier.Annotation),
                    SyntaxFactory.IdentifierName(name));
                var options = SyntaxFactory.BinaryExpression(SyntaxKind.BitwiseOrExpression, Option("ContinueOnCapturedContext"), Option("SuppressThrowing"));
                var configured = SyntaxFactory.InvocationExpression(
                    SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, awaitExpression.Expression.WithoutTrivia(), SyntaxFactory.IdentifierName("ConfigureAwait")),
                    SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(options))));
                editor.ReplaceNode(awaitExpression.Expression, configured.WithTriviaFrom(awaitExpression.Expression));
            }

            return editor.GetChangedDocument();
        }

        var plans = diagnostics.Select(d => PlanCatch(root, d)).Where(p => p is not null).Select(p => p!).ToList();
        foreach (var plan in plans)
        {
            // A loop nested in another fixed loop is left for the next round, so the edits never overlap.
            if (plans.Any(other => other != plan && other.Body.Span.Contains(plan.Loop.Span)))
            {
                continue;
            }

            editor.ReplaceNode(plan.Body, Wrap(plan).WithAdditionalAnnotations(Formatter.Annotation));
        }

        return editor.GetChangedDocument();
    }

    private static BlockSyntax Wrap(CatchPlan plan)
    {
        var statements = plan.Body is BlockSyntax block ? block.Statements.ToList() : new List<StatementSyntax> { plan.Body };
        var wrapped = statements.Skip(plan.First).Take(plan.Last - plan.First + 1).ToList();
        var catchClause = CancellationCatch.Clause(plan.Token, SyntaxFactory.BreakStatement());
        var tryStatement = SyntaxFactory.TryStatement(SyntaxFactory.Block(wrapped), SyntaxFactory.SingletonList(catchClause), @finally: null);
        var result = statements.Take(plan.First).Append(tryStatement).Concat(statements.Skip(plan.Last + 1));
        return plan.Body is BlockSyntax original
            ? original.WithStatements(SyntaxFactory.List(result))
            : SyntaxFactory.Block(result);
    }
}
