using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncPitfalls.Analyzers;

/// <summary>
/// The shared "which cancellation token does this depend on" analysis: resolves token expressions to the
/// symbols they come from (the token variable, its CancellationTokenSource, the tokens a linked source was made
/// from), finds the token an operation depends on, and decides whether a catch clause receives
/// OperationCanceledException.
/// </summary>
internal static class CancellationFlow
{
    /// <summary>Per compilation, per method of it: the token its body depends on that does not come from its parameters (<see cref="TokenThroughCall"/>).</summary>
    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<IMethodSymbol, IOperation?>> ThroughCalls = new();

    /// <summary>Per compilation, per type: whether it holds a token or a token source in a field or property.</summary>
    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<INamedTypeSymbol, bool>> TokenHolders = new();

    /// <summary>
    /// The symbols a token (or token source) expression stands for: the variable itself, the source whose
    /// <c>.Token</c> it reads, what a local was initialised from, and the tokens a linked source was created from.
    /// Two expressions depend on the same token when their sets overlap.
    /// </summary>
    public static HashSet<ISymbol> Resolve(IOperation? expression, AsyncSymbols symbols)
    {
        var result = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        Resolve(expression, symbols, result, depth: 0);
        return result;
    }

    private static void Resolve(IOperation? expression, AsyncSymbols symbols, HashSet<ISymbol> result, int depth)
    {
        expression = expression.Unwrap();
        if (expression is null || depth > 4)
        {
            return;
        }

        switch (expression)
        {
            case IPropertyReferenceOperation { Property.Name: "Token" } property when symbols.IsCancellationTokenSource(property.Instance?.Type):
                Resolve(property.Instance, symbols, result, depth + 1);
                return;
            case IInvocationOperation { TargetMethod.Name: "CreateLinkedTokenSource" } linked when symbols.IsCancellationTokenSource(linked.TargetMethod.ContainingType):
                foreach (var argument in linked.Arguments)
                {
                    if (argument.Value is IArrayCreationOperation { Initializer: { } array })
                    {
                        foreach (var element in array.ElementValues)
                        {
                            Resolve(element, symbols, result, depth + 1);
                        }
                    }
                    else
                    {
                        Resolve(argument.Value, symbols, result, depth + 1);
                    }
                }

                return;
            case ILocalReferenceOperation local:
                if (result.Add(local.Local))
                {
                    Resolve(VariableValues.InitialValue(local.Local, expression.SemanticModel), symbols, result, depth + 1);
                }

                return;
            case IParameterReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation:
                result.Add(expression.ReferencedSymbol()!);
                return;
        }
    }

    /// <summary>
    /// The token source a call cancels: <c>source.Cancel()</c>, <c>source.CancelAsync()</c>, also through <c>?.</c>,
    /// and with <paramref name="includeDelayed"/> <c>source.CancelAfter(...)</c>. Null for any other call, or when the
    /// source is not a variable, field or property.
    /// </summary>
    public static ISymbol? CancelledSource(IInvocationOperation invocation, AsyncSymbols symbols, bool includeDelayed)
    {
        var name = invocation.TargetMethod.Name;
        if (!(name is "Cancel" or "CancelAsync" || includeDelayed && name == "CancelAfter") || !symbols.IsCancellationTokenSource(invocation.TargetMethod.ContainingType))
        {
            return null;
        }

        var receiver = invocation.Instance.Unwrap();
        if (receiver is IConditionalAccessInstanceOperation)
        {
            for (var current = invocation.Parent; current is not null; current = current.Parent)
            {
                if (current is IConditionalAccessOperation access)
                {
                    receiver = access.Operation.Unwrap();
                    break;
                }
            }
        }

        return receiver.ReferencedSymbol();
    }

