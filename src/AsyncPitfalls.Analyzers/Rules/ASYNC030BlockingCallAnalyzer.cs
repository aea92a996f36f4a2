using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncPitfalls.Analyzers;

/// <summary>The blocking members ASYNC030 reports, and so the rewrite its fix makes.</summary>
/// <summary>
/// ASYNC030: a blocking call inside async code: <c>Thread.Sleep</c>, <c>.Wait()</c>, <c>.Result</c>,
/// <c>.GetAwaiter().GetResult()</c>, <c>Task.WaitAll/WaitAny</c>, and synchronous I/O and waits of the framework
/// that have an awaitable twin.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ASYNC030BlockingCallAnalyzer : DiagnosticAnalyzer
{
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

    /// <summary>Members with an async twin that only signal, release or tear down, and never wait (<c>PipeWriter.Complete(ex)</c>).</summary>
    private static readonly ImmutableHashSet<string> NeverBlocking = ImmutableHashSet.Create("Cancel", "Dispose", "Close", "Release", "Set", "Reset", "Complete");

    /// <summary>A data reader's members that read the current row or the schema, which the reader already holds.</summary>
    private static readonly ImmutableHashSet<string> DataReaderRowMembers = ImmutableHashSet.Create("IsDBNull", "GetFieldValue", "GetColumnSchema", "GetSchemaTable");

    /// <summary>What the message says for each kind: the blocking member and the alternative (a twin names itself).</summary>
    private static readonly ImmutableDictionary<BlockingKind, (string Blocking, string Alternative)> Messages = new Dictionary<BlockingKind, (string, string)>
    {
        [BlockingKind.Sleep] = ("Thread.Sleep", "await Task.Delay"),
        [BlockingKind.Wait] = ("Task.Wait", "await"),
        [BlockingKind.Result] = ("Task.Result", "await"),
        [BlockingKind.GetResult] = ("GetAwaiter().GetResult()", "await"),
        [BlockingKind.WaitAll] = ("Task.WaitAll", "await Task.WhenAll"),
        [BlockingKind.WaitAny] = ("Task.WaitAny", "await Task.WhenAny"),
    }.ToImmutableDictionary();

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            start.RegisterOperationAction(s => s.HasTasks, (c, facts) => AnalyzeInvocation(c, facts), OperationKind.Invocation);
            start.RegisterOperationAction(s => s.HasTasks, (c, facts) => AnalyzeProperty(c, facts.Symbols), OperationKind.PropertyReference);
        });
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, CompilationFacts facts)
    {
        var symbols = facts.Symbols;
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        IOperation? awaitedTask = null;
        BlockingKind kind;
        switch (method.Name)
        {
            case "Sleep" when SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.Thread):
                kind = BlockingKind.Sleep;
                break;
            case "Wait" when !method.IsStatic && symbols.IsTask(method.ContainingType):
                (kind, awaitedTask) = (BlockingKind.Wait, invocation.Instance);
                break;
            case "GetResult" when invocation.Instance.Unwrap() is IInvocationOperation { TargetMethod.Name: "GetAwaiter" } getAwaiter
                && AwaitableFlow.UnwrapConfigureAwait(getAwaiter.Instance, symbols) is { } awaited && symbols.IsTaskLike(awaited.Type):
                (kind, awaitedTask) = (BlockingKind.GetResult, awaited);
                break;
            case "WaitAll" when method.IsStatic && SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.Task):
                kind = BlockingKind.WaitAll;
                break;
            case "WaitAny" when method.IsStatic && SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.Task):
                kind = BlockingKind.WaitAny;
                break;
            default:
                AnalyzeTwin(context, invocation, symbols, facts.Twins, facts.Tests);
                return;
        }

        if (InAsyncCode(invocation, context.ContainingSymbol) && !IsSyncHalfOfDualMode(invocation) && !IsTimedProbe(invocation) && !InTheEntryPoint(invocation, context.ContainingSymbol)
            && (awaitedTask is null || !TaskCompletion.IsKnownComplete(awaitedTask, invocation, symbols)))
        {
            Report(context, invocation, kind, twin: null, takesToken: kind == BlockingKind.Sleep, Messages[kind].Blocking, Messages[kind].Alternative);
        }
    }

    /// <summary>
    /// A wait that is not a thread blocked on work it could await. <c>Wait(0)</c> or <c>Wait(TimeSpan.Zero)</c> (a task's,
    /// a semaphore's, an event's) never blocks: it only asks. <c>task.Wait(50)</c>, <c>semaphore.Wait(timeout)</c>,
    /// <c>Task.WaitAll(tasks, timeout)</c>, <c>WaitAny(tasks, timeout)</c> whose answer the code reads
    /// (<c>Assert.False(task.Wait(50))</c>, <c>if (!done.Wait(timeout))</c>) is a bounded probe of whether the work has
    /// finished yet, chosen on purpose (a test asserting that something has not happened).
    /// </summary>
    private static bool IsTimedProbe(IInvocationOperation invocation)
    {
        if (invocation.TargetMethod.Name is not ("Wait" or "WaitAll" or "WaitAny" or "WaitOne"))
        {
            return false;
        }

        var timeouts = invocation.Arguments.Where(a => a.Parameter?.Type.SpecialType == SpecialType.System_Int32 && !(invocation.TargetMethod.Name == "WaitAny" && a.Parameter.Ordinal == 0)
            || a.Parameter?.Type.Name == "TimeSpan").ToList();
        if (timeouts.Count == 0 || timeouts.Any(a => a.Value.ConstantValue is { HasValue: true, Value: -1 }))
        {
            return false;
        }

        if (timeouts.All(a => a.Value.ConstantValue is { HasValue: true, Value: 0 }
            || a.Value.Unwrap() is IFieldReferenceOperation { Field: { Name: "Zero", ContainingType.Name: "TimeSpan" } }))
        {
            return true;
        }

        var parent = invocation.WalkUpConversions().Parent;
        return parent is not (IExpressionStatementOperation or null) && !(parent is ISimpleAssignmentOperation { Target: IDiscardOperation });
    }

    /// <summary>A synchronous I/O or wait method of the framework (or of any type, with the option) that has an awaitable twin.</summary>
    private static void AnalyzeTwin(OperationAnalysisContext context, IInvocationOperation invocation, AsyncSymbols symbols, AsyncTwins twins, TestCode tests)
    {
        var method = invocation.TargetMethod;
        // Cheapest first: most methods have no awaitable twin, and that answer is cached per method definition.
        if (method.Name.EndsWith("Async", System.StringComparison.Ordinal) || NeverBlocking.Contains(method.Name)
            || twins.Find(method) is not { Method: { } twin } found
            || DataReaderRowMembers.Contains(method.Name) && symbols.IsDataReader(invocation.Receiver()?.Type)
            || !twins.IsIoOrWaitType(method.ContainingType) && !CheckAllTypes.Read(context.Options, invocation.Syntax.SyntaxTree)
            || !InAsyncCode(invocation, context.ContainingSymbol)
            || IsSyncHalfOfDualMode(invocation)
            || IsTimedProbe(invocation)
            || invocation.Instance.Unwrap() is { } receiver && (IsInMemoryOrConsole(receiver, symbols) || TwinGainsNothing(method, twin, receiver.Type))
            || InTheEntryPoint(invocation, context.ContainingSymbol)
            || IsIo(method, symbols) && tests.Contains(context.ContainingSymbol, context.Options))
        {
            return;
        }

        var owner = method.IsStatic ? method.ContainingType.Name + "." : "";
        Report(context, invocation, BlockingKind.Twin, twin.Name, found.TakesToken, owner + method.Name, "await " + owner + twin.Name);
    }

    private static void AnalyzeProperty(OperationAnalysisContext context, AsyncSymbols symbols)
    {
        var property = (IPropertyReferenceOperation)context.Operation;
        if (property.Property.Name != "Result" || !symbols.IsTaskLike(property.Property.ContainingType)
            || property.Parent is ISimpleAssignmentOperation assignment && assignment.Target == property
            || !InAsyncCode(property, context.ContainingSymbol)
            || IsSyncHalfOfDualMode(property)
            || InTheEntryPoint(property, context.ContainingSymbol)
            || TaskCompletion.IsKnownComplete(property.Instance, property, symbols))
        {
            return;
        }

        var typeName = symbols.IsTask(property.Property.ContainingType) ? "Task" : "ValueTask";
        Report(context, property, BlockingKind.Result, twin: null, takesToken: false, typeName + ".Result", Messages[BlockingKind.Result].Alternative);
    }

    private static void Report(OperationAnalysisContext context, IOperation operation, BlockingKind kind, string? twin, bool takesToken, string blocking, string alternative)
    {
        var data = new ASYNC030Data(kind, twin, takesToken, PassesModeOn(operation, context.ContainingSymbol));
        context.ReportDiagnostic(Diagnostic.Create(Rule, operation.Syntax.GetLocation(), data.ToProperties(), blocking, alternative));
    }

    /// <summary>
    /// The enclosing method or local function has a bool or enum parameter that it passes as an argument to a call it
    /// awaits: the shape of a dual-mode body whose mode is handed down rather than tested in an <c>if</c>
    /// (MySqlConnector's <c>IOBehavior</c>). The parameter may select synchronous I/O for a synchronous API served by
    /// the same body, so rewriting the blocking call is left to a person.
    /// </summary>
    private static bool PassesModeOn(IOperation operation, ISymbol containingSymbol)
    {
        var (method, body) = (containingSymbol as IMethodSymbol, operation.Root());
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is ILocalFunctionOperation localFunction)
            {
                (method, body) = (localFunction.Symbol, localFunction);
                break;
            }
        }

        var modes = method?.Parameters.Where(p => p.Type.SpecialType == SpecialType.System_Boolean || p.Type.TypeKind == TypeKind.Enum).ToList();
        return modes is { Count: > 0 } && body.Descendants().OfType<IAwaitOperation>()
            .Any(a => a.Operation.DescendantsAndSelf().OfType<IArgumentOperation>()
                .Any(argument => argument.Value.Unwrap() is IParameterReferenceOperation reference && modes.Contains(reference.Parameter, SymbolEqualityComparer.Default)));
    }

    /// <summary>
    /// The synchronous half of a dual-mode method: the call is in one branch of <c>if (async)</c> or
    /// <c>async ? ... : ...</c> (a <see cref="IsModeTest"/>), and the other branch awaits. One body serves the sync and
    /// the async API; its sync path must stay sync.
    /// </summary>
    private static bool IsSyncHalfOfDualMode(IOperation operation)
    {
        var function = operation.EnclosingFunction();
        for (var current = operation; current.Parent is { } parent && parent != function; current = parent)
        {
            if (parent is IConditionalOperation conditional && IsModeTest(conditional.Condition)
                && (conditional.WhenTrue == current ? conditional.WhenFalse : conditional.WhenFalse == current ? conditional.WhenTrue : null) is { } other
                && (other is IAwaitOperation || other.SameFunctionDescendants().Any(o => o is IAwaitOperation)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A test of a mode: a <c>bool</c> mode variable or its negation (<c>async</c>, <c>!isAsync</c>), or a mode
    /// variable compared with a constant (<c>ioBehavior == IOBehavior.Asynchronous</c>). A mode variable is a local, a
    /// parameter, or a field or property of this object; a property of another object (<c>stream.CanSeek</c>) is state.
    /// </summary>
    private static bool IsModeTest(IOperation condition)
    {
        var value = condition.Unwrap();
        if (value is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not)
        {
            value = not.Operand.Unwrap();
        }

        if (value is IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } comparison)
        {
            return IsModeVariable(comparison.LeftOperand) && comparison.RightOperand.ConstantValue.HasValue
                || IsModeVariable(comparison.RightOperand) && comparison.LeftOperand.ConstantValue.HasValue;
        }

        return value?.Type?.SpecialType == SpecialType.System_Boolean && IsModeVariable(value);
    }

    private static bool IsModeVariable(IOperation operation)
        => operation.Unwrap() switch
        {
            ILocalReferenceOperation or IParameterReferenceOperation => true,
            IFieldReferenceOperation field => field.Instance is null or IInstanceReferenceOperation,
            IPropertyReferenceOperation { Arguments.IsEmpty: true } property => property.Instance is null or IInstanceReferenceOperation,
            _ => false,
        };

    /// <summary>
    /// Receivers whose "I/O" never waits on a device: the console's own writers and reader, in-memory streams, readers
    /// and writers, and a stream or reader made over one of those (<c>new DeflateStream(memory, ...)</c>,
    /// <c>new StreamReader(decompressed)</c>) in a local or a private field of this type.
    /// </summary>
    private static bool IsInMemoryOrConsole(IOperation receiver, AsyncSymbols symbols, int depth = 0)
    {
        if (receiver is IPropertyReferenceOperation console && (symbols.IsConsoleStream(console.Property) || IsTestOutput(console.Property))
            || symbols.IsInMemoryIo(receiver.Type))
        {
            return true;
        }

        if (depth > 2)
        {
            return false;
        }

        var values = receiver switch
        {
            ILocalReferenceOperation local => VariableValues.Of(local.Local, receiver.SemanticModel),
            IFieldReferenceOperation { Field: { DeclaredAccessibility: Accessibility.Private } field } => VariableValues.Of(field, receiver.SemanticModel),
            _ => ImmutableArray<IOperation>.Empty,
        };
        return !values.IsEmpty && values.All(v => v.Unwrap() is IObjectCreationOperation { Arguments.Length: > 0 } creation
            && creation.Arguments[0].Value.Unwrap() is { } inner && IsInMemoryOrConsole(inner, symbols, depth + 1));
    }

    /// <summary>
    /// The receiver's type overrides the synchronous method but not its awaitable twin, which it inherits from a base
    /// class (a fake <c>DbConnection</c> overriding <c>Open</c>, a nested data reader overriding <c>Read</c>): the
    /// inherited twin was not written for this type, and the framework's base twins call the synchronous method, so
    /// awaiting it would gain nothing.
    /// </summary>
    private static bool TwinGainsNothing(IMethodSymbol method, IMethodSymbol twin, ITypeSymbol? receiverType)
    {
        if (!method.IsVirtual && !method.IsOverride && !method.IsAbstract || receiverType is null)
        {
            return false;
        }

        // The most derived declarations of both along the receiver's base types: the sync one lower means the twin (any
        // overload of it: OpenAsync() calls the virtual OpenAsync(CancellationToken)) is inherited.
        for (var type = receiverType as INamedTypeSymbol; type is not null; type = type.BaseType)
        {
            var declaresSync = Overrides(type, method);
            var declaresTwin = type.GetMembers(twin.Name).Any(m => m is IMethodSymbol { IsOverride: true }
                || SymbolEqualityComparer.Default.Equals(m.ContainingType.OriginalDefinition, twin.ContainingType.OriginalDefinition));
            if (declaresSync || declaresTwin)
            {
                return declaresSync && !declaresTwin;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="type"/> declares <paramref name="method"/> or an override of it.</summary>
    private static bool Overrides(INamedTypeSymbol type, IMethodSymbol method)
    {
        foreach (var member in type.GetMembers(method.Name))
        {
            for (var candidate = member as IMethodSymbol; candidate is not null; candidate = candidate.OverriddenMethod)
            {
                if (SymbolEqualityComparer.Default.Equals(candidate.OriginalDefinition, method.OriginalDefinition))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// The body of the program's <c>Main</c> (or its top-level statements), outside any lambda or local function: the
    /// process has nothing else to do while it waits, and no caller or synchronization context is held up.
    /// </summary>
    private static bool InTheEntryPoint(IOperation operation, ISymbol containingSymbol)
        => containingSymbol is IMethodSymbol { IsStatic: true, Name: "Main" or "<Main>$" }
            && operation.EnclosingFunction() is null;

    /// <summary>I/O, not a wait: every twin type but <c>SemaphoreSlim</c> and <c>Process</c>, whose waits block on other work.</summary>
    private static bool IsIo(IMethodSymbol method, AsyncSymbols symbols)
        => !SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.SemaphoreSlim) && !SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.Process);

    /// <summary>A test framework's console-like writer: a static <c>Out</c>, <c>Error</c> or <c>Progress</c> of type <c>TextWriter</c> (NUnit's <c>TestContext.Out</c>).</summary>
    private static bool IsTestOutput(IPropertySymbol property)
        => property is { IsStatic: true, Name: "Out" or "Error" or "Progress" } && property.Type.Name == "TextWriter"
            && property.Type.ContainingNamespace?.ToDisplayString() == "System.IO";

    /// <summary>Async code where await is allowed: not a lock body, catch filter, unsafe context or query, not nameof.</summary>
    private static bool InAsyncCode(IOperation operation, ISymbol containingSymbol)
        => AwaitSite.Of(operation, containingSymbol).IsAsync && !AwaitSite.AwaitIsForbiddenAt(operation.Syntax) && !operation.IsInNameof();
}
