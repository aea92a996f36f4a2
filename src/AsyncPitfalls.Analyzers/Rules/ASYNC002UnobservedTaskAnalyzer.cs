using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncPitfalls.Analyzers;

/// <summary>ASYNC002: a task is started, stored in a local, and never observed anywhere in the local's scope.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ASYNC002UnobservedTaskAnalyzer : DiagnosticAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = RuleFactory.Create(
        DiagnosticIds.UnobservedTask,
        title: "Task is stored in a local and never awaited",
        message: "Task '{0}' is started but never awaited; its completion and exceptions are never observed",
        DiagnosticCategories.Reliability,
        DiagnosticSeverity.Warning,
        description: "A local holds a task that was started by a call, and nothing in the local's scope awaits, returns, passes on or otherwise observes it, so its completion races the code that follows and its exceptions are lost.");

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
            start.RegisterOperationAction(c => AnalyzeDeclarator(c, awaitables), OperationKind.VariableDeclarator);
            start.RegisterOperationAction(c => AnalyzePattern(c, awaitables), OperationKind.DeclarationPattern);
        });
    }

    private static void AnalyzeDeclarator(OperationAnalysisContext context, AwaitableTypes awaitables)
    {
        var declarator = (IVariableDeclaratorOperation)context.Operation;
        var local = declarator.Symbol;
        var initializer = declarator.Initializer ?? (declarator.Parent as IVariableDeclarationOperation)?.Initializer;
        if (local.Type is not { SpecialType: SpecialType.None } type || local.IsRef || initializer is null)
        {
            return;
        }

        // Cheapest checks first: most locals are not tasks, and most task locals come from calls.
        var value = AwaitableFlow.Unwrap(initializer.Value);
        if (value is not (IInvocationOperation or IObjectCreationOperation)
            || !awaitables.IsAwaitable(type, declarator.SemanticModel, declarator.Syntax.SpanStart)
            || IsUsingResource(declarator)
            || !IsStartedWork(value, awaitables, context.Options))
        {
            return;
        }

        ReportIfNeverObserved(context, local, declarator);
    }

    /// <summary>A pattern variable that receives a started task: <c>if (StartAsync() is Task pending)</c>.</summary>
    private static void AnalyzePattern(OperationAnalysisContext context, AwaitableTypes awaitables)
    {
        var pattern = (IDeclarationPatternOperation)context.Operation;
        if (pattern.DeclaredSymbol is not ILocalSymbol { Type: { SpecialType: SpecialType.None } type } local
            || pattern.Parent is not IIsPatternOperation { Value: var input }
            || AwaitableFlow.Unwrap(input) is not { } value
            || value is not (IInvocationOperation or IObjectCreationOperation)
            || !awaitables.IsAwaitable(type, pattern.SemanticModel, pattern.Syntax.SpanStart)
            || !IsStartedWork(value, awaitables, context.Options))
        {
            return;
        }

        ReportIfNeverObserved(context, local, pattern);
    }

    private static void ReportIfNeverObserved(OperationAnalysisContext context, ILocalSymbol local, IOperation declaration)
    {
        var declaringFunction = LocalReads.EnclosingFunction(declaration);
        foreach (var reference in LocalReads.References(local, LocalReads.Root(declaration)))
        {
            if (LocalReads.IsPlainWrite(reference))
            {
                continue;
            }

            if (LocalReads.IsCaptured(reference, declaringFunction) || AwaitableFlow.Observes(reference))
            {
                return;
            }
        }

        context.ReportDiagnostic(Diagnostic.Create(Rule, local.Locations[0], local.Name));
    }

    private static bool IsUsingResource(IVariableDeclaratorOperation declarator)
    {
        for (var current = declarator.Parent; current is IVariableDeclarationOperation or IVariableDeclarationGroupOperation or IUsingOperation or IUsingDeclarationOperation; current = current.Parent)
        {
            if (current is IUsingOperation or IUsingDeclarationOperation)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A call or object creation that starts work. Already-complete tasks (<c>Task.FromResult</c>,
    /// <c>Task.CompletedTask</c>) and the accepted shapes of ASYNC001 (a <c>ContinueWith</c>, observer helpers,
    /// excluded methods) do not count.
    /// </summary>
    private static bool IsStartedWork(IOperation? value, AwaitableTypes awaitables, AnalyzerOptions options)
    {
        switch (value)
        {
            case IObjectCreationOperation:
                return true;
            case IInvocationOperation invocation:
                var method = invocation.TargetMethod;
                if (method.Name is "FromResult" or "FromException" or "FromCanceled"
                    && awaitables.Known.IsTaskType(method.ContainingType))
                {
                    return false;
                }

                return !DroppedTaskPolicy.IsAcceptedDrop(invocation, awaitables, options);
            default:
                return false;
        }
    }
}
