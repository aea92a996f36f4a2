using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncPitfalls.Analyzers;

/// <summary>General questions about the operation tree, with no rule knowledge in them.</summary>
internal static class OperationExtensions
{
    /// <summary>The operation below any parentheses and implicit conversions.</summary>
    public static IOperation? Unwrap(this IOperation? operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation { IsImplicit: true } conversion:
                    operation = conversion.Operand;
                    break;
                case IParenthesizedOperation parenthesized:
                    operation = parenthesized.Operand;
                    break;
                default:
                    return operation;
            }
        }
    }

    /// <summary>
    /// The outermost of the parentheses and conversions (implicit and explicit) around <paramref name="operation"/>:
    /// its parent is the operation that consumes the value.
    /// </summary>
    public static IOperation WalkUpConversions(this IOperation operation)
    {
        var current = operation;
        while (current.Parent is IConversionOperation or IParenthesizedOperation)
        {
            current = current.Parent;
        }

        return current;
    }

    /// <summary>The outermost of the delegate creation, conversions and parentheses around a lambda: its parent receives the delegate.</summary>
    public static IOperation WalkUpDelegateCreation(this IOperation operation)
    {
        var current = operation;
        while (current.Parent is IDelegateCreationOperation or IConversionOperation or IParenthesizedOperation)
        {
            current = current.Parent;
        }

        return current;
    }

    /// <summary>The innermost lambda, anonymous method or local function around <paramref name="operation"/>; null for the member body.</summary>
    public static IOperation? EnclosingFunction(this IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return current;
            }
        }

        return null;
    }

    /// <summary>The outermost operation of the body that <paramref name="operation"/> belongs to.</summary>
    public static IOperation Root(this IOperation operation)
    {
        var current = operation;
        while (current.Parent is not null)
        {
            current = current.Parent;
        }

        return current;
    }

    /// <summary>True when <paramref name="operation"/> is <paramref name="container"/> or below it.</summary>
    public static bool IsWithin(this IOperation operation, IOperation container)
    {
        for (var current = operation; current is not null; current = current.Parent)
        {
            if (current == container)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Operations below <paramref name="root"/> that run in the same function: nested lambdas and local functions are skipped.</summary>
    public static IEnumerable<IOperation> SameFunctionDescendants(this IOperation root)
    {
        var stack = new Stack<IOperation>();
        stack.Push(root);
        var children = new List<IOperation>();
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            if (current != root)
            {
                yield return current;
            }

            children.Clear();
            foreach (var child in current.ChildOperations)
            {
                if (child is not (IAnonymousFunctionOperation or ILocalFunctionOperation))
                {
                    children.Add(child);
                }
            }

            for (var i = children.Count - 1; i >= 0; i--)
            {
                stack.Push(children[i]);
            }
        }
    }

    /// <summary>The receiver of a call: its instance, or the <c>this</c> argument of an extension method.</summary>
    public static IOperation? Receiver(this IInvocationOperation invocation)
        => invocation.Instance ?? (invocation.TargetMethod.IsExtensionMethod && invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : null);

    /// <summary>
    /// How messages name the callee: the delegate for a delegate invocation (<c>op</c> for <c>op(ct)</c>), else the
    /// method (<see cref="SymbolExtensions.DisplayName"/>).
    /// </summary>
    public static string CallName(this IInvocationOperation invocation)
        => invocation.TargetMethod.MethodKind == MethodKind.DelegateInvoke && invocation.Instance is { } target
            ? target.ReferencedSymbol()?.Name ?? target.Syntax.ToString()
            : invocation.TargetMethod.DisplayName();

    /// <summary>True inside <c>nameof(...)</c>, where nothing runs.</summary>
    public static bool IsInNameof(this IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is INameOfOperation)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The local, parameter, field or property a reference names (through parentheses and implicit conversions), or null.</summary>
    public static ISymbol? ReferencedSymbol(this IOperation? operation)
        => operation.Unwrap() switch
        {
            ILocalReferenceOperation local => local.Local,
            IParameterReferenceOperation parameter => parameter.Parameter,
            IFieldReferenceOperation field => field.Field,
            IPropertyReferenceOperation property => property.Property,
            _ => null,
        };

    /// <summary>True when <paramref name="operation"/> names <paramref name="symbol"/>.</summary>
    public static bool Refers(this IOperation? operation, ISymbol symbol)
        => SymbolEqualityComparer.Default.Equals(operation.ReferencedSymbol(), symbol);

    /// <summary>
    /// True for an expression that names the same storage each time it is evaluated in a body: a local, a parameter,
    /// <c>this</c>, a field or a property of one (<c>_source.Task</c>), or an element at a local or constant index.
    /// </summary>
    public static bool IsStableExpression(this IOperation? operation)
        => operation.Unwrap() switch
        {
            ILocalReferenceOperation or IParameterReferenceOperation or IInstanceReferenceOperation => true,
            IFieldReferenceOperation field => field.Instance is null || field.Instance.IsStableExpression(),
            IPropertyReferenceOperation property => (property.Instance is null || property.Instance.IsStableExpression()) && property.Arguments.All(a => IsStableIndex(a.Value)),
            IArrayElementReferenceOperation element => element.ArrayReference.IsStableExpression() && element.Indices.All(IsStableIndex),
            _ => false,
        };

    /// <summary>True when two stable expressions name the same storage (<see cref="IsStableExpression"/>).</summary>
    public static bool IsSameStableExpression(this IOperation? first, IOperation? second)
    {
        var a = first.Unwrap();
        var b = second.Unwrap();
        return (a, b) switch
        {
            (ILocalReferenceOperation x, ILocalReferenceOperation y) => SymbolEqualityComparer.Default.Equals(x.Local, y.Local),
            (IParameterReferenceOperation x, IParameterReferenceOperation y) => SymbolEqualityComparer.Default.Equals(x.Parameter, y.Parameter),
            (IInstanceReferenceOperation, IInstanceReferenceOperation) => true,
            (IFieldReferenceOperation x, IFieldReferenceOperation y) => SymbolEqualityComparer.Default.Equals(x.Field, y.Field)
                && (x.Instance is null && y.Instance is null || x.Instance.IsSameStableExpression(y.Instance)),
            (IPropertyReferenceOperation x, IPropertyReferenceOperation y) => SymbolEqualityComparer.Default.Equals(x.Property, y.Property)
                && (x.Instance is null && y.Instance is null || x.Instance.IsSameStableExpression(y.Instance))
                && x.Arguments.Length == y.Arguments.Length && x.Arguments.Zip(y.Arguments, (p, q) => SameIndex(p.Value, q.Value)).All(same => same),
            (IArrayElementReferenceOperation x, IArrayElementReferenceOperation y) => x.ArrayReference.IsSameStableExpression(y.ArrayReference)
                && x.Indices.Length == y.Indices.Length && x.Indices.Zip(y.Indices, SameIndex).All(same => same),
            _ => false,
        };
    }

    private static bool IsStableIndex(IOperation index)
        => index.ConstantValue.HasValue || index.Unwrap() is ILocalReferenceOperation or IParameterReferenceOperation;

    private static bool SameIndex(IOperation first, IOperation second)
        => first.ConstantValue.HasValue && second.ConstantValue.HasValue ? Equals(first.ConstantValue.Value, second.ConstantValue.Value) : first.IsSameStableExpression(second);

    /// <summary>True when the value is the constant <c>true</c>.</summary>
    public static bool IsTrueLiteral(this IOperation? operation)
        => operation.Unwrap() is ILiteralOperation { ConstantValue: { HasValue: true, Value: true } };
}
