using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncPitfalls.Analyzers;

/// <summary>How one reference to a lazy sequence is used.</summary>
internal enum SequenceUse
{
    /// <summary>Runs the sequence: foreach, WhenAll, ToList, Count(), string.Join, a source method that loops over it.</summary>
    Enumerates,

    /// <summary>Stores a new value in the local.</summary>
    Write,

    /// <summary>Hands the sequence to code the analysis cannot follow: returned, stored, captured, composed further.</summary>
    Escapes,
}

/// <summary>
/// The shared "lazy sequence of tasks" analysis: whether an expression is a deferred LINQ query whose selector starts
/// work (each enumeration starts it again), and how a reference to such a sequence is used. The generator/coroutine
/// confusion of the tutorial, in LINQ.
/// </summary>
internal static class TaskQueries
{
    /// <summary>Enumerable operators that create new elements from a selector.</summary>
    private static readonly ImmutableHashSet<string> Projections = ImmutableHashSet.Create("Select", "SelectMany", "Zip");

    /// <summary>Deferred Enumerable operators that pass their source's elements through.</summary>
    private static readonly ImmutableHashSet<string> PassThrough = ImmutableHashSet.Create(
        "Where", "OrderBy", "OrderByDescending", "ThenBy", "ThenByDescending", "Take", "Skip", "TakeWhile", "SkipWhile",
        "TakeLast", "SkipLast", "Distinct", "DistinctBy", "Reverse", "Concat", "Append", "Prepend", "AsEnumerable", "Cast",
        "OfType", "DefaultIfEmpty", "Union", "UnionBy", "Except", "ExceptBy", "Intersect", "IntersectBy");

    /// <summary>Enumerable methods that run their source to produce a value.</summary>
    private static readonly ImmutableHashSet<string> Enumerating = ImmutableHashSet.Create(
        "ToList", "ToArray", "ToHashSet", "ToDictionary", "ToLookup", "Count", "LongCount", "First", "FirstOrDefault",
        "Last", "LastOrDefault", "Single", "SingleOrDefault", "Any", "All", "Sum", "Min", "Max", "MinBy", "MaxBy",
        "Average", "Aggregate", "Contains", "ElementAt", "ElementAtOrDefault", "SequenceEqual", "ToImmutableArray",
        "ToImmutableList", "ToImmutableHashSet", "ToImmutableDictionary");

    /// <summary>
    /// The deferred query <paramref name="operation"/> is, when its elements are awaitable and a selector along its
    /// chain starts work: <c>files.Select(f => UploadAsync(f))</c>, <c>.Where(...)</c> over such a query, a query
    /// expression. Null otherwise.
    /// </summary>
    public static IInvocationOperation? AsWorkStartingQuery(IOperation? operation, AsyncSymbols symbols)
    {
        if (Call(operation) is not IInvocationOperation query || !IsEnumerableMethod(query.TargetMethod)
            || ElementType(query.Type) is not { } element || !symbols.IsAwaitable(element, null, 0))
        {
            return null;
        }

        return StartsWork(query, symbols, depth: 0) ? query : null;
    }

    /// <summary>The call behind conversions and a query expression's translation.</summary>
    public static IInvocationOperation? Call(IOperation? operation)
    {
        var current = operation.Unwrap();
        while (current is ITranslatedQueryOperation translated)
        {
            current = translated.Operation.Unwrap();
        }

        return current as IInvocationOperation;
    }

    private static bool StartsWork(IInvocationOperation query, AsyncSymbols symbols, int depth)
    {
        if (depth > 16 || !IsEnumerableMethod(query.TargetMethod))
        {
            return false;
        }

        var name = query.TargetMethod.Name;
        if (Projections.Contains(name))
        {
            // The last delegate argument is the selector (Zip's result selector, SelectMany's result or collection selector).
            return query.Arguments.Reverse().Select(a => a.Value.Unwrap()).OfType<IDelegateCreationOperation>().Take(name == "SelectMany" ? 2 : 1)
                .Any(d => SelectorStartsWork(d, symbols));
        }

        return PassThrough.Contains(name) && query.Arguments.Length > 0
            && Call(query.Arguments[0].Value) is { } source && StartsWork(source, symbols, depth + 1);
    }

    /// <summary>
    /// A selector that starts work: an async lambda, a lambda whose result is a call (or delegate invocation) producing
    /// a new awaitable, or a method group of such a method. <c>t => t.Result</c>, <c>x => x.Task</c> and
    /// <c>Task.FromResult</c> start nothing.
    /// </summary>
    private static bool SelectorStartsWork(IDelegateCreationOperation selector, AsyncSymbols symbols)
    {
        switch (selector.Target)
        {
            case IAnonymousFunctionOperation lambda:
                if (lambda.Symbol.IsAsync)
                {
                    return true;
                }

                return lambda.Body.Descendants().OfType<IReturnOperation>().Any(r => ProducesStartedWork(r.ReturnedValue, symbols));
            case IMethodReferenceOperation reference:
                return symbols.IsAwaitable(reference.Method.ReturnType, null, 0) && !IsCompleteFactory(reference.Method, symbols);
            default:
                return false;
        }
    }

