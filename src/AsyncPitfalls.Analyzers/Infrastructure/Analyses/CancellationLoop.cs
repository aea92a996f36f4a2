using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncPitfalls.Analyzers;

/// <summary>What a loop is meant to end on.</summary>
internal enum LoopIntent
{
    /// <summary>Neither of the shapes below: a bounded loop, a condition with other tests, or a loop with exits.</summary>
    None,

    /// <summary>The loop tests the token: <c>while (!T.IsCancellationRequested)</c> or <c>if (T.IsCancellationRequested) break;</c>.</summary>
    TestsToken,

    /// <summary>The loop has no way out but an exception: <c>while (true)</c> without exits, or a never-ending iterator.</summary>
    NoOtherExit,
}

/// <summary>
/// The questions ASYNC010 and ASYNC011 ask about a loop and cancellation: what the loop is meant to end on, which
/// token it tests, which loop encloses a statement, and whether the loop has a way out on cancellation.
/// </summary>
internal static class CancellationLoop
{
    /// <summary>
    /// The loop's intent, and for <see cref="LoopIntent.TestsToken"/> the token it tests. Only an endless loop
    /// (<see cref="IsEndless"/>) that tests no token asks the control-flow graph whether it can leave.
    /// </summary>
    public static (LoopIntent Intent, IOperation? Token) Classify(ILoopOperation loop, AsyncSymbols symbols)
        => TestedToken(loop, symbols) is { } tested ? (LoopIntent.TestsToken, (IOperation?)tested)
            : IsEndless(loop) && !CanLeaveNormally(loop) ? (LoopIntent.NoOtherExit, null)
            : (LoopIntent.None, null);

    /// <summary>
    /// The token a loop tests (<c>while (!T.IsCancellationRequested)</c>, or <c>if (T.IsCancellationRequested) break;</c>
    /// in an endless loop), found without the control-flow graph; null when it tests none.
    /// </summary>
    public static IOperation? TestedToken(ILoopOperation loop, AsyncSymbols symbols)
        => loop is IWhileLoopOperation whileLoop && CancellationFlow.NegatedCancellationCheck(whileLoop.Condition, symbols) is { } tested ? tested
            : IsEndless(loop) ? BreakTestToken(loop, symbols)
            : null;

    /// <summary>
    /// A loop whose condition never ends it: no condition (<c>for (;;)</c>, also with an initializer or an increment), a
    /// constant <c>true</c> one (<c>while (true)</c>, <c>do { } while (true)</c>), or a <c>foreach</c> over a
    /// never-ending iterator.
    /// </summary>
    private static bool IsEndless(ILoopOperation loop)
        => loop switch
        {
            IForLoopOperation forLoop => forLoop.Condition is null || forLoop.Condition.IsTrueLiteral(),
            IWhileLoopOperation whileLoop => whileLoop.Condition.IsTrueLiteral(),
            IForEachLoopOperation forEach => IsNeverEndingIterator(forEach.Collection),
            _ => false,
        };

    /// <summary>The token of an <c>if (T.IsCancellationRequested) break;</c> in the loop's body.</summary>
    private static IOperation? BreakTestToken(ILoopOperation loop, AsyncSymbols symbols)
    {
        foreach (var operation in loop.Body.SameFunctionDescendants())
        {
            if (operation is IConditionalOperation { WhenTrue: { } whenTrue } conditional
                && CancellationFlow.CancellationCheckReceiver(conditional.Condition, symbols) is { } token
                && BreaksOutOf(whenTrue, loop))
            {
                return token;
            }
        }

        return null;
    }

    /// <summary>
    /// The loop can end without an exception, on its function's control-flow graph: a <c>break</c>, <c>return</c> or
    /// <c>goto</c> that normal flow reaches. A never-ending iterator's end does not count. Without a graph, it can.
    /// </summary>
    private static bool CanLeaveNormally(ILoopOperation loop)
        => Paths.Around(loop) is not { } paths || paths.CanLeaveNormally(loop, ignoringItsCondition: loop is IForEachLoopOperation);

    /// <summary>
    /// True when the loop has no way to end but an exception: no condition (<c>for (;;)</c>, also with an initializer
    /// or an increment), a constant <c>true</c> condition (<c>while (true)</c>, <c>do { } while (true)</c>), or a
    /// <c>foreach</c> over a never-ending iterator; and no <c>break</c>, <c>return</c> or <c>goto</c> that normal flow
    /// reaches on the control-flow graph (<see cref="Paths.CanLeaveNormally"/>). Any other condition, or an exit such as
    /// <c>if (pending is null) break;</c>, ends the loop another way.
    /// </summary>
    public static bool HasNoExitButAnException(ILoopOperation loop) => IsEndless(loop) && !CanLeaveNormally(loop);

