using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AsyncPitfalls.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AsyncPitfalls.CodeFixes;

/// <summary>
/// Fixes ASYNC021 with "Assign the outer 'result'": <c>var result = X;</c> becomes <c>result = X;</c>, so the
/// value reaches the outer variable. Not offered in static lambdas or static local functions, which cannot capture
/// it, nor where the lambda can run concurrently or more than once before the outer read (<see cref="RunsConcurrently"/>):
/// there, assigning a shared local would be a data race and only the last value would survive.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ASYNC021ShadowedResultCodeFix)), Shared]
public sealed class ASYNC021ShadowedResultCodeFix : AsyncPitfallsCodeFix
{
    internal const string AssignKey = "ASYNC021.AssignOuter";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.ShadowedResult);

    internal override string FixAllTitle(string key) => "Assign the outer variables";

    internal override IEnumerable<FixOption> Options(FixRequest request)
    {
        if (Rewrite(request.Root, request.Diagnostic) is not null
            && request.TokenParent is VariableDeclaratorSyntax declarator
            && FitsTheOuterVariable(declarator, request.Model, request.CancellationToken)
            && !RunsConcurrently(declarator, request.Model, request.CancellationToken))
        {
            var name = request.Diagnostic.Properties.TryGetValue(ASYNC020ASYNC021LostResultAnalyzer.PartnerProperty, out var partner) ? partner : "outer variable";
            yield return new FixOption($"Assign the outer '{name}'", AssignKey);
        }
    }

    internal override async Task<Solution?> ApplyAsync(Document document, Diagnostic diagnostic, string key, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        return root is not null && Rewrite(root, diagnostic) is { } rewrite
            ? document.WithSyntaxRoot(root.ReplaceNode(rewrite.Statement, rewrite.Assignment)).Project.Solution
            : null;
    }

    private static (LocalDeclarationStatementSyntax Statement, ExpressionStatementSyntax Assignment)? Rewrite(SyntaxNode root, Diagnostic diagnostic)
        => root.FindToken(diagnostic.Location.SourceSpan.Start).Parent is VariableDeclaratorSyntax declarator
            && !declarator.Ancestors().Any(a => a is AnonymousFunctionExpressionSyntax { Modifiers: var modifiers } && modifiers.Any(SyntaxKind.StaticKeyword)
                || a is LocalFunctionStatementSyntax local && local.Modifiers.Any(SyntaxKind.StaticKeyword))
                ? FixSyntax.AssignmentInsteadOf(declarator, declarator.Identifier.ValueText)
                : null;

    /// <summary>The value converts implicitly to the outer variable's type, so <c>outer = value;</c> compiles.</summary>
    private static bool FitsTheOuterVariable(VariableDeclaratorSyntax declarator, SemanticModel model, CancellationToken cancellationToken)
    {
        // The outer variable is the one in scope where the lambda or local function that shadows it begins.
        if (declarator.Initializer is not { } initializer
            || declarator.Ancestors().FirstOrDefault(a => a is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax) is not { } boundary
            || model.LookupSymbols(boundary.SpanStart, name: declarator.Identifier.ValueText).FirstOrDefault() is not { } outer)
        {
            return false;
        }

        var type = outer switch
        {
            ILocalSymbol local => local.Type,
            IParameterSymbol parameter => parameter.Type,
            _ => null,
        };
        return type is not null && model.ClassifyConversion(initializer.Value, type).IsImplicit;
    }

    /// <summary>
    /// The declaration is in a lambda that may run concurrently or several times: a body of <c>Parallel.*</c>, a
    /// projection (<c>Select</c>, <c>ForEach</c>, <c>SelectMany</c>, <c>ConvertAll</c>), or <c>Task.Run</c>/<c>StartNew</c>
    /// called inside a loop.
    /// </summary>
    internal static bool RunsConcurrently(SyntaxNode declaration, SemanticModel model, CancellationToken cancellationToken)
    {
        foreach (var lambda in declaration.Ancestors().OfType<AnonymousFunctionExpressionSyntax>())
        {
            if (lambda.Parent is not ArgumentSyntax { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax invocation } }
                || model.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol method)
            {
                continue;
            }

            var type = method.ContainingType?.Name;
            if (type == "Parallel" || method.Name is "Select" or "SelectMany" or "ForEach" or "ConvertAll" or "Where" or "Aggregate")
            {
                return true;
            }

            if (method.Name is "Run" or "StartNew" && invocation.Ancestors().TakeWhile(a => a is not (MemberDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax))
                .Any(a => a is WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax or CommonForEachStatementSyntax))
            {
                return true;
            }
        }

        return false;
    }
}
