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
/// Fixes ASYNC008 with "Report failures instead of crashing": the handler's body goes into
/// <c>try { ... } catch (Exception ex) { ... }</c>, and the catch reports to the logger in scope
/// (<c>_logger.LogError(ex, "OnTick failed")</c>) or, when there is none, to the type's one error-reporting method
/// (<c>ReportError(ex)</c>). Not offered when there is no such receiver, or more than one: the fix does not guess.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ASYNC008ImposedAsyncVoidCodeFix)), Shared]
public sealed class ASYNC008ImposedAsyncVoidCodeFix : AsyncPitfallsCodeFix
{
    internal const string ReportKey = "ASYNC008.ReportFailures";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.ImposedAsyncVoid);

    internal override string FixAllTitle(string key) => "Report the failures of every such handler";

    internal override IEnumerable<FixOption> Options(FixRequest request)
    {
        if (Plan.Create(request.Root, request.Model, request.Diagnostic, request.CancellationToken) is { } plan)
        {
            yield return new FixOption($"Report failures to '{plan.Receiver}' instead of crashing", ReportKey);
        }
    }

    internal override Task<Solution?> ApplyAsync(FixRequest request, string key)
        => Task.FromResult(Plan.Create(request.Root, request.Model, request.Diagnostic, request.CancellationToken) is { } plan
            ? request.With(request.Root.ReplaceNode(plan.Body, plan.Guard(plan.Body).WithTriviaFrom(plan.Body).WithAdditionalAnnotations(Formatter.Annotation)))
            : null);

    private sealed class Plan
    {
        private readonly string _function;
        private readonly string _variable;
        private readonly bool _isLogger;

        private Plan(SyntaxNode body, string receiver, bool isLogger, string function, string variable)
        {
            Body = body;
            Receiver = receiver;
            _isLogger = isLogger;
            _function = function;
            _variable = variable;
        }

        /// <summary>The block or expression body to guard.</summary>
        public SyntaxNode Body { get; }

        /// <summary>The logger, or the error-reporting method, that the catch calls.</summary>
        public string Receiver { get; }

        public static Plan? Create(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            var token = root.FindToken(diagnostic.Location.SourceSpan.Start);
            // A block body is replaced; an arrow body takes its declaration with it (a method cannot hold a block after =>).
            var (body, name) = token.Parent switch
            {
                MethodDeclarationSyntax method => (method.Body ?? (SyntaxNode)method, method.Identifier.ValueText),
                LocalFunctionStatementSyntax local => (local.Body ?? (SyntaxNode)local, local.Identifier.ValueText),
                AnonymousFunctionExpressionSyntax lambda => (lambda.Body, "The handler"),
                _ => ((SyntaxNode?)null, ""),
            };
            if (body is null)
            {
                return null;
            }

            var position = body.SpanStart;
            var variable = new[] { "ex", "exception", "error" }.FirstOrDefault(n => !model.LookupSymbols(position, name: n).Any());
            if (variable is null)
            {
                return null;
            }

            var symbols = CompilationFacts.Of(model.Compilation).Symbols;
            var isStatic = model.GetEnclosingSymbol(position, cancellationToken) is { IsStatic: true };
            var loggers = model.LookupSymbols(position)
                .Where(s => (s is ILocalSymbol or IParameterSymbol || s is IFieldSymbol or IPropertySymbol && (!isStatic || s.IsStatic)) && symbols.IsLogger(TypeOf(s)))
                .ToList();
            if (loggers.Count == 1 && symbols.Logger is not null && model.LookupSymbols(position, symbols.Logger, "LogError", includeReducedExtensionMethods: true).Any())
            {
                return new Plan(body, loggers[0].Name, isLogger: true, name, variable);
            }

            // The type's own error-reporting method: void, one Exception parameter, callable here. Exactly one.
            var reporters = model.LookupSymbols(position).OfType<IMethodSymbol>()
                .Where(m => m.ReturnsVoid && !m.IsAsync && m.Parameters.Length == 1 && (!isStatic || m.IsStatic)
                    && symbols.Exception is not null && SymbolEqualityComparer.Default.Equals(m.Parameters[0].Type, symbols.Exception)
                    && m.MethodKind == MethodKind.Ordinary)
                .ToList();
            return loggers.Count == 0 && reporters.Count == 1 ? new Plan(body, reporters[0].Name, isLogger: false, name, variable) : null;
        }

        private static ITypeSymbol? TypeOf(ISymbol symbol)
            => symbol switch
            {
                ILocalSymbol local => local.Type,
                IParameterSymbol parameter => parameter.Type,
                IFieldSymbol field => field.Type,
                IPropertySymbol property => property.Type,
                _ => null,
            };

        /// <summary>The body inside <c>try { ... } catch (Exception ex) { report }</c>, as a block.</summary>
        public SyntaxNode Guard(SyntaxNode current)
            => current switch
            {
                MethodDeclarationSyntax { ExpressionBody: { } arrow } method => method.WithExpressionBody(null).WithSemicolonToken(default).WithBody(Guarded(Statement(arrow.Expression))),
                LocalFunctionStatementSyntax { ExpressionBody: { } arrow } local => local.WithExpressionBody(null).WithSemicolonToken(default).WithBody(Guarded(Statement(arrow.Expression))),
                BlockSyntax block => Guarded(block.Statements),
                ExpressionSyntax expression => Guarded(Statement(expression)),
                _ => current,
            };

        private static SyntaxList<StatementSyntax> Statement(ExpressionSyntax expression)
            => SyntaxFactory.SingletonList<StatementSyntax>(SyntaxFactory.ExpressionStatement(expression.WithoutTrivia()));

        private BlockSyntax Guarded(SyntaxList<StatementSyntax> statements)
        {
            var exception = SyntaxFactory.IdentifierName(_variable);
            var arguments = _isLogger
                ? new[] { SyntaxFactory.Argument(exception), SyntaxFactory.Argument(SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(_function + " failed"))) }
                : new[] { SyntaxFactory.Argument(exception) };
            ExpressionSyntax target = _isLogger
                ? SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, SyntaxFactory.IdentifierName(Receiver), SyntaxFactory.IdentifierName("LogError"))
                : SyntaxFactory.IdentifierName(Receiver);
            var report = SyntaxFactory.ExpressionStatement(SyntaxFactory.InvocationExpression(target, SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(arguments))));
            var handler = SyntaxFactory.CatchClause(
                SyntaxFactory.CatchDeclaration(SyntaxFactory.ParseTypeName("System.Exception").WithAdditionalAnnotations(Simplifier.Annotation), SyntaxFactory.Identifier(_variable)),
                filter: null,
                SyntaxFactory.Block(report));
            var guarded = SyntaxFactory.TryStatement(SyntaxFactory.Block(statements), SyntaxFactory.SingletonList(handler), @finally: null);
            return SyntaxFactory.Block(guarded);
        }
    }
}
