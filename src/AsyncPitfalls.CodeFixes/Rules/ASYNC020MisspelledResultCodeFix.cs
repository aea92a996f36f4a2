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
/// <c>var resut = X;</c> into <c>result = X;</c> (and points any later use of <c>resut</c> at <c>result</c>); it is not
/// offered when the intended variable cannot be assigned. The second, "Read 'resut' instead", points the later reads of
/// <c>result</c> at the local, which writes nothing. For a local or parameter of the same function both are safe in
/// bulk. For shared state (a field or property, or a local that a lambda captures) the first adds a write that other
/// calls or threads see (a data race in a singleton service): it is offered alone, and Fix All reads the local instead,
/// and removes a private field that nothing else reads or assigns (it only ever held its default); when the field is
/// assigned but would be left with no read (the compiler's CS0414 follows), both are offered alone.
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

        // Assigning shared state (a field or property, a captured local; the analyzer decides) adds a write that other
        // calls or threads see: offered alone. Reading the local instead writes nothing, so it is the bulk option there.
        if (CanAssign(symbol))
        {
            yield return data.PartnerIsShared
                ? new FixOption($"Use '{partner}' (writes shared state)", UseKey, bulk: false)
                : new FixOption($"Use '{partner}'", UseKey);
        }

        // A private field whose only reads this replaces is left unread, and the compiler would warn about it. One that
        // nothing assigns either goes with it; one that is assigned is a person's edit.
        var local = declarator.Identifier.ValueText;
        yield return data.ReadInsteadLeaves switch
        {
            ReadInsteadLeaves.AnUnusedField => new FixOption($"Read '{local}' instead and remove the unused field '{partner}'", ReadKey),
            ReadInsteadLeaves.AnUnreadField => new FixOption($"Read '{local}' instead (leaves the field '{partner}' unread)", ReadKey, bulk: false),
            _ => new FixOption($"Read '{local}' instead", ReadKey),
        };
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

        var unused = data.ReadInsteadLeaves == ReadInsteadLeaves.AnUnusedField
            && partner.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Parent: FieldDeclarationSyntax } } fieldDeclarator
            && fieldDeclarator.SyntaxTree == root.SyntaxTree
                ? fieldDeclarator
                : null;
        if (data.ReadInsteadLeaves == ReadInsteadLeaves.AnUnusedField && unused is null)
        {
            return null;
        }

        var tracked = root.TrackNodes(reads.Concat(unused is null ? Enumerable.Empty<SyntaxNode>() : new SyntaxNode[] { unused }));
        var readingLocal = tracked.ReplaceNodes(tracked.GetCurrentNodes(reads), (original, _) => SyntaxFactory.IdentifierName(local.Name).WithTriviaFrom(original));
        return request.With(unused is null ? readingLocal : WithoutField(readingLocal, readingLocal.GetCurrentNode(unused)!));
    }

    /// <summary>
    /// The root without the field <paramref name="declarator"/> declares: its declaration, with the blank line after it,
    /// when it declares that field alone; otherwise just the declarator.
    /// </summary>
    private static SyntaxNode WithoutField(SyntaxNode root, VariableDeclaratorSyntax declarator)
    {
        var declaration = (VariableDeclarationSyntax)declarator.Parent!;
        if (declaration.Variables.Count > 1)
        {
            return root.ReplaceNode(declaration, declaration.WithVariables(declaration.Variables.Remove(declarator)));
        }

        var field = (FieldDeclarationSyntax)declaration.Parent!;
        var next = field.GetLastToken().GetNextToken();
        if (next.LeadingTrivia.FirstOrDefault() is { RawKind: (int)SyntaxKind.EndOfLineTrivia })
        {
            root = root.ReplaceToken(next, next.WithLeadingTrivia(next.LeadingTrivia.RemoveAt(0)));
            field = (FieldDeclarationSyntax)root.FindNode(field.Span);
        }

        return root.RemoveNode(field, SyntaxRemoveOptions.KeepUnbalancedDirectives)!;
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
