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
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;

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
        if (AwaitPlan.Create(request, configure: false) is { } plan
            && plan.Conversion.HasReferencesNearby(request.Model, request.CancellationToken) != true)
        {
            yield return plan.Conversion.ChangesPublicSignature
                ? new FixOption($"Await '{plan.Name}' (changes the public signature of '{plan.Conversion.Method!.Name}')", AwaitKey, bulk: false)
                : new FixOption($"Await '{plan.Name}'", AwaitKey);
        }
    }

    internal override async Task<Solution?> ApplyAsync(FixRequest request, string key)
    {
        var configure = AwaitStyle.ConfiguresAwait(request.Document, request.Node);
        if (AwaitPlan.Create(request, configure) is not { } plan
            || !await plan.Conversion.CallersAllowAsync(request.Document, request.CancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var editor = new SyntaxEditor(request.Root, request.Document.Project.Solution.Services);
        editor.InsertAfter(plan.Anchor, plan.Statement);
        ASYNC001UnawaitedTaskCodeFix.ConvertFunction(editor, plan.Conversion, request.Model, request.Document, plan.Anchor, request.CancellationToken);
        return request.With(editor.GetChangedRoot());
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

        public static AwaitPlan? Create(FixRequest request, bool configure)
        {
            var (model, cancellationToken) = (request.Model, request.CancellationToken);
            if (!ASYNC002Data.TryRead(request.Diagnostic, out var data)
                || request.TokenParent is not VariableDeclaratorSyntax declarator
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
            var symbols = CompilationFacts.Of(model.Compilation).Symbols;
            var last = start;
            for (var i = start + 1; i < statements.Count; i++)
            {
                if (Mentions(statements[i], local, model, cancellationToken))
                {
                    last = i;
                }
            }

            // The statement that cancels the task's token source, as the analyzer found it.
            var cancelIndex = data.Cancel is { } cancel && request.NodeAt(cancel)?.AncestorsAndSelf().OfType<StatementSyntax>().FirstOrDefault(statements.Contains) is { } cancelStatement
                ? statements.IndexOf(cancelStatement)
                : -1;

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
    }
}
