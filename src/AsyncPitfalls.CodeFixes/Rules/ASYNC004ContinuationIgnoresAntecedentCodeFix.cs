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
/// Fixes ASYNC004. "Rethrow the antecedent's failure after the continuation" names the lambda's task parameter and
/// ends the continuation with <c>t.GetAwaiter().GetResult();</c> (a value-returning continuation keeps its value): the
/// cleanup runs, then the returned task faults with the original exception. "Run only when it succeeds" adds
/// <c>TaskContinuationOptions.OnlyOnRanToCompletion</c>, with <c>TaskScheduler.Default</c> when no scheduler is given;
/// it is never applied in bulk, since a cleanup continuation would then stop running on failure.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ASYNC004ContinuationIgnoresAntecedentCodeFix)), Shared]
public sealed class ASYNC004ContinuationIgnoresAntecedentCodeFix : AsyncPitfallsCodeFix
{
    internal const string RethrowKey = "ASYNC004.Rethrow";
    internal const string OnlyOnSuccessKey = "ASYNC004.OnlyOnSuccess";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.ContinuationIgnoresAntecedent);

    internal override string FixAllTitle(string key) => key == OnlyOnSuccessKey ? "Run every such continuation only when its antecedent succeeds" : "Rethrow every antecedent's failure after its continuation";

    internal override IEnumerable<FixOption> Options(FixRequest request)
    {
        if (Call(request.Root, request.Diagnostic) is not { } call)
        {
            yield break;
        }

        if (ASYNC004Data.TryRead(request.Diagnostic, out var data) && data.IsLambda
            && Lambda(call) is { } lambda && RethrowBody(lambda, request.Model, "t", request.CancellationToken) is not null)
        {
            // Not applied in bulk: a failure that code around the continuation handled (a catch, a log) would now escape.
            yield return new FixOption("Rethrow the antecedent's failure after the continuation (its failure then surfaces)", RethrowKey, bulk: false);
        }

        if (OnlyOnSuccess(call, request.Model, request.CancellationToken) is not null)
        {
            // Not applied in bulk: a cleanup continuation would stop running when the antecedent fails.
            yield return new FixOption("Run only when it succeeds", OnlyOnSuccessKey, bulk: false);
        }
    }

    internal override Task<Solution?> ApplyAsync(FixRequest request, string key) => Task.FromResult(Apply(request, key));

    private static Solution? Apply(FixRequest request, string key)
    {
        var (root, model, cancellationToken) = (request.Root, request.Model, request.CancellationToken);
        if (Call(root, request.Diagnostic) is not { } call)
        {
            return null;
        }

        if (key == RethrowKey)
        {
            if (!ASYNC004Data.TryRead(request.Diagnostic, out var data) || !data.IsLambda || Lambda(call) is not { } lambda)
            {
                return null;
            }

            var name = new[] { "t", "task", "antecedent" }.First(n => !model.LookupSymbols(lambda.SpanStart, name: n).Any() || ParameterName(lambda) == n);
            if (RethrowBody(lambda, model, name, cancellationToken) is not { } body)
            {
                return null;
            }

            var parameter = SyntaxFactory.Parameter(SyntaxFactory.Identifier(name));
            LambdaExpressionSyntax rewritten = lambda switch
            {
                SimpleLambdaExpressionSyntax simple => simple.WithParameter(parameter.WithTriviaFrom(simple.Parameter)).WithBody(body).WithExpressionBody(null),
                ParenthesizedLambdaExpressionSyntax parenthesized => parenthesized
                    .WithParameterList(parenthesized.ParameterList.WithParameters(parenthesized.ParameterList.Parameters.Replace(parenthesized.ParameterList.Parameters[0], parameter.WithType(parenthesized.ParameterList.Parameters[0].Type))))
                    .WithBody(body).WithExpressionBody(null),
                _ => lambda,
            };
            return request.With(root.ReplaceNode(lambda, rewritten.WithAdditionalAnnotations(Formatter.Annotation)));
        }

        return OnlyOnSuccess(call, model, cancellationToken) is { } arguments
            ? request.With(root.ReplaceNode(call.ArgumentList, arguments.WithAdditionalAnnotations(Formatter.Annotation)))
            : null;
    }

    private static InvocationExpressionSyntax? Call(SyntaxNode root, Diagnostic diagnostic)
        => root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<InvocationExpressionSyntax>();

    private static LambdaExpressionSyntax? Lambda(InvocationExpressionSyntax call)
        => call.ArgumentList.Arguments.FirstOrDefault()?.Expression as LambdaExpressionSyntax is { } lambda && ParameterName(lambda) is not null ? lambda : null;

    private static string? ParameterName(LambdaExpressionSyntax lambda)
        => lambda switch
        {
            SimpleLambdaExpressionSyntax simple => simple.Parameter.Identifier.ValueText,
            ParenthesizedLambdaExpressionSyntax { ParameterList.Parameters.Count: 1 } parenthesized => parenthesized.ParameterList.Parameters[0].Identifier.ValueText,
            _ => null,
        };

    /// <summary>
    /// The continuation's body ending with <c>name.GetAwaiter().GetResult();</c>: a statement body with no return, or an
    /// expression body (its value kept in a local when the continuation returns one). Null for other shapes.
    /// </summary>
    private static BlockSyntax? RethrowBody(LambdaExpressionSyntax lambda, SemanticModel model, string name, CancellationToken cancellationToken)
    {
        var rethrow = SyntaxFactory.ParseStatement($"{name}.GetAwaiter().GetResult();");
        if (lambda.Block is { } block)
        {
            return block.DescendantNodes(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)).Any(n => n is ReturnStatementSyntax)
                ? null
                : block.AddStatements(rethrow);
        }

        if (lambda.ExpressionBody is not { } expression || model.GetSymbolInfo(lambda, cancellationToken).Symbol is not IMethodSymbol symbol)
        {
            return null;
        }

        if (symbol.ReturnsVoid)
        {
            return MultiLine(SyntaxFactory.ExpressionStatement(expression.WithoutTrivia()), rethrow);
        }

        var result = model.LookupSymbols(lambda.SpanStart, name: "result").Any() ? "continued" : "result";
        return MultiLine(
            SyntaxFactory.LocalDeclarationStatement(SyntaxFactory.VariableDeclaration(SyntaxFactory.IdentifierName("var"),
                SyntaxFactory.SingletonSeparatedList(SyntaxFactory.VariableDeclarator(SyntaxFactory.Identifier(result)).WithInitializer(SyntaxFactory.EqualsValueClause(expression.WithoutTrivia()))))),
            rethrow,
            SyntaxFactory.ReturnStatement(SyntaxFactory.IdentifierName(result)));
    }

    /// <summary>A new block laid out one statement per line, as a lambda body written by hand would be.</summary>
    private static BlockSyntax MultiLine(params StatementSyntax[] statements)
        => SyntaxFactory.Block(
            SyntaxFactory.Token(SyntaxKind.OpenBraceToken).WithTrailingTrivia(SyntaxFactory.ElasticCarriageReturnLineFeed),
            SyntaxFactory.List(statements.Select(s => s.WithTrailingTrivia(SyntaxFactory.ElasticCarriageReturnLineFeed))),
            SyntaxFactory.Token(SyntaxKind.CloseBraceToken));

    /// <summary>
    /// The arguments with OnlyOnRanToCompletion: or-ed into the options given, or as the four-argument overload
    /// (continuation, token, options, scheduler) with <c>CancellationToken.None</c> and <c>TaskScheduler.Default</c>
    /// standing for what the call did not give.
    /// </summary>
    private static ArgumentListSyntax? OnlyOnSuccess(InvocationExpressionSyntax call, SemanticModel model, CancellationToken cancellationToken)
    {
        var arguments = call.ArgumentList.Arguments;
        if (arguments.Count == 0 || arguments.Any(a => a.NameColon is not null) || model.GetSymbolInfo(call, cancellationToken).Symbol is not IMethodSymbol method
            || method.Parameters.Length != arguments.Count || method.Parameters[0].Type is INamedTypeSymbol { DelegateInvokeMethod.Parameters.Length: not 1 })
        {
            return null;
        }

        ExpressionSyntax Parse(string text) => SyntaxFactory.ParseExpression(text).WithAdditionalAnnotations(Simplifier.Annotation);
        var onlyOnSuccess = Parse("System.Threading.Tasks.TaskContinuationOptions.OnlyOnRanToCompletion");
        ExpressionSyntax? token = null, options = null, scheduler = null;
        for (var i = 1; i < arguments.Count; i++)
        {
            switch (method.Parameters[i].Type.Name)
            {
                case "CancellationToken":
                    token = arguments[i].Expression;
                    break;
                case "TaskContinuationOptions":
                    options = arguments[i].Expression;
                    break;
                case "TaskScheduler":
                    scheduler = arguments[i].Expression;
                    break;
                default:
                    return null;
            }
        }

        var combined = options is null ? onlyOnSuccess : SyntaxFactory.BinaryExpression(SyntaxKind.BitwiseOrExpression, options.WithoutTrivia(), onlyOnSuccess);
        return call.ArgumentList.WithArguments(SyntaxFactory.SeparatedList(new[]
        {
            arguments[0],
            SyntaxFactory.Argument(token?.WithoutTrivia() ?? Parse("System.Threading.CancellationToken.None")),
            SyntaxFactory.Argument(combined),
            SyntaxFactory.Argument(scheduler?.WithoutTrivia() ?? Parse("System.Threading.Tasks.TaskScheduler.Default")),
        }));
    }
}
