using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncPitfalls.Analyzers;

/// <summary>ASYNC001: a call returns an awaitable and the statement drops it, where the compiler's CS4014 is silent.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ASYNC001UnawaitedTaskAnalyzer : DiagnosticAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = RuleFactory.Create(
        DiagnosticIds.UnawaitedTask,
        title: "Awaitable result of a call is dropped",
        message: "The task returned by '{0}' is never awaited; exceptions it throws are lost",
        DiagnosticCategories.Reliability,
        DiagnosticSeverity.Warning,
        description: "A call returns a task or another awaitable and the statement drops it, so nothing waits for the work and its exceptions are never observed.");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = AsyncSymbols.GetOrCreate(start.Compilation);
            if (symbols.HasTasks)
            {
                start.RegisterOperationAction(c => AnalyzeStatement(c, symbols), OperationKind.ExpressionStatement);
            }
        });
    }

    private static void AnalyzeStatement(OperationAnalysisContext context, AsyncSymbols symbols)
    {
        var statement = (IExpressionStatementOperation)context.Operation;
        var invocation = AwaitableFlow.DroppedCall(statement, out var conditional);
        if (invocation is null || invocation.Type is not { SpecialType: SpecialType.None } type
            || !symbols.IsAwaitable(type, invocation.SemanticModel, invocation.Syntax.SpanStart))
        {
            return;
        }

        var asyncContext = AsyncContext.Of(statement, context.ContainingSymbol);
        if (CompilerReportsCS4014(invocation, conditional, asyncContext)
            || IsInExpressionTree(asyncContext, symbols)
            || AcceptedDrops.IsAccepted(invocation, symbols, context.Options))
        {
            return;
        }

        var display = AwaitableFlow.UnwrapWrappers(invocation, symbols).CallName();
        var location = conditional ? statement.Operation.Syntax.GetLocation() : invocation.Syntax.GetLocation();
        context.ReportDiagnostic(Diagnostic.Create(Rule, location, display));
    }

    /// <summary>
    /// Mirrors the compiler's CS4014 condition, so ASYNC001 stays silent where the compiler already warns: the
    /// statement is a plain call (not a conditional access) of an awaitable, and either the callee is declared
    /// <c>async</c> in source, or the innermost function is async and <c>await</c> is allowed there.
    /// </summary>
    private static bool CompilerReportsCS4014(IInvocationOperation invocation, bool conditional, AsyncContext context)
        => !conditional
            && (invocation.TargetMethod.IsAsync || context.IsAsync && !AsyncContext.AwaitIsForbiddenAt(invocation.Syntax));

    private static bool IsInExpressionTree(AsyncContext context, AsyncSymbols symbols)
    {
        if (context.FunctionOperation is not IAnonymousFunctionOperation lambda || symbols.LambdaExpression is null)
        {
            return false;
        }

        for (var parent = lambda.Parent; parent is IConversionOperation or IDelegateCreationOperation; parent = parent.Parent)
        {
            for (var type = parent.Type as INamedTypeSymbol; type is not null; type = type.BaseType)
            {
                if (SymbolEqualityComparer.Default.Equals(type, symbols.LambdaExpression))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
