using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace AsyncPitfalls.Analyzers;

/// <summary>
/// What an ASYNC010 diagnostic tells its fix: the loop's token expression (the first additional location, which the
/// fix writes in <c>when (T.IsCancellationRequested)</c>), the awaits that throw on it (the other additional
/// locations), and whether every one of them can take <c>ConfigureAwaitOptions.SuppressThrowing</c>.
/// </summary>
internal readonly struct ASYNC010Data
{
    private const string CanSuppressThrowingKey = "CanSuppressThrowing";

    public ASYNC010Data(Location token, ImmutableArray<Location> awaits, bool canSuppressThrowing)
    {
        Token = token;
        Awaits = awaits;
        CanSuppressThrowing = canSuppressThrowing;
    }

    public Location Token { get; }

    public ImmutableArray<Location> Awaits { get; }

    /// <summary>Every unguarded await is of a non-generic <c>Task</c>, the loop tests its token, and <c>ConfigureAwaitOptions</c> exists.</summary>
    public bool CanSuppressThrowing { get; }

    public ImmutableDictionary<string, string?> ToProperties() => ContractProperties.Empty.With(CanSuppressThrowingKey, CanSuppressThrowing);

    public ImmutableArray<Location> AdditionalLocations => Awaits.Insert(0, Token);

    public static bool TryRead(Diagnostic diagnostic, out ASYNC010Data data)
    {
        data = default;
        if (!diagnostic.Is(DiagnosticIds.CancellationEscapesLoop) || diagnostic.AdditionalLocations.Count == 0
            || !diagnostic.TryRead(CanSuppressThrowingKey, out bool canSuppressThrowing))
        {
            return false;
        }

        data = new ASYNC010Data(diagnostic.AdditionalLocations[0], diagnostic.AdditionalLocations.Skip(1).ToImmutableArray(), canSuppressThrowing);
        return true;
    }
}
