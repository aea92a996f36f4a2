using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncPitfalls.Analyzers;

/// <summary>
/// The awaitables that may go unobserved on purpose: a <c>ContinueWith</c>, an observer helper, an NSubstitute
/// verification, or a method the user excluded. ASYNC001, ASYNC002 and the CS4014 suppressor (ASYNC901) share it, so
/// the package says the same thing about a task whether it is dropped or stored, in sync or in async code.
/// </summary>
internal static class AcceptedDrops
{
    public static readonly RuleOption<ImmutableArray<string>> ExcludedMethods = RuleOption.List(
        DiagnosticIds.UnawaitedTask,
        "excluded_methods",
        "Methods whose tasks may be dropped or left unobserved: a method name, Type.Method, Namespace.Type.Method, or a documentation ID prefix (M:Namespace.Type.Method covers every overload).",
        "Bus.PublishAsync, Forget");

    private static readonly ImmutableHashSet<string> NSubstituteVerifiers = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "Received",
        "DidNotReceive",
        "ReceivedWithAnyArgs",
        "DidNotReceiveWithAnyArgs");

    /// <summary>True when leaving the awaitable of <paramref name="invocation"/> unobserved is an accepted shape.</summary>
    public static bool IsAccepted(IInvocationOperation invocation, AsyncSymbols symbols, AnalyzerOptions options)
    {
        var method = invocation.TargetMethod;

        // A ContinueWith: the continuation is how the author observes the task.
        if (method.Name == "ContinueWith" && symbols.IsTask(method.ContainingType))
        {
            return true;
        }

        // An observer helper: an extension on an awaitable that returns one (task.ObserveErrors()).
        // ConfigureAwait and WaitAsync only wrap the task, so they are not observers.
        var extension = method.ReducedFrom ?? method;
        if (method.IsExtensionMethod
            && !symbols.IsAwaitWrapper(method)
            && extension.Parameters.Length > 0
            && symbols.IsAwaitable(extension.Parameters[0].Type, null, 0))
        {
            return true;
        }

        return IsNSubstituteVerification(invocation)
            || IsNSubstituteCallSpecification(invocation)
            || StatesFireAndForget(invocation)
            || SchedulesAnAwaiterContinuation(invocation, symbols)
            || IsExcludedByOption(method, invocation.Syntax.SyntaxTree, options);
    }

    /// <summary>
    /// An argument names an enum member <c>FireAndForget</c> (a client library's command flags): the call says that
    /// nobody waits for it, the way NSubstitute's <c>Received()</c> says it is a verification.
    /// </summary>
    private static bool StatesFireAndForget(IInvocationOperation invocation)
        => invocation.Arguments.Any(a => a.ArgumentKind == ArgumentKind.Explicit
            && a.Value.DescendantsAndSelf().Any(o => o is IFieldReferenceOperation { Field: { Name: "FireAndForget", ContainingType.TypeKind: TypeKind.Enum } }));

    /// <summary>
    /// An awaiter's <c>OnCompleted</c>/<c>UnsafeOnCompleted</c> handing its <c>continuation</c> to a scheduler
    /// (<c>Task.Run(continuation)</c>): the continuation is the awaiting code, which observes the result itself.
    /// </summary>
    private static bool SchedulesAnAwaiterContinuation(IInvocationOperation invocation, AsyncSymbols symbols)
        => symbols.INotifyCompletion is { } notify
            && invocation.Arguments.Any(a => a.Value.DescendantsAndSelf().Any(o =>
                o is IParameterReferenceOperation { Parameter: { Ordinal: 0, ContainingSymbol: IMethodSymbol { Name: "OnCompleted" or "UnsafeOnCompleted" } owner } }
                && owner.ContainingType.AllInterfaces.Contains(notify, SymbolEqualityComparer.Default)));

    private static bool IsNSubstituteVerification(IInvocationOperation invocation)
    {
        for (var receiver = invocation.Receiver().Unwrap(); receiver is IInvocationOperation call; receiver = call.Receiver().Unwrap())
        {
            if (NSubstituteVerifiers.Contains(call.TargetMethod.Name) && IsInNSubstitute(call.TargetMethod.ContainingNamespace))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The call in a lambda given to NSubstitute's <c>When(c => c.DisposeAsync())</c>, <c>WhenForAnyArgs</c> or
    /// <c>Received.InOrder(...)</c>: it names the call to intercept or verify; on a substitute it starts no work.
    /// </summary>
    private static bool IsNSubstituteCallSpecification(IInvocationOperation invocation)
    {
        for (var current = invocation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation lambda)
            {
                return lambda.WalkUpDelegateCreation().Parent is IArgumentOperation { Parent: IInvocationOperation { TargetMethod: { Name: "When" or "WhenForAnyArgs" or "InOrder" } specification } }
                    && IsInNSubstitute(specification.ContainingNamespace);
            }
        }

        return false;
    }

    private static bool IsInNSubstitute(INamespaceSymbol? ns)
    {
        for (var current = ns; current is { IsGlobalNamespace: false }; current = current.ContainingNamespace)
        {
            if (current.ContainingNamespace is { IsGlobalNamespace: true } && current.Name == "NSubstitute")
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsExcludedByOption(IMethodSymbol method, SyntaxTree tree, AnalyzerOptions options)
    {
        var excluded = ExcludedMethods.Read(options, tree);
        if (excluded.IsDefaultOrEmpty)
        {
            return false;
        }

        var definition = (method.ReducedFrom ?? method).OriginalDefinition;
        var qualified = definition.ContainingType is null
            ? definition.Name
            : definition.ContainingType.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat.WithGenericsOptions(SymbolDisplayGenericsOptions.None)) + "." + definition.Name;
        var shortQualified = definition.ContainingType is null ? definition.Name : definition.ContainingType.Name + "." + definition.Name;
        var documentationId = definition.GetDocumentationCommentId();
        foreach (var entry in excluded)
        {
            // A method name, Type.Method, Namespace.Type.Method, or a documentation-ID prefix (M:Namespace.Type.Method covers every overload).
            var isDocumentationId = entry.StartsWith("M:", StringComparison.Ordinal);
            if (!isDocumentationId && (string.Equals(entry, definition.Name, StringComparison.Ordinal) || string.Equals(entry, qualified, StringComparison.Ordinal)
                    || string.Equals(entry, shortQualified, StringComparison.Ordinal))
                || isDocumentationId && documentationId is not null && documentationId.StartsWith(entry, StringComparison.Ordinal)
                    && (documentationId.Length == entry.Length || documentationId[entry.Length] == '('))
            {
                return true;
            }
        }

        return false;
    }
}
