using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncPitfalls.Analyzers;

/// <summary>
/// The shared "which cancellation token does this depend on" analysis: resolves token expressions to the
/// symbols they come from (the token variable, its CancellationTokenSource, the tokens a linked source was made
/// from), finds the token an operation or a loop condition depends on, and decides whether a catch clause
/// catches OperationCanceledException.
/// </summary>
internal sealed class CancellationFlow
{
    private readonly KnownTypes _known;

    public CancellationFlow(KnownTypes known)
    {
        _known = known;
    }

    public bool IsAvailable => _known.CancellationToken is not null && _known.OperationCanceledException is not null;

    public bool IsToken(ITypeSymbol? type) => SymbolEqualityComparer.Default.Equals(type, _known.CancellationToken);

    public bool IsTokenSource(ITypeSymbol? type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, _known.CancellationTokenSource))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The symbols a token (or token source) expression stands for: the variable itself, the source whose
    /// <c>.Token</c> it reads, what a local was initialised from, and the tokens a linked source was created from.
    /// </summary>
    public HashSet<ISymbol> Resolve(IOperation? expression)
    {
        var result = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        Resolve(expression, result, depth: 0);
        return result;
    }

    private void Resolve(IOperation? expression, HashSet<ISymbol> result, int depth)
    {
        expression = AwaitableFlow.Unwrap(expression);
        if (expression is null || depth > 4)
        {
            return;
        }

        switch (expression)
        {
            case IPropertyReferenceOperation { Property.Name: "Token" } property when IsTokenSource(property.Instance?.Type):
                Resolve(property.Instance, result, depth + 1);
                return;
            case IInvocationOperation { TargetMethod.Name: "CreateLinkedTokenSource" } linked:
                foreach (var argument in linked.Arguments)
                {
                    if (argument.Value is IArrayCreationOperation { Initializer: { } array })
                    {
                        foreach (var element in array.ElementValues)
                        {
                            Resolve(element, result, depth + 1);
                        }
                    }
                    else
                    {
                        Resolve(argument.Value, result, depth + 1);
                    }
                }

                return;
            case ILocalReferenceOperation local:
                if (result.Add(local.Local))
                {
                    Resolve(InitializerOf(local.Local, expression.SemanticModel), result, depth + 1);
                }

                return;
            case IParameterReferenceOperation parameter:
                result.Add(parameter.Parameter);
                return;
            case IFieldReferenceOperation field:
                result.Add(field.Field);
                return;
            case IPropertyReferenceOperation other:
                result.Add(other.Property);
                return;
        }
    }

    private static IOperation? InitializerOf(ILocalSymbol local, SemanticModel? model)
    {
        if (model is null || local.DeclaringSyntaxReferences.Length != 1)
        {
            return null;
        }

        var syntax = local.DeclaringSyntaxReferences[0].GetSyntax();
        if (syntax is VariableDeclaratorSyntax { Initializer.Value: { } value } && syntax.SyntaxTree == model.SyntaxTree)
        {
            return model.GetOperation(value);
        }

        return null;
    }

    public bool SameToken(HashSet<ISymbol> a, HashSet<ISymbol> b) => a.Overlaps(b);

    /// <summary>The first CancellationToken argument of a call (<c>Task.Delay(100, token)</c>), or null.</summary>
    public IOperation? TokenArgument(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.ArgumentKind != ArgumentKind.DefaultValue && IsToken(argument.Value.Type)
                && AwaitableFlow.Unwrap(argument.Value) is not IDefaultValueOperation
                && !(AwaitableFlow.Unwrap(argument.Value) is IPropertyReferenceOperation { Property.Name: "None", Property.IsStatic: true }))
            {
                return argument.Value;
            }
        }

        return null;
    }

    /// <summary>
    /// For an awaited operation, the call that receives the token: looks through <c>ConfigureAwait</c>, and
    /// through <c>WaitAsync(token)</c> to the token given there.
    /// </summary>
    public (IInvocationOperation Call, IOperation Token)? AwaitedTokenCall(IAwaitOperation awaitOperation)
    {
        var operation = AwaitableFlow.Unwrap(awaitOperation.Operation);
        while (operation is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } configure)
        {
            // ConfigureAwaitOptions.SuppressThrowing (value 2): the await does not throw on cancellation.
            if (configure.Arguments.Length == 1 && configure.Arguments[0].Value.Type?.Name == "ConfigureAwaitOptions"
                && configure.Arguments[0].Value.ConstantValue is { HasValue: true, Value: { } options }
                && (System.Convert.ToInt64(options, System.Globalization.CultureInfo.InvariantCulture) & 2) != 0)
            {
                return null;
            }

            operation = AwaitableFlow.Unwrap(configure.Instance);
        }

        if (operation is IInvocationOperation invocation && TokenArgument(invocation) is { } token)
        {
            return (invocation.TargetMethod.Name == "WaitAsync" && AwaitableFlow.Unwrap(invocation.Instance) is IInvocationOperation inner ? inner : invocation, token);
        }

        return null;
    }

    /// <summary>For <c>T.IsCancellationRequested</c> (on a token or a source), the receiver T.</summary>
    public IOperation? CancellationCheckReceiver(IOperation? operation)
        => AwaitableFlow.Unwrap(operation) is IPropertyReferenceOperation { Property.Name: "IsCancellationRequested", Instance: { } receiver }
            && (IsToken(receiver.Type) || IsTokenSource(receiver.Type))
            ? receiver
            : null;

    /// <summary>For a loop condition that is exactly <c>!T.IsCancellationRequested</c>, the receiver T.</summary>
    public IOperation? NegatedCancellationCheck(IOperation? condition)
        => AwaitableFlow.Unwrap(condition) is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not
            ? CancellationCheckReceiver(not.Operand)
            : null;

    /// <summary>True when the exception type is OperationCanceledException, one of its bases, or derived from it.</summary>
    public bool CatchesCancellationType(ITypeSymbol? exceptionType, bool includeBases)
    {
        if (exceptionType is null || exceptionType.SpecialType == SpecialType.System_Object)
        {
            return includeBases;
        }

        for (var current = _known.OperationCanceledException; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, exceptionType))
            {
                return includeBases || SymbolEqualityComparer.Default.Equals(current, _known.OperationCanceledException);
            }
        }

        for (var current = exceptionType; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, _known.OperationCanceledException))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when the clause receives OperationCanceledException: its type is OperationCanceledException,
    /// TaskCanceledException or a base (Exception, SystemException, a bare catch), and its filter, if any, does not
    /// exclude cancellation.
    /// </summary>
    public bool CatchesCancellation(ICatchClauseOperation clause)
        => CatchesCancellationType(clause.ExceptionType, includeBases: true)
            && (clause.Filter is null || !FilterExcludesCancellation(clause.Filter.Syntax));

    /// <summary>
    /// A filter such as <c>when (ex is not OperationCanceledException)</c> or <c>when (!token.IsCancellationRequested)</c>.
    /// </summary>
    public static bool FilterExcludesCancellation(SyntaxNode filter)
    {
        foreach (var node in filter.DescendantNodesAndSelf())
        {
            switch (node)
            {
                case IsPatternExpressionSyntax { Pattern: UnaryPatternSyntax { Pattern: TypePatternSyntax or DeclarationPatternSyntax or ConstantPatternSyntax } negated }
                    when MentionsCancellationException(negated):
                    return true;
                case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalNotExpression } not
                    when not.Operand.ToString().Contains("IsCancellationRequested") || MentionsCancellationException(not.Operand):
                    return true;
                case BinaryExpressionSyntax { RawKind: (int)SyntaxKind.NotEqualsExpression } notEquals
                    when notEquals.ToString().Contains("CancellationToken"):
                    return true;
            }
        }

        return false;
    }

    public static bool MentionsCancellationException(SyntaxNode node)
        => node.DescendantNodesAndSelf().OfType<SimpleNameSyntax>().Any(n => n.Identifier.ValueText is "OperationCanceledException" or "TaskCanceledException");

    /// <summary>True when <paramref name="node"/> deals with cancellation in words: the exception types, IsCancellationRequested, ThrowIfCancellationRequested.</summary>
    public static bool MentionsCancellation(SyntaxNode node)
        => node.DescendantNodesAndSelf().OfType<SimpleNameSyntax>().Any(n => n.Identifier.ValueText is "OperationCanceledException" or "TaskCanceledException" or "IsCancellationRequested" or "ThrowIfCancellationRequested");

    /// <summary>Operations below <paramref name="root"/> that run in the same function: nested lambdas and local functions are skipped.</summary>
    public static IEnumerable<IOperation> SameFunctionDescendants(IOperation root)
    {
        var stack = new Stack<IOperation>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            if (current != root)
            {
                yield return current;
            }

            foreach (var child in current.ChildOperations.Reverse())
            {
                if (child is not (IAnonymousFunctionOperation or ILocalFunctionOperation))
                {
                    stack.Push(child);
                }
            }
        }
    }
}
