using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace AsyncPitfalls.Analyzers;

/// <summary>
/// What an ASYNC007 diagnostic tells its fix: nothing beyond its location, which is the dropped expression (the call,
/// or the whole conditional access). The contract exists so that every rule reads its diagnostics the same way.
/// </summary>
internal readonly struct ASYNC007Data
{
    public ImmutableDictionary<string, string?> ToProperties() => ContractProperties.Empty;

    public static bool TryRead(Diagnostic diagnostic, out ASYNC007Data data)
    {
        data = default;
        return diagnostic.Is(DiagnosticIds.FireAndForget);
    }
}
