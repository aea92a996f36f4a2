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
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace AsyncPitfalls.CodeFixes;

/// <summary>
/// Fixes ASYNC030 with "Use await": <c>t.Wait()</c> → <c>await t;</c>, <c>t.Result</c> → <c>(await t)</c>,
/// <c>t.GetAwaiter().GetResult()</c> → <c>await t</c>, <c>Task.WaitAll</c> → <c>await Task.WhenAll</c>,
/// <c>Task.WaitAny</c> → <c>await Task.WhenAny</c> (result unused), <c>Thread.Sleep(n)</c> →
/// <c>await Task.Delay(n, token)</c>, and a synchronous I/O call → <c>await NameAsync(..., token)</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ASYNC030BlockingCallCodeFix)), Shared]
public sealed class ASYNC030BlockingCallCodeFix : CodeFixProvider
{
    internal const string AwaitKey = "ASYNC030.UseAwait";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.BlockingCall);

    public override FixAllProvider GetFixAllProvider() => FixAll;

    private static readonly DocumentFixAll FixAll = new(AwaitKey, _ => "Use await for every blocking call", (document, diagnostics, _, ct) => DocumentFixAll.ApplyEachAsync(document, diagnostics, ApplyAsync, ct));

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            var changed = await ApplyAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false);
            if (changed is null)
            {
                continue;
            }

            context.RegisterCodeFix(CodeAction.Create(Title(diagnostic), _ => Task.FromResult(changed), AwaitKey), diagnostic);
        }
    }

    private static string Title(Diagnostic diagnostic)
        => KindOf(diagnostic) switch
        {
            BlockingKind.Sleep => "Use 'await Task.Delay'",
            BlockingKind.WaitAll => "Use 'await Task.WhenAll'",
            BlockingKind.WaitAny => "Use 'await Task.WhenAny'",
            BlockingKind.Twin => $"Use 'await {diagnostic.Properties[ASYNC030BlockingCallAnalyzer.TwinProperty]}'",
            _ => "Use await",
        };

    private static BlockingKind? KindOf(Diagnostic diagnostic)
        => diagnostic.Properties.TryGetValue(ASYNC030BlockingCallAnalyzer.KindProperty, out var text) && System.Enum.TryParse<BlockingKind>(text, out var kind) ? kind : null;

    /// <summary>The document with this one diagnostic fixed, or null when no fix keeps the code compiling.</summary>
    private static async Task<Document?> ApplyAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null || KindOf(diagnostic) is not { } kind)
        {
            return null;
        }

        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        SyntaxNode? target;
        ExpressionSyntax? replacement;
        switch (kind)
        {
            case BlockingKind.Result when node is MemberAccessExpressionSyntax access:
                (target, replacement) = (access, Await(access.Expression, parenthesize: true));
                break;
            case BlockingKind.GetResult when node is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax getAwaiter, ArgumentList.Arguments.Count: 0 } } } getResult:
                (target, replacement) = (getResult, Await(getAwaiter.Expression, parenthesize: true));
                break;
            case BlockingKind.Wait when node is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax wait, ArgumentList.Arguments.Count: 0, Parent: ExpressionStatementSyntax } waitCall:
                (target, replacement) = (waitCall, Await(wait.Expression, parenthesize: false));
                break;
            case BlockingKind.WaitAll or BlockingKind.WaitAny when node is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax member, Parent: ExpressionStatementSyntax } call
                && model.GetSymbolInfo(call, cancellationToken).Symbol is IMethodSymbol { Parameters.Length: 1 }:
                var whenName = kind == BlockingKind.WaitAll ? "WhenAll" : "WhenAny";
                (target, replacement) = (call, Await(call.WithExpression(member.WithName(SyntaxFactory.IdentifierName(whenName))), parenthesize: false));
                break;
            case BlockingKind.Sleep when node is InvocationExpressionSyntax { Parent: ExpressionStatementSyntax, ArgumentList.Arguments.Count: 1 } sleep:
                var arguments = sleep.ArgumentList.Arguments;
                if (SingleTokenInScope(model, sleep, cancellationToken) is { } token)
                {
                    arguments = arguments.Add(SyntaxFactory.Argument(SyntaxFactory.IdentifierName(token)));
                }

                var delay = SyntaxFactory.InvocationExpression(
                    SyntaxFactory.ParseExpression("System.Threading.Tasks.Task.Delay").WithAdditionalAnnotations(Simplifier.Annotation),
                    SyntaxFactory.ArgumentList(arguments));
                (target, replacement) = (sleep, Await(delay, parenthesize: false));
                break;
            case BlockingKind.Twin when node is InvocationExpressionSyntax twinCall && diagnostic.Properties.TryGetValue(ASYNC030BlockingCallAnalyzer.TwinProperty, out var twin) && twin is not null:
                var renamed = twinCall.Expression switch
                {
                    MemberAccessExpressionSyntax m => (ExpressionSyntax)m.WithName(Rename(m.Name, twin)),
                    SimpleNameSyntax n => Rename(n, twin),
                    _ => null,
                };
                if (renamed is null)
                {
                    return null;
                }

                var twinArguments = twinCall.ArgumentList;
                if (diagnostic.Properties.ContainsKey(ASYNC030BlockingCallAnalyzer.TakesTokenProperty)
                    && SingleTokenInScope(model, twinCall, cancellationToken) is { } twinToken
                    && !twinArguments.Arguments.Any(a => a.NameColon is not null))
                {
                    twinArguments = twinArguments.AddArguments(SyntaxFactory.Argument(SyntaxFactory.IdentifierName(twinToken)));
                }

                (target, replacement) = (twinCall, Await(twinCall.WithExpression(renamed).WithArgumentList(twinArguments), parenthesize: true));
                break;
            default:
                return null;
        }

        var changed = document.WithSyntaxRoot(root.ReplaceNode(target, replacement.WithTriviaFrom(target)));
        return await FixVerification.AddsNoDiagnosticsAsync(document, changed, cancellationToken).ConfigureAwait(false) ? changed : null;
    }

    private static SimpleNameSyntax Rename(SimpleNameSyntax name, string newName)
        => name.WithIdentifier(SyntaxFactory.Identifier(newName).WithTriviaFrom(name.Identifier));

    private static ExpressionSyntax Await(ExpressionSyntax operand, bool parenthesize)
    {
        ExpressionSyntax awaited = SyntaxFactory.AwaitExpression(operand.WithoutTrivia()).WithAdditionalAnnotations(Formatter.Annotation);
        return parenthesize
            ? SyntaxFactory.ParenthesizedExpression(awaited).WithAdditionalAnnotations(Simplifier.Annotation)
            : awaited;
    }

    /// <summary>The name of the only CancellationToken parameter or local in scope (declared before the call), or null.</summary>
    private static string? SingleTokenInScope(SemanticModel model, SyntaxNode call, CancellationToken cancellationToken)
    {
        var symbols = AsyncSymbols.GetOrCreate(model.Compilation);
        var tokens = model.LookupSymbols(call.SpanStart)
            .Where(s => s is ILocalSymbol local && symbols.IsCancellationToken(local.Type) || s is IParameterSymbol parameter && symbols.IsCancellationToken(parameter.Type))
            .Where(s => s.Locations.All(l => l.SourceSpan.Start < call.SpanStart))
            .ToList();
        return tokens.Count == 1 ? tokens[0].Name : null;
    }
}
