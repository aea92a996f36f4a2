using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AsyncPitfalls.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.FindSymbols;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace AsyncPitfalls.CodeFixes;

/// <summary>
/// Whether an <c>await</c> can be inserted at a position, and if the enclosing method or local function must
/// become async for it, how. Shared by every fix that inserts <c>await</c>. Only plans that keep the code
/// compiling are returned. There are two ways to make a function async: a function that returns <c>void</c> or
/// <c>T</c> gets the return type <c>Task</c> or <c>Task&lt;T&gt;</c> (only when nothing refers to it), and a
/// function that already returns <c>Task</c>, <c>Task&lt;T&gt;</c>, <c>ValueTask</c> or <c>ValueTask&lt;T&gt;</c>
/// keeps its signature and awaits what it returned (<see cref="AwaitsReturns"/>): <c>return X();</c> becomes
/// <c>return await X();</c>, or <c>await X(); return;</c> for a task without a result.
/// </summary>
internal sealed class AsyncConversion
{
    private static readonly AsyncConversion AlreadyAsync = new(null, null, null, awaitsReturns: false, returnsResult: false);

    private AsyncConversion(SyntaxNode? functionToMakeAsync, IMethodSymbol? method, TypeSyntax? newReturnType, bool awaitsReturns, bool returnsResult)
    {
        FunctionToMakeAsync = functionToMakeAsync;
        Method = method;
        NewReturnType = newReturnType;
        AwaitsReturns = awaitsReturns;
        _returnsResult = returnsResult;
    }

    /// <summary>The method or local function that becomes async; null when nothing changes.</summary>
    public IMethodSymbol? Method { get; }

    /// <summary>The return type changes (<c>void</c> to <c>Task</c>, <c>T</c> to <c>Task&lt;T&gt;</c>): every caller would receive a task.</summary>
    public bool ChangesSignature => NewReturnType is not null;

    /// <summary>The signature changes and code outside the assembly can see it: Fix All never applies that.</summary>
    public bool ChangesPublicSignature => ChangesSignature && Method is not null && Method.IsVisibleOutsideAssembly();

    /// <summary>
    /// True when the function may change: its signature stays, or nothing refers to it (<c>Main</c> is called by the
    /// runtime only). The solution-wide search runs here, when the fix is applied, never at registration.
    /// </summary>
    public async Task<bool> CallersAllowAsync(Document document, CancellationToken cancellationToken)
        => !ChangesSignature || Method is null
            || Method.IsStatic && Method.Name == "Main" && Method.MethodKind == MethodKind.Ordinary
            || !await HasReferencesAsync(Method, document, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// A cheap registration-time check for a private method or a local function: a name in its type (or function)
    /// that binds to it. Null for other methods, whose references are searched when the fix is applied.
    /// </summary>
    public bool? HasReferencesNearby(SemanticModel model, CancellationToken cancellationToken)
    {
        if (!ChangesSignature || Method is null || FunctionToMakeAsync is null)
        {
            return false;
        }

        SyntaxNode? scope = Method.MethodKind == MethodKind.LocalFunction
            ? FunctionToMakeAsync.Parent
            : Method.DeclaredAccessibility == Accessibility.Private && Method.ContainingType?.DeclaringSyntaxReferences.Length == 1 ? FunctionToMakeAsync.Parent : null;
        if (scope is null)
        {
            return null;
        }

        var method = Method;
        return scope.DescendantNodes().OfType<SimpleNameSyntax>().Any(n => n.Identifier.ValueText == method.Name
            && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(n, cancellationToken).Symbol?.OriginalDefinition, method.OriginalDefinition));
    }

    private readonly bool _returnsResult;