    /// <summary>The first CancellationToken argument of a call (<c>Task.Delay(100, token)</c>), or null.</summary>
    public static IOperation? TokenArgument(IInvocationOperation invocation, AsyncSymbols symbols)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.ArgumentKind != ArgumentKind.DefaultValue && symbols.IsCancellationToken(argument.Value.Type)
                && argument.Value.Unwrap() is not (IDefaultValueOperation or IPropertyReferenceOperation { Property: { Name: "None", IsStatic: true } }))
            {
                return argument.Value;
            }
        }

        return null;
    }

    /// <summary>
    /// For an awaited operation, the call that receives the token: looks through <c>ConfigureAwait</c>, and
    /// through <c>WaitAsync(token)</c> to the token given there. Null when the await does not throw on
    /// cancellation (<c>ConfigureAwaitOptions.SuppressThrowing</c>) or no token is passed.
    /// With <paramref name="throughCalls"/> false, only a token passed at the call counts (a caller whose tokens are all
    /// parameters or locals cannot share one with a callee that takes none).
    /// </summary>
    public static (IInvocationOperation Call, IOperation Token)? AwaitedTokenCall(IAwaitOperation awaitOperation, AsyncSymbols symbols, bool throughCalls = true)
    {
        var operation = awaitOperation.Operation.Unwrap();
        while (operation is IInvocationOperation configure && symbols.IsConfigureAwait(configure.TargetMethod))
        {
            if (SuppressesThrowing(configure, symbols))
            {
                return null;
            }

            operation = configure.Receiver().Unwrap();
        }

        if (operation is IInvocationOperation invocation && (TokenArgument(invocation, symbols) ?? (throughCalls ? TokenThroughCall(invocation, symbols) : null)) is { } token)
        {
            return (invocation.TargetMethod.Name == "WaitAsync" && invocation.Receiver().Unwrap() is IInvocationOperation inner ? inner : invocation, token);
        }

        return null;
    }

    /// <summary>
    /// For a call that passes no token, to a method of this compilation: the token that method's body gives a
    /// cancellable operation (a call that takes a token, <c>ThrowIfCancellationRequested</c>) when that token does not
    /// come from its parameters (a field, a property: <c>_cts.Token</c>), followed two calls deep through methods of types that
    /// hold a token or a token source in a field or property (no other body is bound). The caller's loop can
    /// then be cancelled through the call as surely as through <c>Task.Delay(…, token)</c>. Read once per method.
    /// </summary>
    public static IOperation? TokenThroughCall(IInvocationOperation invocation, AsyncSymbols symbols)
        => invocation.SemanticModel?.Compilation is { } compilation ? TokenInBody(invocation.TargetMethod, symbols, compilation, depth: 0) : null;

    private static IOperation? TokenInBody(IMethodSymbol method, AsyncSymbols symbols, Compilation compilation, int depth)
    {
        if (depth > 1 || method.MethodKind is not (MethodKind.Ordinary or MethodKind.LocalFunction) || method.IsAbstract || method.IsVirtual || method.IsExtern
            || method.DeclaringSyntaxReferences.Length != 1 || !SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, compilation.Assembly))
        {
            return null;
        }

        // A token that does not come from the parameters lives in a field or property of the callee's type: without one,
        // the body is not bound (binding another member is the expensive part).
        if (!HasTokenMember(method.ContainingType, symbols, compilation))
        {
            return null;
        }

        var cache = ThroughCalls.GetValue(compilation, _ => new ConcurrentDictionary<IMethodSymbol, IOperation?>(SymbolEqualityComparer.Default));
        return cache.GetOrAdd(method.OriginalDefinition, m =>
        {
            var syntax = m.DeclaringSyntaxReferences[0].GetSyntax();
            if (syntax is not (BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax))
            {
                return null;
            }

#pragma warning disable RS1030 // The driver caches one semantic model per tree: reading the callee costs one binding of it.
            var body = compilation.GetSemanticModel(syntax.SyntaxTree).GetOperation(syntax);
#pragma warning restore RS1030
            foreach (var call in body?.Descendants().OfType<IInvocationOperation>() ?? Enumerable.Empty<IInvocationOperation>())
            {
                var token = IsThrowIfCancellationRequested(call) && symbols.IsCancellationToken(call.Instance?.Type) ? call.Instance : TokenArgument(call, symbols);
                if (token is not null)
                {
                    return Resolve(token, symbols).Any(s => s is not IParameterSymbol) ? token : null;
                }

                if (TokenInBody(call.TargetMethod, symbols, compilation, depth + 1) is { } deeper)
                {
                    return deeper;
                }
            }

            return null;
        });
    }

    /// <summary>Whether <paramref name="type"/> or a base declares a field or property of a token or token-source type (cached per compilation).</summary>
    private static bool HasTokenMember(INamedTypeSymbol? type, AsyncSymbols symbols, Compilation compilation)
    {
        if (type is null)
        {
            return false;
        }

        var cache = TokenHolders.GetValue(compilation, _ => new ConcurrentDictionary<INamedTypeSymbol, bool>(SymbolEqualityComparer.Default));
        return cache.GetOrAdd(type.OriginalDefinition, t =>
        {
            for (var current = t; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
            {
                foreach (var member in current.GetMembers())
                {
                    var memberType = member switch
                    {
                        IFieldSymbol field => field.Type,
                        IPropertySymbol property => property.Type,
                        _ => null,
                    };
                    if (memberType is not null && (symbols.IsCancellationToken(memberType) || symbols.IsCancellationTokenSource(memberType)))
                    {
                        return true;
                    }
                }
            }

            return false;
        });
    }

    /// <summary><c>ConfigureAwait(options)</c> with a constant that includes <c>ConfigureAwaitOptions.SuppressThrowing</c>.</summary>
    private static bool SuppressesThrowing(IInvocationOperation configure, AsyncSymbols symbols)
        => symbols.SuppressThrowing is { } flag
            && configure.Arguments.Length == 1
            && SymbolEqualityComparer.Default.Equals(configure.Arguments[0].Value.Type, symbols.ConfigureAwaitOptions)
            && configure.Arguments[0].Value.ConstantValue is { HasValue: true, Value: { } value }
            && (System.Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) & flag) != 0;

    /// <summary>For <c>T.IsCancellationRequested</c> (on a token or a source), the receiver T.</summary>
    public static IOperation? CancellationCheckReceiver(IOperation? operation, AsyncSymbols symbols)
        => operation.Unwrap() is IPropertyReferenceOperation { Property.Name: "IsCancellationRequested", Instance: { } receiver }
            && (symbols.IsCancellationToken(receiver.Type) || symbols.IsCancellationTokenSource(receiver.Type))
            ? receiver
            : null;

    /// <summary>For a loop condition that is exactly <c>!T.IsCancellationRequested</c>, the receiver T.</summary>
    public static IOperation? NegatedCancellationCheck(IOperation? condition, AsyncSymbols symbols)
        => condition.Unwrap() is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not
            ? CancellationCheckReceiver(not.Operand, symbols)
            : null;

    /// <summary>
    /// A call of <c>ThrowIfCancellationRequested()</c>: the token's own method, or a helper of the same name, which
    /// states the same intent to throw on cancellation.
    /// </summary>
    public static bool IsThrowIfCancellationRequested(IOperation operation)
        => operation is IInvocationOperation { TargetMethod.Name: "ThrowIfCancellationRequested" };

    /// <summary>
    /// True when the clause receives OperationCanceledException: its type is OperationCanceledException,
    /// TaskCanceledException or a base (Exception, SystemException, a bare catch), and its filter, if any, does not
    /// exclude cancellation.
    /// </summary>
    public static bool CatchesCancellation(ICatchClauseOperation clause, AsyncSymbols symbols)
        => CatchesCancellationType(clause.ExceptionType, symbols)
            && (clause.Filter is null || !FilterExcludesCancellation(clause.Filter, symbols));

    /// <summary>True when a catch of <paramref name="exceptionType"/> receives OperationCanceledException: the type, a base or a derived type.</summary>
    private static bool CatchesCancellationType(ITypeSymbol? exceptionType, AsyncSymbols symbols)
    {
        if (exceptionType is null || exceptionType.SpecialType == SpecialType.System_Object || symbols.IsCancellationException(exceptionType))
        {
            return true;
        }

        for (var current = symbols.OperationCanceledException?.BaseType; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, exceptionType))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A filter that lets cancellation through: <c>when (ex is not OperationCanceledException)</c>,
    /// <c>when (!(ex is OperationCanceledException))</c>, <c>when (!token.IsCancellationRequested)</c>, or a comparison
    /// of tokens such as <c>when (ex.CancellationToken != token)</c>.
    /// </summary>
    private static bool FilterExcludesCancellation(IOperation filter, AsyncSymbols symbols)
    {
        foreach (var operation in filter.DescendantsAndSelf())
        {
            switch (operation)
            {
                case IIsPatternOperation { Pattern: INegatedPatternOperation { Pattern: var negated } } when TestsCancellationType(negated, symbols):
                    return true;
                case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not when DealsWithCancellation(not.Operand, symbols):
                    return true;
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.NotEquals } notEquals
                    when symbols.IsCancellationToken(notEquals.LeftOperand.Type) || symbols.IsCancellationToken(notEquals.RightOperand.Type):
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when code deals with cancellation: it tests for the cancellation exception (<c>is</c>, a pattern, a
    /// catch), reads <c>IsCancellationRequested</c>, calls <c>ThrowIfCancellationRequested</c>, or creates the exception.
    /// </summary>
    public static bool DealsWithCancellation(IOperation root, AsyncSymbols symbols)
    {
        foreach (var operation in root.DescendantsAndSelf())
        {
            switch (operation)
            {
                case IIsTypeOperation isType when symbols.IsCancellationException(isType.TypeOperand):
                case IPatternOperation pattern when TestsCancellationType(pattern, symbols):
                case IObjectCreationOperation creation when symbols.IsCancellationException(creation.Type):
                case ITypeOfOperation typeOf when symbols.IsCancellationException(typeOf.TypeOperand):
                case ICatchClauseOperation clause when symbols.IsCancellationException(clause.ExceptionType):
                    return true;
                case IPropertyReferenceOperation when CancellationCheckReceiver(operation, symbols) is not null:
                    return true;
                case IInvocationOperation when IsThrowIfCancellationRequested(operation):
                    return true;
            }
        }

        return false;
    }

    private static bool TestsCancellationType(IOperation pattern, AsyncSymbols symbols)
        => pattern switch
        {
            ITypePatternOperation type => symbols.IsCancellationException(type.MatchedType),
            IDeclarationPatternOperation declaration => symbols.IsCancellationException(declaration.MatchedType),
            IRecursivePatternOperation recursive => symbols.IsCancellationException(recursive.MatchedType),
            _ => false,
        };
}
