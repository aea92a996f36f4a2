using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncPitfalls.Analyzers;

/// <summary>
/// The shared "who reads a local" analysis: the references to a local inside the function that declares it
/// (nested lambdas and local functions included), split into reads and plain writes.
/// </summary>
internal static class LocalReads
{
    /// <summary>The outermost operation of the body that <paramref name="operation"/> belongs to.</summary>
    public static IOperation Root(IOperation operation)
    {
        var current = operation;
        while (current.Parent is not null)
        {
            current = current.Parent;
        }

        return current;
    }

    /// <summary>Every reference to <paramref name="local"/> below <paramref name="scope"/>, in source order.</summary>
    public static List<ILocalReferenceOperation> References(ILocalSymbol local, IOperation scope)
    {
        var result = new List<ILocalReferenceOperation>();
        foreach (var operation in scope.Descendants())
        {
            if (operation is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local))
            {
                result.Add(reference);
            }
        }

        return result;
    }

    /// <summary>True when the reference only stores a new value into the local (<c>x = ...</c>), without reading it.</summary>
    public static bool IsPlainWrite(ILocalReferenceOperation reference)
        => reference.Parent is ISimpleAssignmentOperation assignment && assignment.Target == reference
            || reference.Parent is IDeconstructionAssignmentOperation
            || reference.Parent is ITupleOperation { Parent: IDeconstructionAssignmentOperation } tuple && tuple.Parent is IDeconstructionAssignmentOperation d && d.Target == tuple;

    /// <summary>True when the reference is inside a lambda or local function other than <paramref name="declaringFunction"/>.</summary>
    public static bool IsCaptured(IOperation reference, IOperation? declaringFunction)
    {
        for (var current = reference.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return current != declaringFunction;
            }
        }

        return declaringFunction is not null;
    }

    /// <summary>The innermost lambda or local function around <paramref name="operation"/>, or null for the member body.</summary>
    public static IOperation? EnclosingFunction(IOperation operation)
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
}
