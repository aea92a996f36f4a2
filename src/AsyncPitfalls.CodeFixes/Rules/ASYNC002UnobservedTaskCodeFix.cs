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
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncPitfalls.CodeFixes;

/// <summary>
/// Fixes ASYNC002 with "Await 'spinner'": inserts <c>await spinner;</c> after the last statement that uses the
/// task, or after the statement that cancels its token, wrapped in a catch of OperationCanceledException then.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ASYNC002UnobservedTaskCodeFix)), Shared]
public sealed class ASYNC002UnobservedTaskCodeFix : CodeFixProvider
{
    internal const string AwaitKey = "ASYNC002.Await";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.UnobservedTask);

    public override FixAllProvider GetFixAllProvider() => FixAll;

    private static readonly DocumentFixAll FixAll = new(AwaitKey, _ => "Await every unobserved task", (document, diagnostics, _, ct) => ApplyAsync(document, diagnostics, ct));

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            var plan = await AwaitPlan.CreateAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false);
            if (plan is null)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Await '{plan.Name}'",
                    ct => ApplyAsync(context.Document, ImmutableArray.Create(diagnostic), ct),
                    AwaitKey),
                diagnostic);
        }
    }

    private static async Task<Document> ApplyAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var conversions = new Dictionary<SyntaxNode, AsyncConversion>();
        foreach (var diagnostic in diagnostics)
        {
            var plan = await AwaitPlan.CreateAsync(document, diagnostic, cancellationToken).ConfigureAwait(false);
            if (plan is null)
            {
                continue;
            }

            editor.InsertAfter(plan.Anchor, plan.Statement);
            if (plan.Conversion.FunctionToMakeAsync is { } function && !conversions.ContainsKey(function))
            {
                conversions.Add(function, plan.Conversion);
            }
        }

        foreach (var pair in conversions)
        {
            editor.ReplaceNode(pair.Key, (current, generator) => pair.Value.Apply(current, generator));
        }

        return editor.GetChangedDocument();
    }

    private sealed class AwaitPlan
    {
        private AwaitPlan(string name, StatementSyntax anchor, StatementSyntax statement, AsyncConversion conversion)
        {
            Name = name;
            Anchor = anchor;
            Statement = statement;
            Conversion = conversion;
        }

        public string Name { get; }

        /// <summary>The statement after which the await goes.</summary>
        public StatementSyntax Anchor { get; }

        public StatementSyntax Statement { get; }

        public AsyncConversion Conversion { get; }

        public static async Task<AwaitPlan?> CreateAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (root?.FindToken(diagnostic.Location.SourceSpan.Start).Parent is not VariableDeclaratorSyntax declarator
                || declarator.Parent?.Parent is not LocalDeclarationStatementSyntax declaration
                || declaration.Parent is not BlockSyntax block
                || model?.GetDeclaredSymbol(declarator, cancellationToken) is not ILocalSymbol local)
            {
                return null;
            }

            var statements = block.Statements;
            var start = statements.IndexOf(declaration);
            var last = start;
            for (var i = start + 1; i < statements.Count; i++)
            {
                if (Mentions(statements[i], local, model, cancellationToken))
                {
                    last = i;
                }
            }

            // The token the task was given, when it comes from a CancellationTokenSource that this block cancels.
            var cancelIndex = -1;
            if (TokenSource(declarator.Initializer?.Value, model, cancellationToken) is { } source)
            {
                for (var i = start + 1; i < statements.Count; i++)
                {
                    if (Cancels(statements[i], source, model, cancellationToken))
                    {
                        cancelIndex = i;
                    }
                }
            }

            var anchorIndex = System.Math.Max(last, cancelIndex);

            // Never insert after a jump: the await would be unreachable.
            while (anchorIndex > start && statements[anchorIndex] is ReturnStatementSyntax or ThrowStatementSyntax or BreakStatementSyntax or ContinueStatementSyntax or GotoStatementSyntax)
            {
                anchorIndex--;
            }

            if (anchorIndex == start && statements[start] is not LocalDeclarationStatementSyntax)
            {
                return null;
            }

            var conversion = await AsyncConversion.PlanAsync(statements[anchorIndex], document, model, cancellationToken).ConfigureAwait(false);
            if (conversion is null)
            {
                return null;
            }

            StatementSyntax awaitStatement = SyntaxFactory.ExpressionStatement(SyntaxFactory.AwaitExpression(SyntaxFactory.IdentifierName(local.Name)));
            if (cancelIndex > start && cancelIndex <= anchorIndex)
            {
                awaitStatement = SyntaxFactory.TryStatement(
                    SyntaxFactory.Block(awaitStatement),
                    SyntaxFactory.SingletonList(CancellationCatch.Clause(token: null)),
                    @finally: null);
            }

            return new AwaitPlan(local.Name, statements[anchorIndex], awaitStatement.WithAdditionalAnnotations(Formatter.Annotation), conversion);
        }

        private static bool Mentions(SyntaxNode node, ILocalSymbol local, SemanticModel model, CancellationToken cancellationToken)
            => FixSyntax.ReferencesTo(local, node, model, cancellationToken).Count > 0;

        /// <summary>For an initializer call given <c>source.Token</c>, the CancellationTokenSource symbol.</summary>
        private static ISymbol? TokenSource(ExpressionSyntax? initializer, SemanticModel model, CancellationToken cancellationToken)
        {
            if (initializer is null || model.GetOperation(initializer, cancellationToken).Unwrap() is not IInvocationOperation invocation)
            {
                return null;
            }

            var symbols = AsyncSymbols.GetOrCreate(model.Compilation);
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Value.Unwrap() is IPropertyReferenceOperation { Property.Name: "Token", Instance: { } instance }
                    && symbols.IsCancellationTokenSource(instance.Type)
                    && instance.ReferencedSymbol() is { } source)
                {
                    return source;
                }
            }

            return null;
        }

        private static bool Cancels(StatementSyntax statement, ISymbol source, SemanticModel model, CancellationToken cancellationToken)
            => statement.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>().Any(i =>
                i.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Cancel" or "CancelAsync" } access
                && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(access.Expression, cancellationToken).Symbol, source));
    }
}