    /// <summary>
    /// The symbols among <paramref name="tokens"/> that outlive the loop: parameters, fields, properties, and locals
    /// declared before it. A token made inside the loop is per attempt (a timeout), not the loop's stop token.
    /// </summary>
    public static List<ISymbol> TokensThatOutlive(ILoopOperation loop, HashSet<ISymbol> tokens)
        => tokens.Where(t => t is IParameterSymbol or IFieldSymbol or IPropertySymbol
                || t is ILocalSymbol local && local.Locations.FirstOrDefault() is { IsInSource: true } location && location.SourceSpan.Start < loop.Syntax.SpanStart)
            .OrderBy(t => t switch { IParameterSymbol => 0, IFieldSymbol or IPropertySymbol => 1, _ => 2 })
            .ThenBy(t => t.Name, System.StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// True when the loop has a way out on cancellation of one of <paramref name="tokens"/> outside
    /// <paramref name="excluded"/>: its condition or a branch tests the token, it throws on the token, or an await in
    /// its condition or body receives the token.
    /// </summary>
    public static bool HasCancellationExit(ILoopOperation loop, IOperation excluded, HashSet<ISymbol> tokens, AsyncSymbols symbols)
    {
        var condition = loop switch
        {
            IWhileLoopOperation whileLoop => whileLoop.Condition,
            IForLoopOperation forLoop => forLoop.Condition,
            _ => null,
        };
        if (condition is not null && TestsToken(condition, tokens, symbols))
        {
            return true;
        }

        var candidates = condition is null ? loop.Body.SameFunctionDescendants() : condition.SameFunctionDescendants().Concat(loop.Body.SameFunctionDescendants());
        foreach (var operation in candidates)
        {
            if (operation.IsWithin(excluded))
            {
                continue;
            }

            switch (operation)
            {
                case IConditionalOperation conditional when TestsToken(conditional.Condition, tokens, symbols):
                    return true;
                case IInvocationOperation { Instance: { } instance } when CancellationFlow.IsThrowIfCancellationRequested(operation)
                    && CancellationFlow.Resolve(instance, symbols).Overlaps(tokens):
                    return true;
                case IAwaitOperation awaitOperation when CancellationFlow.AwaitedTokenCall(awaitOperation, symbols, ThroughCalls(tokens)) is { } call
                    && CancellationFlow.Resolve(call.Token, symbols).Overlaps(tokens):
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether to read the callees that are given no token for one of <paramref name="tokens"/>: only when the loop's
    /// token is known and is a field or property, the one way a callee can share it. A loop whose token is not known yet
    /// (<c>while (true)</c> with no test) learns it from the calls that pass one; reading every callee to guess it costs
    /// a binding of each.
    /// </summary>
    public static bool ThroughCalls(HashSet<ISymbol>? tokens) => tokens is not null && tokens.Any(t => t is IFieldSymbol or IPropertySymbol);

    /// <summary>True when <paramref name="condition"/> reads <c>IsCancellationRequested</c> of one of <paramref name="tokens"/>.</summary>
    public static bool TestsToken(IOperation condition, HashSet<ISymbol> tokens, AsyncSymbols symbols)
        => condition.DescendantsAndSelf().Any(o => CancellationFlow.CancellationCheckReceiver(o, symbols) is { } receiver
            && CancellationFlow.Resolve(receiver, symbols).Overlaps(tokens));

    /// <summary>The innermost loop around <paramref name="operation"/> in the same function, and whether a switch stands between them.</summary>
    public static ILoopOperation? EnclosingLoop(IOperation operation, out bool crossesSwitch)
    {
        crossesSwitch = false;
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case ILoopOperation loop:
                    return loop;
                case ISwitchOperation:
                    crossesSwitch = true;
                    break;
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return null;
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="whenTrue"/> is (a block of) one <c>break</c> out of <paramref name="loop"/>.</summary>
    private static bool BreaksOutOf(IOperation whenTrue, ILoopOperation loop)
    {
        var statement = whenTrue is IBlockOperation { Operations.Length: 1 } block ? block.Operations[0] : whenTrue;
        return statement is IBranchOperation { BranchKind: BranchKind.Break } branch && SymbolEqualityComparer.Default.Equals(branch.Target, loop.ExitLabel);
    }

    /// <summary>
    /// A call to an iterator of this compilation whose body loops for ever (<c>while (true) { ... yield return ...; }</c>
    /// with no <c>break</c>, <c>return</c>, <c>yield break</c>, <c>goto</c> or <c>throw</c>). The callee's body is in
    /// another member, so it is read from syntax.
    /// </summary>
    public static bool IsNeverEndingIterator(IOperation collection)
    {
        var operation = collection.Unwrap();
        while (operation is IInvocationOperation { TargetMethod.Name: "WithCancellation" or "ConfigureAwait" } wrapper)
        {
            operation = wrapper.Receiver().Unwrap();
        }

        if (operation is not IInvocationOperation invocation || invocation.TargetMethod.DeclaringSyntaxReferences.Length != 1)
        {
            return false;
        }

        var body = invocation.TargetMethod.DeclaringSyntaxReferences[0].GetSyntax() switch
        {
            MethodDeclarationSyntax method => method.Body,
            LocalFunctionStatementSyntax local => local.Body,
            _ => null,
        };
        if (body is null || !body.DescendantNodes().Any(n => n is YieldStatementSyntax { RawKind: (int)SyntaxKind.YieldReturnStatement })
            || body.DescendantNodes(n => n is not (LambdaExpressionSyntax or LocalFunctionStatementSyntax or AnonymousMethodExpressionSyntax))
                .Any(n => n is ReturnStatementSyntax or YieldStatementSyntax { RawKind: (int)SyntaxKind.YieldBreakStatement } or GotoStatementSyntax or ThrowStatementSyntax))
        {
            return false;
        }

        return body.Statements.Any(s => s switch
        {
            WhileStatementSyntax { Condition: LiteralExpressionSyntax { RawKind: (int)SyntaxKind.TrueLiteralExpression } } w => !HasBreak(w.Statement),
            ForStatementSyntax { Condition: null } f => !HasBreak(f.Statement),
            _ => false,
        });
    }

    /// <summary>A <c>break</c> that leaves the loop whose body is <paramref name="body"/>.</summary>
    private static bool HasBreak(StatementSyntax body)
        => body.DescendantNodesAndSelf(n => n is not (WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax or ForEachStatementSyntax or SwitchStatementSyntax
                or LambdaExpressionSyntax or LocalFunctionStatementSyntax or AnonymousMethodExpressionSyntax) || n == body)
            .Any(n => n is BreakStatementSyntax);
}
