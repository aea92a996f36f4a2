using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace AsyncPitfalls.Analyzers;

/// <summary>What an ASYNC004 diagnostic tells its fix: whether the continuation is a lambda whose parameter the fix may name and read.</summary>
internal readonly struct ASYNC004Data
{
    private const string LambdaKey = "Lambda";

    public ASYNC004Data(bool isLambda)
    {
        IsLambda = isLambda;
    }

    public bool IsLambda { get; }

    public ImmutableDictionary<string, string?> ToProperties() => ContractProperties.Empty.With(LambdaKey, IsLambda);

    public static bool TryRead(Diagnostic diagnostic, out ASYNC004Data data)
    {
        data = default;
        if (!diagnostic.Is(DiagnosticIds.ContinuationIgnoresAntecedent) || !diagnostic.TryRead(LambdaKey, out bool isLambda))
        {
            return false;
        }

        data = new ASYNC004Data(isLambda);
        return true;
    }
}