    /// <summary>
    /// Once the function is async, the compiler reports every other awaitable it drops (CS4014). Each of them, with
    /// what keeps the code clean: an await for a drop that was a forgotten await too, a discard for a deliberate
    /// start (<c>Task.Run</c>, <c>StartNew</c>), which keeps what it did. Drops where <c>await</c> is not allowed
    /// (a lock) are not reported by the compiler and are left alone.
    /// </summary>
    public IEnumerable<(ExpressionSyntax Expression, bool Await)> OtherDrops(SemanticModel model, SyntaxNode except, CancellationToken cancellationToken)
    {
        if (FunctionToMakeAsync is null)
        {
            yield break;
        }

        var symbols = CompilationFacts.Of(model.Compilation).Symbols;
        foreach (var statement in OwnNodes(FunctionToMakeAsync).OfType<ExpressionStatementSyntax>())
        {
            if (statement.Expression is not InvocationExpressionSyntax call || call == except || except.Span.Contains(call.Span) || call.Span.Contains(except.Span)
                || AwaitSite.AwaitIsForbiddenAt(call)
                || model.GetTypeInfo(call, cancellationToken).Type is not { SpecialType: SpecialType.None } type
                || !symbols.IsAwaitable(type, model, call.SpanStart))
            {
                continue;
            }

            var background = model.GetSymbolInfo(call, cancellationToken).Symbol is IMethodSymbol method && symbols.IsBackgroundStart(method);
            yield return (call, !background);
        }
    }

    /// <summary>The method or local function to mark async; null when it already is, or for top-level code.</summary>
    public SyntaxNode? FunctionToMakeAsync { get; }

    /// <summary>The new return type; null when the function keeps its own (<see cref="AwaitsReturns"/>).</summary>
    public TypeSyntax? NewReturnType { get; }

    /// <summary>The function already returns a task: it keeps its signature, and each <c>return</c> awaits its task.</summary>
    public bool AwaitsReturns { get; }

    public static SyntaxNode? EnclosingFunction(SyntaxNode node)
        => node.Ancestors().FirstOrDefault(n => n is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax
            or BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or PropertyDeclarationSyntax or IndexerDeclarationSyntax
            or GlobalStatementSyntax);

    /// <summary>
    /// Plans an <c>await</c> at <paramref name="node"/>; null when it cannot be done safely. Cheap: syntax and the model
    /// at hand. Whether callers allow a signature change is checked when the fix is applied (<see cref="CallersAllowAsync"/>).
    /// </summary>
    public static AsyncConversion? Plan(SyntaxNode node, SemanticModel model, CancellationToken cancellationToken)
    {
        if (AwaitSite.AwaitIsForbiddenAt(node))
        {
            return null;
        }

        var function = EnclosingFunction(node);
        switch (function)
        {
            case GlobalStatementSyntax:
                return AlreadyAsync;
            case AnonymousFunctionExpressionSyntax lambda:
                // A lambda that is not async keeps its delegate type, except where any delegate will do (a minimal-API
                // handler is given as Delegate): there it becomes async and returns a task of what it returned.
                // A lambda that returns a standard task keeps its delegate type too: it becomes async and awaits its returns.
                if (lambda.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword))
                {
                    return AlreadyAsync;
                }

                if (lambda is not LambdaExpressionSyntax)
                {
                    return null;
                }

                if (model.GetTypeInfo(lambda, cancellationToken).ConvertedType is { SpecialType: SpecialType.System_Delegate or SpecialType.System_MulticastDelegate })
                {
                    return new AsyncConversion(lambda, null, null, awaitsReturns: false, returnsResult: false);
                }

                return model.GetSymbolInfo(lambda, cancellationToken).Symbol is IMethodSymbol lambdaSymbol
                    && IsStandardTask(lambdaSymbol.ReturnType, CompilationFacts.Of(model.Compilation).Symbols)
                        ? AwaitingReturns(lambda, lambdaSymbol, model, cancellationToken)
                        : null;
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

        var symbols = CompilationFacts.Of(model.Compilation).Symbols;
        if (IsStandardTask(method.ReturnType, symbols))
        {
            return AwaitingReturns(function, method, model, cancellationToken);
        }

        if (!SignatureIsOurs(method, symbols)
            || method.Parameters.Any(p => p.RefKind != RefKind.None || p.Type.IsRefLikeType)
            || method.ReturnsByRef || method.ReturnsByRefReadonly
            || function.DescendantNodes().Any(n => n is YieldStatementSyntax))
        {
            return null;
        }

        var returnType = method.ReturnType;
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

        return new AsyncConversion(function, method, newReturnType, awaitsReturns: false, returnsResult: false);
    }

    private static bool IsStandardTask(ITypeSymbol type, AsyncSymbols symbols)
        => type is INamedTypeSymbol { OriginalDefinition: var definition }
            && (SymbolEqualityComparer.Default.Equals(definition, symbols.Task) || SymbolEqualityComparer.Default.Equals(definition, symbols.TaskOfT)
                || symbols.IsValueTask(definition));

