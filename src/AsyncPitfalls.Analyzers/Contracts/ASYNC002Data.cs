using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace AsyncPitfalls.Analyzers;

/// <summary>
/// What an ASYNC002 diagnostic tells its fix: the statement, if any, that cancels the token source whose token the
/// task was given (the await goes after it, guarded against the cancellation). It travels as the first additional
/// location.
/// </summary>
internal readonly struct ASYNC002Data
{
    private const string CancelsSourceKey = "CancelsSource";

    public ASYNC002Data(Location? cancel)
    {
        Cancel = cancel;
    }

    /// <summary>The statement that cancels the task's token source, in the local's block; null when there is none.</summary>
    public Location? Cancel { get; }

    public ImmutableDictionary<string, string?> ToProperties() => ContractProperties.Empty.With(CancelsSourceKey, Cancel is not null);

    public ImmutableArray<Location> AdditionalLocations => Cancel is null ? ImmutableArray<Location>.Empty : ImmutableArray.Create(Cancel);

    public static bool TryRead(Diagnostic diagnostic, out ASYNC002Data data)
    {
        data = default;
        if (!diagnostic.Is(DiagnosticIds.UnobservedTask) || !diagnostic.TryRead(CancelsSourceKey, out bool cancels)
            || cancels && diagnostic.AdditionalLocations.Count == 0)
        {
            return false;
        }

        data = new ASYNC002Data(cancels ? diagnostic.AdditionalLocations.First() : null);
        return true;
    }
}
