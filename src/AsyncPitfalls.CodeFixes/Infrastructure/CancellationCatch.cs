using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace AsyncPitfalls.CodeFixes;

/// <summary>The <c>catch (OperationCanceledException)</c> clause the cancellation fixes write.</summary>
internal static class CancellationCatch
{
    /// <summary>
    /// <c>catch (OperationCanceledException) when (token.IsCancellationRequested) { body }</c>, or without the filter
    /// when <paramref name="token"/> is null.
    /// </summary>
    public static CatchClauseSyntax Clause(string? token, params StatementSyntax[] body)
        => SyntaxFactory.CatchClause(
            SyntaxFactory.CatchDeclaration(SyntaxFactory.ParseTypeName("System.OperationCanceledException").WithAdditionalAnnotations(Simplifier.Annotation)),
            token is null ? null : SyntaxFactory.CatchFilterClause(SyntaxFactory.ParseExpression(token + ".IsCancellationRequested")),
            SyntaxFactory.Block(body));
}
