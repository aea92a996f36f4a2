using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncPitfalls.Analyzers;

/// <summary>
/// The shared "is this task already complete" analysis: tasks created complete (<c>Task.FromResult</c>,
/// <c>Task.CompletedTask</c>, a <c>ValueTask</c> built from a value), and tasks known to be complete at a given use
/// because an await before it on every path, a completion check around it, or the API that produced it says so.
/// Tasks are compared as stable expressions (<see cref="OperationExtensions.IsSameStableExpression"/>): a local,
/// a parameter, a field, or a chain of fields and properties on them (<c>_source.Task</c>).
/// </summary>
internal static class TaskCompletion
{
    /// <summary>An expression that produces a task that is complete from the start.</summary>
    public static bool IsCreatedComplete(IOperation? operation, AsyncSymbols symbols)
        => operation.Unwrap() switch
        {
            // The framework's, and a helper of the same name that returns a task (ValueTaskExtensions.FromException).
            IInvocationOperation { TargetMethod.Name: "FromResult" or "FromException" or "FromCanceled" } invocation
                => symbols.IsTaskLike(invocation.TargetMethod.ContainingType) || symbols.IsTaskLike(invocation.TargetMethod.ReturnType),
            IPropertyReferenceOperation { Property.Name: "CompletedTask" } property => symbols.IsTaskLike(property.Property.ContainingType),
            IObjectCreationOperation { Arguments.Length: 1 } creation => symbols.IsValueTask(creation.Type) && !symbols.IsTaskLike(creation.Arguments[0].Value.Type),
            _ => false,
        };

    /// <summary>An expression whose value is a complete task: one created complete, or the task an awaited <c>WhenAny</c> returns.</summary>
    private static bool ProducesCompleteTask(IOperation? operation, AsyncSymbols symbols)
        => IsCreatedComplete(operation, symbols)
            || operation.Unwrap() is IAwaitOperation awaitOperation && IsTaskCombinator(AwaitableFlow.UnwrapConfigureAwait(awaitOperation.Operation, symbols), "WhenAny", symbols);

    /// <summary>
    /// True when the task is known to be complete at <paramref name="use"/>: it was created complete; it is a local
    /// only ever assigned complete tasks; the use is guarded by a completion check (<c>IsCompleted</c>,
    /// <c>IsCompletedSuccessfully</c>, <c>IsFaulted</c>, <c>IsCanceled</c>, <c>Status</c>), including the fast path
    /// after <c>if (!t.IsCompleted)</c>; the use is the antecedent inside its own <c>ContinueWith</c> continuation; or
    /// the task, or the collection it came from, was awaited (alone, in a <c>try</c>, or in <c>Task.WhenAll</c>) earlier
    /// in a block that contains the use.
    /// </summary>
    public static bool IsKnownComplete(IOperation? task, IOperation use, AsyncSymbols symbols) => IsKnownComplete(task, use, symbols, depth: 0);

