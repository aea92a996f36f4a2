using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace AsyncPitfalls.Analyzers;

/// <summary>
/// What an ASYNC009 diagnostic tells its fix. The first additional location is the statement of the handler's body
/// that holds the first await the write can follow; the second, when there is one, is the statement the
/// cancel-then-retry rewrite replaces. The analyzer decides which fixes are possible: <see cref="CanMoveBeforeTheAwait"/>
/// when the written value does not depend on anything computed after that await (a constant, in a statement that
/// always runs), and <see cref="CloseAgain"/> when the write is <c>e.Cancel = …</c> decided by an await, in a type
/// that has a <c>Close()</c> to call again once the decision is made.
/// </summary>
internal readonly struct ASYNC009Data
{
    private const string MoveKey = "CanMoveBeforeTheAwait";
    private const string CloseAgainKey = "CloseAgain";

    public ASYNC009Data(Location firstAwait, bool canMoveBeforeTheAwait, Location? cancelStatement)
    {
        FirstAwait = firstAwait;
        CanMoveBeforeTheAwait = canMoveBeforeTheAwait;
        CancelStatement = cancelStatement;
    }

    /// <summary>The top-level statement of the handler that holds the first await before the write.</summary>
    public Location FirstAwait { get; }

    public bool CanMoveBeforeTheAwait { get; }

    /// <summary>The statement that sets <c>e.Cancel</c> from an awaited decision, for the cancel-then-retry rewrite; null when it does not apply.</summary>
    public Location? CancelStatement { get; }

    public bool CloseAgain => CancelStatement is not null;

    public ImmutableDictionary<string, string?> ToProperties() => ContractProperties.Empty.With(MoveKey, CanMoveBeforeTheAwait).With(CloseAgainKey, CloseAgain);

    public ImmutableArray<Location> AdditionalLocations => CancelStatement is null ? ImmutableArray.Create(FirstAwait) : ImmutableArray.Create(FirstAwait, CancelStatement);

    public static bool TryRead(Diagnostic diagnostic, out ASYNC009Data data)
    {
        data = default;
        if (!diagnostic.Is(DiagnosticIds.ArgsWrittenAfterAwait) || !diagnostic.TryRead(MoveKey, out bool move) || !diagnostic.TryRead(CloseAgainKey, out bool close)
            || diagnostic.AdditionalLocations.Count < (close ? 2 : 1))
        {
            return false;
        }

        data = new ASYNC009Data(diagnostic.AdditionalLocations[0], move, close ? diagnostic.AdditionalLocations[1] : null);
        return true;
    }
}
