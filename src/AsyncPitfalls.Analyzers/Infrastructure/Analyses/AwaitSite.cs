using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncPitfalls.Analyzers;

/// <summary>
/// Where an operation sits for <c>await</c>'s purposes: the function it runs in (the innermost lambda, anonymous method
/// or local function, else the member that owns the operation), whether that function is async, and whether the
/// language lets <c>await</c> be written at a given place.
/// </summary>
internal readonly struct AwaitSite
{
    private AwaitSite(IMethodSymbol? function, IOperation? functionOperation)
    {
        Function = function;
        FunctionOperation = functionOperation;
    }

    /// <summary>The innermost function symbol, or null outside any method (field initializers, attributes).</summary>
    public IMethodSymbol? Function { get; }

    /// <summary>The lambda or local-function operation, or null when the context is the owning member.</summary>
    public IOperation? FunctionOperation { get; }

    public bool IsAsync => Function?.IsAsync == true;

    public static AwaitSite Of(IOperation operation, ISymbol owningSymbol)
        => operation.EnclosingFunction() switch
        {
            IAnonymousFunctionOperation lambda => new AwaitSite(lambda.Symbol, lambda),
            ILocalFunctionOperation localFunction => new AwaitSite(localFunction.Symbol, localFunction),
            _ => new AwaitSite(owningSymbol as IMethodSymbol, null),
        };

    /// <summary>
    /// True when the language forbids <c>await</c> at <paramref name="node"/> even in an async function:
    /// inside a <c>lock</c> body, a catch filter, an unsafe context or a query clause.
    /// </summary>
    public static bool AwaitIsForbiddenAt(SyntaxNode node)
    {
        for (var current = node; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case LockStatementSyntax lockStatement when lockStatement.Statement.Span.Contains(node.Span):
                case CatchFilterClauseSyntax:
                case UnsafeStatementSyntax:
                case QueryExpressionSyntax:
                    return true;
                case AnonymousFunctionExpressionSyntax:
                    return false;
                case LocalFunctionStatementSyntax localFunction:
                    return localFunction.Modifiers.Any(SyntaxKind.UnsafeKeyword);
                case BaseMethodDeclarationSyntax method:
                    return method.Modifiers.Any(SyntaxKind.UnsafeKeyword) || InUnsafeType(method);
                case AccessorDeclarationSyntax or PropertyDeclarationSyntax or IndexerDeclarationSyntax:
                    return InUnsafeType(current);
            }
        }

        return false;
    }

    private static bool InUnsafeType(SyntaxNode node)
    {
        for (var current = node.Parent; current is not null; current = current.Parent)
        {
            if (current is TypeDeclarationSyntax type && type.Modifiers.Any(SyntaxKind.UnsafeKeyword))
            {
                return true;
            }
        }

        return false;
    }
}
