using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncPitfalls.Analyzers;

/// <summary>
/// ASYNC040: a task of a task (<c>Task&lt;Task&gt;</c> from <c>Task.Factory.StartNew(async …)</c>,
/// <c>ContinueWith(async …)</c> or any call) used as if it were the work: awaited with its result dropped, returned or
/// kept as a <c>Task</c>, passed as one, or waited for with <c>WhenAll</c>/<c>WaitAll</c>. The outer task completes
/// when the work has started, at the lambda's first await, so whoever waits for it has not waited for the work, and
/// the work's exception goes nowhere.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ASYNC040TaskOfTaskAnalyzer : DiagnosticAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = RuleFactory.Create(
        DiagnosticIds.TaskOfTask,
        title: "Task of a task is used as the work",
        message: "{0} {1}: {2} waits only for the outer task, which completes as soon as the work has started, and the work's exception is lost",
        DiagnosticCategories.Reliability,
        DiagnosticSeverity.Warning,
        description: "Task.Factory.StartNew and ContinueWith with an async lambda, and any call that returns a task of a task, give an outer task that completes when the inner work has started. Awaiting it, returning or keeping it as a Task, or waiting for it with WhenAll waits for nothing, and the work's exception is never observed.");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            start.RegisterOperationAction(s => s.HasTasks, (c, facts) => AnalyzeAwait(c, facts.Symbols), OperationKind.Await);
            start.RegisterOperationAction(s => s.HasTasks, (c, facts) => AnalyzeConversion(c, facts.Symbols), OperationKind.Conversion);
            start.RegisterOperationAction(s => s.HasTasks, (c, facts) => AnalyzeCombinator(c, facts.Symbols), OperationKind.Invocation);
        });
    }

    /// <summary><c>await outer;</c> (or <c>_ = await outer;</c>): the inner task, the work, is dropped.</summary>
    private static void AnalyzeAwait(OperationAnalysisContext context, AsyncSymbols symbols)
    {
        var awaitOperation = (IAwaitOperation)context.Operation;
        var outer = AwaitableFlow.UnwrapConfigureAwait(awaitOperation.Operation, symbols);
        if (outer is null || symbols.InnerTaskOf(outer.Type) is null || !IsDropped(awaitOperation) || IsCompletionSignal(outer, symbols))
        {
            return;
        }

        Report(context, outer, OuterTaskUse.Awaited, "awaiting it", symbols);
    }

    /// <summary>A task of a task (or a collection of them) converted to <c>Task</c> (or a collection of <c>Task</c>): the inner task's type is gone.</summary>
    private static void AnalyzeConversion(OperationAnalysisContext context, AsyncSymbols symbols)
    {
        var conversion = (IConversionOperation)context.Operation;
        if (!conversion.IsImplicit || conversion.Type is null || conversion.Operand.Type is not { } from
            || !(symbols.InnerTaskOf(from) is not null && IsPlainTask(conversion.Type, symbols)
                || symbols.InnerTaskOf(ElementOf(from)) is not null && IsPlainTask(ElementOf(conversion.Type), symbols))
            || IsCompletionSignal(conversion.Operand, symbols))
        {
            return;
        }

        var destination = conversion.WalkUpConversions();
        // An element of an array: where the array goes (new Task[] { outer } handed to WhenAll).
        if (destination.Parent is IArrayInitializerOperation { Parent: IArrayCreationOperation array })
        {
            destination = array.WalkUpConversions();
        }

        var (use, phrase) = destination.Parent switch
        {
            IReturnOperation => (OuterTaskUse.Returned, "returning it as a Task"),
            ISimpleAssignmentOperation { Value: var value } when value == destination => (OuterTaskUse.Stored, "keeping it as a Task"),
            IVariableInitializerOperation or IFieldInitializerOperation or IPropertyInitializerOperation => (OuterTaskUse.Stored, "keeping it as a Task"),
            IArgumentOperation { Parent: IInvocationOperation invocation } when IsCombinator(invocation.TargetMethod, symbols) => (OuterTaskUse.Combined, $"waiting for it with '{invocation.TargetMethod.Name}'"),
            IArgumentOperation => (OuterTaskUse.Passed, "passing it as a Task"),
            _ => ((OuterTaskUse?)null, ""),
        };
        if (use is { } found)
        {
            Report(context, conversion.Operand, found, phrase, symbols);
        }
    }

    /// <summary>
    /// <c>Task.WhenAll(outers)</c> or <c>WaitAll</c> over tasks of tasks (the generic overloads, where no conversion
    /// happens): the combined task completes when every piece of work has started. Reported when nothing reads the inner
    /// tasks from its result: it is dropped, awaited with its result dropped, or a <c>WaitAll</c>/<c>WaitAny</c>.
    /// </summary>
    private static void AnalyzeCombinator(OperationAnalysisContext context, AsyncSymbols symbols)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (!IsCombinator(invocation.TargetMethod, symbols))
        {
            return;
        }

        var argument = invocation.Arguments.FirstOrDefault(a => a.Value.Type is { } type && symbols.InnerTaskOf(ElementOf(type)) is not null);
        if (argument is null)
        {
            return;
        }

        var resultDropped = invocation.TargetMethod.ReturnsVoid || invocation.TargetMethod.ReturnType.SpecialType == SpecialType.System_Int32
            || invocation.WalkUpConversions().Parent is IExpressionStatementOperation
            || invocation.WalkUpConversions().Parent is IAwaitOperation awaited && IsDropped(awaited)
            || invocation.WalkUpConversions().Parent is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } configure && configure.WalkUpConversions().Parent is IAwaitOperation configured && IsDropped(configured);
        if (!resultDropped)
        {
            return;
        }

        // The elements: a params array's items, or the body of a Select's lambda (where the fix unwraps each).
        var elements = argument.Value.Unwrap() switch
        {
            IArrayCreationOperation { Initializer: { } initializer } => initializer.ElementValues.Select(e => e.Unwrap()!).ToList(),
            IInvocationOperation { TargetMethod.Name: "Select", Arguments: { Length: > 0 } selectArguments } select
                when selectArguments[selectArguments.Length - 1].Value.Unwrap() is IDelegateCreationOperation { Target: IAnonymousFunctionOperation { Body.Operations: { Length: 1 } statements } }
                    && statements[0] is IReturnOperation { ReturnedValue: { } body }
                => new System.Collections.Generic.List<IOperation> { body.Unwrap()! },
            var value => new System.Collections.Generic.List<IOperation> { value! },
        };
        foreach (var element in elements)
        {
            if (symbols.InnerTaskOf(element.Type) is not null && !IsCompletionSignal(element, symbols) || symbols.InnerTaskOf(ElementOf(element.Type)) is not null)
            {
                Report(context, element, OuterTaskUse.Combined, $"waiting for it with '{invocation.TargetMethod.Name}'", symbols);
            }
        }
    }

    private static void Report(OperationAnalysisContext context, IOperation outer, OuterTaskUse use, string phrase, AsyncSymbols symbols)
    {
        var value = outer.Unwrap()!;
        var (subject, location) = value switch
        {
            IInvocationOperation { Syntax: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } } call => ($"'{call.TargetMethod.Name}' returns", access.Name.GetLocation()),
            IInvocationOperation { Syntax: InvocationExpressionSyntax { Expression: var callee } } call => ($"'{call.TargetMethod.Name}' returns", callee.GetLocation()),
            ILocalReferenceOperation local => ($"'{local.Local.Name}' holds", value.Syntax.GetLocation()),
            IParameterReferenceOperation parameter => ($"'{parameter.Parameter.Name}' holds", value.Syntax.GetLocation()),
            IFieldReferenceOperation field => ($"'{field.Field.Name}' holds", value.Syntax.GetLocation()),
            IPropertyReferenceOperation property => ($"'{property.Property.Name}' holds", value.Syntax.GetLocation()),
            _ => ("This expression is", value.Syntax.GetLocation()),
        };

        // Unwrap takes a Task of a Task (or of a Task<T>), not the value-task forms.
        var unwrapAt = value.Type is INamedTypeSymbol { OriginalDefinition: var definition } type && ReferenceEquals(definition, symbols.TaskOfT)
            && symbols.IsTask(symbols.InnerTaskOf(type)) && value.Syntax is ExpressionSyntax
                ? value.Syntax.GetLocation()
                : null;
        var run = RunEquivalenceOf(value, symbols);
        var data = new ASYNC040Data(use, unwrapAt, run, run == RunEquivalence.None ? null : value.Syntax.GetLocation());
        var typeName = value.Type?.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat) ?? "a task of a task";
        context.ReportDiagnostic(Diagnostic.Create(Rule, location, data.AdditionalLocations, data.ToProperties(), subject, typeName, phrase));
    }

    /// <summary>The value of an await that nobody reads: a statement of its own, or a discard.</summary>
    private static bool IsDropped(IAwaitOperation awaitOperation)
        => awaitOperation.WalkUpConversions().Parent switch
        {
            IExpressionStatementOperation => true,
            ISimpleAssignmentOperation { Target: IDiscardOperation } => true,
            _ => false,
        };

    /// <summary>
    /// A task of a task whose inner task is data, not work the call started: what <c>WhenAny</c> returns (the task that
    /// finished first), <c>ContinueWhenAny</c>, and a task whose "task of" comes from a container's type argument
    /// (<c>ChannelReader&lt;Task&gt;.ReadAsync()</c>, <c>TaskCompletionSource&lt;Task&gt;.Task</c>, <c>Lazy&lt;Task&gt;</c>): a
    /// task someone put there, read back. A method's own type argument (<c>StartNew&lt;TResult&gt;</c>,
    /// <c>ContinueWith&lt;TResult&gt;</c>) is the delegate's result: work. A local counts by its initial value.
    /// </summary>
    private static bool IsCompletionSignal(IOperation value, AsyncSymbols symbols)
    {
        var current = value.Unwrap();
        if (current is ILocalReferenceOperation { Local: var local })
        {
            current = VariableValues.InitialValue(local, current.SemanticModel).Unwrap();
        }

        var declared = current switch
        {
            IInvocationOperation { TargetMethod.Name: "WhenAny" or "ContinueWhenAny" } => null,
            IInvocationOperation invocation => invocation.TargetMethod.OriginalDefinition.ReturnType,
            IPropertyReferenceOperation property => property.Property.OriginalDefinition.Type,
            IFieldReferenceOperation field => field.Field.OriginalDefinition.Type,
            _ => symbols.Task,
        };
        return declared is null || declared is INamedTypeSymbol { TypeArguments.Length: 1 } named
            && named.TypeArguments[0] is ITypeParameterSymbol { TypeParameterKind: TypeParameterKind.Type };
    }

    /// <summary><c>Task.WhenAll</c>, <c>WhenAny</c>, <c>WaitAll</c> or <c>WaitAny</c>.</summary>
    private static bool IsCombinator(IMethodSymbol method, AsyncSymbols symbols)
        => method is { IsStatic: true, Name: "WhenAll" or "WhenAny" or "WaitAll" or "WaitAny" } && ReferenceEquals(method.ContainingType.OriginalDefinition, symbols.Task);

    /// <summary>The non-generic <c>Task</c> or <c>ValueTask</c>.</summary>
    private static bool IsPlainTask(ITypeSymbol? type, AsyncSymbols symbols)
        => type is not null && (ReferenceEquals(type.OriginalDefinition, symbols.Task) || ReferenceEquals(type.OriginalDefinition, symbols.ValueTask));

    /// <summary>The element type of an array or of an <c>IEnumerable&lt;T&gt;</c>; null for other types.</summary>
    private static ITypeSymbol? ElementOf(ITypeSymbol? type)
    {
        switch (type)
        {
            case IArrayTypeSymbol array:
                return array.ElementType;
            case INamedTypeSymbol named:
                if (named.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T)
                {
                    return named.TypeArguments[0];
                }

                return named.AllInterfaces.FirstOrDefault(i => i.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T)?.TypeArguments[0];
            default:
                return null;
        }
    }

    /// <summary>
    /// Whether <c>Task.Run</c> can replace the <c>Task.Factory.StartNew</c> that made the value: the same call when it
    /// names <c>TaskScheduler.Default</c> and no creation option beyond <c>DenyChildAttach</c>; a change of scheduler
    /// when it names none (it then runs on <c>TaskScheduler.Current</c>); never with <c>LongRunning</c>, another
    /// scheduler, a state argument, or a factory of its own.
    /// </summary>
    private static RunEquivalence RunEquivalenceOf(IOperation value, AsyncSymbols symbols)
    {
        if (value is not IInvocationOperation { TargetMethod: { Name: "StartNew" } method } invocation
            || invocation.Instance.Unwrap() is not IPropertyReferenceOperation { Property: { Name: "Factory", IsStatic: true } factory }
            || !ReferenceEquals(factory.ContainingType.OriginalDefinition, symbols.Task)
            || method.Parameters.FirstOrDefault()?.Type is not INamedTypeSymbol { TypeKind: TypeKind.Delegate, DelegateInvokeMethod.Parameters.Length: 0 })
        {
            return RunEquivalence.None;
        }

        var scheduler = RunEquivalence.ChangesTheScheduler;
        foreach (var argument in invocation.Arguments.Skip(1))
        {
            switch (argument.Parameter?.Type.Name)
            {
                case "CancellationToken":
                    break;
                case "TaskCreationOptions" when argument.Value.ConstantValue is { HasValue: true, Value: int options } && (options & ~8) == 0:
                    break;
                case "TaskScheduler" when argument.Value.Unwrap() is IPropertyReferenceOperation { Property: { Name: "Default", IsStatic: true } } && !argument.IsImplicit:
                    scheduler = RunEquivalence.Same;
                    break;
                default:
                    return RunEquivalence.None;
            }
        }

        return scheduler;
    }
}
