using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace AsyncPitfalls.Analyzers;

/// <summary>
/// What an ASYNC003 diagnostic tells its fix: whether the async void function is a lambda (which has no signature to
/// change), and for a lambda given to <c>new Task(…)</c> that the next statement starts, that <c>Start()</c> statement
/// (the additional location): the fix turns the pair into one <c>Task.Run(…)</c>, whose task is the work.
/// </summary>
internal readonly struct ASYNC003Data
{
    private const string LambdaKey = "Lambda";
    private const string StartedKey = "StartedAtOnce";

    public ASYNC003Data(bool isLambda, Location? startStatement = null)
    {
        IsLambda = isLambda;
        StartStatement = startStatement;
    }

    public bool IsLambda { get; }

    /// <summary>The <c>t.Start();</c> right after <c>var t = new Task(async () => …);</c>; null otherwise.</summary>
    public Location? StartStatement { get; }

    public ImmutableDictionary<string, string?> ToProperties() => ContractProperties.Empty.With(LambdaKey, IsLambda).With(StartedKey, StartStatement is not null);

    public ImmutableArray<Location> AdditionalLocations => StartStatement is null ? ImmutableArray<Location>.Empty : ImmutableArray.Create(StartStatement);

    public static bool TryRead(Diagnostic diagnostic, out ASYNC003Data data)
    {
        data = default;
        if (!diagnostic.Is(DiagnosticIds.AvoidAsyncVoid) || !diagnostic.TryRead(LambdaKey, out bool isLambda) || !diagnostic.TryRead(StartedKey, out bool started)
            || started && diagnostic.AdditionalLocations.Count != 1)
        {
            return false;
        }

        data = new ASYNC003Data(isLambda, started ? diagnostic.AdditionalLocations[0] : null);
        return true;
    }
}
