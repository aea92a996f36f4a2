using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncPitfalls.Analyzers;

/// <summary>ASYNC003: async void methods, local functions, and async lambdas converted to void-returning delegates.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ASYNC003AsyncVoidAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Property set when the diagnostic is on a lambda or anonymous method (no code fix).</summary>
    public const string LambdaProperty = "Lambda";

    internal static readonly DiagnosticDescriptor Rule = RuleFactory.Create(
        DiagnosticIds.AvoidAsyncVoid,
        title: "Async code returns void",
        message: "{0} is async void: nobody can await it, and an exception it throws crashes the process",
        DiagnosticCategories.Reliability,
        DiagnosticSeverity.Warning,
        description: "An async void method, local function or lambda cannot be awaited, so its caller cannot know when it ends, and an exception that escapes it is rethrown on the thread pool, where it ends the process.");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = AsyncSymbols.GetOrCreate(start.Compilation);
            start.RegisterOperationAction(c => AnalyzeMethod(c, symbols), OperationKind.MethodBody);
            start.RegisterOperationAction(c => AnalyzeLocalFunction(c, symbols), OperationKind.LocalFunction);
            start.RegisterOperationAction(c => AnalyzeLambda(c, symbols), OperationKind.AnonymousFunction);
        });
    }

    private static void AnalyzeMethod(OperationAnalysisContext context, AsyncSymbols symbols)
    {
        if (context.ContainingSymbol is not IMethodSymbol { IsAsync: true, ReturnsVoid: true, MethodKind: MethodKind.Ordinary } method
            || method.SignatureIsInherited()
            || symbols.IsEventHandlerShape(method))
        {
            return;
        }

        var body = (IMethodBodyOperation)context.Operation;
        if (body.Syntax is MethodDeclarationSyntax declaration && !CannotThrow(body.BlockBody, symbols))
        {
            context.ReportDiagnostic(Diagnostic.Create(Rule, declaration.Identifier.GetLocation(), $"Method '{method.Name}'"));
        }
    }

    private static void AnalyzeLocalFunction(OperationAnalysisContext context, AsyncSymbols symbols)
    {
        var operation = (ILocalFunctionOperation)context.Operation;
        var function = operation.Symbol;
        if (function.IsAsync && function.ReturnsVoid && !symbols.IsEventHandlerShape(function)
            && operation.Syntax is LocalFunctionStatementSyntax syntax && !CannotThrow(operation.Body, symbols))
        {
            context.ReportDiagnostic(Diagnostic.Create(Rule, syntax.Identifier.GetLocation(), $"Local function '{function.Name}'"));
        }
    }

    private static void AnalyzeLambda(OperationAnalysisContext context, AsyncSymbols symbols)
    {
        var lambda = (IAnonymousFunctionOperation)context.Operation;
        if (!lambda.Symbol.IsAsync || !lambda.Symbol.ReturnsVoid || lambda.Syntax is not AnonymousFunctionExpressionSyntax syntax)
        {
            return;
        }

        // The delegate the lambda converts to: an event subscription or an event-handler-shaped delegate is fine.
        if (lambda.WalkUpConversions().Parent is not IDelegateCreationOperation { Type: INamedTypeSymbol { DelegateInvokeMethod: { } invoke } delegateType } creation
            || creation.WalkUpConversions().Parent is IEventAssignmentOperation
            || symbols.IsEventHandlerShape(invoke)
            || CannotThrow(lambda.Body, symbols))
        {
            return;
        }

        var display = $"Async {(syntax is AnonymousMethodExpressionSyntax ? "anonymous method" : "lambda")} converted to '{delegateType.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)}'";
        var properties = ImmutableDictionary<string, string?>.Empty.Add(LambdaProperty, "true");
        context.ReportDiagnostic(Diagnostic.Create(Rule, syntax.AsyncKeyword.GetLocation(), properties, display));
    }

    /// <summary>
    /// True when the body is one <c>try</c>, after nothing but argument guards, whose catch-all clause (<c>catch</c>
    /// or <c>catch (Exception)</c>, without a filter) never throws, and whose <c>finally</c> does not throw either: no
    /// exception can escape but a caller's broken argument, so async void is harmless there.
    /// </summary>
    private static bool CannotThrow(IBlockOperation? body, AsyncSymbols symbols)
    {
        // A lambda's block ends with an implicit return that the source does not have.
        var statements = body?.Operations.Where(o => !(o is IReturnOperation && o.IsImplicit)).SkipWhile(o => IsArgumentGuard(o, symbols)).ToList();
        if (statements is not { Count: 1 } || statements[0] is not ITryOperation tryOperation)
        {
            return false;
        }

        if (tryOperation.Finally is { } finallyBlock && Throws(finallyBlock))
        {
            return false;
        }

        return tryOperation.Catches.Any(c => c.Filter is null
            && (c.ExceptionType.SpecialType == SpecialType.System_Object || SymbolEqualityComparer.Default.Equals(c.ExceptionType, symbols.Exception))
            && !Throws(c.Handler));
    }

    /// <summary>
    /// <c>ArgumentNullException.ThrowIfNull(x)</c> (any <c>ThrowIf…</c> of an argument exception),
    /// <c>_ = x ?? throw new ArgumentNullException(...)</c>, or <c>if (...) throw new Argument…Exception(...)</c>.
    /// </summary>
    private static bool IsArgumentGuard(IOperation statement, AsyncSymbols symbols)
    {
        var operation = statement is IExpressionStatementOperation expression ? expression.Operation : statement;
        return operation switch
        {
            IInvocationOperation { TargetMethod: { IsStatic: true } method } => method.Name.StartsWith("ThrowIf", System.StringComparison.Ordinal) && symbols.IsArgumentException(method.ContainingType),
            ISimpleAssignmentOperation { Target: IDiscardOperation, Value: var value } => value.Unwrap() is ICoalesceOperation coalesce && ThrowsArgumentException(coalesce.WhenNull, symbols),
            IConditionalOperation { WhenFalse: null, WhenTrue: var whenTrue } => ThrowsArgumentException(whenTrue is IBlockOperation { Operations.Length: 1 } block ? block.Operations[0] : whenTrue, symbols),
            _ => false,
        };
    }

    private static bool ThrowsArgumentException(IOperation operation, AsyncSymbols symbols)
        => (operation is IExpressionStatementOperation statement ? statement.Operation : operation).Unwrap() is IThrowOperation { Exception: var thrown }
            && symbols.IsArgumentException(thrown.Unwrap()?.Type);

    private static bool Throws(IOperation operation) => operation.Descendants().Any(o => o is IThrowOperation);
}
