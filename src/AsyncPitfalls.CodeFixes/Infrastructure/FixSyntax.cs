using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AsyncPitfalls.CodeFixes;

/// <summary>Syntax questions and rewrites that several fixes share.</summary>
internal static class FixSyntax
{
    /// <summary>The line ending the document already uses (its first), or a line feed in a document of one line.</summary>
    public static string EndOfLine(SyntaxNode root)
    {
        foreach (var trivia in root.DescendantTrivia())
        {
            if (trivia.IsKind(SyntaxKind.EndOfLineTrivia))
            {
                return trivia.ToString();
            }
        }

        return "\n";
    }

    /// <summary>
    /// <c>_ = expression</c>. The <c>_</c> is made as the parser makes it (an underscore token): an identifier
    /// named "_" built by <c>SyntaxFactory.IdentifierName</c> is not a discard to the binder until the text is parsed again.
    /// </summary>
    public static AssignmentExpressionSyntax Discard(ExpressionSyntax expression)
        => SyntaxFactory.AssignmentExpression(
            SyntaxKind.SimpleAssignmentExpression,
            SyntaxFactory.IdentifierName(SyntaxFactory.Identifier(default, SyntaxKind.UnderscoreToken, "_", "_", default)),
            expression.WithoutTrivia());

    /// <summary>The names in <paramref name="scope"/> that bind to <paramref name="symbol"/>.</summary>
    public static List<IdentifierNameSyntax> ReferencesTo(ISymbol symbol, SyntaxNode scope, SemanticModel model, CancellationToken cancellationToken)
        => scope.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>()
            .Where(i => i.Identifier.ValueText == symbol.Name && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(i, cancellationToken).Symbol, symbol))
            .ToList();

    /// <summary>
    /// <c>var x = X;</c> as <c>target = X;</c>, with the statement's trivia; null unless the declaration is a plain
    /// local declaration of this one variable with an initializer (not <c>using</c>, not <c>const</c>).
    /// </summary>
    public static (LocalDeclarationStatementSyntax Statement, ExpressionStatementSyntax Assignment)? AssignmentInsteadOf(VariableDeclaratorSyntax declarator, string target)
    {
        if (declarator.Initializer is not { } initializer
            || declarator.Parent is not VariableDeclarationSyntax { Variables.Count: 1 } declaration
            || declaration.Parent is not LocalDeclarationStatementSyntax statement
            || statement.UsingKeyword.IsKind(SyntaxKind.UsingKeyword) || statement.IsConst)
        {
            return null;
        }

        var assignment = SyntaxFactory.ExpressionStatement(
                SyntaxFactory.AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, SyntaxFactory.IdentifierName(target), initializer.Value.WithoutTrivia()))
            .WithTriviaFrom(statement);
        return (statement, assignment);
    }
}
