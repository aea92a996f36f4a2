using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncPitfalls.Analyzers;

/// <summary>
/// ASYNC030: a blocking call inside async code: <c>Thread.Sleep</c>, <c>.Wait()</c>, <c>.Result</c>,
/// <c>.GetAwaiter().GetResult()</c>, <c>Task.WaitAll/WaitAny</c>, and synchronous I/O and waits of the framework
/// that have an awaitable twin.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ASYNC030BlockingCallAnalyzer : DiagnosticAnalyzer
{
    public const string CheckAllTypesKey = "ASYNC030.check_all_types";

    /// <summary>Which fix applies: Sleep, Wait, Result, GetResult, WaitAll, WaitAny, Twin.</summary>
    public const string KindProperty = "Kind";

    /// <summary>For Kind=Twin, the name of the awaitable twin.</summary>
    public const string TwinProperty = "Twin";

    /// <summary>Set when the twin (or Task.Delay) has an overload taking a trailing CancellationToken.</summary>
    public const string TakesTokenProperty = "TakesToken";

    internal static readonly DiagnosticDescriptor Rule = RuleFactory.Create(
        DiagnosticIds.BlockingCall,
        title: "Blocking call in async code",
        message: "'{0}' blocks the thread inside an async method; use '{1}'",
        DiagnosticCategories.Performance,
        DiagnosticSeverity.Warning,
        description: "Async code calls a member that blocks the thread until work completes, such as Thread.Sleep, Task.Wait, Task.Result or synchronous I/O, while an awaitable alternative exists, which ties up a thread-pool thread or deadlocks under a synchronization context.");

    private static readonly ImmutableHashSet<string> IoNamespaces = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "System.IO",
        "System.IO.Pipes",
        "System.IO.Compression",
        "System.IO.Pipelines",
        "System.Net",
        "System.Net.Sockets",
        "System.Net.Http",
        "System.Net.Security",
        "System.Data.Common",
        "System.Threading.Channels");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var known = KnownTypes.Create(start.Compilation);
            if (!known.HasTasks)
            {
                return;
            }

            var state = new State(start.Compilation, known);
            start.RegisterOperationAction(c => AnalyzeInvocation(c, state), OperationKind.Invocation);
            start.RegisterOperationAction(c => AnalyzeProperty(c, state), OperationKind.PropertyReference);
        });
    }

    private sealed class State
    {
        public State(Compilation compilation, KnownTypes known)
        {
            Known = known;
            Thread = compilation.GetTypeByMetadataName("System.Threading.Thread");
            SemaphoreSlim = compilation.GetTypeByMetadataName("System.Threading.SemaphoreSlim");
            Process = compilation.GetTypeByMetadataName("System.Diagnostics.Process");
            TaskFactory = compilation.GetTypeByMetadataName("System.Threading.Tasks.TaskFactory");
        }

        public KnownTypes Known { get; }
        public INamedTypeSymbol? Thread { get; }
        public INamedTypeSymbol? SemaphoreSlim { get; }
        public INamedTypeSymbol? Process { get; }
        public INamedTypeSymbol? TaskFactory { get; }

        /// <summary>Per method: the awaitable twin, or null. Cached per (method, check-all-types).</summary>
        public ConcurrentDictionary<(IMethodSymbol, bool), (IMethodSymbol? Twin, bool TakesToken)> Twins { get; } = new(MethodFlagComparer.Instance);

        public ConcurrentDictionary<INamedTypeSymbol, bool> IoTypes { get; } = new(SymbolEqualityComparer.Default);

        /// <summary>The check_all_types option, read once per tree.</summary>
        public ConcurrentDictionary<SyntaxTree, bool> CheckAllTypes { get; } = new();
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, State state)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        var known = state.Known;
        string? blocking = null;
        string? alternative = null;
        string? kind = null;
        var properties = ImmutableDictionary<string, string?>.Empty;

        switch (method.Name)
        {
            case "Sleep" when SymbolEqualityComparer.Default.Equals(method.ContainingType, state.Thread):
                (blocking, alternative, kind) = ("Thread.Sleep", "await Task.Delay", "Sleep");
                properties = properties.Add(TakesTokenProperty, "true");
                break;
            case "Wait" when !method.IsStatic && known.IsTaskOrDerived(method.ContainingType):
                if (!InAsyncCode(invocation, context.ContainingSymbol) || IsComplete(invocation.Instance, invocation, known))
                {
                    return;
                }

                (blocking, alternative, kind) = ("Task.Wait", "await", "Wait");
                break;
            case "GetResult" when AwaitableFlow.Unwrap(invocation.Instance) is IInvocationOperation { TargetMethod.Name: "GetAwaiter" } getAwaiter
                && AwaitableFlow.UnwrapConfigureAwait(getAwaiter.Instance) is { } awaitedTask && (known.IsTaskType(awaitedTask.Type) || known.IsTaskOrDerived(awaitedTask.Type)):
                if (!InAsyncCode(invocation, context.ContainingSymbol) || IsComplete(awaitedTask, invocation, known))
                {
                    return;
                }

                (blocking, alternative, kind) = ("GetAwaiter().GetResult()", "await", "GetResult");
                break;
            case "WaitAll" or "WaitAny" when method.IsStatic && SymbolEqualityComparer.Default.Equals(method.ContainingType, known.Task):
                (blocking, alternative, kind) = method.Name == "WaitAll"
                    ? ("Task.WaitAll", "await Task.WhenAll", "WaitAll")
                    : ("Task.WaitAny", "await Task.WhenAny", "WaitAny");
                break;
            default:
                if (method.Name.EndsWith("Async", StringComparison.Ordinal) || method.Name is "Cancel" or "Dispose" or "Close" or "Release" or "Set" or "Reset")
                {
                    return;
                }

                var isIo = IsIoOrWaitType(method.ContainingType, state);
                var checkAll = !isIo && state.CheckAllTypes.GetOrAdd(invocation.Syntax.SyntaxTree, tree => AnalyzerOption.GetBool(context.Options, tree, CheckAllTypesKey, defaultValue: false));
                if (!isIo && !checkAll || !InAsyncCode(invocation, context.ContainingSymbol))
                {
                    return;
                }

                if (IsInMemoryOrConsole(invocation.Instance))
                {
                    return;
                }

                var (twin, takesToken) = state.Twins.GetOrAdd((method.OriginalDefinition, checkAll), key => FindTwin(key.Item1, state.Known));
                if (twin is null)
                {
                    return;
                }

                var owner = method.IsStatic ? method.ContainingType.Name + "." : "";
                (blocking, alternative, kind) = ($"{owner}{method.Name}", $"await {owner}{twin.Name}", "Twin");
                properties = properties.Add(TwinProperty, twin.Name);
                if (takesToken)
                {
                    properties = properties.Add(TakesTokenProperty, "true");
                }

                break;
        }

        if (blocking is null || !InAsyncCode(invocation, context.ContainingSymbol))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(Rule, invocation.Syntax.GetLocation(), properties.Add(KindProperty, kind), blocking, alternative));
    }

    private static void AnalyzeProperty(OperationAnalysisContext context, State state)
    {
        var property = (IPropertyReferenceOperation)context.Operation;
        if (property.Property.Name != "Result" || !state.Known.IsTaskType(property.Property.ContainingType)
            && !state.Known.IsTaskOrDerived(property.Property.ContainingType))
        {
            return;
        }

        if (LocalReadsWriteTarget(property) || !InAsyncCode(property, context.ContainingSymbol) || IsComplete(property.Instance, property, state.Known))
        {
            return;
        }

        var typeName = state.Known.IsTaskOrDerived(property.Property.ContainingType) ? "Task" : "ValueTask";
        context.ReportDiagnostic(Diagnostic.Create(
            Rule,
            property.Syntax.GetLocation(),
            ImmutableDictionary<string, string?>.Empty.Add(KindProperty, "Result"),
            $"{typeName}.Result",
            "await"));
    }

    /// <summary>
    /// Receivers whose "I/O" never waits on a device: in-memory streams, readers and writers
    /// (MemoryStream, StringReader, StringWriter), and the console's own writers (Console.Out, Console.Error, Console.In).
    /// </summary>
    private static bool IsInMemoryOrConsole(IOperation? instance)
    {
        var receiver = AwaitableFlow.Unwrap(instance);
        if (receiver is IPropertyReferenceOperation { Property: { Name: "Out" or "Error" or "In", ContainingType.Name: "Console" } })
        {
            return true;
        }

        for (var type = receiver?.Type; type is not null; type = type.BaseType)
        {
            if (type.Name is "MemoryStream" or "StringReader" or "StringWriter" or "UnmanagedMemoryStream"
                && type.ContainingNamespace?.ToDisplayString() == "System.IO")
            {
                return true;
            }
        }

        return false;
    }

    private static bool LocalReadsWriteTarget(IOperation operation)
        => operation.Parent is ISimpleAssignmentOperation assignment && assignment.Target == operation;

    /// <summary>Async code where await is allowed: not a lock body, catch filter, unsafe context or query, not nameof.</summary>
    private static bool InAsyncCode(IOperation operation, ISymbol containingSymbol)
        => AsyncContext.Of(operation, containingSymbol).IsAsync && !AsyncContext.AwaitIsForbiddenAt(operation.Syntax)
            && operation.Syntax.FirstAncestorOrSelf<InvocationExpressionSyntax>(i => i.Expression is IdentifierNameSyntax { Identifier.ValueText: "nameof" }) is null;

    private static bool IsIoOrWaitType(INamedTypeSymbol? type, State state)
    {
        if (type is null)
        {
            return false;
        }

        return state.IoTypes.GetOrAdd(type, t =>
        {
            if (SymbolEqualityComparer.Default.Equals(t, state.SemaphoreSlim) || SymbolEqualityComparer.Default.Equals(t, state.Process))
            {
                return true;
            }

            for (var current = t; current is not null; current = current.BaseType)
            {
                if (current.ContainingNamespace is { } ns && IoNamespaces.Contains(ns.ToDisplayString()))
                {
                    return true;
                }
            }

            return false;
        });
    }

    /// <summary>
    /// <c>NameAsync</c> on the same type or a base, with the same parameter types, optionally plus a trailing
    /// CancellationToken, returning an awaitable, and not obsolete.
    /// </summary>
    private static (IMethodSymbol? Twin, bool TakesToken) FindTwin(IMethodSymbol method, KnownTypes known)
    {
        IMethodSymbol? exact = null;
        IMethodSymbol? withToken = null;
        for (var type = method.ContainingType; type is not null; type = type.BaseType)
        {
            foreach (var member in type.GetMembers(method.Name + "Async"))
            {
                if (member is not IMethodSymbol candidate || candidate.IsStatic != method.IsStatic
                    || candidate.DeclaredAccessibility != Accessibility.Public
                    || candidate.GetAttributes().Any(a => a.AttributeClass?.Name == "ObsoleteAttribute")
                    || !(known.IsTaskType(candidate.ReturnType) || known.IsTaskOrDerived(candidate.ReturnType)))
                {
                    continue;
                }

                if (SameParameters(method.Parameters, candidate.Parameters, candidate.Parameters.Length))
                {
                    exact ??= candidate;
                }
                else if (candidate.Parameters.Length == method.Parameters.Length + 1
                    && SymbolEqualityComparer.Default.Equals(candidate.Parameters[candidate.Parameters.Length - 1].Type, known.CancellationToken)
                    && SameParameters(method.Parameters, candidate.Parameters, method.Parameters.Length))
                {
                    withToken ??= candidate;
                }
            }
        }

        return exact is not null ? (exact, withToken is not null) : (withToken, withToken is not null);
    }

    private static bool SameParameters(ImmutableArray<IParameterSymbol> sync, ImmutableArray<IParameterSymbol> twin, int count)
    {
        if (count != sync.Length)
        {
            return false;
        }

        for (var i = 0; i < count; i++)
        {
            if (!SymbolEqualityComparer.Default.Equals(sync[i].Type, twin[i].Type) || sync[i].RefKind != twin[i].RefKind)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// True when the task is provably complete at <paramref name="use"/>: it comes from <c>Task.FromResult</c>
    /// or <c>Task.CompletedTask</c>, it was awaited (alone or in <c>Task.WhenAll</c>) earlier in a block that
    /// contains the use, or the use is guarded by <c>IsCompleted</c>/<c>IsCompletedSuccessfully</c>.
    /// </summary>
    private static bool IsComplete(IOperation? task, IOperation use, KnownTypes known)
    {
        var receiver = AwaitableFlow.Unwrap(task);
        if (IsCompletedTaskExpression(receiver, known))
        {
            return true;
        }

        var symbol = receiver switch
        {
            ILocalReferenceOperation local => (ISymbol)local.Local,
            IParameterReferenceOperation parameter => parameter.Parameter,
            IFieldReferenceOperation field => field.Field,
            _ => null,
        };
        if (symbol is null)
        {
            return false;
        }

        if (symbol is ILocalSymbol localSymbol && IsOnlyAssignedCompletedTask(localSymbol, use, known))
        {
            return true;
        }

        if (IsGuardedByCompletionCheck(symbol, use))
        {
            return true;
        }

        var root = LocalReads.Root(use);
        var useFunction = LocalReads.EnclosingFunction(use);
        foreach (var operation in root.Descendants())
        {
            if (operation is not IAwaitOperation awaitOperation || operation.Syntax.SpanStart >= use.Syntax.SpanStart
                || LocalReads.EnclosingFunction(awaitOperation) != useFunction)
            {
                continue;
            }

            var awaited = AwaitableFlow.UnwrapConfigureAwait(awaitOperation.Operation);

            var covers = Refers(awaited, symbol)
                || awaited is IInvocationOperation { TargetMethod.Name: "WhenAll" } whenAll && whenAll.Arguments.Any(a => a.Value.DescendantsAndSelf().Any(d => Refers(d, symbol)));
            if (covers && DominatesBySyntax(awaitOperation.Syntax, use.Syntax))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Refers(IOperation? operation, ISymbol symbol)
        => AwaitableFlow.Unwrap(operation) switch
        {
            ILocalReferenceOperation local => SymbolEqualityComparer.Default.Equals(local.Local, symbol),
            IParameterReferenceOperation parameter => SymbolEqualityComparer.Default.Equals(parameter.Parameter, symbol),
            IFieldReferenceOperation field => SymbolEqualityComparer.Default.Equals(field.Field, symbol),
            _ => false,
        };

    /// <summary>The statement holding the await sits in a block that also holds the use, before it: it runs on every path to the use.</summary>
    private static bool DominatesBySyntax(SyntaxNode awaitSyntax, SyntaxNode useSyntax)
    {
        // The statement holding the await is a plain statement of a block that also holds the use: no condition,
        // loop or try can skip it on the way to the use.
        var statement = awaitSyntax.FirstAncestorOrSelf<StatementSyntax>();
        return statement is ExpressionStatementSyntax or LocalDeclarationStatementSyntax
            && statement.Parent is BlockSyntax block
            && block.Span.Contains(useSyntax.Span);
    }

    private static bool IsCompletedTaskExpression(IOperation? operation, KnownTypes known)
        => operation switch
        {
            IInvocationOperation { TargetMethod.Name: "FromResult" or "FromException" or "FromCanceled" } invocation => known.IsTaskType(invocation.TargetMethod.ContainingType) || known.IsTaskOrDerived(invocation.TargetMethod.ContainingType),
            IPropertyReferenceOperation { Property.Name: "CompletedTask" } property => known.IsTaskType(property.Property.ContainingType) || known.IsTaskOrDerived(property.Property.ContainingType),
            IObjectCreationOperation creation => known.IsTaskType(creation.Type) && creation.Type is INamedTypeSymbol { Name: "ValueTask" } && creation.Arguments.Length == 1 && !known.IsTaskType(creation.Arguments[0].Value.Type) && !known.IsTaskOrDerived(creation.Arguments[0].Value.Type),
            _ => false,
        };

    private static bool IsOnlyAssignedCompletedTask(ILocalSymbol local, IOperation use, KnownTypes known)
    {
        var any = false;
        foreach (var operation in LocalReads.Root(use).Descendants())
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local):
                    var initializer = declarator.Initializer ?? (declarator.Parent as IVariableDeclarationOperation)?.Initializer;
                    if (initializer is null || !IsCompletedTaskExpression(AwaitableFlow.Unwrap(initializer.Value), known))
                    {
                        return false;
                    }

                    any = true;
                    break;
                case ILocalReferenceOperation reference when SymbolEqualityComparer.Default.Equals(reference.Local, local) && !LocalUsageIndex.IsRead(reference):
                    if (reference.Parent is not ISimpleAssignmentOperation assignment || !IsCompletedTaskExpression(AwaitableFlow.Unwrap(assignment.Value), known))
                    {
                        return false;
                    }

                    break;
                case ILocalReferenceOperation reference when SymbolEqualityComparer.Default.Equals(reference.Local, local) && reference.Parent is IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out }:
                    return false;
            }
        }

        return any;
    }

    /// <summary>Inside <c>if (t.IsCompleted)</c>, <c>if (t.IsCompletedSuccessfully)</c>, or the true branch of a conditional on them.</summary>
    private static bool IsGuardedByCompletionCheck(ISymbol symbol, IOperation use)
    {
        for (var current = use; current.Parent is { } parent; current = parent)
        {
            if (parent is IConditionalOperation conditional && conditional.WhenTrue == current
                && conditional.Condition.DescendantsAndSelf().Any(o => o is IPropertyReferenceOperation { Property.Name: "IsCompleted" or "IsCompletedSuccessfully" } p && Refers(p.Instance, symbol)))
            {
                return true;
            }

            if (parent is IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } and && and.RightOperand == current
                && and.LeftOperand.DescendantsAndSelf().Any(o => o is IPropertyReferenceOperation { Property.Name: "IsCompleted" or "IsCompletedSuccessfully" } p && Refers(p.Instance, symbol)))
            {
                return true;
            }

            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return false;
            }
        }

        return false;
    }

    private sealed class MethodFlagComparer : IEqualityComparer<(IMethodSymbol, bool)>
    {
        public static readonly MethodFlagComparer Instance = new();

        public bool Equals((IMethodSymbol, bool) x, (IMethodSymbol, bool) y)
            => x.Item2 == y.Item2 && SymbolEqualityComparer.Default.Equals(x.Item1, y.Item1);

        public int GetHashCode((IMethodSymbol, bool) obj)
            => SymbolEqualityComparer.Default.GetHashCode(obj.Item1) * 2 + (obj.Item2 ? 1 : 0);
    }
}
