using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace AsyncPitfalls.CodeFixes;

/// <summary>The <c>catch (OperationCanceledException)</c> clause the cancellation fixes write.</summary>
internal static class CancellationCatch
{
    /// <summary>
    /// <c>try { await task; } catch (OperationCanceledException) { }</c>: awaits a task its caller has just cancelled,
    /// so that its cleanup has run and its real failures surface, while the cancellation itself is expected.
    /// </summary>
    public static TryStatementSyntax Guarded(StatementSyntax awaitStatement)
        => SyntaxFactory.TryStatement(SyntaxFactory.Block(awaitStatement), SyntaxFactory.SingletonList(Clause(token: null)), @finally: null);

    /// <summary>
    /// <c>catch (OperationCanceledException) when (token.IsCancellationRequested) { body }</c>, or without the filter
    /// when <paramref name="token"/> is null. The token is the expression the analyzer located, reused as syntax.
    /// </summary>
    public static CatchClauseSyntax Clause(ExpressionSyntax? token, params StatementSyntax[] body)
        => SyntaxFactory.CatchClause(
            SyntaxFactory.CatchDeclaration(SyntaxFactory.ParseTypeName("System.OperationCanceledException").WithAdditionalAnnotations(Simplifier.Annotation)),
            token is null
                ? null
                : SyntaxFactory.CatchFilterClause(SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, token.WithoutTrivia(), SyntaxFactory.IdentifierName("IsCancellationRequested"))),
            SyntaxFactory.Block(body));

    /// <summary>The token expression an analyzer located (its contract's token location), found again in the request's document.</summary>
    public static ExpressionSyntax? TokenAt(FixRequest request, Location? location)
        => location is null ? null : request.NodeAt(location) as ExpressionSyntax;
}
