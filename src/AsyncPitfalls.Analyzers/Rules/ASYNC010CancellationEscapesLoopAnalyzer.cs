using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncPitfalls.Analyzers;

/// <summary>
/// ASYNC010: a loop meant to end on cancellation awaits an operation that throws OperationCanceledException
/// on that token, so the loop ends with the exception and the code after it never runs.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ASYNC010CancellationEscapesLoopAnalyzer : DiagnosticAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = RuleFactory.Create(
        DiagnosticIds.CancellationEscapesLoop,
        title: "Cancellation escapes a loop that was meant to end gracefully",
        message: "'{0}' throws OperationCanceledException when '{1}' is cancelled, so this loop never ends gracefully and the code after it is skipped",
        DiagnosticCategories.Reliability,
        DiagnosticSeverity.Warning,
        description: "A loop that is meant to end when a token is cancelled awaits an operation that receives the same token, so cancellation arrives as an OperationCanceledException that leaves the loop and skips the code after it.");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            start.RegisterOperationAction(s => s.HasCancellation && s.HasTasks, (c, facts) => AnalyzeLoop(c, facts.Symbols), OperationKind.Loop);
        });
    }

    private static void AnalyzeLoop(OperationAnalysisContext context, AsyncSymbols symbols)
    {
        var loop = (ILoopOperation)context.Operation;
        if (loop.Body is null || !AwaitSite.Of(loop, context.ContainingSymbol).IsAsync)
        {
            return;
        }

        var body = loop.Body.SameFunctionDescendants().ToList();
        if (body.Any(CancellationFlow.IsThrowIfCancellationRequested))
        {
            return;
        }

        // Cheapest first: an await that passes a token, or a tested field or property token that a callee may use.
        // Classifying an endless loop asks the control-flow graph whether it can leave, which costs a graph of the body.
        if (!body.Any(o => o is IAwaitOperation awaitOperation && CancellationFlow.AwaitedTokenCall(awaitOperation, symbols, throughCalls: false) is not null)
            && !(loop is IForEachLoopOperation { IsAsynchronous: true } candidate && AsyncCollectionToken(candidate.Collection, symbols) is not null)
            && !(CancellationLoop.TestedToken(loop, symbols) is { } tested && CancellationLoop.ThroughCalls(CancellationFlow.Resolve(tested, symbols))))
        {
            return;
        }

        var (intent, loopToken) = CancellationLoop.Classify(loop, symbols);
        if (intent == LoopIntent.None)
        {
            return;
        }

        var loopTokens = loopToken is null ? null : CancellationFlow.Resolve(loopToken, symbols);
        var unguarded = new List<(IOperation Await, IInvocationOperation Call, IOperation Token)>();
        if (loop is IForEachLoopOperation { IsAsynchronous: true } asyncForEach && AsyncCollectionToken(asyncForEach.Collection, symbols) is { } collection)
        {
            unguarded.Add((asyncForEach.Collection, collection.Call, collection.Token));
            loopToken ??= collection.Token;
            loopTokens ??= CancellationFlow.Resolve(collection.Token, symbols);
        }

        foreach (var operation in body)
        {
            if (operation is not IAwaitOperation awaitOperation || CancellationFlow.AwaitedTokenCall(awaitOperation, symbols, CancellationLoop.ThroughCalls(loopTokens)) is not { } call)
            {
                continue;
            }

            var tokens = CancellationFlow.Resolve(call.Token, symbols);
            if (loopTokens is null)
            {
                loopToken = call.Token;
                loopTokens = tokens;
            }
            else if (!tokens.Overlaps(loopTokens))
            {
                continue;
            }

            if (!IsGuarded(awaitOperation, loop, symbols))
            {
                unguarded.Add((awaitOperation, call.Call, call.Token));
            }
        }

        if (unguarded.Count == 0 || loopToken is null || loopTokens is null
            || !CodeFollowsLoop(loop, loopTokens, symbols))
        {
            return;
        }

        var first = unguarded[0];
        var tokenText = loopToken.Syntax.ToString();
        var canSuppressThrowing = intent == LoopIntent.TestsToken && symbols.ConfigureAwaitOptions is not null
            && unguarded.All(u => u.Await is IAwaitOperation a && IsPlainTask(a.Operation.Unwrap(), symbols));
        var data = new ASYNC010Data(loopToken.Syntax.GetLocation(), unguarded.Select(u => u.Await.Syntax.GetLocation()).ToImmutableArray(), canSuppressThrowing);
        context.ReportDiagnostic(Diagnostic.Create(
            Rule,
            LoopKeyword(loop.Syntax).GetLocation(),
            data.AdditionalLocations,
            data.ToProperties(),
            first.Call.CallName(),
            tokenText));
    }

    /// <summary>For <c>await foreach</c>, the call in the collection chain that receives a token (<c>WithCancellation(T)</c>, <c>ReadAllAsync(T)</c>).</summary>
    private static (IInvocationOperation Call, IOperation Token)? AsyncCollectionToken(IOperation collection, AsyncSymbols symbols)
    {
        for (var operation = collection.Unwrap(); operation is IInvocationOperation invocation; operation = invocation.Receiver().Unwrap())
        {
            if (CancellationFlow.TokenArgument(invocation, symbols) is { } token)
            {
                return (invocation, token);
            }
        }

        return null;
    }

    /// <summary>True when a <c>try</c> between the await and the loop catches OperationCanceledException.</summary>
    private static bool IsGuarded(IOperation awaitOperation, ILoopOperation loop, AsyncSymbols symbols)
    {
        for (var current = awaitOperation; current.Parent is { } parent && current != loop; current = parent)
        {
            if (parent is ITryOperation tryOperation && tryOperation.Body == current && tryOperation.Catches.Any(c => CancellationFlow.CatchesCancellation(c, symbols)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when the loop is followed, in the same function, by code that a graceful exit would run and the
    /// exception skips. Not when an enclosing try catches the exception, when the code is in a finally, or when
    /// the first statement after the loop throws on the token itself or hands it on.
    /// </summary>
    private static bool CodeFollowsLoop(ILoopOperation loop, HashSet<ISymbol> tokens, AsyncSymbols symbols)
    {
        var function = loop.EnclosingFunction();
        for (var current = loop.Parent; current is not null && current != function; current = current.Parent)
        {
            // The author handles the exception path: an enclosing try in the same function catches cancellation.
            if (current is ITryOperation enclosing && loop.IsWithin(enclosing.Body) && enclosing.Catches.Any(c => CancellationFlow.CatchesCancellation(c, symbols)))
            {
                return false;
            }
        }

        IOperation node = loop;
        while (node.Parent is { } parent)
        {
            switch (parent)
            {
                case IBlockOperation block:
                    foreach (var statement in block.Operations.SkipWhile(s => s != node).Skip(1))
                    {
                        if (statement is IEmptyOperation or ILocalFunctionOperation or IReturnOperation { Kind: OperationKind.Return, ReturnedValue: null })
                        {
                            continue;
                        }

                        return !HandsTokenOn(statement, tokens);
                    }

                    break;
                // Out of a try block or a catch, on to the statements after the try; out of an if, a using, a lock or a label.
                case ITryOperation tryOperation when tryOperation.Body == node || node is ICatchClauseOperation:
                case IConditionalOperation or IUsingOperation or ILockOperation or ILabeledOperation or ICatchClauseOperation:
                    break;
                default:
                    return false;
            }

            node = parent;
        }

        return false;
    }

    /// <summary>A statement that throws on the token or hands it on: the exception path continues there.</summary>
    private static bool HandsTokenOn(IOperation statement, HashSet<ISymbol> tokens)
        => statement.DescendantsAndSelf().Any(o => CancellationFlow.IsThrowIfCancellationRequested(o) || o.ReferencedSymbol() is { } symbol && tokens.Contains(symbol));

    /// <summary>A call that returns a plain <c>Task</c> (not <c>Task&lt;T&gt;</c>, not already configured).</summary>
    private static bool IsPlainTask(IOperation? awaited, AsyncSymbols symbols)
        => awaited is IInvocationOperation invocation && SymbolEqualityComparer.Default.Equals(invocation.Type, symbols.Task);

    private static SyntaxToken LoopKeyword(SyntaxNode loop)
        => loop switch
        {
            WhileStatementSyntax w => w.WhileKeyword,
            DoStatementSyntax d => d.DoKeyword,
            ForStatementSyntax f => f.ForKeyword,
            CommonForEachStatementSyntax fe => fe.ForEachKeyword,
            _ => loop.GetFirstToken(),
        };
}
