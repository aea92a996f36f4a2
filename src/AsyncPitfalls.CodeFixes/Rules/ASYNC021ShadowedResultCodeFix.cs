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
/// Fixes ASYNC021 with "Assign the outer 'result'": <c>var result = X;</c> becomes <c>result = X;</c>, so the
/// value reaches the outer variable. Not offered in static lambdas or static local functions, which cannot capture
/// it, nor where the analyzer found that the lambda can run concurrently or more than once before the outer read
/// (<see cref="ASYNC021Data.RunsMoreThanOnce"/>): there, assigning a shared local would be a data race and only the last
/// value would survive. The outer variable is always shared state (a field, or a local the lambda or local function
/// captures), so the fix adds a write to it: it is offered alone and never applied in bulk.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ASYNC021ShadowedResultCodeFix)), Shared]
public sealed class ASYNC021ShadowedResultCodeFix : AsyncPitfallsCodeFix
{
    internal const string AssignKey = "ASYNC021.AssignOuter";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.ShadowedResult);

    internal override string FixAllTitle(string key) => "Assign the outer variables";

    internal override IEnumerable<FixOption> Options(FixRequest request)
    {
        if (ASYNC021Data.TryRead(request.Diagnostic, out var data) && !data.RunsMoreThanOnce
            && Rewrite(request) is not null
            && request.TokenParent is VariableDeclaratorSyntax declarator
            && FitsTheOuterVariable(declarator, request, data))
        {
            // The outer variable is a field, or a local the lambda captures: a new write to shared state, never applied unreviewed.
            yield return new FixOption($"Assign the outer '{data.PartnerName}' (writes shared state)", AssignKey, bulk: false);
        }
    }

    internal override Task<Solution?> ApplyAsync(FixRequest request, string key)
        => Task.FromResult(Rewrite(request) is { } rewrite ? request.With(request.Root.ReplaceNode(rewrite.Statement, rewrite.Assignment)) : null);

    private static (LocalDeclarationStatementSyntax Statement, ExpressionStatementSyntax Assignment)? Rewrite(FixRequest request)
        => request.TokenParent is VariableDeclaratorSyntax declarator
            && !declarator.Ancestors().Any(a => a is AnonymousFunctionExpressionSyntax { Modifiers: var modifiers } && modifiers.Any(SyntaxKind.StaticKeyword)
                || a is LocalFunctionStatementSyntax local && local.Modifiers.Any(SyntaxKind.StaticKeyword))
                ? FixSyntax.AssignmentInsteadOf(declarator, declarator.Identifier.ValueText)
                : null;

    /// <summary>The value converts implicitly to the outer variable's type (bound at the read the analyzer located), so <c>outer = value;</c> compiles.</summary>
    private static bool FitsTheOuterVariable(VariableDeclaratorSyntax declarator, FixRequest request, ASYNC021Data data)
    {
        var outer = request.NodeAt(data.PartnerRead) is { } read ? request.Model.GetSymbolInfo(read, request.CancellationToken).Symbol : null;
        var type = outer switch
        {
            ILocalSymbol local => local.Type,
            IParameterSymbol parameter => parameter.Type,
            _ => null,
        };
        return type is not null && declarator.Initializer is { } initializer && request.Model.ClassifyConversion(initializer.Value, type).IsImplicit;
    }
}
