using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace AsyncPitfalls.Analyzers;

/// <summary>Which shape of lazy query of tasks ASYNC006 found.</summary>
internal enum QueryShape
{
    /// <summary>A local query enumerated at two places on one path: its work starts again each time.</summary>
    Repeated,

    /// <summary>A query dropped as a statement: nothing enumerates it, so none of its work starts.</summary>
    Statement,

    /// <summary>A local query that nothing enumerates or hands on.</summary>
    UnusedLocal,
}

/// <summary>
/// What an ASYNC006 diagnostic tells its fix: the shape, and for a repeated query whether every enumeration is an
/// argument of <c>Task.WhenAll</c>/<c>WhenAny</c> (an array then serves them all). The enumerations on one path are
/// the additional locations.
/// </summary>
internal readonly struct ASYNC006Data
{
    private const string ShapeKey = "Shape";
    private const string OnlyCombinatorsKey = "OnlyCombinators";

    public ASYNC006Data(QueryShape shape, bool onlyCombinators)
    {
        Shape = shape;
        OnlyCombinators = onlyCombinators;
    }

    public QueryShape Shape { get; }

    public bool OnlyCombinators { get; }

    public ImmutableDictionary<string, string?> ToProperties() => ContractProperties.Empty.With(ShapeKey, Shape).With(OnlyCombinatorsKey, OnlyCombinators);

    public static bool TryRead(Diagnostic diagnostic, out ASYNC006Data data)
    {
        data = default;
        if (!diagnostic.Is(DiagnosticIds.LazyTaskQuery) || !diagnostic.TryRead<QueryShape>(ShapeKey, out var shape) || !diagnostic.TryRead(OnlyCombinatorsKey, out bool onlyCombinators))
        {
            return false;
        }

        data = new ASYNC006Data(shape, onlyCombinators);
        return true;
    }
}