    private static bool IsKnownComplete(IOperation? task, IOperation use, AsyncSymbols symbols, int depth)
    {
        var receiver = task.Unwrap();
        if (receiver is null || depth > 2)
        {
            return false;
        }

        if (ProducesCompleteTask(receiver, symbols)
            || receiver is ILocalReferenceOperation local && IsOnlyAssignedCompleteTasks(local.Local, use, symbols, depth)
            || IsAntecedentInItsContinuation(receiver, use, symbols))
        {
            return true;
        }

        // `if (task is Task<string> typed)`: typed is task, under another name.
        if (receiver is ILocalReferenceOperation alias && PatternInputOf(alias.Local, use) is { } original && IsKnownComplete(original, use, symbols, depth + 1))
        {
            return true;
        }

        // An element of a collection that an awaited Task.WhenAll covers: tasks[i], tasks[i - 1], a foreach variable, a
        // lambda parameter. The element's own index need not be stable; the collection must be.
        var collection = SourceCollection(receiver);
        var stable = receiver.IsStableExpression();
        if (!stable && !(collection is { Collection: { } source } && source.IsStableExpression()))
        {
            return false;
        }

        if (stable && IsGuarded(receiver, use, symbols))
        {
            return true;
        }
        var anchor = collection is { Anchor: { } lambdaCall } ? lambdaCall : use;
        var useFunction = anchor.EnclosingFunction();
        // A local that was added to a list (tasks.Add(t)) is covered by a WhenAll over that list (tasks, tasks.ToArray()).
        ImmutableArray<IOperation>? lists = null;
        foreach (var operation in anchor.Root().Descendants())
        {
            // An awaited task or WhenAll; or a WaitAll (Task's, or a library's) given the tasks, which blocks until they
            // finish: that call is the blocking one, and a read of a result after it says nothing new.
            var waited = operation switch
            {
                IAwaitOperation awaitOperation => AwaitableFlow.UnwrapConfigureAwait(awaitOperation.Operation, symbols),
                IInvocationOperation { TargetMethod.Name: "WaitAll" } waitAll when waitAll.WalkUpConversions().Parent is IExpressionStatementOperation => waitAll,
                _ => null,
            };
            if (waited is null || operation.Syntax.SpanStart >= anchor.Syntax.SpanStart || operation.EnclosingFunction() != useFunction)
            {
                continue;
            }

            var covers = waited.IsSameStableExpression(receiver)
                || (waited is IInvocationOperation { TargetMethod.Name: "WaitAll" } || IsTaskCombinator(waited, "WhenAll", symbols)) && ((IInvocationOperation)waited).Arguments.Any(a =>
                    a.Value.DescendantsAndSelf().Any(d => d.IsSameStableExpression(receiver)
                        || collection is { Collection: { } c } && IsCollectionOrItsValues(d, c)
                        || (lists ??= ListsHolding(receiver, anchor)).Any(list => d.IsSameStableExpression(list))));
            if (covers && Paths.Around(anchor) is { } paths && paths.Dominates(operation.Syntax, anchor.Syntax))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The lists a task was added to before <paramref name="use"/> (<c>tasks.Add(t)</c>), as stable expressions.</summary>
    private static ImmutableArray<IOperation> ListsHolding(IOperation task, IOperation use)
    {
        var lists = ImmutableArray<IOperation>.Empty;
        foreach (var operation in use.Root().Descendants())
        {
            if (operation is IInvocationOperation { TargetMethod.Name: "Add", Arguments.Length: 1 } add
                && operation.Syntax.SpanStart < use.Syntax.SpanStart
                && add.Arguments[0].Value.IsSameStableExpression(task)
                && add.Instance.Unwrap() is { } list && list.IsStableExpression())
            {
                lists = lists.Add(list);
            }
        }

        return lists;
    }

    /// <summary>The input of the declaration pattern that declares <paramref name="local"/> around <paramref name="use"/> (<c>if (x is T local)</c>).</summary>
    private static IOperation? PatternInputOf(ILocalSymbol local, IOperation use)
    {
        for (var current = use; current.Parent is { } parent; current = parent)
        {
            if (parent is IConditionalOperation conditional && conditional.WhenTrue == current)
            {
                foreach (var isPattern in conditional.Condition.DescendantsAndSelf().OfType<IIsPatternOperation>())
                {
                    if (isPattern.Pattern is IDeclarationPatternOperation { DeclaredSymbol: { } declared } && SymbolEqualityComparer.Default.Equals(declared, local))
                    {
                        return isPattern.Value;
                    }
                }
            }

            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>
    /// True when the use can only be reached, on the function's control-flow graph, through branches that say the task
    /// is complete (closing those ways leaves it unreachable): the true way of a completion check (<c>if (t.IsCompleted)</c>, <c>t.IsFaulted ? … : …</c>,
    /// <c>t.IsCompletedSuccessfully &amp;&amp; t.Result</c>), the false way of a negated one, including past
    /// <c>if (!t.IsCompleted) { …; return; }</c>; or that say the task won an awaited <c>WhenAny</c> (<c>done == a</c>, or
    /// past <c>if (done != a) continue;</c>).
    /// </summary>
    private static bool IsGuarded(IOperation task, IOperation use, AsyncSymbols symbols)
        => Paths.Around(use) is { } paths
            && paths.IsUnreachableWithout(use.Syntax, branch => ChecksCompletion(branch, task, negated: false) ? true
                : ChecksCompletion(branch, task, negated: true) ? false
                : WinnerTest(branch, task, symbols, use.SemanticModel));

    /// <summary>
    /// For a comparison of an awaited <c>WhenAny</c> result with a task: true when it holds exactly if
    /// <paramref name="task"/> won, false when it holds exactly if <paramref name="task"/> lost, null otherwise.
    /// </summary>
    private static bool? WinnerTest(IOperation condition, IOperation task, AsyncSymbols symbols, SemanticModel? model)
    {
        if (condition.Unwrap() is not IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } comparison)
        {
            return null;
        }

        var (winner, other) = WhenAnyResult(comparison.LeftOperand, symbols, model) is { } left ? (left, comparison.RightOperand)
            : WhenAnyResult(comparison.RightOperand, symbols, model) is { } right ? (right, comparison.LeftOperand)
            : (null, null);
        if (winner is null || other is null)
        {
            return null;
        }

        var equals = comparison.OperatorKind == BinaryOperatorKind.Equals;
        if (other.IsSameStableExpression(task))
        {
            return equals;
        }

        // Two contenders: if the other one won, this one did not, and the other way round.
        var contenders = winner.Arguments.Length == 1 && winner.Arguments[0].Value.Unwrap() is IArrayCreationOperation { Initializer: { } array }
            ? array.ElementValues
            : winner.Arguments.Select(a => a.Value).ToImmutableArray();
        return contenders.Length == 2 && contenders.Any(c => c.IsSameStableExpression(task)) && contenders.Any(c => c.IsSameStableExpression(other)) ? !equals : null;
    }

    /// <summary>The <c>WhenAny</c> call whose awaited result <paramref name="operation"/> is: the await itself, or a local initialised from it.</summary>
    private static IInvocationOperation? WhenAnyResult(IOperation operation, AsyncSymbols symbols, SemanticModel? model)
    {
        // The graph's copies of operations have no semantic model: the use's model binds the local's declaration.
        var value = operation.Unwrap();
        if (value is ILocalReferenceOperation local)
        {
            value = VariableValues.InitialValue(local.Local, value.SemanticModel ?? model).Unwrap();
        }

        return value is IAwaitOperation awaitOperation && AwaitableFlow.UnwrapConfigureAwait(awaitOperation.Operation, symbols) is IInvocationOperation whenAny
            && IsTaskCombinator(whenAny, "WhenAny", symbols)
            ? whenAny
            : null;
    }

    /// <summary>The collection itself, or <c>collection.Values</c> of a dictionary.</summary>
    private static bool IsCollectionOrItsValues(IOperation operation, IOperation collection)
        => operation.IsSameStableExpression(collection)
            || operation.Unwrap() is IPropertyReferenceOperation { Property.Name: "Values", Instance: { } owner } && owner.IsSameStableExpression(collection);

    private static bool IsTaskCombinator(IOperation? operation, string name, AsyncSymbols symbols)
        => operation is IInvocationOperation invocation && invocation.TargetMethod.Name == name && symbols.IsTask(invocation.TargetMethod.ContainingType);

    /// <summary>
    /// The collection an element task comes from: <c>tasks</c> for <c>tasks[i]</c>, for a <c>foreach</c> variable over
    /// <c>tasks</c>, or for the parameter of a lambda given to a call on <c>tasks</c> (<c>tasks.Select(t => t.Result)</c>,
    /// whose call is the anchor at which the collection must already be complete).
    /// </summary>
    private static (IOperation? Collection, IOperation? Anchor)? SourceCollection(IOperation receiver)
    {
        switch (receiver)
        {
            case IArrayElementReferenceOperation element:
                return (element.ArrayReference, null);
            case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } instance }:
                return (instance, null);
            case IPropertyReferenceOperation { Property.Name: "Value", Instance: ILocalReferenceOperation pair }
                when ForEachCollectionOf(pair, receiver) is { } dictionary:
                // foreach (var pair in rates) { pair.Value.Result } after await Task.WhenAll(rates.Values)
                return (dictionary, null);
            case ILocalReferenceOperation local:
                return ForEachCollectionOf(local, receiver) is { } collection ? (collection, null) : null;
            case IParameterReferenceOperation parameter:
                for (var current = receiver.Parent; current is not null; current = current.Parent)
                {
                    if (current is IAnonymousFunctionOperation lambda && SymbolEqualityComparer.Default.Equals(parameter.Parameter.ContainingSymbol, lambda.Symbol))
                    {
                        return lambda.WalkUpDelegateCreation().Parent is IArgumentOperation { Parent: IInvocationOperation call }
                            ? (call.Receiver().Unwrap(), call)
                            : null;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    /// <summary>The collection of the <c>foreach</c> whose variable <paramref name="local"/> is, looking up from <paramref name="use"/>.</summary>
    private static IOperation? ForEachCollectionOf(ILocalReferenceOperation local, IOperation use)
    {
        for (var current = use.Parent; current is not null; current = current.Parent)
        {
            if (current is IForEachLoopOperation forEach && forEach.Locals.Contains(local.Local, SymbolEqualityComparer.Default))
            {
                return forEach.Collection.Unwrap();
            }
        }

        return null;
    }

    /// <summary>
    /// Inside <c>x.ContinueWith(t => ...)</c>, the continuation's first parameter, and <c>x</c> itself, are complete.
    /// </summary>
    private static bool IsAntecedentInItsContinuation(IOperation receiver, IOperation use, AsyncSymbols symbols)
    {
        for (var function = use.EnclosingFunction(); function is IAnonymousFunctionOperation lambda; function = lambda.EnclosingFunction())
        {
            if (lambda.WalkUpDelegateCreation().Parent is IArgumentOperation { Parent: IInvocationOperation { TargetMethod.Name: "ContinueWith" } continueWith }
                && symbols.IsTask(continueWith.TargetMethod.ContainingType)
                && (receiver is IParameterReferenceOperation { Parameter.Ordinal: 0 } parameter && SymbolEqualityComparer.Default.Equals(parameter.Parameter.ContainingSymbol, lambda.Symbol)
                    || receiver.IsSameStableExpression(continueWith.Instance.Unwrap())))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A local whose every value is a complete task, or null: its initializer and assignments produce complete
    /// tasks (<c>FromResult</c>, an awaited <c>WhenAny</c> result), or tasks known to be complete where they are
    /// assigned (<c>if (t.IsCompletedSuccessfully) { success = t; }</c>).
    /// </summary>
    private static bool IsOnlyAssignedCompleteTasks(ILocalSymbol local, IOperation use, AsyncSymbols symbols, int depth)
    {
        var any = false;
        foreach (var value in VariableValues.Of(local, use.SemanticModel))
        {
            if (value.Unwrap() is { ConstantValue: { HasValue: true, Value: null } } or IDefaultValueOperation)
            {
                continue;
            }

            if (!ProducesCompleteTask(value, symbols) && !IsKnownComplete(value, value, symbols, depth + 1))
            {
                return false;
            }

            any = true;
        }

        return any;
    }

    /// <summary>
    /// True when <paramref name="condition"/> is (or, for <paramref name="negated"/>, is the negation of) a test that
    /// the task has completed: a completion property, or <c>Status ==</c> a final status.
    /// </summary>
    private static bool ChecksCompletion(IOperation condition, IOperation task, bool negated)
    {
        condition = condition.Unwrap()!;
        if (negated)
        {
            return condition is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not && ChecksCompletion(not.Operand, task, negated: false)
                || condition is IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } disjunction && (ChecksCompletion(disjunction.LeftOperand, task, true) || ChecksCompletion(disjunction.RightOperand, task, true));
        }

        return condition switch
        {
            IPropertyReferenceOperation { Property.Name: "IsCompleted" or "IsCompletedSuccessfully" or "IsFaulted" or "IsCanceled" } property => property.Instance.IsSameStableExpression(task),
            IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals } status => IsFinalStatusTest(status.LeftOperand, status.RightOperand, task) || IsFinalStatusTest(status.RightOperand, status.LeftOperand, task),
            IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } conjunction => ChecksCompletion(conjunction.LeftOperand, task, false) || ChecksCompletion(conjunction.RightOperand, task, false),
            // task.Wait(timeout) answered true: the task finished within the time.
            IInvocationOperation { TargetMethod: { Name: "Wait", ReturnType.SpecialType: SpecialType.System_Boolean }, Arguments.Length: > 0 } wait => wait.Instance.IsSameStableExpression(task),
            _ => false,
        };
    }

    private static bool IsFinalStatusTest(IOperation statusRead, IOperation value, IOperation task)
        => statusRead.Unwrap() is IPropertyReferenceOperation { Property.Name: "Status" } status
            && status.Instance.IsSameStableExpression(task)
            && value.Unwrap() is IFieldReferenceOperation { Field: { Name: "RanToCompletion" or "Faulted" or "Canceled", ContainingType.TypeKind: TypeKind.Enum } };
}
