using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncPitfalls.Analyzers;

/// <summary>
/// Dropped awaitables, split by what they lose. ASYNC001 (warning): the drop carries evidence of a forgotten await
/// (<see cref="DropEvidence"/>), so its completion is lost even when it cannot fail. ASYNC007 (suggestion): a task
/// dropped in synchronous code that cannot await it, where only the exception can be lost, so it is reported only
/// when the task can fail (<see cref="ExceptionEscape"/>). Both skip the drops the compiler's CS4014 already reports and
/// the drops accepted on purpose (<see cref="AcceptedDrops"/>).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ASYNC001ASYNC007DroppedTaskAnalyzer : DiagnosticAnalyzer
{
    internal static readonly DiagnosticDescriptor UnawaitedRule = RuleFactory.Create(
        DiagnosticIds.UnawaitedTask,
        title: "Awaitable result of a call is dropped",
        message: "The task returned by '{0}' is never awaited: {1}",
        DiagnosticCategories.Reliability,
        DiagnosticSeverity.Warning,
        description: "A call returns a task or another awaitable and the statement drops it where an await was evidently forgotten, so nothing waits for the work and its exceptions are never observed.");

    internal static readonly DiagnosticDescriptor FireAndForgetRule = RuleFactory.Create(
        DiagnosticIds.FireAndForget,
        title: "Fire-and-forget task can lose its exception",
        message: "The task returned by '{0}' is started and dropped in synchronous code; if it fails, its exception is lost",
        DiagnosticCategories.Reliability,
        DiagnosticSeverity.Info,
        description: "Synchronous code that cannot await starts a task that can fail and drops it, so the work runs on by itself and an exception it throws is never observed.");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(UnawaitedRule, FireAndForgetRule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            start.RegisterOperationAction(s => s.HasTasks, AnalyzeStatement, OperationKind.ExpressionStatement);
        });
    }

    private static void AnalyzeStatement(OperationAnalysisContext context, CompilationFacts facts)
    {
        var symbols = facts.Symbols;
        var statement = (IExpressionStatementOperation)context.Operation;
        var invocation = AwaitableFlow.DroppedCall(statement, out var conditional);
        if (invocation is null || invocation.Type is not { SpecialType: SpecialType.None } type
            || !symbols.IsAwaitable(type, invocation.SemanticModel, invocation.Syntax.SpanStart))
        {
            return;
        }

        var site = AwaitSite.Of(statement, context.ContainingSymbol);
        if (CompilerReportsCS4014(invocation, conditional, site)
            || IsInExpressionTree(site, symbols)
            || AcceptedDrops.IsAccepted(invocation, symbols, context.Options))
        {
            return;
        }

        var location = conditional ? statement.Operation.Syntax.GetLocation() : invocation.Syntax.GetLocation();
        var name = AwaitableFlow.UnwrapWrappers(invocation, symbols).CallName();
        var evidence = Evidence(invocation, site, facts);
        if (evidence != DropEvidence.None && facts.Escape.Of(invocation) == TaskOutcome.FinishesAtOnce)
        {
            // The task is complete, and not faulted, when the call returns (a method of this compilation whose every
            // return is Task.CompletedTask or FromResult): awaiting it would change nothing, and a synchronous throw
            // reaches the caller anyway.
            return;
        }

        if (evidence != DropEvidence.None)
        {
            context.ReportDiagnostic(Diagnostic.Create(UnawaitedRule, location, new ASYNC001Data(evidence).ToProperties(), name, WhatIsLost(evidence)));
        }
        else if (facts.Escape.CanFail(invocation))
        {
            context.ReportDiagnostic(Diagnostic.Create(FireAndForgetRule, location, new ASYNC007Data().ToProperties(), name));
        }
    }

    /// <summary>The second half of the ASYNC001 message: what this drop loses.</summary>
    private static string WhatIsLost(DropEvidence evidence)
        => evidence switch
        {
            DropEvidence.WaitOnly => "the wait never happens, since only an await makes it wait",
            DropEvidence.ConfigureAwait => "ConfigureAwait configures an await that is missing, and the task's exceptions are lost",
            DropEvidence.LoopBody => "the loop moves on before each item's work completes, and its exceptions are lost",
            _ => "the code after it runs before it completes, and its exceptions are lost",
        };

    /// <summary>
    /// Mirrors the compiler's CS4014 condition, so neither rule speaks where the compiler already warns: the
    /// statement is a plain call (not a conditional access) of an awaitable, and either the callee is declared
    /// <c>async</c> in source, or the innermost function is async and <c>await</c> is allowed there.
    /// </summary>
    private static bool CompilerReportsCS4014(IInvocationOperation invocation, bool conditional, AwaitSite context)
        => !conditional
            && (invocation.TargetMethod.IsAsync || context.IsAsync && !AwaitSite.AwaitIsForbiddenAt(invocation.Syntax));

    /// <summary>The evidence that this drop is a forgotten await, strongest first; <see cref="DropEvidence.None"/> when there is none.</summary>
    private static DropEvidence Evidence(IInvocationOperation invocation, AwaitSite context, CompilationFacts facts)
    {
        var symbols = facts.Symbols;
        if (invocation.TargetMethod.Name == "ConfigureAwait" && symbols.IsAwaitWrapper(invocation.TargetMethod))
        {
            return DropEvidence.ConfigureAwait;
        }

        if (IsWaitOnly(invocation.TargetMethod, symbols))
        {
            return DropEvidence.WaitOnly;
        }

        // Where await is forbidden (a lock body, a catch filter), the author could not have awaited.
        var canAwaitHere = !AwaitSite.AwaitIsForbiddenAt(invocation.Syntax);
        if (context.IsAsync)
        {
            return canAwaitHere ? DropEvidence.AsyncFunction : DropEvidence.None;
        }

        if (context.FunctionOperation is IAnonymousFunctionOperation loopBody && DelegateInvocation.Of(loopBody, symbols).IsLoopBody())
        {
            return DropEvidence.LoopBody;
        }

        // Task.Run and StartNew say "in the background" in the call itself: from a task-returning function or an
        // entry point, that is a deliberate start (ASYNC007's to judge), not a forgotten await.
        if (!canAwaitHere || symbols.IsBackgroundStart(AwaitableFlow.UnwrapWrappers(invocation, symbols).TargetMethod))
        {
            return DropEvidence.None;
        }

        if (context.Function is { } function && symbols.IsAwaitable(function.ReturnType, invocation.SemanticModel, invocation.Syntax.SpanStart))
        {
            return DropEvidence.ReturnsTask;
        }

        return context.FunctionOperation switch
        {
            IAnonymousFunctionOperation lambda => facts.EntryPoints.IsMinimalApiHandler(lambda) ? DropEvidence.FrameworkEntryPoint : DropEvidence.None,
            null when context.Function is { } member && facts.EntryPoints.IsEntryPoint(member) => DropEvidence.FrameworkEntryPoint,
            _ => DropEvidence.None,
        };
    }

    /// <summary>
    /// <c>Task.Delay</c>, <c>Task.WhenAll</c>/<c>WhenAny</c>, <c>WaitAsync</c>, <c>SemaphoreSlim.WaitAsync</c>,
    /// <c>ChannelReader.WaitToReadAsync</c>/<c>ChannelWriter.WaitToWriteAsync</c>: their only effect is the wait.
    /// </summary>
    private static bool IsWaitOnly(IMethodSymbol method, AsyncSymbols symbols)
        => method.Name switch
        {
            "Delay" or "WhenAll" or "WhenAny" => method.IsStatic && symbols.IsTask(method.ContainingType),
            "WaitAsync" => symbols.IsTaskLike(method.ContainingType) || SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.SemaphoreSlim),
            "WaitToReadAsync" => AsyncSymbols.IsDefinedIn(method, symbols.ChannelReader),
            "WaitToWriteAsync" => AsyncSymbols.IsDefinedIn(method, symbols.ChannelWriter),
            _ => false,
        };

    private static bool IsInExpressionTree(AwaitSite context, AsyncSymbols symbols)
    {
        if (context.FunctionOperation is not IAnonymousFunctionOperation lambda || symbols.LambdaExpression is null)
        {
            return false;
        }

        for (var parent = lambda.Parent; parent is IConversionOperation or IDelegateCreationOperation; parent = parent.Parent)
        {
            for (var type = parent.Type as INamedTypeSymbol; type is not null; type = type.BaseType)
            {
                if (SymbolEqualityComparer.Default.Equals(type, symbols.LambdaExpression))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
