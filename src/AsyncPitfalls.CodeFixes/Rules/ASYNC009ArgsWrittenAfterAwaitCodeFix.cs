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

namespace AsyncPitfalls.CodeFixes;

/// <summary>
/// Fixes ASYNC009 two ways, as the analyzer allows (<see cref="ASYNC009Data"/>):
/// <list type="bullet">
/// <item>"Decide before the first await" moves a constant write (<c>e.Handled = true;</c>, <c>e.SetObserved();</c>) to
/// just before the statement that holds the handler's first await. The write then reaches the raiser; nothing it
/// depends on is computed after the await, and it ran on every path that succeeded, so it is safe in bulk.</item>
/// <item>"Cancel first, close again once decided" is for <c>e.Cancel = await …</c> in a window or form: cancel before the
/// await, and when the decision says to proceed, remember it in a new field and call <c>Close()</c> again, whose
/// handler then lets the close through. It adds a field and a second pass through the handler, so it is offered one at
/// a time and never applied in bulk.</item>
/// </list>
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ASYNC009ArgsWrittenAfterAwaitCodeFix)), Shared]
public sealed class ASYNC009ArgsWrittenAfterAwaitCodeFix : AsyncPitfallsCodeFix
{
    internal const string MoveKey = "ASYNC009.DecideBeforeTheAwait";
    internal const string CloseAgainKey = "ASYNC009.CancelThenCloseAgain";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.ArgsWrittenAfterAwait);

    /// <summary>Each write moves to just before the same await: the first first keeps them in their order.</summary>
    internal override bool FixAllInSourceOrder => true;

    internal override string FixAllTitle(string key) => key == CloseAgainKey ? "Cancel first, then close again once decided" : "Decide every answer before the first await";

    internal override IEnumerable<FixOption> Options(FixRequest request)
    {
        if (!ASYNC009Data.TryRead(request.Diagnostic, out var data))
        {
            yield break;
        }

        if (data.CanMoveBeforeTheAwait)
        {
            yield return new FixOption("Decide before the first await", MoveKey);
        }

        if (data.CloseAgain)
        {
            yield return new FixOption("Cancel first, then close again once decided (adds a field)", CloseAgainKey, bulk: false);
        }
    }

    internal override Task<Solution?> ApplyAsync(FixRequest request, string key)
    {
        if (!ASYNC009Data.TryRead(request.Diagnostic, out var data) || request.NodeAt(data.FirstAwait) is not StatementSyntax firstAwait)
        {
            return Task.FromResult<Solution?>(null);
        }

        var root = key switch
        {
            MoveKey when data.CanMoveBeforeTheAwait => MoveBefore(request, firstAwait),
            CloseAgainKey when data.CancelStatement is { } cancel && request.NodeAt(cancel) is StatementSyntax decision => CloseAgain(request, firstAwait, decision),
            _ => null,
        };
        return Task.FromResult(root is null ? null : request.With(root));
    }

    /// <summary>The write's statement, moved to just before the first await's statement of the same block.</summary>
    private static SyntaxNode? MoveBefore(FixRequest request, StatementSyntax firstAwait)
    {
        if (request.Node.FirstAncestorOrSelf<ExpressionStatementSyntax>() is not { Parent: BlockSyntax block } write || firstAwait.Parent != block)
        {
            return null;
        }

        // Positions first: the list's nodes are new after each edit. The write comes after the await, so its removal
        // leaves the await's position as it was.
        var position = block.Statements.IndexOf(firstAwait);
        var moved = write.WithLeadingTrivia(firstAwait.GetLeadingTrivia()).WithTrailingTrivia(firstAwait.GetTrailingTrivia());
        var statements = block.Statements.Remove(write).Insert(position, moved);
        return request.Root.ReplaceNode(block, block.WithStatements(statements));
    }

    /// <summary>
    /// <code>
    /// if (_closeConfirmed) { return; }        // the second pass: the decision is made, let the close through
    /// e.Cancel = true;                        // before the first await, where the raiser still reads it
    /// ... the awaits ...
    /// if (!decision) { _closeConfirmed = true; Close(); }
    /// </code>
    /// </summary>
    private static SyntaxNode? CloseAgain(FixRequest request, StatementSyntax firstAwait, StatementSyntax decisionStatement)
    {
        if (request.Node.FirstAncestorOrSelf<MemberAccessExpressionSyntax>() is not { } cancel
            || firstAwait.Parent is not BlockSyntax { Parent: MethodDeclarationSyntax method } body || decisionStatement.Parent != body
            || method.Parent is not TypeDeclarationSyntax type
            || request.Model.GetDeclaredSymbol(type, request.CancellationToken) is not { } typeSymbol)
        {
            return null;
        }

        var cancels = decisionStatement switch
        {
            ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax assignment } => assignment.Right,
            IfStatementSyntax { Else: null } conditional => conditional.Condition,
            _ => null,
        };
        if (cancels is null)
        {
            return null;
        }

        var field = FreeName(typeSymbol, "_closeConfirmed");
        var eol = FixSyntax.EndOfLine(request.Root);
        var proceed = SyntaxFactory.ParseStatement($"if ({Negate(cancels)}){eol}{{{eol}{field} = true;{eol}Close();{eol}}}{eol}")
            .WithLeadingTrivia(decisionStatement.GetLeadingTrivia()).WithAdditionalAnnotations(Formatter.Annotation);
        var cancelFirst = SyntaxFactory.ParseStatement($"{cancel.WithoutTrivia()} = true;{eol}").WithAdditionalAnnotations(Formatter.Annotation);

        // The guard and the field each stand apart, by a blank line.
        var guard = SyntaxFactory.ParseStatement($"if ({field}){eol}{{{eol}return;{eol}}}{eol}")
            .WithTrailingTrivia(SyntaxFactory.EndOfLine(eol), SyntaxFactory.EndOfLine(eol)).WithAdditionalAnnotations(Formatter.Annotation);

        var decisionIndex = body.Statements.IndexOf(decisionStatement);
        var awaitIndex = body.Statements.IndexOf(firstAwait);
        var statements = body.Statements.RemoveAt(decisionIndex).Insert(decisionIndex, proceed).Insert(awaitIndex, cancelFirst).Insert(0, guard);

        var declaration = SyntaxFactory.ParseMemberDeclaration($"private bool {field};")!
            .WithTrailingTrivia(SyntaxFactory.EndOfLine(eol), SyntaxFactory.EndOfLine(eol)).WithAdditionalAnnotations(Formatter.Annotation);
        var placed = new SyntaxAnnotation();
        var newType = type.ReplaceNode(method, method.ReplaceNode(body, body.WithStatements(statements)).WithAdditionalAnnotations(placed));
        newType = newType.InsertNodesBefore(newType.GetAnnotatedNodes(placed).First(), new[] { declaration });
        return request.Root.ReplaceNode(type, newType);
    }

    /// <summary><c>!x</c> for a simple expression, <c>x</c> for <c>!x</c>, <c>!(x)</c> for anything else.</summary>
    private static string Negate(ExpressionSyntax expression)
        => expression switch
        {
            PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalNotExpression, Operand: var operand } => operand.WithoutTrivia().ToString(),
            IdentifierNameSyntax or InvocationExpressionSyntax or MemberAccessExpressionSyntax or ParenthesizedExpressionSyntax or AwaitExpressionSyntax
                or LiteralExpressionSyntax => "!" + expression.WithoutTrivia(),
            _ => $"!({expression.WithoutTrivia()})",
        };

    private static string FreeName(INamedTypeSymbol type, string name)
    {
        var taken = new HashSet<string>(type.GetMembers().Select(m => m.Name).Concat(type.BaseType?.GetMembers().Select(m => m.Name) ?? Enumerable.Empty<string>()));
        var candidate = name;
        for (var i = 2; taken.Contains(candidate); i++)
        {
            candidate = name + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return candidate;
    }
}
