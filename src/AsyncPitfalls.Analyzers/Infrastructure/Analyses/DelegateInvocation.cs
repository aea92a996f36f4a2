using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncPitfalls.Analyzers;

/// <summary>When, and how often, the code that receives a lambda runs it.</summary>
internal enum DelegateRuns
{
    /// <summary>Nothing says: the lambda is stored, returned, or handed to a method we know nothing about.</summary>
    Unknown,

    /// <summary>Once per item, one after another, before the call returns: <c>List&lt;T&gt;.ForEach</c>, <c>Array.ForEach</c>, <c>Array.ConvertAll</c>.</summary>
    LoopBody,

    /// <summary>Once per item, several at a time: <c>Parallel.For</c>, <c>ForEach</c>, <c>ForEachAsync</c>, <c>Invoke</c>, and PLINQ's <c>ForAll</c>.</summary>
    ParallelLoopBody,

    /// <summary>Once per element each time a LINQ query is enumerated (<c>Select</c>, <c>Where</c>, <c>Aggregate</c>..., PLINQ's in parallel).</summary>
    PerElement,

    /// <summary>Once, on another thread, while the caller goes on: <c>Task.Run</c>, <c>Task.Factory.StartNew</c>, <c>ThreadPool.QueueUserWorkItem</c>.</summary>
    Background,

    /// <summary>As <see cref="Background"/>, but started inside a loop, so several runs overlap.</summary>
    BackgroundInLoop,
}

/// <summary>
/// The shared "when, and how often, does this lambda run" analysis, decided from the symbol of the method that
/// receives it (never from its name alone): a loop body, a parallel body, a per-element query function, a background
/// start, or unknown.
/// </summary>
internal static class DelegateInvocation
{
    /// <summary>How the method that receives <paramref name="lambda"/> runs it.</summary>
    public static DelegateRuns Of(IAnonymousFunctionOperation lambda, AsyncSymbols symbols)
    {
        if (lambda.WalkUpDelegateCreation().Parent is not IArgumentOperation { Parent: IInvocationOperation call })
        {
            return DelegateRuns.Unknown;
        }

        var method = call.TargetMethod;
        var type = method.ContainingType?.OriginalDefinition;
        if (SymbolEqualityComparer.Default.Equals(type, symbols.Parallel)
            || method.Name == "ForAll" && SymbolEqualityComparer.Default.Equals(type, symbols.ParallelEnumerable))
        {
            return DelegateRuns.ParallelLoopBody;
        }

        if (SymbolEqualityComparer.Default.Equals(type, symbols.Enumerable) || SymbolEqualityComparer.Default.Equals(type, symbols.ParallelEnumerable))
        {
            return DelegateRuns.PerElement;
        }

        if (method.Name is "ForEach" or "ConvertAll" && (SymbolEqualityComparer.Default.Equals(type, symbols.ListOfT) || type?.SpecialType == SpecialType.System_Array))
        {
            return DelegateRuns.LoopBody;
        }

        if (symbols.IsBackgroundStart(method) || method.Name == "QueueUserWorkItem" && SymbolEqualityComparer.Default.Equals(type, symbols.ThreadPool))
        {
            return IsInALoop(call) ? DelegateRuns.BackgroundInLoop : DelegateRuns.Background;
        }

        return DelegateRuns.Unknown;
    }

    /// <summary>True for the kinds that can run the lambda more than once, or several times at once.</summary>
    public static bool RunsMoreThanOnce(this DelegateRuns runs)
        => runs is DelegateRuns.LoopBody or DelegateRuns.ParallelLoopBody or DelegateRuns.PerElement or DelegateRuns.BackgroundInLoop;

    /// <summary>True for a loop body, sequential or parallel: the loop takes the work as done when the body returns.</summary>
    public static bool IsLoopBody(this DelegateRuns runs) => runs is DelegateRuns.LoopBody or DelegateRuns.ParallelLoopBody;

    /// <summary>The call sits in a loop of its own function.</summary>
    private static bool IsInALoop(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case ILoopOperation:
                    return true;
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return false;
            }
        }

        return false;
    }
}
