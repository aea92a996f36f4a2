using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncPitfalls.Analyzers;

/// <summary>The blocking members ASYNC030 reports, and so the rewrite its fix makes.</summary>
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
/// ASYNC030: a blocking call inside async code: <c>Thread.Sleep</c>, <c>.Wait()</c>, <c>.Result</c>,
/// <c>.GetAwaiter().GetResult()</c>, <c>Task.WaitAll/WaitAny</c>, and synchronous I/O and waits of the framework
/// that have an awaitable twin.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ASYNC030BlockingCallAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The <see cref="BlockingKind"/> of the call, which picks the fix.</summary>
    public const string KindProperty = "Kind";

    /// <summary>For <see cref="BlockingKind.Twin"/>, the name of the awaitable twin.</summary>
    public const string TwinProperty = "Twin";

    /// <summary>Set when the twin (or Task.Delay) has an overload taking a trailing CancellationToken.</summary>
    public const string TakesTokenProperty = "TakesToken";

    internal static readonly RuleOption<bool> CheckAllTypes = RuleOption.Bool(
        DiagnosticIds.BlockingCall,
        "check_all_types",
        defaultValue: false,
        "Also report synchronous methods of any type, not only the framework's I/O and waiting types, when a NameAsync twin exists.");

    internal static readonly DiagnosticDescriptor Rule = RuleFactory.Create(
        DiagnosticIds.BlockingCall,
        title: "Blocking call in async code",
        message: "'{0}' blocks the thread inside an async method; use '{1}'",
        DiagnosticCategories.Performance,
        DiagnosticSeverity.Warning,
        description: "Async code calls a member that blocks the thread until work completes, such as Thread.Sleep, Task.Wait, Task.Result or synchronous I/O, while an awaitable alternative exists, which ties up a thread-pool thread or deadlocks under a synchronization context.");

    /// <summary>Members with an async twin that only signal, release or tear down, and never wait.</summary>
    private static readonly ImmutableHashSet<string> NeverBlocking = ImmutableHashSet.Create("Cancel", "Dispose", "Close", "Release", "Set", "Reset");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = AsyncSymbols.GetOrCreate(start.Compilation);
            if (!symbols.HasTasks)
            {
                return;
            }

            var twins = new AsyncTwins(start.Compilation, symbols);
            start.RegisterOperationAction(c => AnalyzeInvocation(c, symbols, twins), OperationKind.Invocation);
            start.RegisterOperationAction(c => AnalyzeProperty(c, symbols), OperationKind.PropertyReference);
        });
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, AsyncSymbols symbols, AsyncTwins twins)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        var properties = ImmutableDictionary<string, string?>.Empty;
        IOperation? awaitedTask = null;
        BlockingKind kind;
        string blocking;
        string alternative;
        switch (method.Name)
        {
            case "Sleep" when SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.Thread):
                (kind, blocking, alternative) = (BlockingKind.Sleep, "Thread.Sleep", "await Task.Delay");
                properties = properties.Add(TakesTokenProperty, "true");
                break;
            case "Wait" when !method.IsStatic && symbols.IsTask(method.ContainingType):
                (kind, blocking, alternative, awaitedTask) = (BlockingKind.Wait, "Task.Wait", "await", invocation.Instance);
                break;
            case "GetResult" when invocation.Instance.Unwrap() is IInvocationOperation { TargetMethod.Name: "GetAwaiter" } getAwaiter
                && AwaitableFlow.UnwrapConfigureAwait(getAwaiter.Instance, symbols) is { } awaited && symbols.IsTaskLike(awaited.Type):
                (kind, blocking, alternative, awaitedTask) = (BlockingKind.GetResult, "GetAwaiter().GetResult()", "await", awaited);
                break;
            case "WaitAll" when method.IsStatic && SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.Task):
                (kind, blocking, alternative) = (BlockingKind.WaitAll, "Task.WaitAll", "await Task.WhenAll");
                break;
            case "WaitAny" when method.IsStatic && SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.Task):
                (kind, blocking, alternative) = (BlockingKind.WaitAny, "Task.WaitAny", "await Task.WhenAny");
                break;
            default:
                if (method.Name.EndsWith("Async", System.StringComparison.Ordinal) || NeverBlocking.Contains(method.Name)
                    || !twins.IsIoOrWaitType(method.ContainingType) && !CheckAllTypes.Read(context.Options, invocation.Syntax.SyntaxTree)
                    || invocation.Instance.Unwrap() is { } receiver && IsInMemoryOrConsole(receiver, symbols)
                    || !InAsyncCode(invocation, context.ContainingSymbol))
                {
                    return;
                }

                var twin = twins.Find(method);
                if (twin.Method is null)
                {
                    return;
                }

                var owner = method.IsStatic ? method.ContainingType.Name + "." : "";
                (kind, blocking, alternative) = (BlockingKind.Twin, owner + method.Name, "await " + owner + twin.Method.Name);
                properties = properties.Add(TwinProperty, twin.Method.Name);
                if (twin.TakesToken)
                {
                    properties = properties.Add(TakesTokenProperty, "true");
                }

                Report(context, invocation, properties, kind, blocking, alternative);
                return;
        }

        if (InAsyncCode(invocation, context.ContainingSymbol)
            && (awaitedTask is null || !TaskCompletion.IsKnownComplete(awaitedTask, invocation, symbols)))
        {
            Report(context, invocation, properties, kind, blocking, alternative);
        }
    }

    private static void Report(OperationAnalysisContext context, IOperation operation, ImmutableDictionary<string, string?> properties, BlockingKind kind, string blocking, string alternative)
        => context.ReportDiagnostic(Diagnostic.Create(Rule, operation.Syntax.GetLocation(), properties.Add(KindProperty, kind.ToString()), blocking, alternative));

    private static void AnalyzeProperty(OperationAnalysisContext context, AsyncSymbols symbols)
    {
        var property = (IPropertyReferenceOperation)context.Operation;
        if (property.Property.Name != "Result" || !symbols.IsTaskLike(property.Property.ContainingType)
            || property.Parent is ISimpleAssignmentOperation assignment && assignment.Target == property
            || !InAsyncCode(property, context.ContainingSymbol)
            || TaskCompletion.IsKnownComplete(property.Instance, property, symbols))
        {
            return;
        }

        var typeName = symbols.IsTask(property.Property.ContainingType) ? "Task" : "ValueTask";
        Report(context, property, ImmutableDictionary<string, string?>.Empty, BlockingKind.Result, typeName + ".Result", "await");
    }

    /// <summary>Receivers whose "I/O" never waits on a device: in-memory streams, readers and writers, and the console's own writers.</summary>
    private static bool IsInMemoryOrConsole(IOperation receiver, AsyncSymbols symbols)
        => receiver is IPropertyReferenceOperation console && symbols.IsConsoleStream(console.Property)
            || symbols.IsInMemoryIo(receiver.Type);

    /// <summary>Async code where await is allowed: not a lock body, catch filter, unsafe context or query, not nameof.</summary>
    private static bool InAsyncCode(IOperation operation, ISymbol containingSymbol)
        => AsyncContext.Of(operation, containingSymbol).IsAsync && !AsyncContext.AwaitIsForbiddenAt(operation.Syntax) && !operation.IsInNameof();
}
