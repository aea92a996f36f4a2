using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncPitfalls.Analyzers;

/// <summary>
/// The shared "is this task already complete" analysis: tasks created complete (<c>Task.FromResult</c>,
/// <c>Task.CompletedTask</c>, a <c>ValueTask</c> built from a value), and tasks known to be complete at a given use
/// because an await on every path before it, or a completion check around it, says so.
/// </summary>
internal static class TaskCompletion
{
    /// <summary>An expression that produces a task that is complete from the start.</summary>
    public static bool IsCreatedComplete(IOperation? operation, AsyncSymbols symbols)
        => operation.Unwrap() switch
        {
            IInvocationOperation { TargetMethod.Name: "FromResult" or "FromException" or "FromCanceled" } invocation => symbols.IsTaskLike(invocation.TargetMethod.ContainingType),
            IPropertyReferenceOperation { Property.Name: "CompletedTask" } property => symbols.IsTaskLike(property.Property.ContainingType),
            IObjectCreationOperation { Arguments.Length: 1 } creation => symbols.IsValueTask(creation.Type) && !symbols.IsTaskLike(creation.Arguments[0].Value.Type),
            _ => false,
        };

    /// <summary>
    /// True when the task is known to be complete at <paramref name="use"/>: it was created complete, a local that
    /// is only ever assigned such tasks, it was awaited (alone or in <c>Task.WhenAll</c>) earlier in a block that
    /// contains the use, or the use is guarded by <c>IsCompleted</c>/<c>IsCompletedSuccessfully</c>.
    /// </summary>
    public static bool IsKnownComplete(IOperation? task, IOperation use, AsyncSymbols symbols)
    {
        var receiver = task.Unwrap();
        if (IsCreatedComplete(receiver, symbols))
        {
            return true;
        }

        var symbol = receiver is ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation ? receiver.ReferencedSymbol() : null;
        if (symbol is null)
        {
            return false;
        }

        if (symbol is ILocalSymbol local && IsOnlyAssignedCompleteTasks(local, use, symbols))
        {
            return true;
        }

        if (IsGuardedByCompletionCheck(symbol, use))
        {
            return true;
        }

        var useFunction = use.EnclosingFunction();
        foreach (var operation in use.Root().Descendants())
        {
            if (operation is not IAwaitOperation awaitOperation || operation.Syntax.SpanStart >= use.Syntax.SpanStart
                || awaitOperation.EnclosingFunction() != useFunction)
            {
                continue;
            }

            var awaited = AwaitableFlow.UnwrapConfigureAwait(awaitOperation.Operation, symbols);
            var covers = awaited.Refers(symbol)
                || awaited is IInvocationOperation { TargetMethod.Name: "WhenAll" } whenAll && symbols.IsTask(whenAll.TargetMethod.ContainingType)
                    && whenAll.Arguments.Any(a => a.Value.DescendantsAndSelf().Any(d => d.Refers(symbol)));
            if (covers && DominatesBySyntax(awaitOperation.Syntax, use.Syntax))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The statement holding the await is a plain statement of a block that also holds the use: no condition, loop or try can skip it.</summary>
    private static bool DominatesBySyntax(SyntaxNode awaitSyntax, SyntaxNode useSyntax)
    {
        var statement = awaitSyntax.FirstAncestorOrSelf<StatementSyntax>();
        return statement is ExpressionStatementSyntax or LocalDeclarationStatementSyntax
            && statement.Parent is BlockSyntax block
            && block.Span.Contains(useSyntax.Span);
    }

    private static bool IsOnlyAssignedCompleteTasks(ILocalSymbol local, IOperation use, AsyncSymbols symbols)
    {
        var any = false;
        foreach (var operation in use.Root().Descendants())
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local):
                    var initializer = declarator.Initializer ?? (declarator.Parent as IVariableDeclarationOperation)?.Initializer;
                    if (initializer is null || !IsCreatedComplete(initializer.Value, symbols))
                    {
                        return false;
                    }

                    any = true;
                    break;
                case ILocalReferenceOperation reference when SymbolEqualityComparer.Default.Equals(reference.Local, local):
                    var access = LocalUsageIndex.ClassifyAccess(reference);
                    if (access == LocalAccess.ReadWrite
                        || access == LocalAccess.Write && (reference.Parent is not ISimpleAssignmentOperation assignment || !IsCreatedComplete(assignment.Value, symbols)))
                    {
                        return false;
                    }

                    break;
            }
        }

        return any;
    }

    /// <summary>Inside <c>if (t.IsCompleted)</c>, <c>if (t.IsCompletedSuccessfully)</c>, or the true branch of a conditional on them.</summary>
    private static bool IsGuardedByCompletionCheck(ISymbol symbol, IOperation use)
    {
        for (var current = use; current.Parent is { } parent; current = parent)
        {
            if (parent is IConditionalOperation conditional && conditional.WhenTrue == current && ChecksCompletion(conditional.Condition, symbol)
                || parent is IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } and && and.RightOperand == current && ChecksCompletion(and.LeftOperand, symbol))
            {
                return true;
            }

            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return false;
            }
        }

        return false;
    }

    private static bool ChecksCompletion(IOperation condition, ISymbol symbol)
        => condition.DescendantsAndSelf().Any(o => o is IPropertyReferenceOperation { Property.Name: "IsCompleted" or "IsCompletedSuccessfully" } p && p.Instance.Refers(symbol));
}
