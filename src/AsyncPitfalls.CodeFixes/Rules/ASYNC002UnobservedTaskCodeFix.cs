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
/// Works in a block and in top-level statements.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ASYNC002UnobservedTaskCodeFix)), Shared]
public sealed class ASYNC002UnobservedTaskCodeFix : AsyncPitfallsCodeFix
{
    internal const string AwaitKey = "ASYNC002.Await";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.UnobservedTask);

    internal override string FixAllTitle(string key) => "Await every unobserved task";

    internal override IEnumerable<FixOption> Options(FixRequest request)
    {
        if (AwaitPlan.Create(request.Root, request.Model, request.Diagnostic, configure: false, request.CancellationToken) is { } plan
            && plan.Conversion.HasReferencesNearby(request.Model, request.CancellationToken) != true)
        {
            yield return plan.Conversion.ChangesPublicSignature
                ? new FixOption($"Await '{plan.Name}' (changes the public signature of '{plan.Conversion.Method!.Name}')", AwaitKey, bulk: false)
                : new FixOption($"Await '{plan.Name}'", AwaitKey);
        }
    }

    internal override async Task<Solution?> ApplyAsync(Document document, Diagnostic diagnostic, string key, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return null;
        }

        var configure = AwaitStyle.ConfiguresAwait(document, root.FindNode(diagnostic.Location.SourceSpan));
        if (AwaitPlan.Create(root, model, diagnostic, configure, cancellationToken) is not { } plan
            || !await plan.Conversion.CallersAllowAsync(document, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var editor = new SyntaxEditor(root, document.Project.Solution.Services);
        editor.InsertAfter(plan.Anchor, plan.Statement);
        ASYNC001UnawaitedTaskCodeFix.ConvertFunction(editor, plan.Conversion, model, document, plan.Anchor, cancellationToken);

        return document.WithSyntaxRoot(editor.GetChangedRoot()).Project.Solution;
    }

    private sealed class AwaitPlan
    {
        private AwaitPlan(string name, SyntaxNode anchor, SyntaxNode statement, AsyncConversion conversion)
        {
            Name = name;
            Anchor = anchor;
            Statement = statement;
            Conversion = conversion;
        }

        public string Name { get; }

        /// <summary>The statement (or top-level statement) after which the await goes.</summary>
        public SyntaxNode Anchor { get; }

        public SyntaxNode Statement { get; }

        public AsyncConversion Conversion { get; }

        public static AwaitPlan? Create(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, bool configure, CancellationToken cancellationToken)
        {
            if (root.FindToken(diagnostic.Location.SourceSpan.Start).Parent is not VariableDeclaratorSyntax declarator
                || declarator.Parent?.Parent is not LocalDeclarationStatementSyntax declaration
                || model.GetDeclaredSymbol(declarator, cancellationToken) is not ILocalSymbol local)
            {
                return null;
            }

            // The statements around the declaration: a block's, or the file's top-level statements.
            var topLevel = declaration.Parent is GlobalStatementSyntax;
            var statements = declaration.Parent switch
            {
                BlockSyntax block => block.Statements.ToList(),
                GlobalStatementSyntax { Parent: CompilationUnitSyntax unit } => unit.Members.OfType<GlobalStatementSyntax>().Select(g => g.Statement).ToList(),
                _ => null,
            };
            if (statements is null)
            {
                return null;
            }

            var start = statements.IndexOf(declaration);
            var symbols = AsyncSymbols.GetOrCreate(model.Compilation);
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

            var conversion = AsyncConversion.Plan(statements[anchorIndex], model, cancellationToken);
            if (conversion is null)
            {
                return null;
            }

            StatementSyntax awaitStatement = SyntaxFactory.ExpressionStatement(AwaitStyle.Await(SyntaxFactory.IdentifierName(local.Name), configure, local.Type, symbols));
            if (cancelIndex > start && cancelIndex <= anchorIndex)
            {
                awaitStatement = CancellationCatch.Guarded(awaitStatement);
            }

            awaitStatement = awaitStatement.WithAdditionalAnnotations(Formatter.Annotation);
            return topLevel
                ? new AwaitPlan(local.Name, statements[anchorIndex].Parent!, SyntaxFactory.GlobalStatement(awaitStatement), conversion)
                : new AwaitPlan(local.Name, statements[anchorIndex], awaitStatement, conversion);
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
