using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace AsyncPitfalls.Analyzers;

/// <summary>Why a dropped awaitable looks like a forgotten await (ASYNC001), passed to the fix by name.</summary>
internal enum DropEvidence
{
    /// <summary>No evidence: synchronous code that cannot await, where dropping may be deliberate (ASYNC007).</summary>
    None,

    /// <summary>The drop is in an async method, lambda or local function, where the compiler's CS4014 is silent.</summary>
    AsyncFunction,

    /// <summary>The drop is in a function that returns a task: it could have awaited or returned this one.</summary>
    ReturnsTask,

    /// <summary><c>X().ConfigureAwait(...)</c> as a statement: configuring an await that never happens.</summary>
    ConfigureAwait,

    /// <summary>A synchronous lambda that is a loop body: the loop thinks the work is done when the body returns.</summary>
    LoopBody,

    /// <summary>An operation whose only effect is to wait (<c>Task.Delay</c>, <c>WhenAll</c>, <c>WaitAsync</c>): dropped, it does nothing.</summary>
    WaitOnly,

    /// <summary>A method only a framework calls (a controller action, a hub or gRPC method, a minimal-API handler), which could be async.</summary>
    FrameworkEntryPoint,
}

/// <summary>What an ASYNC001 diagnostic tells its fix: why the drop looks like a forgotten await.</summary>
internal readonly struct ASYNC001Data
{
    private const string EvidenceKey = "Evidence";

    public ASYNC001Data(DropEvidence evidence)
    {
        Evidence = evidence;
    }

    public DropEvidence Evidence { get; }

    public ImmutableDictionary<string, string?> ToProperties() => ContractProperties.Empty.With(EvidenceKey, Evidence);

    /// <summary>The data of an ASYNC001 diagnostic; false for another diagnostic (the compiler's CS4014, for one).</summary>
    public static bool TryRead(Diagnostic diagnostic, out ASYNC001Data data)
    {
        data = default;
        if (!diagnostic.Is(DiagnosticIds.UnawaitedTask) || !diagnostic.TryRead<DropEvidence>(EvidenceKey, out var evidence))
        {
            return false;
        }

        data = new ASYNC001Data(evidence);
        return true;
    }
}
