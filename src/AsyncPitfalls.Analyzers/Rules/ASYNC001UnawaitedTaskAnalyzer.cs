using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncPitfalls.Analyzers;

/// <summary>ASYNC001: a call returns an awaitable and the statement drops it, where the compiler's CS4014 is silent.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ASYNC001UnawaitedTaskAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Property set on the diagnostic when the call is a conditional access (<c>foo?.DoAsync()</c>).</summary>
    public const string ConditionalProperty = "Conditional";

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
            var known = KnownTypes.Create(start.Compilation);
            if (!known.HasTasks)
            {
                return;
            }

            var awaitables = new AwaitableTypes(known, start.Compilation);
            start.RegisterOperationAction(c => AnalyzeStatement(c, awaitables), OperationKind.ExpressionStatement);
        });
    }

    private static void AnalyzeStatement(OperationAnalysisContext context, AwaitableTypes awaitables)
    {
        var statement = (IExpressionStatementOperation)context.Operation;
        var invocation = AwaitableFlow.DroppedCall(statement, out var conditional);
        if (invocation is null || invocation.Type is not { } type || type.SpecialType != SpecialType.None)
        {
            return;
        }

        if (!awaitables.IsAwaitable(type, invocation.SemanticModel, invocation.Syntax.SpanStart))
        {
            return;
        }

        var asyncContext = AsyncContext.Of(statement, context.ContainingSymbol);
        if (DroppedTaskPolicy.CompilerReportsCS4014(invocation, conditional, asyncContext, awaitable: true))
        {
            return;
        }

        if (IsInExpressionTree(asyncContext, awaitables.Known)
            || DroppedTaskPolicy.IsAcceptedDrop(invocation, awaitables, context.Options))
        {
            return;
        }

        var display = SymbolFacts.DisplayName(AwaitableFlow.UnwrapWrappers(invocation).TargetMethod);
        var properties = conditional
            ? ImmutableDictionary<string, string?>.Empty.Add(ConditionalProperty, "true")
            : ImmutableDictionary<string, string?>.Empty;
        var location = conditional ? statement.Operation.Syntax.GetLocation() : invocation.Syntax.GetLocation();
        context.ReportDiagnostic(Diagnostic.Create(Rule, location, properties, display));
    }

    private static bool IsInExpressionTree(AsyncContext context, KnownTypes known)
    {
        if (context.FunctionOperation is not IAnonymousFunctionOperation lambda || known.LambdaExpression is null)
        {
            return false;
        }

        for (var parent = lambda.Parent; parent is IConversionOperation or IDelegateCreationOperation; parent = parent.Parent)
        {
            for (var type = parent.Type as INamedTypeSymbol; type is not null; type = type.BaseType)
            {
                if (SymbolEqualityComparer.Default.Equals(type, known.LambdaExpression))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
