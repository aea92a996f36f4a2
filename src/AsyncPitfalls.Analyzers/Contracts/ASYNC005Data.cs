using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace AsyncPitfalls.Analyzers;

/// <summary>Where a stop method lets the field's task be awaited.</summary>
internal enum StopAnchor
{
    /// <summary>The type has no stop method the fix could use.</summary>
    None,

    /// <summary>After the statement of the stop method that cancels a token source of the type (<c>_cts.Cancel()</c>, <c>_cts?.CancelAsync()</c>, <c>CancelAfter</c>).</summary>
    AfterCancel,

    /// <summary>At the end of a method named <c>StopAsync</c>, <c>DisposeAsync</c> or <c>Stop</c> that cancels nothing.</summary>
    EndOfMethod,
}

/// <summary>
/// What an ASYNC005 diagnostic tells its fix: the stop method the analyzer chose and where in it the task can be
/// awaited. The anchor is the first additional location (the cancelling statement, or the stop method's name); the
/// places that start the task follow it.
/// </summary>
internal readonly struct ASYNC005Data
{
    private const string StopKey = "Stop";

    public ASYNC005Data(StopAnchor stop, Location? anchor, ImmutableArray<Location> starts)
    {
        Stop = anchor is null ? StopAnchor.None : stop;
        Anchor = Stop == StopAnchor.None ? null : anchor;
        Starts = starts;
    }

    public StopAnchor Stop { get; }

    /// <summary>The cancelling statement (<see cref="StopAnchor.AfterCancel"/>) or the stop method's name (<see cref="StopAnchor.EndOfMethod"/>).</summary>
    public Location? Anchor { get; }

    /// <summary>The assignments and initializers that start the task.</summary>
    public ImmutableArray<Location> Starts { get; }

    public ImmutableDictionary<string, string?> ToProperties() => ContractProperties.Empty.With(StopKey, Stop);

    public ImmutableArray<Location> AdditionalLocations => Anchor is null ? Starts : Starts.Insert(0, Anchor);

    public static bool TryRead(Diagnostic diagnostic, out ASYNC005Data data)
    {
        data = default;
        if (!diagnostic.Is(DiagnosticIds.UnobservedFieldTask) || !diagnostic.TryRead<StopAnchor>(StopKey, out var stop)
            || stop != StopAnchor.None && diagnostic.AdditionalLocations.Count == 0)
        {
            return false;
        }

        data = stop == StopAnchor.None
            ? new ASYNC005Data(stop, null, diagnostic.AdditionalLocations.ToImmutableArray())
            : new ASYNC005Data(stop, diagnostic.AdditionalLocations[0], diagnostic.AdditionalLocations.Skip(1).ToImmutableArray());
        return true;
    }
}
