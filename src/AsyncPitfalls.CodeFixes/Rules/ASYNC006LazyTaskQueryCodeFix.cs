using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AsyncPitfalls.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace AsyncPitfalls.CodeFixes;

/// <summary>
/// Fixes ASYNC006. A query enumerated more than once: "Start the work once" materialises the initializer with
/// <c>.ToList()</c> (<c>.ToArray()</c> when only <c>Task.WhenAll</c>/<c>WhenAny</c> read it). A query never enumerated:
/// "Await all" (<c>await Task.WhenAll(query)</c>, in async code, for tasks), and "Start the work now"
/// (<c>.ToList()</c>), which starts the work and lets it run unobserved, so it is never applied in bulk.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ASYNC006LazyTaskQueryCodeFix)), Shared]
public sealed class ASYNC006LazyTaskQueryCodeFix : AsyncPitfallsCodeFix
{
    internal const string StartOnceKey = "ASYNC006.StartOnce";
    internal const string AwaitAllKey = "ASYNC006.AwaitAll";
    internal const string StartNowKey = "ASYNC006.StartNow";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.LazyTaskQuery);

    internal override string FixAllTitle(string key) => key switch
    {
        StartOnceKey => "Start the work of every such query once",
        AwaitAllKey => "Await every such query",
        _ => "Start the work of every such query now",
    };

    internal override IEnumerable<FixOption> Options(FixRequest request)
    {
        if (!ASYNC006Data.TryRead(request.Diagnostic, out var data))
        {
            yield break;
        }

        if (data.Shape == QueryShape.Repeated)
        {
            if (Declarator(request.Root, request.Diagnostic)?.Initializer is not null)
            {
                yield return new FixOption("Start the work once", StartOnceKey);
            }

            yield break;
        }

        var query = Query(request.Root, request.Diagnostic);
        if (query is null)
        {
            yield break;
        }

        if (CanAwaitHere(query) && IsTaskSequence(query, request.Model, request.CancellationToken))
        {
            yield return new FixOption("Await all", AwaitAllKey);
        }

        // Starting the work without observing it is a design choice someone must make: never applied in bulk.
        yield return new FixOption("Start the work now", StartNowKey, bulk: false);
    }

    internal override Task<Solution?> ApplyAsync(FixRequest request, string key)
    {
        var (root, diagnostic) = (request.Root, request.Diagnostic);
        SyntaxNode? newRoot = null;
        if (!ASYNC006Data.TryRead(diagnostic, out var data))
        {
            return Task.FromResult<Solution?>(null);
        }

        if (data.Shape == QueryShape.Repeated)
        {
            if (Declarator(root, diagnostic)?.Initializer?.Value is { } value)
            {
                newRoot = root.ReplaceNode(value, Materialise(value, data.OnlyCombinators ? "ToArray" : "ToList"));
            }
        }
        else if (Query(root, diagnostic) is { } query)
        {
            newRoot = key == AwaitAllKey ? AwaitAll(root, query, request.Document, request.Model) : StartNow(root, query);
        }

        return Task.FromResult(newRoot is null ? null : request.With(newRoot));
    }

    private static VariableDeclaratorSyntax? Declarator(SyntaxNode root, Diagnostic diagnostic)
        => root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<VariableDeclaratorSyntax>();

    private static ExpressionSyntax? Query(SyntaxNode root, Diagnostic diagnostic)
        => root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) as ExpressionSyntax;

    /// <summary><c>value.ToList()</c>, with parentheses around a query expression or anything looser than a call.</summary>
    private static ExpressionSyntax Materialise(ExpressionSyntax value, string method)
    {
        var receiver = value is InvocationExpressionSyntax or MemberAccessExpressionSyntax or IdentifierNameSyntax
            ? value.WithoutTrivia()
            : SyntaxFactory.ParenthesizedExpression(value.WithoutTrivia());
        return SyntaxFactory.InvocationExpression(SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, receiver, SyntaxFactory.IdentifierName(method)))
            .WithTriviaFrom(value);
    }

    private static SyntaxNode? AwaitAll(SyntaxNode root, ExpressionSyntax query, Document document, SemanticModel model)
    {
        var symbols = CompilationFacts.Of(model.Compilation).Symbols;
        ExpressionSyntax WhenAll(ExpressionSyntax argument)
            => AwaitStyle.Await(
                SyntaxFactory.InvocationExpression(
                    SyntaxFactory.ParseExpression("System.Threading.Tasks.Task.WhenAll").WithAdditionalAnnotations(Simplifier.Annotation),
                    SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(argument.WithoutTrivia())))),
                AwaitStyle.ConfiguresAwait(document, query), symbols.Task, symbols);

        switch (query.Parent)
        {
            case ExpressionStatementSyntax statement:
                return root.ReplaceNode(statement, statement.WithExpression(WhenAll(query)).WithAdditionalAnnotations(Formatter.Annotation));
            case AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: "_" }, Parent: ExpressionStatementSyntax statement }:
                return root.ReplaceNode(statement, statement.WithExpression(WhenAll(query)).WithAdditionalAnnotations(Formatter.Annotation));
            case EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator }
                when declarator.Parent?.Parent is LocalDeclarationStatementSyntax { Parent: BlockSyntax or SwitchSectionSyntax or GlobalStatementSyntax } declaration:
                var awaited = SyntaxFactory.ExpressionStatement(WhenAll(SyntaxFactory.IdentifierName(declarator.Identifier.ValueText)))
                    .WithAdditionalAnnotations(Formatter.Annotation);
                return declaration.Parent is GlobalStatementSyntax global
                    ? root.InsertNodesAfter(global, new[] { SyntaxFactory.GlobalStatement(awaited) })
                    : root.InsertNodesAfter(declaration, new[] { awaited });
            default:
                return null;
        }
    }

    private static SyntaxNode? StartNow(SyntaxNode root, ExpressionSyntax query)
        => query.Parent switch
        {
            ExpressionStatementSyntax statement => root.ReplaceNode(statement, statement.WithExpression(FixSyntax.Discard(Materialise(query, "ToList")).WithTriviaFrom(query))),
            AssignmentExpressionSyntax or EqualsValueClauseSyntax => root.ReplaceNode(query, Materialise(query, "ToList")),
            _ => null,
        };

    /// <summary>
    /// In an async method, lambda or local function (or top-level statements), at a place where the language allows
    /// <c>await</c> (the shared <see cref="AwaitSite.AwaitIsForbiddenAt"/>: not in a lock, catch filter, unsafe
    /// context or query).
    /// </summary>
    private static bool CanAwaitHere(SyntaxNode node)
    {
        if (AwaitSite.AwaitIsForbiddenAt(node))
        {
            return false;
        }

        foreach (var ancestor in node.Ancestors())
        {
            switch (ancestor)
            {
                case AnonymousFunctionExpressionSyntax function:
                    return function.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword);
                case LocalFunctionStatementSyntax local:
                    return local.Modifiers.Any(SyntaxKind.AsyncKeyword);
                case BaseMethodDeclarationSyntax method:
                    return method.Modifiers.Any(SyntaxKind.AsyncKeyword);
                case GlobalStatementSyntax:
                    return true;
                case AccessorDeclarationSyntax or PropertyDeclarationSyntax or FieldDeclarationSyntax:
                    return false;
            }
        }

        return false;
    }

    private static bool IsTaskSequence(ExpressionSyntax query, SemanticModel model, CancellationToken cancellationToken)
        => CompilationFacts.Of(model.Compilation).Symbols is var symbols
            && TaskQueries.ElementType(model.GetTypeInfo(query, cancellationToken).Type) is { } element && symbols.IsTask(element);
}
