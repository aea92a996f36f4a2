namespace AsyncPitfalls.Analyzers;

/// <summary>Every diagnostic and suppression ID of the package, one constant each, named by meaning.</summary>
public static class DiagnosticIds
{
    /// <summary>The awaitable result of a call is dropped.</summary>
    public const string UnawaitedTask = "ASYNC001";

    /// <summary>A task is started, stored in a local, and never observed.</summary>
    public const string UnobservedTask = "ASYNC002";

    /// <summary>An async method, local function or lambda returns void.</summary>
    public const string AvoidAsyncVoid = "ASYNC003";

    /// <summary>A continuation never reads its antecedent, so the antecedent's failure is lost.</summary>
    public const string ContinuationIgnoresAntecedent = "ASYNC004";

    /// <summary>A private field or auto-property holds a started task that nothing in its type observes.</summary>
    public const string UnobservedFieldTask = "ASYNC005";

    /// <summary>A lazy LINQ query of tasks is enumerated more than once (its work starts again) or never (its work never starts).</summary>
    public const string LazyTaskQuery = "ASYNC006";

    /// <summary>A task that can fail is started and dropped in synchronous code that cannot await it (suggestion).</summary>
    public const string FireAndForget = "ASYNC007";

    /// <summary>An async void handler whose signature an API imposes can let an exception escape and crash the process (suggestion).</summary>
    public const string ImposedAsyncVoid = "ASYNC008";

    /// <summary>An async handler writes to its event args after an await, when the raiser has already read them.</summary>
    public const string ArgsWrittenAfterAwait = "ASYNC009";

    /// <summary>OperationCanceledException escapes a loop that was meant to end gracefully.</summary>
    public const string CancellationEscapesLoop = "ASYNC010";

    /// <summary>A catch inside a loop swallows cancellation, so the loop never stops.</summary>
    public const string CancellationSwallowedInLoop = "ASYNC011";

    /// <summary>A never-read local whose name nearly matches a variable that is read instead.</summary>
    public const string MisspelledResult = "ASYNC020";

    /// <summary>A local shadows the variable it was meant to assign.</summary>
    public const string ShadowedResult = "ASYNC021";

    /// <summary>A blocking call inside async code.</summary>
    public const string BlockingCall = "ASYNC030";

    /// <summary>A task of a task (<c>StartNew(async …)</c>) is awaited or kept as if it were the work it started.</summary>
    public const string TaskOfTask = "ASYNC040";

    /// <summary>A task returned or started inside a using, a finally or a catch leaves the scope before the work ends.</summary>
    public const string TaskLeavesScope = "ASYNC041";

    /// <summary>Suppresses CS4014 on the dropped-task shapes that ASYNC001 accepts.</summary>
    public const string SuppressAcceptedCS4014 = "ASYNC901";

    /// <summary>Suppresses the reports of our rules that the baseline file lists (adopting the rules on an existing codebase).</summary>
    public const string SuppressBaselined = "ASYNC902";

    /// <summary>The compiler's own "call is not awaited" warning.</summary>
    public const string CompilerUnawaitedCall = "CS4014";
}
