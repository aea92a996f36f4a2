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
    private static readonly ImmutableHashSet<string> DataReaderRowMembers = ImmutableHashSet.Create("IsDBNull", "GetFieldValue", "GetColumnSchema");

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
                AnalyzeTwin(context, invocation, symbols, facts.Twins);
                return;
        }

        if (InAsyncCode(invocation, context.ContainingSymbol) && !IsSyncHalfOfDualMode(invocation) && !IsTimedProbe(invocation)
            && (awaitedTask is null || !TaskCompletion.IsKnownComplete(awaitedTask, invocation, symbols)))
        {
            Report(context, invocation, kind, twin: null, takesToken: kind == BlockingKind.Sleep, Messages[kind].Blocking, Messages[kind].Alternative);
        }
    }

    /// <summary>
    /// <c>task.Wait(50)</c>, <c>Task.WaitAll(tasks, timeout)</c>, <c>WaitAny(tasks, timeout)</c> whose answer the code
    /// reads (<c>Assert.False(task.Wait(50))</c>, <c>if (!done.Wait(timeout))</c>): a bounded probe of whether the work
    /// has finished yet, chosen on purpose (a test asserting that something has not happened), not a thread blocked on
    /// work it could await.
    /// </summary>
    private static bool IsTimedProbe(IInvocationOperation invocation)
        => invocation.TargetMethod.Name is "Wait" or "WaitAll" or "WaitAny"
            && invocation.Arguments.Any(a => a.Parameter?.Type.SpecialType == SpecialType.System_Int32 && !(invocation.TargetMethod.Name == "WaitAny" && a.Parameter.Ordinal == 0)
                || a.Parameter?.Type.Name == "TimeSpan")
            && !invocation.Arguments.Any(a => a.Value.ConstantValue is { HasValue: true, Value: -1 })
            && invocation.WalkUpConversions().Parent is not (IExpressionStatementOperation or null)
            && !(invocation.WalkUpConversions().Parent is ISimpleAssignmentOperation { Target: IDiscardOperation });

    /// <summary>A synchronous I/O or wait method of the framework (or of any type, with the option) that has an awaitable twin.</summary>
    private static void AnalyzeTwin(OperationAnalysisContext context, IInvocationOperation invocation, AsyncSymbols symbols, AsyncTwins twins)
    {
        var method = invocation.TargetMethod;
        // Cheapest first: most methods have no awaitable twin, and that answer is cached per method definition.
        if (method.Name.EndsWith("Async", System.StringComparison.Ordinal) || NeverBlocking.Contains(method.Name)
            || twins.Find(method) is not { Method: { } twin } found
            || DataReaderRowMembers.Contains(method.Name) && symbols.IsDataReader(invocation.Receiver()?.Type)
            || !twins.IsIoOrWaitType(method.ContainingType) && !CheckAllTypes.Read(context.Options, invocation.Syntax.SyntaxTree)
            || !InAsyncCode(invocation, context.ContainingSymbol)
            || IsSyncHalfOfDualMode(invocation)
            || invocation.Instance.Unwrap() is { } receiver && IsInMemoryOrConsole(receiver, symbols))
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
        if (receiver is IPropertyReferenceOperation console && symbols.IsConsoleStream(console.Property) || symbols.IsInMemoryIo(receiver.Type))
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

    /// <summary>Async code where await is allowed: not a lock body, catch filter, unsafe context or query, not nameof.</summary>
    private static bool InAsyncCode(IOperation operation, ISymbol containingSymbol)
        => AwaitSite.Of(operation, containingSymbol).IsAsync && !AwaitSite.AwaitIsForbiddenAt(operation.Syntax) && !operation.IsInNameof();
}
