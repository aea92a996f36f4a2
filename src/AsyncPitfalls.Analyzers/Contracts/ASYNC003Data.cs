using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace AsyncPitfalls.Analyzers;

/// <summary>What an ASYNC003 diagnostic tells its fix: whether the async void function is a lambda (which has no signature to change).</summary>
internal readonly struct ASYNC003Data
{
    private const string LambdaKey = "Lambda";

    public ASYNC003Data(bool isLambda)
    {
        IsLambda = isLambda;
    }

    public bool IsLambda { get; }

    public ImmutableDictionary<string, string?> ToProperties() => ContractProperties.Empty.With(LambdaKey, IsLambda);

    public static bool TryRead(Diagnostic diagnostic, out ASYNC003Data data)
    {
        data = default;
        if (!diagnostic.Is(DiagnosticIds.AvoidAsyncVoid) || !diagnostic.TryRead(LambdaKey, out bool isLambda))
        {
            return false;
        }

        data = new ASYNC003Data(isLambda);
        return true;
    }
}