    /// <summary>
    /// The plan for a function that returns a task without being async. The signature stays, so overrides and
    /// interface implementations qualify. Not when a <c>return</c> hands back <c>null</c> or <c>default</c> (awaiting
    /// it would throw), sits where <c>await</c> is illegal, or when the body holds what an async function cannot
    /// (<c>ref</c> locals, <c>unsafe</c> code, <c>stackalloc</c>, locals of a ref struct type).
    /// </summary>
    private static AsyncConversion? AwaitingReturns(SyntaxNode function, IMethodSymbol method, SemanticModel model, CancellationToken cancellationToken)
    {
        var returns = OwnReturnedExpressions(function).ToList();
        if (returns.Any(e => e.IsKind(SyntaxKind.NullLiteralExpression) || e.IsKind(SyntaxKind.DefaultLiteralExpression) || e is DefaultExpressionSyntax
                || AwaitSite.AwaitIsForbiddenAt(e))
            || OwnNodes(function).Any(n => n is RefTypeSyntax or UnsafeStatementSyntax or StackAllocArrayCreationExpressionSyntax or ImplicitStackAllocArrayCreationExpressionSyntax
                || n is VariableDeclarationSyntax declaration && model.GetTypeInfo(declaration.Type, cancellationToken).Type is { IsRefLikeType: true }))
        {
            return null;
        }

        var returnsResult = method.ReturnType is INamedTypeSymbol { IsGenericType: true };
        return new AsyncConversion(function, method, null, awaitsReturns: true, returnsResult);
    }

    /// <summary>The expressions a function returns: its expression body, or its own <c>return e;</c> statements.</summary>
    private static System.Collections.Generic.IEnumerable<ExpressionSyntax> OwnReturnedExpressions(SyntaxNode function)
        => function switch
        {
            MethodDeclarationSyntax { ExpressionBody: { } arrow } => new[] { arrow.Expression },
            LocalFunctionStatementSyntax { ExpressionBody: { } arrow } => new[] { arrow.Expression },
            AnonymousFunctionExpressionSyntax { ExpressionBody: { } expression } => new[] { expression },
            _ => OwnNodes(function).OfType<ReturnStatementSyntax>().Select(r => r.Expression).OfType<ExpressionSyntax>(),
        };

