using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace AsyncPitfalls.Analyzers;

/// <summary>How a task leaves the scope that should have waited for it.</summary>
internal enum ScopeLeft
{
    /// <summary><c>return task;</c> inside a <c>using</c> whose resource the task uses: disposed while the work runs.</summary>
    ReturnedFromUsing,

    /// <summary><c>return task;</c> inside a <c>try</c> whose <c>finally</c> releases, resets, signals or reports completion.</summary>
    ReturnedFromFinally,

    /// <summary><c>return task;</c> inside a <c>try</c> whose <c>catch</c> would handle the work's failure.</summary>
    ReturnedFromCatch,

    /// <summary>A task that uses the <c>using</c>'s resource, started inside it and not awaited before it ends.</summary>
    StartedInUsing,

    /// <summary><c>using (x.LockAsync())</c>: the using disposes the task, not the disposable it completes with.</summary>
    DisposesTheTask,
}

/// <summary>What an ASYNC041 diagnostic tells its fix: which shape it is (the fixes differ by shape).</summary>
internal readonly struct ASYNC041Data
{
    private const string ShapeKey = "Shape";

    public ASYNC041Data(ScopeLeft shape)
    {
        Shape = shape;
    }

    public ScopeLeft Shape { get; }

    /// <summary>A return that the fix awaits inside the scope.</summary>
    public bool IsReturn => Shape is ScopeLeft.ReturnedFromUsing or ScopeLeft.ReturnedFromFinally or ScopeLeft.ReturnedFromCatch;

    public ImmutableDictionary<string, string?> ToProperties() => ContractProperties.Empty.With(ShapeKey, Shape);

    public static bool TryRead(Diagnostic diagnostic, out ASYNC041Data data)
    {
        data = default;
        if (!diagnostic.Is(DiagnosticIds.TaskLeavesScope) || !diagnostic.TryRead(ShapeKey, out ScopeLeft shape))
        {
            return false;
        }

        data = new ASYNC041Data(shape);
        return true;
    }
}
