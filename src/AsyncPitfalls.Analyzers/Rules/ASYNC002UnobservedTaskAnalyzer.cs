using System.Collections.Immutable;
using System.Linq;
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
            start.RegisterOperationAction(s => s.HasTasks, (c, facts) => AnalyzeDeclarator(c, facts.Symbols), OperationKind.VariableDeclarator);
            start.RegisterOperationAction(s => s.HasTasks, (c, facts) => AnalyzePattern(c, facts.Symbols), OperationKind.DeclarationPattern);
        });
    }

    private static void AnalyzeDeclarator(OperationAnalysisContext context, AsyncSymbols symbols)
    {
        var declarator = (IVariableDeclaratorOperation)context.Operation;
        var local = declarator.Symbol;
        var initializer = declarator.Initializer ?? (declarator.Parent as IVariableDeclarationOperation)?.Initializer;
        if (local.Type is not { SpecialType: SpecialType.None } type || local.IsRef || initializer is null || IsDiscardName(local.Name))
        {
            return;
        }

        // Cheapest checks first: most locals are not tasks, and most task locals come from calls.
        var value = initializer.Value.Unwrap();
        if (value is not (IInvocationOperation or IObjectCreationOperation)
            || !symbols.IsAwaitable(type, declarator.SemanticModel, declarator.Syntax.SpanStart)
            || IsUsingResource(declarator)
            || !IsStartedWork(value, symbols, context.Options))
        {
            return;
        }

        ReportIfNeverObserved(context, local, declarator, symbols);
    }

    /// <summary>A pattern variable that receives a started task: <c>if (StartAsync() is Task pending)</c>.</summary>
    private static void AnalyzePattern(OperationAnalysisContext context, AsyncSymbols symbols)
    {
        var pattern = (IDeclarationPatternOperation)context.Operation;
        if (pattern.DeclaredSymbol is not ILocalSymbol { Type: { SpecialType: SpecialType.None } type } local
            || IsDiscardName(local.Name)
            || pattern.Parent is not IIsPatternOperation { Value: var input }
            || input.Unwrap() is not { } value
            || value is not (IInvocationOperation or IObjectCreationOperation)
            || !symbols.IsAwaitable(type, pattern.SemanticModel, pattern.Syntax.SpanStart)
            || !IsStartedWork(value, symbols, context.Options))
        {
            return;
        }

        ReportIfNeverObserved(context, local, pattern, symbols);
    }

    private static void ReportIfNeverObserved(OperationAnalysisContext context, ILocalSymbol local, IOperation declaration, AsyncSymbols symbols)
    {
        var declaringFunction = declaration.EnclosingFunction();
        foreach (var reference in LocalUsageIndex.References(local, declaration.Root()))
        {
            if (LocalUsageIndex.ClassifyAccess(reference) == LocalAccess.Write)
            {
                continue;
            }

            // A capture hands the task to a lambda or local function: that counts as observing it.
            if (reference.EnclosingFunction() != declaringFunction || AwaitableFlow.Observes(reference, symbols))
            {
                return;
            }
        }

        var data = new ASYNC002Data(CancelOfTheTokenSource(declaration, symbols)?.Syntax.GetLocation());
        context.ReportDiagnostic(Diagnostic.Create(Rule, local.Locations[0], data.AdditionalLocations, data.ToProperties(), local.Name));
    }

    /// <summary>
    /// When the task was started with <c>source.Token</c>, the last statement of the declaration's block, after it,
    /// that cancels <c>source</c>: awaiting the task makes sense only after that.
    /// </summary>
    private static IOperation? CancelOfTheTokenSource(IOperation declaration, AsyncSymbols symbols)
    {
        var statement = declaration.Parent?.Parent;
        if (declaration is not IVariableDeclaratorOperation { Initializer: var initializer } declarator
            || statement?.Parent is not IBlockOperation block
            || (initializer ?? (declarator.Parent as IVariableDeclarationOperation)?.Initializer)?.Value.Unwrap() is not IInvocationOperation start)
        {
            return null;
        }

        var sources = start.Arguments
            .Select(a => a.Value.Unwrap() is IPropertyReferenceOperation { Property.Name: "Token", Instance: { } instance } && symbols.IsCancellationTokenSource(instance.Type) ? instance.ReferencedSymbol() : null)
            .Where(s => s is not null)
            .ToList();
        if (sources.Count == 0)
        {
            return null;
        }

        IOperation? last = null;
        foreach (var later in block.Operations.SkipWhile(o => o != statement).Skip(1))
        {
            if (later.DescendantsAndSelf().Any(o => o is IInvocationOperation call && CancellationFlow.CancelledSource(call, symbols, includeDelayed: false) is { } cancelled
                && sources.Contains(cancelled, SymbolEqualityComparer.Default)))
            {
                last = later;
            }
        }

        return last;
    }

    /// <summary><c>_</c>, <c>__</c> or <c>_1</c>: a local named as a discard says "not observed on purpose".</summary>
    private static bool IsDiscardName(string name)
        => name.Length > 0 && name[0] == '_' && name.Skip(1).All(c => c == '_' || char.IsDigit(c));

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
    private static bool IsStartedWork(IOperation value, AsyncSymbols symbols, AnalyzerOptions options)
        => !TaskCompletion.IsCreatedComplete(value, symbols)
            && value switch
            {
                IObjectCreationOperation => true,
                IInvocationOperation invocation => !AcceptedDrops.IsAccepted(invocation, symbols, options),
                _ => false,
            };
}