    /// <summary>The nodes of a function, not descending into the lambdas and local functions nested in it.</summary>
    private static System.Collections.Generic.IEnumerable<SyntaxNode> OwnNodes(SyntaxNode function)
        => function.DescendantNodes(n => n == function || n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax));

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

    /// <summary>
    /// Adds <c>async</c> to <paramref name="function"/> and gives it <see cref="NewReturnType"/>, or awaits its returns
    /// (through <see cref="AwaitStyle.Await"/>, with <paramref name="configure"/> its ConfigureAwait convention).
    /// </summary>
    public SyntaxNode Apply(SyntaxNode function, SyntaxGenerator generator, bool configure, AsyncSymbols symbols)
    {
        if (function is LambdaExpressionSyntax lambda)
        {
            var awaited = AwaitsReturns ? (LambdaExpressionSyntax)new ReturnAwaiter(function, _returnsResult, configure, symbols).Visit(function)! : lambda;
            return awaited.WithAsyncKeyword(SyntaxFactory.Token(SyntaxKind.AsyncKeyword).WithTrailingTrivia(SyntaxFactory.Space)).WithLeadingTrivia(lambda.GetLeadingTrivia());
        }

        var body = AwaitsReturns ? new ReturnAwaiter(function, _returnsResult, configure, symbols).Visit(function)! : WithReturnType(function, NewReturnType!);
        return generator.WithModifiers(body, generator.GetModifiers(function).WithAsync(true));
    }

    /// <summary>
    /// Rewrites the returns of one function (not of the functions nested in it): <c>return await e;</c> for a task
    /// with a result; otherwise <c>await e;</c>, followed by <c>return;</c> unless it ends the body.
    /// </summary>
    private sealed class ReturnAwaiter : CSharpSyntaxRewriter
    {
        private readonly SyntaxNode _function;
        private readonly bool _returnsResult;
        private readonly bool _configure;
        private readonly AsyncSymbols _symbols;

        public ReturnAwaiter(SyntaxNode function, bool returnsResult, bool configure, AsyncSymbols symbols)
        {
            _function = function;
            _returnsResult = returnsResult;
            _configure = configure;
            _symbols = symbols;
        }

        public override SyntaxNode? Visit(SyntaxNode? node)
            => node is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax && node != _function ? node : base.Visit(node);

        public override SyntaxNode? VisitParenthesizedLambdaExpression(ParenthesizedLambdaExpressionSyntax node)
            => node == _function && node.ExpressionBody is { } body ? node.WithExpressionBody(Await(body)) : base.VisitParenthesizedLambdaExpression(node);

        public override SyntaxNode? VisitSimpleLambdaExpression(SimpleLambdaExpressionSyntax node)
            => node == _function && node.ExpressionBody is { } body ? node.WithExpressionBody(Await(body)) : base.VisitSimpleLambdaExpression(node);

        public override SyntaxNode? VisitArrowExpressionClause(ArrowExpressionClauseSyntax node)
            => node.Parent == _function ? node.WithExpression(Await(node.Expression)) : base.VisitArrowExpressionClause(node);

        public override SyntaxNode? VisitBlock(BlockSyntax node)
        {
            var visited = (BlockSyntax)base.VisitBlock(node)!;
            if (_returnsResult)
            {
                return visited;
            }

            // A task without a result: "return e;" in a block becomes "await e; return;", or just "await e;" at the end of the body.
            var statements = new System.Collections.Generic.List<StatementSyntax>();
            var last = visited.Statements.LastOrDefault();
            foreach (var statement in visited.Statements)
            {
                if (statement is ReturnStatementSyntax { Expression: { } expression } returned)
                {
                    var awaited = SyntaxFactory.ExpressionStatement(Await(expression)).WithTriviaFrom(returned);
                    if (IsCompletedTask(expression))
                    {
                        // "return Task.CompletedTask;" says "done": nothing to await, and at the end nothing to write.
                        if (!(statement == last && node.Parent == _function))
                        {
                            statements.Add(SyntaxFactory.ReturnStatement().WithTriviaFrom(returned).WithAdditionalAnnotations(Formatter.Annotation));
                        }
                    }
                    else if (statement == last && node.Parent == _function)
                    {
                        statements.Add(awaited);
                    }
                    else
                    {
                        statements.Add(awaited.WithTrailingTrivia(SyntaxFactory.ElasticCarriageReturnLineFeed).WithAdditionalAnnotations(Formatter.Annotation));
                        statements.Add(SyntaxFactory.ReturnStatement().WithTrailingTrivia(returned.GetTrailingTrivia()).WithAdditionalAnnotations(Formatter.Annotation));
                    }

                    continue;
                }

                statements.Add(statement);
            }

            return visited.WithStatements(SyntaxFactory.List(statements));
        }

        public override SyntaxNode? VisitReturnStatement(ReturnStatementSyntax node)
        {
            if (node.Expression is not { } expression)
            {
                return node;
            }

            if (_returnsResult)
            {
                return node.WithExpression(Await(expression));
            }

            // An embedded "if (x) return e;": the block handles returns that are statements of a block.
            return node.Parent is BlockSyntax
                ? node
                : SyntaxFactory.Block(SyntaxFactory.ExpressionStatement(Await(expression)), SyntaxFactory.ReturnStatement()).WithTriviaFrom(node).WithAdditionalAnnotations(Formatter.Annotation);
        }

        private static bool IsCompletedTask(ExpressionSyntax expression)
            => expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "CompletedTask", Expression: IdentifierNameSyntax { Identifier.ValueText: "Task" or "ValueTask" } };

        /// <summary>The returned task, awaited: it is a task, so the convention's ConfigureAwait applies to it.</summary>
        private AwaitExpressionSyntax Await(ExpressionSyntax expression)
            => AwaitStyle.Await(expression, _configure, _symbols.Task, _symbols).WithTriviaFrom(expression);
    }

    public static SyntaxNode WithReturnType(SyntaxNode function, TypeSyntax newReturnType)
        => function switch
        {
            MethodDeclarationSyntax method => method.WithReturnType(newReturnType.WithTriviaFrom(method.ReturnType)),
            LocalFunctionStatementSyntax local => local.WithReturnType(newReturnType.WithTriviaFrom(local.ReturnType)),
            _ => function,
        };
}
