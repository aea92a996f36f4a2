using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncPitfalls.Analyzers;

/// <summary>
/// The shared "which values can this variable hold?" analysis, for a local or a private field: its initializer and
/// every value assigned to it (for a local, in the member that declares it; for a field, in its type's declarations).
/// Found by name in the syntax, then bound with the semantic model of the tree, so only the matches cost binding. A
/// variable written in another way (<c>ref</c>, <c>out</c>, <c>+=</c>, <c>++</c>, a deconstruction) or out of sight
/// (another tree, a field that is not private) has no known values: the answer is empty, and callers treat that as
/// "anything".
/// </summary>
internal static class VariableValues
{
    /// <summary>The value a local or field is declared with, or null.</summary>
    public static IOperation? InitialValue(ISymbol variable, SemanticModel? model)
        => model is not null && variable.DeclaringSyntaxReferences.Length == 1 && variable.DeclaringSyntaxReferences[0].SyntaxTree == model.SyntaxTree
            && variable.DeclaringSyntaxReferences[0].GetSyntax() is VariableDeclaratorSyntax { Initializer.Value: { } initializer }
                ? model.GetOperation(initializer)
                : null;

    /// <summary>Every value <paramref name="variable"/> can hold: its initial value and each value assigned to it; empty when one is out of sight.</summary>
    public static ImmutableArray<IOperation> Of(ISymbol variable, SemanticModel? model)
    {
        if (model is null || variable is not (ILocalSymbol or IFieldSymbol { DeclaredAccessibility: Accessibility.Private })
            || variable.DeclaringSyntaxReferences.Length != 1 || variable.DeclaringSyntaxReferences[0].SyntaxTree != model.SyntaxTree)
        {
            return ImmutableArray<IOperation>.Empty;
        }

        var builder = ImmutableArray.CreateBuilder<IOperation>();
        if (InitialValue(variable, model) is { } initial)
        {
            builder.Add(initial);
        }

        SyntaxNode[] scopes;
        if (variable is IFieldSymbol field)
        {
            if (field.ContainingType.DeclaringSyntaxReferences.Any(r => r.SyntaxTree != model.SyntaxTree))
            {
                return ImmutableArray<IOperation>.Empty;
            }

            scopes = field.ContainingType.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).ToArray();
        }
        else
        {
            var declarator = variable.DeclaringSyntaxReferences[0].GetSyntax();
            scopes = new[] { declarator.FirstAncestorOrSelf<SyntaxNode>(n => n is MemberDeclarationSyntax or CompilationUnitSyntax) ?? declarator };
        }

        foreach (var name in scopes.SelectMany(s => s.DescendantNodes()).OfType<IdentifierNameSyntax>())
        {
            if (name.Identifier.ValueText != variable.Name || !IsWritten(name, out var assignment))
            {
                continue;
            }

            if (!SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name).Symbol, variable))
            {
                continue;
            }

            // A write that is not a plain assignment hides the value.
            if (assignment is null || model.GetOperation(assignment) is not ISimpleAssignmentOperation simple)
            {
                return ImmutableArray<IOperation>.Empty;
            }

            builder.Add(simple.Value);
        }

        return builder.ToImmutable();
    }

    /// <summary>
    /// The name is written: the target of an assignment (<paramref name="assignment"/> is it when it is a plain one),
    /// an <c>out</c> or <c>ref</c> argument, an increment, or a deconstruction's element.
    /// </summary>
    private static bool IsWritten(IdentifierNameSyntax name, out AssignmentExpressionSyntax? assignment)
    {
        assignment = null;
        SyntaxNode node = name.Parent is MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } access && access.Name == name ? access : name;
        switch (node.Parent)
        {
            case AssignmentExpressionSyntax candidate when candidate.Left == node:
                assignment = candidate.IsKind(SyntaxKind.SimpleAssignmentExpression) ? candidate : null;
                return true;
            case ArgumentSyntax { RefKindKeyword.RawKind: not 0 }:
                return true;
            case ArgumentSyntax { Parent: TupleExpressionSyntax { Parent: AssignmentExpressionSyntax deconstruction } tuple } when deconstruction.Left == tuple:
                return true;
            case PrefixUnaryExpressionSyntax or PostfixUnaryExpressionSyntax:
                return node.Parent.RawKind is (int)SyntaxKind.PreIncrementExpression or (int)SyntaxKind.PreDecrementExpression
                    or (int)SyntaxKind.PostIncrementExpression or (int)SyntaxKind.PostDecrementExpression;
            default:
                return false;
        }
    }
}
