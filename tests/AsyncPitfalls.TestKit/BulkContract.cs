using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AsyncPitfalls.Tests;

/// <summary>
/// The promises a fix applied in bulk makes (README, "Fix in bulk"), checked on the code before and after: it adds no
/// write to a field, a property or a captured variable that the member did not write before, changes no signature
/// visible outside the assembly, and removes no catch clause (a failure the code handled stays handled). Compiling and
/// keeping the success path are checked by the corpus tests themselves (compiler diagnostics, approved snapshots).
/// </summary>
public static class BulkContract
{
    /// <summary>What <paramref name="after"/> breaks of the promises, one line each; empty when it keeps them all.</summary>
    public static async Task<IReadOnlyList<string>> ViolationsAsync(Project before, Project after)
    {
        var old = Facts((await before.GetCompilationAsync())!);
        var now = Facts((await after.GetCompilationAsync())!);
        var violations = new List<string>();
        violations.AddRange(now.Writes.Except(old.Writes).Select(w => "new write: " + w));
        violations.AddRange(old.Signatures.Except(now.Signatures).Select(s => "public signature changed: " + s));
        foreach (var (member, catches) in old.Catches)
        {
            if (now.Catches.TryGetValue(member, out var count) && count < catches)
            {
                violations.Add($"catch clause removed in {member}");
            }
        }

        return violations;
    }

    private sealed record CodeFacts(HashSet<string> Writes, HashSet<string> Signatures, Dictionary<string, int> Catches);

    private static CodeFacts Facts(Compilation compilation)
    {
        var writes = new HashSet<string>(StringComparer.Ordinal);
        var catches = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var tree in compilation.SyntaxTrees)
        {
            var model = compilation.GetSemanticModel(tree);
            var root = tree.GetRoot();
            foreach (var node in root.DescendantNodes())
            {
                var target = node switch
                {
                    AssignmentExpressionSyntax assignment => assignment.Left,
                    PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreIncrementExpression or (int)SyntaxKind.PreDecrementExpression } prefix => prefix.Operand,
                    PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PostIncrementExpression or (int)SyntaxKind.PostDecrementExpression } postfix => postfix.Operand,
                    ArgumentSyntax { RefKindKeyword.RawKind: (int)SyntaxKind.OutKeyword or (int)SyntaxKind.RefKeyword } argument => argument.Expression,
                    _ => null,
                };
                if (target is null || Member(node, model) is not { } member)
                {
                    continue;
                }

                var symbol = model.GetSymbolInfo(target).Symbol;
                if (symbol is IFieldSymbol or IPropertySymbol && symbol.Locations.Any(l => l.IsInSource))
                {
                    writes.Add($"{member} writes {symbol.ToDisplayString()}");
                }
                else if (symbol is ILocalSymbol or IParameterSymbol && IsCaptured(node, symbol))
                {
                    writes.Add($"{member} writes the captured {symbol.Name} from a lambda");
                }
            }

            foreach (var clause in root.DescendantNodes().OfType<CatchClauseSyntax>())
            {
                if (Member(clause, model) is { } member)
                {
                    catches[member] = catches.TryGetValue(member, out var count) ? count + 1 : 1;
                }
            }
        }

        var signatures = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in AllTypes(compilation.Assembly.GlobalNamespace).Where(t => t.DeclaredAccessibility == Accessibility.Public))
        {
            foreach (var member in type.GetMembers().Where(m => !m.IsImplicitlyDeclared && m.DeclaredAccessibility is Accessibility.Public or Accessibility.Protected or Accessibility.ProtectedOrInternal))
            {
                signatures.Add(member is IMethodSymbol method ? method.ToDisplayString() + " : " + method.ReturnType.ToDisplayString() : member.ToDisplayString());
            }
        }

        return new CodeFacts(writes, signatures, catches);
    }

    /// <summary>The member (or top-level code) that holds <paramref name="node"/>: lambdas and local functions count as part of it.</summary>
    private static string? Member(SyntaxNode node, SemanticModel model)
    {
        var declaration = node.Ancestors().FirstOrDefault(a => a is BaseMethodDeclarationSyntax or BasePropertyDeclarationSyntax or GlobalStatementSyntax);
        return declaration switch
        {
            GlobalStatementSyntax => "<top-level>",
            null => null,
            _ => model.GetDeclaredSymbol(declaration)?.ToDisplayString(),
        };
    }

    /// <summary>The variable is declared outside the lambda that writes it.</summary>
    private static bool IsCaptured(SyntaxNode write, ISymbol variable)
    {
        var lambda = write.Ancestors().OfType<AnonymousFunctionExpressionSyntax>().FirstOrDefault();
        return lambda is not null && variable.DeclaringSyntaxReferences.All(r => !lambda.Span.Contains(r.Span));
    }

    private static IEnumerable<INamedTypeSymbol> AllTypes(INamespaceSymbol root)
    {
        foreach (var member in root.GetMembers())
        {
            if (member is INamespaceSymbol ns)
            {
                foreach (var type in AllTypes(ns))
                {
                    yield return type;
                }
            }
            else if (member is INamedTypeSymbol type)
            {
                yield return type;
                foreach (var nested in type.GetTypeMembers())
                {
                    yield return nested;
                }
            }
        }
    }
}
