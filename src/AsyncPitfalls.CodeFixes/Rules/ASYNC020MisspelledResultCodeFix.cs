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

namespace AsyncPitfalls.CodeFixes;

/// <summary>
/// Fixes ASYNC020. The first action makes the intended variable receive the value: "Use 'result'" turns
/// <c>var resut = X;</c> into <c>result = X;</c> (and points any later use of <c>resut</c> at <c>result</c>), for a
/// local and for a field or property alike; it is not offered when the intended variable cannot be assigned. The
/// second, "Read 'resut' instead", points the later reads of <c>result</c> at the local; for a field or property
/// that could take the value it would leave the member unassigned, so Fix All applies it only where it cannot.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ASYNC020MisspelledResultCodeFix)), Shared]
public sealed class ASYNC020MisspelledResultCodeFix : AsyncPitfallsCodeFix
{
    internal const string UseKey = "ASYNC020.UsePartner";
    internal const string ReadKey = "ASYNC020.ReadLocal";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.MisspelledResult);

    internal override string FixAllTitle(string key) => key == ReadKey ? "Read the misspelled locals instead" : "Use the intended variables";

    internal override IEnumerable<FixOption> Options(FixRequest request)
    {
        if (!ASYNC020Data.TryRead(request.Diagnostic, out var data)
            || request.TokenParent is not VariableDeclaratorSyntax declarator
            || FixSyntax.AssignmentInsteadOf(declarator, data.PartnerName) is null)
        {
            yield break;
        }

        var partner = data.PartnerName;
        var symbol = Partner(request, data);
        var assignable = CanAssign(symbol);
        if (assignable)
        {
            yield return new FixOption($"Use '{partner}'", UseKey);
        }

        // Reading the local leaves a field or property unassigned: in bulk only when the member cannot take the value.
        var member = symbol is { Kind: SymbolKind.Field or SymbolKind.Property };
        yield return new FixOption($"Read '{declarator.Identifier.ValueText}' instead", ReadKey, bulk: !member || !assignable);
    }

    /// <summary>The variable that is read instead, bound at the read the analyzer located.</summary>
    private static ISymbol? Partner(FixRequest request, ASYNC020Data data)
        => request.NodeAt(data.PartnerRead) is { } read ? request.Model.GetSymbolInfo(read, request.CancellationToken).Symbol : null;

    /// <summary>Whether the intended variable can be assigned: not a readonly or const field, not a get-only property, not an <c>in</c> parameter.</summary>
    private static bool CanAssign(ISymbol? symbol)
        => symbol switch
        {
            ILocalSymbol local => !local.IsConst && local.RefKind != RefKind.RefReadOnly,
            IParameterSymbol parameter => parameter.RefKind != RefKind.In,
            IFieldSymbol field => !field.IsReadOnly && !field.IsConst,
            IPropertySymbol property => property.SetMethod is { IsInitOnly: false },
            _ => false,
        };

    internal override Task<Solution?> ApplyAsync(FixRequest request, string key) => Task.FromResult(Apply(request, key));

    private static Solution? Apply(FixRequest request, string key)
    {
        var (root, model, cancellationToken) = (request.Root, request.Model, request.CancellationToken);
        if (!ASYNC020Data.TryRead(request.Diagnostic, out var data)
            || request.TokenParent is not VariableDeclaratorSyntax declarator
            || model.GetDeclaredSymbol(declarator, cancellationToken) is not ILocalSymbol local
            || Body(declarator) is not { } body)
        {
            return null;
        }

        var partnerName = data.PartnerName;

        var references = FixSyntax.ReferencesTo(local, body, model, cancellationToken);
        if (key == UseKey)
        {
            if (FixSyntax.AssignmentInsteadOf(declarator, partnerName) is not { } rewrite)
            {
                return null;
            }

            // The local's other uses now read the intended variable, which holds the same value.
            var changed = root.ReplaceNodes(
                references.Cast<SyntaxNode>().Append(rewrite.Statement),
                (original, _) => original == rewrite.Statement ? rewrite.Assignment : SyntaxFactory.IdentifierName(partnerName).WithTriviaFrom(original));
            return request.With(changed);
        }

        var partner = Partner(request, data);
        var reads = body.DescendantNodes().OfType<IdentifierNameSyntax>()
            .Where(i => i.SpanStart > declarator.Span.End && i.Identifier.ValueText == partnerName
                && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(i, cancellationToken).Symbol, partner)
                && !IsWriteTarget(i))
            .Select(i => i.Parent is MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } access && access.Name == i ? (SyntaxNode)access : i)
            .ToList();
        if (partner is null || reads.Count == 0)
        {
            return null;
        }

        return request.With(root.ReplaceNodes(reads, (original, _) => SyntaxFactory.IdentifierName(local.Name).WithTriviaFrom(original)));
    }

    /// <summary>The member, accessor or local function that holds the declaration.</summary>
    private static SyntaxNode? Body(VariableDeclaratorSyntax declarator)
        => declarator.FirstAncestorOrSelf<SyntaxNode>(n => n is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or LocalFunctionStatementSyntax or CompilationUnitSyntax);

    private static bool IsWriteTarget(IdentifierNameSyntax name)
    {
        SyntaxNode node = name.Parent is MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } access && access.Name == name ? access : name;
        return node.Parent is AssignmentExpressionSyntax assignment && assignment.Left == node
            || node.Parent is ArgumentSyntax argument && argument.RefKindKeyword.IsKind(SyntaxKind.OutKeyword);
    }
}
