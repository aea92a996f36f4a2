using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace AsyncPitfalls.Analyzers;

/// <summary>
/// What an ASYNC011 diagnostic tells its fix: whether a <c>break</c> in the catch would leave the loop (no
/// <c>switch</c> in between), and a reference to the loop's stop token (the first additional location, when there is
/// one in the same file), which the fix writes in <c>when (T.IsCancellationRequested)</c>.
/// </summary>
internal readonly struct ASYNC011Data
{
    private const string CanBreakKey = "CanBreak";
    private const string HasStopTokenKey = "HasStopToken";

    public ASYNC011Data(bool canBreak, Location? stopToken)
    {
        CanBreak = canBreak;
        StopToken = stopToken;
    }

    public bool CanBreak { get; }

    public Location? StopToken { get; }

    public ImmutableDictionary<string, string?> ToProperties() => ContractProperties.Empty.With(CanBreakKey, CanBreak).With(HasStopTokenKey, StopToken is not null);

    public ImmutableArray<Location> AdditionalLocations => StopToken is null ? ImmutableArray<Location>.Empty : ImmutableArray.Create(StopToken);

    public static bool TryRead(Diagnostic diagnostic, out ASYNC011Data data)
    {
        data = default;
        if (!diagnostic.Is(DiagnosticIds.CancellationSwallowedInLoop) || !diagnostic.TryRead(CanBreakKey, out bool canBreak)
            || !diagnostic.TryRead(HasStopTokenKey, out bool hasStopToken) || hasStopToken && diagnostic.AdditionalLocations.Count == 0)
        {
            return false;
        }

        data = new ASYNC011Data(canBreak, hasStopToken ? diagnostic.AdditionalLocations.First() : null);
        return true;
    }
}
