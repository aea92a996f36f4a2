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

    /// <summary>The method or local function to mark async, or null when it already is (or is top-level code).</summary>
    public SyntaxNode? FunctionToMakeAsync { get; private set; }

    public TypeSyntax? NewReturnType { get; private set; }

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
        if (!conditional && !AsyncContext.AwaitIsForbiddenAt(expression))
        {
            await plan.PlanAwaitAsync(document, model, cancellationToken).ConfigureAwait(false);
        }

        return plan;
    }

    private async Task PlanAwaitAsync(Document document, SemanticModel model, CancellationToken cancellationToken)
    {
        var function = Expression.Ancestors().FirstOrDefault(n => n is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax
            or BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or PropertyDeclarationSyntax or IndexerDeclarationSyntax
            or GlobalStatementSyntax);
        switch (function)
        {
            case GlobalStatementSyntax:
                CanAwait = true;
                return;
            case AnonymousFunctionExpressionSyntax lambda:
                // A lambda that is not async keeps its delegate type; only the discard is offered.
                CanAwait = lambda.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword);
                return;
            case MethodDeclarationSyntax or LocalFunctionStatementSyntax:
                break;
            default:
                return;
        }

        if (model.GetDeclaredSymbol(function, cancellationToken) is not IMethodSymbol method)
        {
            return;
        }

        if (method.IsAsync)
        {
            CanAwait = true;
            return;
        }

        if (method.IsOverride || method.IsAbstract || method.IsExtern || method.PartialDefinitionPart is not null || method.PartialImplementationPart is not null
            || method.ExplicitInterfaceImplementations.Length > 0 || ImplementsInterfaceMember(method)
            || method.Parameters.Any(p => p.RefKind != RefKind.None || p.Type.IsRefLikeType)
            || method.ReturnsByRef || method.ReturnsByRefReadonly
            || function.DescendantNodes().Any(n => n is YieldStatementSyntax)
            || IsEventHandlerShape(method, model.Compilation))
        {
            return;
        }

        var returnType = method.ReturnType;
        var isMain = method.IsStatic && method.Name == "Main" && method.MethodKind == MethodKind.Ordinary;
        var typeSyntax = function is MethodDeclarationSyntax m ? m.ReturnType : ((LocalFunctionStatementSyntax)function).ReturnType;
        TypeSyntax newReturnType;
        if (returnType.SpecialType == SpecialType.System_Void)
        {
            newReturnType = SyntaxFactory.ParseTypeName("System.Threading.Tasks.Task");
        }
        else if (returnType.TypeKind is TypeKind.Error or TypeKind.Pointer || returnType.IsRefLikeType || LooksAwaitable(returnType))
        {
            return;
        }
        else
        {
            newReturnType = SyntaxFactory.QualifiedName(
                SyntaxFactory.ParseName("System.Threading.Tasks"),
                SyntaxFactory.GenericName(SyntaxFactory.Identifier("Task"))
                    .WithTypeArgumentList(SyntaxFactory.TypeArgumentList(SyntaxFactory.SingletonSeparatedList(typeSyntax.WithoutTrivia()))));
        }

        // Changing the return type is only safe when no code refers to the function: a caller would then
        // drop (or mistype) the new task. Main is called by the runtime only.
        if (!isMain)
        {
            var references = await SymbolFinder.FindReferencesAsync(method, document.Project.Solution, cancellationToken).ConfigureAwait(false);
            if (references.SelectMany(r => r.Locations).Any())
            {
                return;
            }
        }

        CanAwait = true;
        FunctionToMakeAsync = function;
        NewReturnType = newReturnType;
    }

    private static bool LooksAwaitable(ITypeSymbol type)
        => type.GetMembers("GetAwaiter").Any() || type.Name is "Task" or "ValueTask";

    private static bool ImplementsInterfaceMember(IMethodSymbol method)
    {
        var type = method.ContainingType;
        if (type is null || method.MethodKind != MethodKind.Ordinary)
        {
            return false;
        }

        foreach (var iface in type.AllInterfaces)
        {
            foreach (var member in iface.GetMembers(method.Name))
            {
                if (SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(member), method))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool IsEventHandlerShape(IMethodSymbol method, Compilation compilation)
        => KnownTypes.Create(compilation).IsEventHandlerShape(method);
}
