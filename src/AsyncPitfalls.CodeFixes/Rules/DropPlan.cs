using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AsyncPitfalls.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FindSymbols;

namespace AsyncPitfalls.CodeFixes;

/// <summary>
/// What can be done about one dropped awaitable: whether <c>await</c> can be inserted (and which function must
/// become async for it, with which new return type), and whether the explicit discard compiles.
/// Every precondition is checked here so that no fix is offered that would not compile.
/// </summary>
internal sealed class DropPlan
{
    private DropPlan(ExpressionSyntax expression)
    {
        Expression = expression;
    }

    public ExpressionSyntax Expression { get; }

    public bool CanAwait { get; private set; }

    public bool CanDiscard { get; private set; }

    /// <summary>How the enclosing function becomes async, when the await fix is possible.</summary>
    public AsyncConversion? Conversion { get; private set; }

    public static async Task<DropPlan?> CreateAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return null;
        }

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

        var plan = new DropPlan(expression);
        plan.CanDiscard = !model.LookupSymbols(expression.SpanStart, name: "_").Any();
        var conditional = expression is ConditionalAccessExpressionSyntax;
        if (!conditional)
        {
            await plan.PlanAwaitAsync(document, model, cancellationToken).ConfigureAwait(false);
        }

        return plan;
    }

    private async Task PlanAwaitAsync(Document document, SemanticModel model, CancellationToken cancellationToken)
    {
        Conversion = await AsyncConversion.PlanAsync(Expression, document, model, cancellationToken).ConfigureAwait(false);
        CanAwait = Conversion is not null;
    }
}
