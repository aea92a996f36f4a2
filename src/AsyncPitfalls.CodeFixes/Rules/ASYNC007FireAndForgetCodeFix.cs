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
/// Fixes ASYNC007 with "Fire and forget explicitly" (<c>_ = X();</c>), which says that nobody waits on purpose, or
/// "Observe failures", which hands the task's exception to the project's observer helper (<c>X().ObserveErrors();</c>)
/// or to the logger in scope (<c>X().ContinueWith(t => _logger.LogError(t.Exception, "X failed"), OnlyOnFaulted)</c>).
/// The second is offered only when there is exactly one such helper, or else exactly one logger, to use.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ASYNC007FireAndForgetCodeFix)), Shared]
public sealed class ASYNC007FireAndForgetCodeFix : AsyncPitfallsCodeFix
{
    internal const string DiscardKey = "ASYNC007.Discard";
    internal const string ObserveKey = "ASYNC007.Observe";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.FireAndForget);

    internal override string FixAllTitle(string key) => key == ObserveKey ? "Observe the failures of every dropped task" : "Fire and forget every dropped task explicitly";

    // This rule's reports are deliberate fire-and-forget: the discard is the intended resolution, so bulk may apply it.
    internal override IEnumerable<FixOption> Options(FixRequest request)
    {
        if (DroppedExpression(request.Root, request.Diagnostic) is not { } expression)
        {
            yield break;
        }

        if (!request.Model.LookupSymbols(expression.SpanStart, name: "_").Any())
        {
            yield return new FixOption("Fire and forget explicitly", DiscardKey);
        }

        if (Observer.Find(expression, request.Model, request.CancellationToken) is { } observer)
        {
            yield return new FixOption($"Observe failures with '{observer.Name}'", ObserveKey);
        }
    }

    /// <summary>The dropped expression the diagnostic is on: the call, or the whole conditional access.</summary>
    private static ExpressionSyntax? DroppedExpression(SyntaxNode root, Diagnostic diagnostic)
        => root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).AncestorsAndSelf().OfType<ExpressionSyntax>()
            .FirstOrDefault(e => e.Span == diagnostic.Location.SourceSpan && e.Parent is ExpressionStatementSyntax or ArrowExpressionClauseSyntax or LambdaExpressionSyntax);

    internal override Task<Solution?> ApplyAsync(FixRequest request, string key) => Task.FromResult(Apply(request, key));

    private static Solution? Apply(FixRequest request, string key)
    {
        var (root, model, cancellationToken) = (request.Root, request.Model, request.CancellationToken);
        if (!ASYNC007Data.TryRead(request.Diagnostic, out _) || DroppedExpression(root, request.Diagnostic) is not { } expression)
        {
            return null;
        }

        ExpressionSyntax? replacement = null;
        if (key == DiscardKey && !model.LookupSymbols(expression.SpanStart, name: "_").Any())
        {
            replacement = FixSyntax.Discard(expression);
        }
        else if (key == ObserveKey && Observer.Find(expression, model, cancellationToken) is { } observer)
        {
            replacement = observer.Wrap(expression.WithoutTrivia());
        }

        return replacement is null
            ? null
            : request.With(root.ReplaceNode(expression, replacement.WithTriviaFrom(expression).WithAdditionalAnnotations(Formatter.Annotation)));
    }

    /// <summary>Who receives a dropped task's failures: the project's one observer helper, else the one logger in scope.</summary>
    private sealed class Observer
    {
        private readonly string? _helper;
        private readonly string? _logger;
        private readonly string _call;
        private readonly string _parameter;

        private Observer(string? helper, string? logger, string call, string parameter)
        {
            _helper = helper;
            _logger = logger;
            _call = call;
            _parameter = parameter;
        }

        public string Name => _helper ?? _logger!;

        public static Observer? Find(ExpressionSyntax expression, SemanticModel model, CancellationToken cancellationToken)
        {
            if (expression is ConditionalAccessExpressionSyntax || model.GetTypeInfo(expression, cancellationToken).Type is not { } taskType)
            {
                return null;
            }

            var symbols = CompilationFacts.Of(model.Compilation).Symbols;
            var call = model.GetSymbolInfo(expression, cancellationToken).Symbol?.Name ?? "The task";
            var helpers = model.LookupSymbols(expression.SpanStart, taskType, includeReducedExtensionMethods: true)
                .OfType<IMethodSymbol>()
                .Where(m => m.ReducedFrom is { } extension && m.Parameters.Length == 0
                    && SymbolEqualityComparer.Default.Equals(extension.ContainingAssembly, model.Compilation.Assembly)
                    && !symbols.IsAwaitWrapper(m) && symbols.IsAwaitable(m.ReturnType, model, expression.SpanStart))
                .Select(m => m.Name)
                .Distinct()
                .ToList();
            if (helpers.Count == 1)
            {
                return new Observer(helpers[0], null, call, "t");
            }

            if (helpers.Count > 1 || !symbols.IsTask(taskType))
            {
                return null;
            }

            var isStatic = model.GetEnclosingSymbol(expression.SpanStart, cancellationToken) is { IsStatic: true };
            var loggers = model.LookupSymbols(expression.SpanStart)
                .Where(s => s is ILocalSymbol or IParameterSymbol or IFieldSymbol or IPropertySymbol && (!isStatic || s.IsStatic))
                .Where(s => symbols.IsLogger(s switch { ILocalSymbol l => l.Type, IParameterSymbol p => p.Type, IFieldSymbol f => f.Type, IPropertySymbol p => p.Type, _ => null }))
                .ToList();
            if (loggers.Count != 1 || symbols.Logger is null
                || !model.LookupSymbols(expression.SpanStart, symbols.Logger, "LogError", includeReducedExtensionMethods: true).Any())
            {
                return null;
            }

            // The continuation's parameter must not clash with a name in scope.
            var parameter = new[] { "t", "task", "failed" }.FirstOrDefault(n => !model.LookupSymbols(expression.SpanStart, name: n).Any());
            return parameter is null ? null : new Observer(null, loggers[0].Name, call, parameter);
        }

        /// <summary><c>X().Helper()</c>, or <c>X().ContinueWith(t => logger.LogError(t.Exception, "X failed"), TaskContinuationOptions.OnlyOnFaulted)</c>.</summary>
        public ExpressionSyntax Wrap(ExpressionSyntax task)
        {
            if (_helper is not null)
            {
                return SyntaxFactory.InvocationExpression(SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, task, SyntaxFactory.IdentifierName(_helper)));
            }

            var failed = SyntaxFactory.IdentifierName(_parameter);
            var log = SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, SyntaxFactory.IdentifierName(_logger!), SyntaxFactory.IdentifierName("LogError")),
                SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(new[]
                {
                    SyntaxFactory.Argument(SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, failed, SyntaxFactory.IdentifierName("Exception"))),
                    SyntaxFactory.Argument(SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(_call + " failed"))),
                })));
            var onlyOnFaulted = SyntaxFactory.ParseExpression("System.Threading.Tasks.TaskContinuationOptions.OnlyOnFaulted").WithAdditionalAnnotations(Simplifier.Annotation);
            return SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, task, SyntaxFactory.IdentifierName("ContinueWith")),
                SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(new[]
                {
                    SyntaxFactory.Argument(SyntaxFactory.SimpleLambdaExpression(SyntaxFactory.Parameter(SyntaxFactory.Identifier(_parameter)), log)),
                    SyntaxFactory.Argument(onlyOnFaulted),
                })));
        }
    }
}
