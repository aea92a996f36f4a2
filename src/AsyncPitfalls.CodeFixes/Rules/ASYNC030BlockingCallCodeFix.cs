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
using Microsoft.CodeAnalysis.Simplification;

namespace AsyncPitfalls.CodeFixes;

/// <summary>
/// Fixes ASYNC030 with "Use await": <c>t.Wait()</c> → <c>await t;</c>, <c>t.Result</c> → <c>(await t)</c>,
/// <c>t.GetAwaiter().GetResult()</c> → <c>await t</c>, <c>Task.WaitAll</c> → <c>await Task.WhenAll</c>,
/// <c>Task.WaitAny</c> → <c>await Task.WhenAny</c> (result unused), <c>Thread.Sleep(n)</c> →
/// <c>await Task.Delay(n, token)</c>, and a synchronous I/O call → <c>await NameAsync(..., token)</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ASYNC030BlockingCallCodeFix)), Shared]
public sealed class ASYNC030BlockingCallCodeFix : AsyncPitfallsCodeFix
{
    internal const string AwaitKey = "ASYNC030.UseAwait";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.BlockingCall);

    internal override string FixAllTitle(string key) => "Use await for every blocking call";

    internal override IEnumerable<FixOption> Options(FixRequest request)
    {
        if (ASYNC030Data.TryRead(request.Diagnostic, out var data) && Rewrite(request, data, configure: false) is not null)
        {
            // In a method that passes a bool or enum parameter on to the calls it awaits (the analyzer decides), the
            // parameter may select synchronous I/O for a synchronous API served by the same body (MySqlConnector's
            // IOBehavior): rewriting the blocking call would make that API do asynchronous I/O and block on it.
            // Offered, never in bulk.
            yield return data.PassesModeOn
                ? new FixOption(Title(data) + " (the method may also serve a synchronous API)", AwaitKey, bulk: false)
                : new FixOption(Title(data), AwaitKey);
        }
    }

    internal override Task<Solution?> ApplyAsync(FixRequest request, string key)
    {
        var configure = AwaitStyle.ConfiguresAwait(request.Document, request.Node);
        return Task.FromResult(ASYNC030Data.TryRead(request.Diagnostic, out var data) && Rewrite(request, data, configure) is { } edit
            ? request.With(request.Root.ReplaceNode(edit.Target, edit.Replacement.WithTriviaFrom(edit.Target)))
            : null);
    }

    private static string Title(ASYNC030Data data)
        => data.Kind switch
        {
            BlockingKind.Sleep => "Use 'await Task.Delay'",
            BlockingKind.WaitAll => "Use 'await Task.WhenAll'",
            BlockingKind.WaitAny => "Use 'await Task.WhenAny'",
            BlockingKind.Twin => $"Use 'await {data.Twin}'",
            _ => "Use await",
        };

    /// <summary>The node to replace and its replacement, or null when the code is not a shape the fix knows.</summary>
    private static (SyntaxNode Target, ExpressionSyntax Replacement)? Rewrite(FixRequest request, ASYNC030Data data, bool configure)
    {
        var (model, cancellationToken, kind) = (request.Model, request.CancellationToken, data.Kind);
        var node = request.Node;
        var symbols = CompilationFacts.Of(model.Compilation).Symbols;
        // The await goes where the blocking call was, in parentheses where that place needs them (t.Result.Length).
        ExpressionSyntax Await(ExpressionSyntax operand, SyntaxNode target, ExpressionSyntax typed)
            => AwaitStyle.InPlaceOf(AwaitStyle.Await(operand, configure, model.GetTypeInfo(typed, cancellationToken).Type, symbols), target);
        SyntaxNode? target;
        ExpressionSyntax? replacement;
        switch (kind)
        {
            case BlockingKind.Result when node is MemberAccessExpressionSyntax access:
                (target, replacement) = (access, Await(access.Expression, access, access.Expression));
                break;
            case BlockingKind.GetResult when node is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax getAwaiter, ArgumentList.Arguments.Count: 0 } } } getResult:
                (target, replacement) = (getResult, Await(getAwaiter.Expression, getResult, getAwaiter.Expression));
                break;
            case BlockingKind.Wait when node is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax wait, ArgumentList.Arguments.Count: 0, Parent: ExpressionStatementSyntax } waitCall:
                (target, replacement) = (waitCall, Await(wait.Expression, waitCall, wait.Expression));
                break;
            case BlockingKind.WaitAll or BlockingKind.WaitAny when node is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax member, Parent: ExpressionStatementSyntax } call
                && model.GetSymbolInfo(call, cancellationToken).Symbol is IMethodSymbol { Parameters.Length: 1 }:
                var whenName = kind == BlockingKind.WaitAll ? "WhenAll" : "WhenAny";
                (target, replacement) = (call, Await(call.WithExpression(member.WithName(SyntaxFactory.IdentifierName(whenName))), call, call));
                break;
            case BlockingKind.Sleep when node is InvocationExpressionSyntax { Parent: ExpressionStatementSyntax, ArgumentList.Arguments.Count: 1 } sleep:
                var arguments = sleep.ArgumentList.Arguments;
                if (SingleTokenInScope(model, sleep) is { } token)
                {
                    arguments = arguments.Add(SyntaxFactory.Argument(SyntaxFactory.IdentifierName(token)));
                }

                var delay = SyntaxFactory.InvocationExpression(
                    SyntaxFactory.ParseExpression("System.Threading.Tasks.Task.Delay").WithAdditionalAnnotations(Simplifier.Annotation),
                    SyntaxFactory.ArgumentList(arguments));
                (target, replacement) = (sleep, AwaitStyle.InPlaceOf(AwaitStyle.Await(delay, configure, symbols.Task, symbols), sleep));
                break;
            case BlockingKind.Twin when node is InvocationExpressionSyntax twinCall && data.Twin is { } twin:
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
                if (data.TakesToken
                    && SingleTokenInScope(model, twinCall) is { } twinToken
                    && !twinArguments.Arguments.Any(a => a.NameColon is not null))
                {
                    twinArguments = twinArguments.AddArguments(SyntaxFactory.Argument(SyntaxFactory.IdentifierName(twinToken)));
                }

                var twinAwait = AwaitStyle.Await(twinCall.WithExpression(renamed).WithArgumentList(twinArguments), configure, symbols.Task, symbols);
                (target, replacement) = (twinCall, AwaitStyle.InPlaceOf(twinAwait, twinCall));
                break;
            default:
                return null;
        }

        return (target, replacement);
    }

    /// <summary><c>catch</c>, <c>catch (Exception)</c>, <c>catch (OperationCanceledException)</c>, <c>catch (TaskCanceledException)</c>.</summary>
    private static bool ReceivesCancellation(CatchClauseSyntax clause)
        => clause.Declaration?.Type switch
        {
            null => true,
            var type => (type is QualifiedNameSyntax qualified ? qualified.Right.Identifier.ValueText : (type as IdentifierNameSyntax)?.Identifier.ValueText)
                is "Exception" or "OperationCanceledException" or "TaskCanceledException" or "SystemException",
        };

    private static SimpleNameSyntax Rename(SimpleNameSyntax name, string newName)
        => name.WithIdentifier(SyntaxFactory.Identifier(newName).WithTriviaFrom(name.Identifier));

    /// <summary>
    /// The name of the only CancellationToken parameter or local in scope (declared before the call), or null. Not
    /// inside a catch clause that receives cancellation: there, a token would make the handler throw on shutdown and
    /// change how the loop around it ends, which is ASYNC011's fix to decide; without it the result does not depend
    /// on which of the two fixes runs first.
    /// </summary>
    private static string? SingleTokenInScope(SemanticModel model, SyntaxNode call)
    {
        if (call.Ancestors().OfType<CatchClauseSyntax>().Any(ReceivesCancellation))
        {
            return null;
        }

        var symbols = CompilationFacts.Of(model.Compilation).Symbols;
        var tokens = model.LookupSymbols(call.SpanStart)
            .Where(s => s is ILocalSymbol local && symbols.IsCancellationToken(local.Type) || s is IParameterSymbol parameter && symbols.IsCancellationToken(parameter.Type))
            .Where(s => s.Locations.All(l => l.SourceSpan.Start < call.SpanStart))
            .ToList();
        return tokens.Count == 1 ? tokens[0].Name : null;
    }
}
