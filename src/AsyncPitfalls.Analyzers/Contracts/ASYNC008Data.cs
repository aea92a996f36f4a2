using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace AsyncPitfalls.Analyzers;

/// <summary>What an ASYNC008 diagnostic tells its fix: whether the handler is a lambda or anonymous method.</summary>
internal readonly struct ASYNC008Data
{
    private const string LambdaKey = "Lambda";

    public ASYNC008Data(bool isLambda)
    {
        IsLambda = isLambda;
    }

    public bool IsLambda { get; }

    public ImmutableDictionary<string, string?> ToProperties() => ContractProperties.Empty.With(LambdaKey, IsLambda);

    public static bool TryRead(Diagnostic diagnostic, out ASYNC008Data data)
    {
        data = default;
        if (!diagnostic.Is(DiagnosticIds.ImposedAsyncVoid) || !diagnostic.TryRead(LambdaKey, out bool isLambda))
        {
            return false;
        }

        data = new ASYNC008Data(isLambda);
        return true;
    }
}
