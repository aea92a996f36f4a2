using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace AsyncPitfalls.Analyzers;

/// <summary>Which blocking call ASYNC030 found, which picks the fix's rewrite.</summary>
internal enum BlockingKind
{
    /// <summary><c>Thread.Sleep(n)</c> → <c>await Task.Delay(n)</c>.</summary>
    Sleep,

    /// <summary><c>t.Wait()</c> → <c>await t</c>.</summary>
    Wait,

    /// <summary><c>t.Result</c> → <c>(await t)</c>.</summary>
    Result,

    /// <summary><c>t.GetAwaiter().GetResult()</c> → <c>(await t)</c>.</summary>
    GetResult,

    /// <summary><c>Task.WaitAll(...)</c> → <c>await Task.WhenAll(...)</c>.</summary>
    WaitAll,

    /// <summary><c>Task.WaitAny(...)</c> → <c>await Task.WhenAny(...)</c>.</summary>
    WaitAny,

    /// <summary>A synchronous I/O or wait method → <c>await</c> its <c>NameAsync</c> twin.</summary>
    Twin,
}

/// <summary>
/// What an ASYNC030 diagnostic tells its fix: the kind of blocking call; for a synchronous method with an awaitable
/// twin, the twin's name (the text the fix writes); whether the replacement takes a trailing CancellationToken; and
/// whether the enclosing method passes a bool or enum mode on to the calls it awaits, the shape of a dual-mode body
/// whose synchronous API the rewrite would break.
/// </summary>
internal readonly struct ASYNC030Data
{
    private const string KindKey = "Kind";
    private const string TwinKey = "Twin";
    private const string TakesTokenKey = "TakesToken";
    private const string PassesModeOnKey = "PassesModeOn";

    public ASYNC030Data(BlockingKind kind, string? twin, bool takesToken, bool passesModeOn)
    {
        Kind = kind;
        Twin = twin;
        TakesToken = takesToken;
        PassesModeOn = passesModeOn;
    }

    public BlockingKind Kind { get; }

    /// <summary>For <see cref="BlockingKind.Twin"/>, the awaitable twin's name; else null.</summary>
    public string? Twin { get; }

    public bool TakesToken { get; }

    public bool PassesModeOn { get; }

    public ImmutableDictionary<string, string?> ToProperties()
        => ContractProperties.Empty.With(KindKey, Kind).With(TwinKey, Twin).With(TakesTokenKey, TakesToken).With(PassesModeOnKey, PassesModeOn);

    public static bool TryRead(Diagnostic diagnostic, out ASYNC030Data data)
    {
        data = default;
        if (!diagnostic.Is(DiagnosticIds.BlockingCall) || !diagnostic.TryRead<BlockingKind>(KindKey, out var kind)
            || !diagnostic.TryRead(TakesTokenKey, out bool takesToken) || !diagnostic.TryRead(PassesModeOnKey, out bool passesModeOn))
        {
            return false;
        }

        var twin = diagnostic.Text(TwinKey);
        if (kind == BlockingKind.Twin && twin is null)
        {
            return false;
        }

        data = new ASYNC030Data(kind, twin, takesToken, passesModeOn);
        return true;
    }
}
