using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AsyncPitfalls.CodeFixes;

/// <summary>
/// Whether leaving a loop with <c>break</c> lets the function complete: the code after the loop must finish the
/// function. A function that returns nothing (<c>void</c>, <c>Task</c>, <c>ValueTask</c>, a constructor, a setter)
/// always can; one that returns a value can when statements follow the loop and the body ends with a <c>return</c>
/// or a <c>throw</c>. Otherwise the break leaves the end of the function reachable (CS0161) and the cancellation
/// fixes rethrow instead. A syntax check on the model at hand, cheap enough for registration.
/// </summary>
internal static class LoopExit
{
    public static bool CompletesFunction(SyntaxNode inLoop, SemanticModel model, CancellationToken cancellationToken)
    {
        var loop = inLoop.AncestorsAndSelf().FirstOrDefault(n => n is WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax or CommonForEachStatementSyntax);
        var function = loop?.Ancestors().FirstOrDefault(n => n is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax or AccessorDeclarationSyntax or CompilationUnitSyntax);
        if (loop is null || function is null)
        {
            return false;
        }

        var symbol = function is AnonymousFunctionExpressionSyntax ? model.GetSymbolInfo(function, cancellationToken).Symbol : model.GetDeclaredSymbol(function, cancellationToken);
        if (function is CompilationUnitSyntax || symbol is IMethodSymbol { ReturnsVoid: true } || symbol is IMethodSymbol { MethodKind: MethodKind.Constructor }
            || symbol is IMethodSymbol { IsAsync: true, ReturnType: INamedTypeSymbol { IsGenericType: false } })
        {
            return true;
        }

        var body = function switch
        {
            BaseMethodDeclarationSyntax m => m.Body,
            LocalFunctionStatementSyntax l => l.Body,
            AnonymousFunctionExpressionSyntax a => a.Block,
            AccessorDeclarationSyntax a => a.Body,
            _ => null,
        };
        return body is not null && loop.Parent is BlockSyntax block && block.Statements.IndexOf((StatementSyntax)loop) < block.Statements.Count - 1
            && body.Statements.LastOrDefault() is ReturnStatementSyntax or ThrowStatementSyntax;
    }
}
