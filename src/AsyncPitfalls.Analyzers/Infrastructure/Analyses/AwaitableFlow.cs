using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncPitfalls.Analyzers;

/// <summary>
/// The shared "where does an awaitable value go" analysis: the call whose awaitable a statement drops, the call
/// behind wrappers such as <c>ConfigureAwait</c>, and whether a use of a stored awaitable observes it.
/// </summary>
internal static class AwaitableFlow
{
    private static readonly HashSet<string> StatusProperties = new(StringComparer.Ordinal)
    {
        "IsCompleted", "IsCanceled", "IsFaulted", "IsCompletedSuccessfully", "Status", "Id", "AsyncState", "CreationOptions",
    };

    private static readonly HashSet<string> IdentityMethods = new(StringComparer.Ordinal)
    {
        "ToString", "GetHashCode", "GetType",
    };

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

    /// <summary>The call the user wrote before wrappers such as <c>ConfigureAwait</c> or <c>WaitAsync</c>.</summary>
    public static IInvocationOperation UnwrapWrappers(IInvocationOperation invocation, AsyncSymbols symbols)
    {
        var current = invocation;
        while (symbols.IsAwaitWrapper(current.TargetMethod) && current.Receiver().Unwrap() is IInvocationOperation inner)
        {
            current = inner;
        }

        return current;
    }

    /// <summary>The awaitable behind <c>x.ConfigureAwait(...)</c> (any number of them), or the operation itself.</summary>
    public static IOperation? UnwrapConfigureAwait(IOperation? operation, AsyncSymbols symbols)
    {
        var current = operation.Unwrap();
        while (current is IInvocationOperation configure && symbols.IsConfigureAwait(configure.TargetMethod))
        {
            current = configure.Receiver().Unwrap();
        }

        return current;
    }

    /// <summary>
    /// Whether a read of a stored awaitable observes its completion or exceptions. Reading status properties
    /// (<c>IsCompleted</c>, <c>Status</c>, <c>Id</c>...), also through <c>?.</c>, comparing with <c>null</c>,
    /// <c>ToString()</c>/<c>GetHashCode()</c>, and conversions to <c>object</c> or <c>string</c> (formatting, logging)
    /// do not; every other use does.
    /// A status read inside <c>Debug.Assert(...)</c> counts as observing: the author asserts completion.
    /// </summary>
    public static bool Observes(IOperation reference, AsyncSymbols symbols)
    {
        var outer = reference.WalkUpConversions();
        for (var conversion = reference.Parent; conversion is not null && conversion != outer.Parent; conversion = conversion.Parent)
        {
            if (conversion is IConversionOperation { Type.SpecialType: SpecialType.System_Object or SpecialType.System_String })
            {
                return false;
            }
        }

        switch (outer.Parent)
        {
            case IInterpolationOperation:
                return false;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } comparison
                when (comparison.LeftOperand == outer ? comparison.RightOperand : comparison.LeftOperand).Unwrap() is { ConstantValue: { HasValue: true, Value: null } }:
                return false;
            case IIsPatternOperation { Pattern: IConstantPatternOperation or INegatedPatternOperation { Pattern: IConstantPatternOperation } } nullTest when nullTest.Value == outer:
                return false;
            case IConditionalAccessOperation access when access.Operation == outer:
                // _task?.IsCompleted: a status read through a null check.
                return access.WhenNotNull is not IPropertyReferenceOperation { Instance: IConditionalAccessInstanceOperation, Property.Name: var name } || !StatusProperties.Contains(name);
            case IBinaryOperation { Type.SpecialType: SpecialType.System_String }:
                return false;
            case IPropertyReferenceOperation property when property.Instance == outer:
                return !StatusProperties.Contains(property.Property.Name) || IsInAssert(property, symbols);
            case IInvocationOperation invocation when invocation.Instance == outer:
                return !IdentityMethods.Contains(invocation.TargetMethod.Name);
            case IArgumentOperation { Parameter.Type.SpecialType: SpecialType.System_Object or SpecialType.System_String }:
                return false;
            default:
                return true;
        }
    }

    private static bool IsInAssert(IOperation operation, AsyncSymbols symbols)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IInvocationOperation invocation && symbols.IsAssert(invocation.TargetMethod))
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