    private static bool ProducesStartedWork(IOperation? value, AsyncSymbols symbols)
        => AwaitableFlow.UnwrapConfigureAwait(value, symbols).Unwrap() switch
        {
            IInvocationOperation call => symbols.IsAwaitable(call.Type, null, 0) && !IsCompleteFactory(call.TargetMethod, symbols),
            IObjectCreationOperation creation => symbols.IsAwaitable(creation.Type, null, 0) && !TaskCompletion.IsCreatedComplete(creation, symbols),
            IConditionalOperation conditional => ProducesStartedWork(conditional.WhenTrue, symbols) || ProducesStartedWork(conditional.WhenFalse, symbols),
            _ => false,
        };

    private static bool IsCompleteFactory(IMethodSymbol method, AsyncSymbols symbols)
        => method.IsStatic && method.Name is "FromResult" or "FromException" or "FromCanceled" && symbols.IsTaskLike(method.ContainingType);

    /// <summary>The T of an <c>IEnumerable&lt;T&gt;</c> type, or of the <c>IEnumerable&lt;T&gt;</c> it implements.</summary>
    public static ITypeSymbol? ElementType(ITypeSymbol? type)
    {
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Collections_Generic_IEnumerable_T } named)
        {
            return named.TypeArguments[0];
        }

        return type?.AllInterfaces.FirstOrDefault(i => i.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T)?.TypeArguments[0];
    }

    /// <summary>A lazy interface type (<c>IEnumerable&lt;T&gt;</c>, <c>IOrderedEnumerable&lt;T&gt;</c>), not a materialised collection.</summary>
    public static bool IsLazySequenceType(ITypeSymbol? type, AsyncSymbols symbols)
        => type is INamedTypeSymbol { TypeKind: TypeKind.Interface } named
            && (named.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T
                || SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, symbols.IOrderedEnumerableOfT));

    /// <summary>How <paramref name="reference"/> uses the sequence. References inside a nested function escape.</summary>
    public static SequenceUse Classify(ILocalReferenceOperation reference, IOperation? function, AsyncSymbols symbols, System.Threading.CancellationToken cancellationToken)
    {
        if (LocalUsageIndex.ClassifyAccess(reference) == LocalAccess.Write)
        {
            return SequenceUse.Write;
        }

        if (!Equals(reference.EnclosingFunction(), function))
        {
            return SequenceUse.Escapes;
        }

        var outer = reference.WalkUpConversions();
        switch (outer.Parent)
        {
            case IForEachLoopOperation loop when loop.Collection == outer:
                return SequenceUse.Enumerates;
            case IArgumentOperation { Parameter: { } parameter, Parent: IInvocationOperation call }:
                return EnumeratesArgument(call.TargetMethod, parameter, symbols, cancellationToken) ? SequenceUse.Enumerates : SequenceUse.Escapes;
            case IArgumentOperation { Parameter: { } parameter, Parent: IObjectCreationOperation creation }
                when creation.Constructor is { } constructor && IsCollectionType(constructor.ContainingType) && ElementType(parameter.Type) is not null:
                return SequenceUse.Enumerates;
            default:
                return SequenceUse.Escapes;
        }
    }

    private static bool EnumeratesArgument(IMethodSymbol method, IParameterSymbol parameter, AsyncSymbols symbols, System.Threading.CancellationToken cancellationToken)
    {
        if (IsEnumerableMethod(method))
        {
            return parameter.Ordinal == 0 && Enumerating.Contains(method.Name);
        }

        if (method.IsStatic && method.Name is "WhenAll" or "WhenAny" or "WaitAll" or "WaitAny" && symbols.IsTask(method.ContainingType))
        {
            return true;
        }

        if (method.IsStatic && method.Name is "Join" or "Concat" && method.ContainingType.SpecialType == SpecialType.System_String)
        {
            return true;
        }

        return ElementType(parameter.Type) is not null && SourceMethodEnumerates(method, parameter, cancellationToken);
    }

    /// <summary>A method of this compilation whose body loops over the parameter or runs an enumerating operator on it.</summary>
    private static bool SourceMethodEnumerates(IMethodSymbol method, IParameterSymbol parameter, System.Threading.CancellationToken cancellationToken)
    {
        var name = parameter.Name;
        foreach (var reference in method.OriginalDefinition.DeclaringSyntaxReferences)
        {
            foreach (var node in reference.GetSyntax(cancellationToken).DescendantNodes())
            {
                switch (node)
                {
                    case ForEachStatementSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: var n } } when n == name:
                        return true;
                    case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: var receiver }, Name.Identifier.ValueText: var called } }
                        when receiver == name && Enumerating.Contains(called):
                        return true;
                    case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "WhenAll" or "WhenAny" } } invocation
                        when invocation.ArgumentList.Arguments.Count == 1 && invocation.ArgumentList.Arguments[0].Expression is IdentifierNameSyntax { Identifier.ValueText: var argument } && argument == name:
                        return true;
                }
            }
        }

        return false;
    }

    private static bool IsCollectionType(INamedTypeSymbol type)
        => type.ContainingNamespace?.ToDisplayString() is "System.Collections.Generic" or "System.Collections.Concurrent" or "System.Collections.Immutable";

    private static bool IsEnumerableMethod(IMethodSymbol method)
        => method.ContainingType is { Name: "Enumerable", ContainingNamespace: { Name: "Linq", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } };
}
