using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace AsyncPitfalls.Analyzers;

/// <summary>Where a task of a task is used as if it were the work.</summary>
internal enum OuterTaskUse
{
    /// <summary><c>await outer;</c>, the result dropped.</summary>
    Awaited,

    /// <summary>Returned as a <c>Task</c>.</summary>
    Returned,

    /// <summary>Kept in a <c>Task</c>-typed field, property or local.</summary>
    Stored,

    /// <summary>Passed as a <c>Task</c> (or a collection of them) to a method.</summary>
    Passed,

    /// <summary>Waited for with <c>WhenAll</c>, <c>WhenAny</c>, <c>WaitAll</c> or <c>WaitAny</c>.</summary>
    Combined,
}

/// <summary>How the <c>StartNew</c> that made the task of a task compares with <c>Task.Run</c>.</summary>
internal enum RunEquivalence
{
    /// <summary>Not a <c>StartNew</c>, or one whose options (<c>LongRunning</c>, a scheduler of its own) <c>Task.Run</c> would drop.</summary>
    None,

    /// <summary><c>StartNew(f, token, None or DenyChildAttach, TaskScheduler.Default)</c>: <c>Task.Run(f, token)</c> is the same call.</summary>
    Same,

    /// <summary><c>StartNew(f)</c> or <c>StartNew(f, token)</c>: runs on <c>TaskScheduler.Current</c>, which <c>Task.Run</c> would change.</summary>
    ChangesTheScheduler,
}

/// <summary>
/// What an ASYNC040 diagnostic tells its fix: how the outer task is used, where <c>.Unwrap()</c> goes (the first
/// additional location, absent when the outer task is not a <c>Task</c> of a <c>Task</c>, which is all <c>Unwrap</c>
/// takes), and whether the call can become <c>Task.Run</c> (the second additional location, the <c>StartNew</c> call).
/// </summary>
internal readonly struct ASYNC040Data
{
    private const string UseKey = "Use";
    private const string RunKey = "Run";
    private const string UnwrapKey = "Unwrap";

    public ASYNC040Data(OuterTaskUse use, Location? unwrapAt, RunEquivalence run, Location? startNew)
    {
        Use = use;
        UnwrapAt = unwrapAt;
        Run = startNew is null ? RunEquivalence.None : run;
        StartNew = Run == RunEquivalence.None ? null : startNew;
    }

    public OuterTaskUse Use { get; }

    /// <summary>The expression whose value the fix unwraps; null when <c>Unwrap</c> does not apply.</summary>
    public Location? UnwrapAt { get; }

    public RunEquivalence Run { get; }

    /// <summary>The <c>Task.Factory.StartNew(…)</c> call that can become <c>Task.Run(…)</c>.</summary>
    public Location? StartNew { get; }

    public ImmutableDictionary<string, string?> ToProperties()
        => ContractProperties.Empty.With(UseKey, Use).With(RunKey, Run).With(UnwrapKey, UnwrapAt is not null);

    /// <summary>The unwrap location when there is one, then the <c>StartNew</c> call when there is one.</summary>
    public ImmutableArray<Location> AdditionalLocations
    {
        get
        {
            var builder = ImmutableArray.CreateBuilder<Location>();
            if (UnwrapAt is not null)
            {
                builder.Add(UnwrapAt);
            }

            if (StartNew is not null)
            {
                builder.Add(StartNew);
            }

            return builder.ToImmutable();
        }
    }

    public static bool TryRead(Diagnostic diagnostic, out ASYNC040Data data)
    {
        data = default;
        if (!diagnostic.Is(DiagnosticIds.TaskOfTask) || !diagnostic.TryRead(UseKey, out OuterTaskUse use) || !diagnostic.TryRead(RunKey, out RunEquivalence run)
            || !diagnostic.TryRead(UnwrapKey, out bool unwrap)
            || diagnostic.AdditionalLocations.Count != (unwrap ? 1 : 0) + (run == RunEquivalence.None ? 0 : 1))
        {
            return false;
        }

        var unwrapAt = unwrap ? diagnostic.AdditionalLocations[0] : null;
        var startNew = run == RunEquivalence.None ? null : diagnostic.AdditionalLocations[unwrap ? 1 : 0];
        data = new ASYNC040Data(use, unwrapAt, run, startNew);
        return true;
    }
}
