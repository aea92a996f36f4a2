using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncPitfalls.Analyzers;

/// <summary>
/// ASYNC004: <c>antecedent.ContinueWith(_ => cleanup())</c>. ContinueWith runs whether the antecedent succeeded or
/// failed, and a continuation that never reads its task turns a failure into a success: the returned task
/// completes normally, and the antecedent's exception is never observed.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ASYNC004ContinuationIgnoresAntecedentAnalyzer : DiagnosticAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = RuleFactory.Create(
        DiagnosticIds.ContinuationIgnoresAntecedent,
        title: "Continuation ignores its antecedent",
        message: "The continuation ignores its antecedent '{0}': a failure of '{0}' is lost and the continuation runs as if it succeeded",
        DiagnosticCategories.Reliability,
        DiagnosticSeverity.Warning,
        description: "ContinueWith runs its continuation whether the antecedent succeeded or failed. A continuation that never reads its task parameter, with no option that keeps faults away from it, turns the antecedent's failure into a success and loses its exception.");

    // TaskContinuationOptions: NotOnRanToCompletion = 0x10000, NotOnFaulted = 0x20000, NotOnCanceled = 0x40000;
    // OnlyOnFaulted = 0x50000, OnlyOnCanceled = 0x30000, OnlyOnRanToCompletion = 0x60000. A continuation with either of
    // the first two bits never runs on a fault, or runs only when the antecedent did not succeed (a failure handler).
    private const long NotOnFaultedOrNotOnSuccess = 0x30000;

    /// <summary>Calls that release or signal, which must run whether the work failed or not.</summary>
    private static readonly ImmutableHashSet<string> CleanupNames = ImmutableHashSet.Create(
        "Dispose", "DisposeAsync", "Return", "Release", "ReleaseMutex", "Close", "Cancel", "Set", "Exit", "Complete", "TryComplete");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            start.RegisterOperationAction(s => s.HasTasks, (c, facts) => Analyze(c, facts.Symbols, facts.Escape), OperationKind.Invocation);
        });
    }

    private static void Analyze(OperationAnalysisContext context, AsyncSymbols symbols, ExceptionEscape faults)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (invocation.TargetMethod is not { Name: "ContinueWith", IsStatic: false } method || !symbols.IsTask(method.ContainingType)
            || invocation.Instance is not { } antecedent
            || invocation.Syntax is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access })
        {
            return;
        }

        var continuation = invocation.Arguments.FirstOrDefault(a => a.Parameter?.Type.TypeKind == TypeKind.Delegate)?.Value;
        var ignores = continuation?.Unwrap() switch
        {
            IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda } => IgnoresParameter(lambda),
            IAnonymousFunctionOperation lambda => IgnoresParameter(lambda),
            IDelegateCreationOperation { Target: IMethodReferenceOperation reference } => MethodIgnoresParameter(reference.Method, context.CancellationToken),
            _ => false,
        };
        if (!ignores || KeepsFaultsAway(invocation, symbols) || IsDroppedCleanup(invocation, continuation)
            || !CanFault(antecedent, symbols, faults) || IsObservedElsewhere(antecedent, invocation, symbols))
        {
            return;
        }

        var data = new ASYNC004Data(isLambda: continuation?.Unwrap() is IDelegateCreationOperation { Target: IAnonymousFunctionOperation } or IAnonymousFunctionOperation);
        context.ReportDiagnostic(Diagnostic.Create(Rule, access.Name.GetLocation(), data.ToProperties(), AntecedentName(antecedent, symbols)));
    }

    /// <summary>The lambda's first parameter (the task) is never read in its body.</summary>
    private static bool IgnoresParameter(IAnonymousFunctionOperation lambda)
        => lambda.Symbol.Parameters.Length > 0 && lambda.Symbol.Parameters[0] is var task
            && !lambda.Body.Descendants().Any(o => o is IParameterReferenceOperation p && SymbolEqualityComparer.Default.Equals(p.Parameter, task));

    /// <summary>A method group of this compilation whose first parameter's name never appears in its body.</summary>
    private static bool MethodIgnoresParameter(IMethodSymbol method, System.Threading.CancellationToken cancellationToken)
    {
        if (method.Parameters.Length == 0 || method.DeclaringSyntaxReferences.Length != 1
            || method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not BaseMethodDeclarationSyntax declaration)
        {
            return false;
        }

        var name = method.Parameters[0].Name;
        var body = (SyntaxNode?)declaration.Body ?? declaration.ExpressionBody;
        return body is not null && !body.DescendantNodes().OfType<IdentifierNameSyntax>().Any(i => i.Identifier.ValueText == name);
    }

    /// <summary>
    /// A TaskContinuationOptions argument with NotOnFaulted (in OnlyOnRanToCompletion and OnlyOnCanceled too) or
    /// NotOnRanToCompletion (in OnlyOnFaulted): the continuation either never sees a fault or exists to handle one.
    /// </summary>
    private static bool KeepsFaultsAway(IInvocationOperation invocation, AsyncSymbols symbols)
        => invocation.Arguments.Any(a => SymbolEqualityComparer.Default.Equals(a.Parameter?.Type, symbols.TaskContinuationOptions)
            && a.Value.ConstantValue is { HasValue: true, Value: { } value }
            && (System.Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) & NotOnFaultedOrNotOnSuccess) != 0);

    /// <summary>
    /// <c>_ = work.ContinueWith(_ => buffer.Dispose())</c>: the continuation's task is dropped, and all it does is
    /// release or signal, which must happen whether the work failed or not. Nothing is lost that the drop of the work
    /// itself would not lose (that is ASYNC001/ASYNC007's business).
    /// </summary>
    private static bool IsDroppedCleanup(IInvocationOperation continueWith, IOperation? continuation)
    {
        var outer = continueWith.WalkUpConversions();
        var dropped = outer.Parent is IExpressionStatementOperation
            || (outer.Parent is ISimpleAssignmentOperation { Target: IDiscardOperation } assignment && assignment.Value == outer && assignment.Parent is IExpressionStatementOperation);
        if (!dropped)
        {
            return false;
        }

        var body = continuation?.Unwrap() switch
        {
            IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda } => lambda.Body,
            IAnonymousFunctionOperation lambda => lambda.Body,
            _ => null,
        };
        return body is not null && body.Operations.All(o => o switch
        {
            IReturnOperation { ReturnedValue: null, IsImplicit: true } => true,
            IReturnOperation { ReturnedValue: var value } => IsCleanupCall(value),
            IExpressionStatementOperation statement => IsCleanupCall(statement.Operation),
            _ => false,
        });
    }

    private static bool IsCleanupCall(IOperation? operation)
        => operation.Unwrap() switch
        {
            IInvocationOperation call => CleanupNames.Contains(call.TargetMethod.Name),
            IConditionalAccessOperation access => access.WhenNotNull.Unwrap() is IInvocationOperation call && CleanupNames.Contains(call.TargetMethod.Name),
            _ => false,
        };

    /// <summary>
    /// The antecedent can fault: not a task the fault analysis proves cannot fail (Task.Delay, Task.Yield, complete
    /// tasks), not WhenAny (its task never faults), not a TaskCompletionSource's task on which nothing in the type sets
    /// an exception.
    /// </summary>
    private static bool CanFault(IOperation antecedent, AsyncSymbols symbols, ExceptionEscape faults)
    {
        var value = AwaitableFlow.UnwrapConfigureAwait(antecedent, symbols).Unwrap();
        if (value is ILocalReferenceOperation local && SingleValue(local) is { } initial)
        {
            value = initial;
        }

        if (value is IInvocationOperation { TargetMethod: { Name: "WhenAny", IsStatic: true } whenAny } && symbols.IsTask(whenAny.ContainingType))
        {
            return false;
        }

        if (value is IPropertyReferenceOperation { Property.Name: "Task", Instance: { } source } && symbols.IsTaskCompletionSource(source.Type))
        {
            var sourceSymbol = source.ReferencedSymbol();
            return sourceSymbol is null || SetsException(sourceSymbol);
        }

        return faults.CanFail(value);
    }

    /// <summary>The value a local receives at its declaration when nothing ever writes it again, or null.</summary>
    private static IOperation? SingleValue(ILocalReferenceOperation reference)
    {
        if (reference.Local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is not VariableDeclaratorSyntax { Initializer.Value: { } initializer }
            || reference.SemanticModel is not { } model || initializer.SyntaxTree != model.SyntaxTree
            || LocalUsageIndex.References(reference.Local, reference.Root()).Any(r => LocalUsageIndex.ClassifyAccess(r) != LocalAccess.Read))
        {
            return null;
        }

        return model.GetOperation(initializer).Unwrap();
    }

    /// <summary>Something in the containing type calls SetException or TrySetException on the source.</summary>
    private static bool SetsException(ISymbol source)
    {
        var type = source.ContainingType;
        return type is null || type.DeclaringSyntaxReferences.Any(r => r.GetSyntax().DescendantNodes().OfType<MemberAccessExpressionSyntax>()
            .Any(m => m.Name.Identifier.ValueText is "SetException" or "TrySetException" && m.Expression.ToString().EndsWith(source.Name, System.StringComparison.Ordinal)));
    }

    /// <summary>A local antecedent that something else observes (awaits, returns, passes on): its failure is seen there.</summary>
    private static bool IsObservedElsewhere(IOperation antecedent, IInvocationOperation continueWith, AsyncSymbols symbols)
        => antecedent.Unwrap() switch
        {
            IInvocationOperation or IObjectCreationOperation => false,
            IPropertyReferenceOperation { Property.Name: "Task", Instance.Type: var source } when symbols.IsTaskCompletionSource(source) => false,
            ILocalReferenceOperation local => LocalUsageIndex.References(local.Local, continueWith.Root())
                .Any(r => r != antecedent.Unwrap() && LocalUsageIndex.ClassifyAccess(r) != LocalAccess.Write && AwaitableFlow.Observes(r, symbols)),
            _ => true,
        };

    private static string AntecedentName(IOperation antecedent, AsyncSymbols symbols)
        => AwaitableFlow.UnwrapConfigureAwait(antecedent, symbols).Unwrap() switch
        {
            IInvocationOperation invocation => invocation.CallName(),
            ILocalReferenceOperation local => local.Local.Name,
            var other => other?.Syntax.ToString() ?? "the antecedent",
        };
}
