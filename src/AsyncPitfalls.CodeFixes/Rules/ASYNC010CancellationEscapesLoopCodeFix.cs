using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using AsyncPitfalls.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace AsyncPitfalls.CodeFixes;

/// <summary>
/// Fixes ASYNC010: "Catch cancellation and leave the loop" (the spinner's <c>except CancelledError: break</c>), or
/// "Don't throw on cancellation" with <c>ConfigureAwaitOptions.SuppressThrowing</c> where the loop tests the token.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ASYNC010CancellationEscapesLoopCodeFix)), Shared]
public sealed class ASYNC010CancellationEscapesLoopCodeFix : AsyncPitfallsCodeFix
{
    internal const string CatchKey = "ASYNC010.CatchAndBreak";
    internal const string SuppressKey = "ASYNC010.SuppressThrowing";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.CancellationEscapesLoop);

    internal override string FixAllTitle(string key) => key == SuppressKey ? "Don't throw on cancellation in every such loop" : "Catch cancellation and leave every such loop";

    internal override IEnumerable<FixOption> Options(FixRequest request)
    {
        if (PlanCatch(request) is { } plan && LoopExit.CompletesFunction(plan.Body, request.Model, request.CancellationToken))
        {
            yield return new FixOption("Catch cancellation and leave the loop", CatchKey);
        }

        if (PlanSuppress(request) is not null)
        {
            yield return new FixOption("Don't throw on cancellation", SuppressKey);
        }
    }

    internal override Task<Solution?> ApplyAsync(FixRequest request, string key)
    {
        var root = request.Root;
        if (key == SuppressKey)
        {
            return Task.FromResult(PlanSuppress(request) is { } awaits
                ? request.With(root.ReplaceNodes(awaits.Select(a => a.Expression), (original, _) => SuppressThrowing(original)))
                : null);
        }

        return Task.FromResult(PlanCatch(request) is { } plan
            ? request.With(root.ReplaceNode(plan.Body, Wrap(plan).WithAdditionalAnnotations(Formatter.Annotation)))
            : null);
    }

    /// <summary><c>x.ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext | ConfigureAwaitOptions.SuppressThrowing)</c>.</summary>
    private static ExpressionSyntax SuppressThrowing(ExpressionSyntax awaited)
    {
        ExpressionSyntax Option(string name) => SyntaxFactory.MemberAccessExpression(
            SyntaxKind.SimpleMemberAccessExpression,
            SyntaxFactory.ParseExpression("System.Threading.Tasks.ConfigureAwaitOptions").WithAdditionalAnnotations(Simplifier.Annotation),
            SyntaxFactory.IdentifierName(name));
        var options = SyntaxFactory.BinaryExpression(SyntaxKind.BitwiseOrExpression, Option("ContinueOnCapturedContext"), Option("SuppressThrowing"));
        return SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, awaited.WithoutTrivia(), SyntaxFactory.IdentifierName("ConfigureAwait")),
                SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(options))))
            .WithTriviaFrom(awaited);
    }

    private sealed class CatchPlan
    {
        public CatchPlan(StatementSyntax loop, StatementSyntax body, int first, int last, ExpressionSyntax token)
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
        public ExpressionSyntax Token { get; }
    }

    private static CatchPlan? PlanCatch(FixRequest request)
    {
        if (!ASYNC010Data.TryRead(request.Diagnostic, out var data)
            || CancellationCatch.TokenAt(request, data.Token) is not { } token
            || request.TokenParent is not StatementSyntax loop)
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
        foreach (var location in data.Awaits)
        {
            var node = request.NodeAt(location);
            var index = statements.FindIndex(s => s.Span.Contains(location.SourceSpan));
            if (node is null || index < 0 || node is not AwaitExpressionSyntax && node.FirstAncestorOrSelf<AwaitExpressionSyntax>() is null)
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

    private static List<AwaitExpressionSyntax>? PlanSuppress(FixRequest request)
    {
        if (!ASYNC010Data.TryRead(request.Diagnostic, out var data) || !data.CanSuppressThrowing)
        {
            return null;
        }

        var awaits = new List<AwaitExpressionSyntax>();
        foreach (var location in data.Awaits)
        {
            if (request.NodeAt(location)?.FirstAncestorOrSelf<AwaitExpressionSyntax>() is not { } awaitExpression)
            {
                return null;
            }

            awaits.Add(awaitExpression);
        }

        return awaits.Count > 0 ? awaits : null;
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
