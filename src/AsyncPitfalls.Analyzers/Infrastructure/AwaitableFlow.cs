using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncPitfalls.Analyzers;

/// <summary>Where an awaitable value goes once it has been produced.</summary>
internal enum AwaitableFate
{
    /// <summary>None of the shapes below; treated as observed (precision first).</summary>
    Other,

    /// <summary>The value is the whole expression of a statement: nothing receives it.</summary>
    Dropped,

    /// <summary><c>_ = value</c>: fire-and-forget said out loud.</summary>
    Discarded,

    Awaited,
    Returned,

    /// <summary>Assigned to a variable, field, property, element, or used to initialise one.</summary>
    Stored,

    /// <summary>Passed as an argument.</summary>
    Passed,

    /// <summary>A method is called on it (<c>ContinueWith</c>, <c>ConfigureAwait</c>, an extension helper).</summary>
    Chained,

    /// <summary>A property or field of it is read.</summary>
    MemberRead,
}

/// <summary>
/// The shared "where does an awaitable value go" analysis: classifies the consumer of a value,
/// looking through parentheses and implicit conversions.
/// </summary>
internal static class AwaitableFlow
{
    public static AwaitableFate Classify(IOperation value)
    {
        var current = value;
        var parent = value.Parent;
        while (parent is IConversionOperation { IsImplicit: true } or IParenthesizedOperation)
        {
            current = parent;
            parent = parent.Parent;
        }

        switch (parent)
        {
            case null:
                return AwaitableFate.Other;
            case IExpressionStatementOperation:
                return AwaitableFate.Dropped;
            case IAwaitOperation:
                return AwaitableFate.Awaited;
            case IReturnOperation:
                return AwaitableFate.Returned;
            case ISimpleAssignmentOperation assignment when assignment.Value == current:
                return assignment.Target is IDiscardOperation ? AwaitableFate.Discarded : AwaitableFate.Stored;
            case IVariableInitializerOperation:
            case IArrayInitializerOperation:
            case ITupleOperation:
                return AwaitableFate.Stored;
            case IArgumentOperation:
                return AwaitableFate.Passed;
            case IInvocationOperation invocation when invocation.Instance == current:
                return AwaitableFate.Chained;
            case IPropertyReferenceOperation or IFieldReferenceOperation:
                return AwaitableFate.MemberRead;
            default:
                return AwaitableFate.Other;
        }
    }

    /// <summary>
    /// For a dropped statement expression, the call whose awaitable is dropped: the invocation itself, or the
    /// invocation at the end of a conditional access (<c>foo?.DoAsync()</c>).
    /// </summary>
    public static IInvocationOperation? DroppedCall(IExpressionStatementOperation statement, out bool conditional)
    {
        conditional = false;
        var expression = statement.Operation;
        while (expression is IConditionalAccessOperation access)
        {
            conditional = true;
            expression = access.WhenNotNull;
        }

        return expression as IInvocationOperation;
    }

    /// <summary>The call the user wrote before a wrapper such as <c>ConfigureAwait</c> or <c>WaitAsync</c>.</summary>
    public static IInvocationOperation UnwrapWrappers(IInvocationOperation invocation)
    {
        var current = invocation;
        while (current.TargetMethod.Name is "ConfigureAwait" or "WaitAsync"
            && Unwrap(current.Instance) is IInvocationOperation inner)
        {
            current = inner;
        }

        return current;
    }

    /// <summary>The task behind <c>task.ConfigureAwait(...)</c> (any number of them), or the operation itself.</summary>
    public static IOperation? UnwrapConfigureAwait(IOperation? operation)
    {
        var current = Unwrap(operation);
        while (current is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } configure)
        {
            current = Unwrap(configure.Instance);
        }

        return current;
    }

    public static IOperation? Unwrap(IOperation? operation)
    {
        while (operation is IConversionOperation { IsImplicit: true } or IParenthesizedOperation)
        {
            operation = operation is IConversionOperation conversion ? conversion.Operand : ((IParenthesizedOperation)operation).Operand;
        }

        return operation;
    }

    private static readonly System.Collections.Generic.HashSet<string> StatusProperties = new(System.StringComparer.Ordinal)
    {
        "IsCompleted", "IsCanceled", "IsFaulted", "IsCompletedSuccessfully", "Status", "Id", "AsyncState", "CreationOptions",
    };

    private static readonly System.Collections.Generic.HashSet<string> IdentityMethods = new(System.StringComparer.Ordinal)
    {
        "ToString", "GetHashCode", "GetType",
    };

    /// <summary>
    /// Whether a read of a stored awaitable observes its completion or exceptions. Reading status properties
    /// (<c>IsCompleted</c>, <c>Status</c>, <c>Id</c>...), <c>ToString()</c>/<c>GetHashCode()</c>, and conversions
    /// to <c>object</c> or <c>string</c> (formatting, logging) do not; every other use does (precision first).
    /// A status read inside <c>Debug.Assert(...)</c> counts as observing: the author asserts completion.
    /// </summary>
    public static bool Observes(IOperation reference)
    {
        var current = reference;
        var parent = reference.Parent;
        while (parent is IParenthesizedOperation or IConversionOperation)
        {
            if (parent is IConversionOperation { Type.SpecialType: SpecialType.System_Object or SpecialType.System_String })
            {
                return false;
            }

            current = parent;
            parent = parent.Parent;
        }

        switch (parent)
        {
            case IInterpolationOperation:
                return false;
            case IBinaryOperation { Type.SpecialType: SpecialType.System_String }:
                return false;
            case IPropertyReferenceOperation property when property.Instance == current:
                return !StatusProperties.Contains(property.Property.Name) || IsInDebugAssert(property);
            case IInvocationOperation invocation when invocation.Instance == current:
                return !IdentityMethods.Contains(invocation.TargetMethod.Name);
            case IArgumentOperation { Parameter.Type.SpecialType: SpecialType.System_Object or SpecialType.System_String }:
                return false;
            default:
                return true;
        }
    }

    private static bool IsInDebugAssert(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IInvocationOperation { TargetMethod: { Name: "Assert", ContainingType: { Name: "Debug" or "Trace" } type } }
                && type.ContainingNamespace?.ToDisplayString() == "System.Diagnostics")
            {
                return true;
            }

            if (current is IBlockOperation or IAnonymousFunctionOperation)
            {
                return false;
            }
        }

        return false;
    }
}
