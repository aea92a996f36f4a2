using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncPitfalls.Analyzers;

/// <summary>
/// Which dropped awaitable calls are fine on purpose. Shared by ASYNC001 and the CS4014 suppressor
/// (ASYNC901) so the package says the same thing in sync and async code.
/// </summary>
internal static class DroppedTaskPolicy
{
    public const string ExcludedMethodsKey = "ASYNC001.excluded_methods";

    private static readonly ImmutableHashSet<string> NSubstituteVerifiers = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "Received",
        "DidNotReceive",
        "ReceivedWithAnyArgs",
        "DidNotReceiveWithAnyArgs");

    /// <summary>True when dropping the awaitable of <paramref name="invocation"/> is an accepted shape.</summary>
    public static bool IsAcceptedDrop(IInvocationOperation invocation, AwaitableTypes awaitables, AnalyzerOptions options)
    {
        var method = invocation.TargetMethod;

        // A dropped ContinueWith: the continuation is how the author observes the task.
        if (method.Name == "ContinueWith" && awaitables.Known.IsTaskOrDerived(method.ContainingType))
        {
            return true;
        }

        // An observer helper: an extension on a task that returns a task (task.ObserveErrors()).
        // ConfigureAwait and WaitAsync only wrap the task, so they are not observers.
        var extension = method.ReducedFrom ?? method;
        if (method.IsExtensionMethod
            && method.Name is not ("ConfigureAwait" or "WaitAsync")
            && extension.Parameters.Length > 0
            && awaitables.IsAwaitable(extension.Parameters[0].Type, null, 0))
        {
            return true;
        }

        if (IsNSubstituteVerification(invocation))
        {
            return true;
        }

        return IsExcludedByOption(method, invocation.Syntax.SyntaxTree, options);
    }

    private static bool IsNSubstituteVerification(IInvocationOperation invocation)
    {
        for (var receiver = AwaitableFlow.Unwrap(invocation.Instance); receiver is IInvocationOperation call; receiver = AwaitableFlow.Unwrap(call.Instance ?? (call.Arguments.Length > 0 && call.TargetMethod.IsExtensionMethod ? call.Arguments[0].Value : null)))
        {
            if (NSubstituteVerifiers.Contains(call.TargetMethod.Name) && IsInNSubstitute(call.TargetMethod.ContainingNamespace))
            {
                return true;
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
        var excluded = AnalyzerOption.GetList(options, tree, ExcludedMethodsKey);
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

    /// <summary>
    /// Mirrors the compiler's CS4014 condition, so ASYNC001 stays silent where the compiler already warns:
    /// the statement is a plain call (not a conditional access) and either the callee is declared
    /// <c>async</c> in source, or the innermost function is async, <c>await</c> is allowed there and the
    /// result is awaitable.
    /// </summary>
    public static bool CompilerReportsCS4014(IInvocationOperation invocation, bool conditional, AsyncContext context, bool awaitable)
    {
        if (conditional || invocation.Type is null || invocation.Type.TypeKind == TypeKind.Dynamic || invocation.Type.SpecialType == SpecialType.System_Void)
        {
            return false;
        }

        if (invocation.TargetMethod.IsAsync)
        {
            return true;
        }

        return context.IsAsync && awaitable && !AsyncContext.AwaitIsForbiddenAt(invocation.Syntax);
    }
}
