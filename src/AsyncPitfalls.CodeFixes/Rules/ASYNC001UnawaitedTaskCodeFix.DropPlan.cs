using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AsyncPitfalls.CodeFixes;

public sealed partial class ASYNC001UnawaitedTaskCodeFix
{
    /// <summary>
    /// What can be done about one dropped awaitable: whether <c>await</c> can be inserted (and which function must
    /// become async for it, with which new return type), and whether the explicit discard compiles. Made from the
    /// syntax and the model at hand; the callers of a function whose signature changes are checked when applied.
    /// </summary>
    private sealed class DropPlan
    {
        private DropPlan(ExpressionSyntax expression, bool canDiscard, AsyncConversion? conversion)
        {
            Expression = expression;
            CanDiscard = canDiscard;
            Conversion = conversion;
        }

        /// <summary>The dropped expression: the call, or the whole conditional access.</summary>
        public ExpressionSyntax Expression { get; }

        public bool CanDiscard { get; }

        /// <summary>How the enclosing function becomes async when the await fix is possible; null when it is not.</summary>
        public AsyncConversion? Conversion { get; }

        public static DropPlan? Create(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            var expression = node.AncestorsAndSelf().OfType<ExpressionSyntax>()
                .FirstOrDefault(e => e.Parent is ExpressionStatementSyntax or ArrowExpressionClauseSyntax or AnonymousFunctionExpressionSyntax);
            if (expression is null || expression.Span != diagnostic.Location.SourceSpan && expression is not (InvocationExpressionSyntax or ConditionalAccessExpressionSyntax))
            {
                return null;
            }

            if (expression.Parent is AnonymousFunctionExpressionSyntax lambdaParent && lambdaParent.Body != expression)
            {
                return null;
            }

            var canDiscard = !model.LookupSymbols(expression.SpanStart, name: "_").Any();

            // A conditional call cannot be awaited: await null throws.
            var conversion = expression is ConditionalAccessExpressionSyntax
                ? null
                : AsyncConversion.Plan(expression, model, cancellationToken);
            return new DropPlan(expression, canDiscard, conversion);
        }
    }
}
