using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AsyncPitfalls.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.FindSymbols;
using Microsoft.CodeAnalysis.Simplification;

namespace AsyncPitfalls.CodeFixes;

/// <summary>
/// Whether an <c>await</c> can be inserted at a position, and if the enclosing method or local function must
/// become async for it, how. Shared by every fix that inserts <c>await</c>. Only plans that keep the code
/// compiling are returned.
/// </summary>
internal sealed class AsyncConversion
{
    private static readonly AsyncConversion AlreadyAsync = new(null, null);

    private AsyncConversion(SyntaxNode? functionToMakeAsync, TypeSyntax? newReturnType)
    {
        FunctionToMakeAsync = functionToMakeAsync;
        NewReturnType = newReturnType;
    }

    /// <summary>The method or local function to mark async; null when it already is, or for top-level code.</summary>
    public SyntaxNode? FunctionToMakeAsync { get; }

    public TypeSyntax? NewReturnType { get; }

    public static SyntaxNode? EnclosingFunction(SyntaxNode node)
        => node.Ancestors().FirstOrDefault(n => n is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax
            or BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or PropertyDeclarationSyntax or IndexerDeclarationSyntax
            or GlobalStatementSyntax);

    /// <summary>Plans an <c>await</c> at <paramref name="node"/>; null when it cannot be done safely.</summary>
    public static async Task<AsyncConversion?> PlanAsync(SyntaxNode node, Document document, SemanticModel model, CancellationToken cancellationToken)
    {
        if (AsyncContext.AwaitIsForbiddenAt(node))
        {
            return null;
        }

        var function = EnclosingFunction(node);
        switch (function)
        {
            case GlobalStatementSyntax:
                return AlreadyAsync;
            case AnonymousFunctionExpressionSyntax lambda:
                // A lambda that is not async keeps its delegate type.
                return lambda.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword) ? AlreadyAsync : null;
            case MethodDeclarationSyntax or LocalFunctionStatementSyntax:
                break;
            default:
                return null;
        }

        if (model.GetDeclaredSymbol(function, cancellationToken) is not IMethodSymbol method)
        {
            return null;
        }

        if (method.IsAsync)
        {
            return AlreadyAsync;
        }

        var symbols = AsyncSymbols.GetOrCreate(model.Compilation);
        if (!SignatureIsOurs(method, symbols)
            || method.Parameters.Any(p => p.RefKind != RefKind.None || p.Type.IsRefLikeType)
            || method.ReturnsByRef || method.ReturnsByRefReadonly
            || function.DescendantNodes().Any(n => n is YieldStatementSyntax))
        {
            return null;
        }

        var returnType = method.ReturnType;
        var isMain = method.IsStatic && method.Name == "Main" && method.MethodKind == MethodKind.Ordinary;
        var typeSyntax = function is MethodDeclarationSyntax m ? m.ReturnType : ((LocalFunctionStatementSyntax)function).ReturnType;
        TypeSyntax newReturnType;
        if (returnType.SpecialType == SpecialType.System_Void)
        {
            newReturnType = TaskType();
        }
        else if (returnType.TypeKind is TypeKind.Error or TypeKind.Pointer || returnType.IsRefLikeType || symbols.IsAwaitable(returnType, model, function.SpanStart))
        {
            return null;
        }
        else
        {
            newReturnType = TaskType(typeSyntax.WithoutTrivia());
        }

        // Changing the return type is only safe when no code refers to the function: every caller would
        // receive a task. Main is called by the runtime only.
        if (!isMain && await HasReferencesAsync(method, document, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new AsyncConversion(function, newReturnType);
    }

    /// <summary>False for overrides, interface implementations, event handlers, partial and extern methods.</summary>
    public static bool SignatureIsOurs(IMethodSymbol method, AsyncSymbols symbols)
        => !(method.SignatureIsInherited() || method.IsAbstract || method.IsExtern || method.PartialDefinitionPart is not null || method.PartialImplementationPart is not null
            || symbols.IsEventHandlerShape(method));

    public static async Task<bool> HasReferencesAsync(IMethodSymbol method, Document document, CancellationToken cancellationToken)
    {
        var references = await SymbolFinder.FindReferencesAsync(method, document.Project.Solution, cancellationToken).ConfigureAwait(false);
        return references.SelectMany(r => r.Locations).Any();
    }

    /// <summary><c>System.Threading.Tasks.Task</c> or <c>Task&lt;T&gt;</c>, annotated for simplification.</summary>
    public static TypeSyntax TaskType(TypeSyntax? argument = null)
    {
        TypeSyntax type = argument is null
            ? SyntaxFactory.ParseTypeName("System.Threading.Tasks.Task")
            : SyntaxFactory.QualifiedName(
                SyntaxFactory.ParseName("System.Threading.Tasks"),
                SyntaxFactory.GenericName(SyntaxFactory.Identifier("Task"))
                    .WithTypeArgumentList(SyntaxFactory.TypeArgumentList(SyntaxFactory.SingletonSeparatedList(argument))));
        return type.WithAdditionalAnnotations(Simplifier.Annotation);
    }

    /// <summary>Adds <c>async</c> to <paramref name="function"/> and gives it <see cref="NewReturnType"/>.</summary>
    public SyntaxNode Apply(SyntaxNode function, SyntaxGenerator generator)
        => WithReturnType(generator.WithModifiers(function, generator.GetModifiers(function).WithAsync(true)), NewReturnType!);

    public static SyntaxNode WithReturnType(SyntaxNode function, TypeSyntax newReturnType)
        => function switch
        {
            MethodDeclarationSyntax method => method.WithReturnType(newReturnType.WithTriviaFrom(method.ReturnType)),
            LocalFunctionStatementSyntax local => local.WithReturnType(newReturnType.WithTriviaFrom(local.ReturnType)),
            _ => function,
        };
}
