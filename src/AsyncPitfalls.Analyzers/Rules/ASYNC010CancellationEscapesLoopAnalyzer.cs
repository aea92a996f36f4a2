using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
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
    /// <summary>The token expression as the fix should write it in <c>when (T.IsCancellationRequested)</c>.</summary>
    public const string TokenProperty = "Token";

    /// <summary>Set when every unguarded await is a non-generic Task and ConfigureAwaitOptions exists.</summary>
    public const string CanSuppressThrowingProperty = "CanSuppressThrowing";

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
            var known = KnownTypes.Create(start.Compilation);
            var flow = new CancellationFlow(known);
            if (!flow.IsAvailable || !known.HasTasks)
            {
                return;
            }

            var hasConfigureAwaitOptions = start.Compilation.GetTypeByMetadataName("System.Threading.Tasks.ConfigureAwaitOptions") is not null;
            start.RegisterOperationAction(c => AnalyzeLoop(c, flow, known, hasConfigureAwaitOptions), OperationKind.Loop);
        });
    }

    private enum Intent
    {
        None,

        /// <summary>The loop tests the token: <c>while (!T.IsCancellationRequested)</c> or <c>if (T.IsCancellationRequested) break;</c>.</summary>
        TestsToken,

        /// <summary>The loop has no way out but an exception: <c>while (true)</c> without exits, or a never-ending iterator.</summary>
        NoOtherExit,
    }

    private static void AnalyzeLoop(OperationAnalysisContext context, CancellationFlow flow, KnownTypes known, bool hasConfigureAwaitOptions)
    {
        var loop = (ILoopOperation)context.Operation;
        if (loop.Body is null || !AsyncContext.Of(loop, context.ContainingSymbol).IsAsync)
        {
            return;
        }

        var (intent, loopToken) = Classify(loop, flow);
        if (intent == Intent.None)
        {
            return;
        }

        var body = CancellationFlow.SameFunctionDescendants(loop.Body).ToList();
        if (body.Any(o => o is IInvocationOperation { TargetMethod.Name: "ThrowIfCancellationRequested" }))
        {
            return;
        }

        var loopTokens = loopToken is null ? null : flow.Resolve(loopToken);
        var unguarded = new List<(IOperation Await, IInvocationOperation Call, IOperation Token)>();
        if (loop is IForEachLoopOperation { IsAsynchronous: true } asyncForEach && AsyncCollectionToken(asyncForEach.Collection, flow) is { } collection)
        {
            unguarded.Add((asyncForEach.Collection, collection.Call, collection.Token));
            loopToken ??= collection.Token;
            loopTokens ??= flow.Resolve(collection.Token);
        }

        foreach (var operation in body)
        {
            if (operation is not IAwaitOperation awaitOperation || flow.AwaitedTokenCall(awaitOperation) is not { } call)
            {
                continue;
            }

            var tokens = flow.Resolve(call.Token);
            if (loopTokens is null)
            {
                loopToken = call.Token;
                loopTokens = tokens;
            }
            else if (!flow.SameToken(tokens, loopTokens))
            {
                continue;
            }

            if (!IsGuarded(awaitOperation, loop, flow))
            {
                unguarded.Add((awaitOperation, call.Call, call.Token));
            }
        }

        if (unguarded.Count == 0 || loopToken is null || loopTokens is null
            || !CodeFollowsLoop(loop.Syntax, loopTokens))
        {
            return;
        }

        var first = unguarded[0];
        var tokenText = loopToken.Syntax.ToString();
        var properties = ImmutableDictionary<string, string?>.Empty.Add(TokenProperty, tokenText);
        if (intent == Intent.TestsToken && hasConfigureAwaitOptions
            && unguarded.All(u => u.Await is IAwaitOperation a && IsPlainTask(AwaitableFlow.Unwrap(a.Operation), known)))
        {
            properties = properties.Add(CanSuppressThrowingProperty, "true");
        }

        context.ReportDiagnostic(Diagnostic.Create(
            Rule,
            LoopKeyword(loop.Syntax).GetLocation(),
            unguarded.Select(u => u.Await.Syntax.GetLocation()),
            properties,
            SymbolFacts.DisplayName(first.Call.TargetMethod),
            tokenText));
    }

    private static (Intent Intent, IOperation? Token) Classify(ILoopOperation loop, CancellationFlow flow)
    {
        switch (loop)
        {
            case IWhileLoopOperation whileLoop:
                if (flow.NegatedCancellationCheck(whileLoop.Condition) is { } tested)
                {
                    return (Intent.TestsToken, tested);
                }

                return IsTrueLiteral(whileLoop.Condition) ? ClassifyEndless(loop, flow) : (Intent.None, null);
            case IForLoopOperation forLoop when forLoop.Condition is null || IsTrueLiteral(forLoop.Condition):
                return ClassifyEndless(loop, flow);
            case IForEachLoopOperation forEach when IsNeverEndingIterator(forEach.Collection):
                return ClassifyEndless(loop, flow);
            default:
                return (Intent.None, null);
        }
    }

    /// <summary><c>while (true)</c>: either it leaves with <c>if (T.IsCancellationRequested) break;</c>, or it has no exit at all.</summary>
    private static (Intent, IOperation?) ClassifyEndless(ILoopOperation loop, CancellationFlow flow)
    {
        var hasExit = false;
        foreach (var operation in CancellationFlow.SameFunctionDescendants(loop.Body))
        {
            if (operation is IConditionalOperation { WhenTrue: { } whenTrue } conditional
                && flow.CancellationCheckReceiver(conditional.Condition) is { } token
                && BreaksOutOf(whenTrue, loop))
            {
                return (Intent.TestsToken, token);
            }

            if (operation is IReturnOperation || operation is IBranchOperation { BranchKind: BranchKind.GoTo }
                || operation is IBranchOperation { BranchKind: BranchKind.Break } branch && SymbolEqualityComparer.Default.Equals(branch.Target, loop.ExitLabel))
            {
                hasExit = true;
            }
        }

        return hasExit ? (Intent.None, null) : (Intent.NoOtherExit, null);
    }

    private static bool BreaksOutOf(IOperation whenTrue, ILoopOperation loop)
    {
        var statement = whenTrue is IBlockOperation { Operations.Length: 1 } block ? block.Operations[0] : whenTrue;
        return statement is IBranchOperation { BranchKind: BranchKind.Break } branch && SymbolEqualityComparer.Default.Equals(branch.Target, loop.ExitLabel);
    }

    private static bool IsTrueLiteral(IOperation? condition)
        => AwaitableFlow.Unwrap(condition) is ILiteralOperation { ConstantValue: { HasValue: true, Value: true } };

    /// <summary>
    /// A call to an iterator of this compilation whose body loops for ever (<c>while (true) { ... yield return ...; }</c>
    /// with no <c>break</c>, <c>return</c> or <c>yield break</c>), like Python's <c>itertools.cycle</c>.
    /// </summary>
    private static bool IsNeverEndingIterator(IOperation collection)
    {
        var operation = AwaitableFlow.Unwrap(collection);
        while (operation is IInvocationOperation { TargetMethod.Name: "WithCancellation" or "ConfigureAwait" } wrapper)
        {
            operation = AwaitableFlow.Unwrap(wrapper.Instance ?? (wrapper.Arguments.Length > 0 ? wrapper.Arguments[0].Value : null));
        }

        if (operation is not IInvocationOperation invocation || invocation.TargetMethod.DeclaringSyntaxReferences.Length != 1)
        {
            return false;
        }

        var declaration = invocation.TargetMethod.DeclaringSyntaxReferences[0].GetSyntax();
        var body = declaration switch
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

    /// <summary>For <c>await foreach</c>, the call in the collection chain that receives a token (<c>WithCancellation(T)</c>, <c>ReadAllAsync(T)</c>).</summary>
    private static (IInvocationOperation Call, IOperation Token)? AsyncCollectionToken(IOperation collection, CancellationFlow flow)
    {
        for (var operation = AwaitableFlow.Unwrap(collection); operation is IInvocationOperation invocation;
            operation = AwaitableFlow.Unwrap(invocation.Instance ?? (invocation.TargetMethod.IsExtensionMethod && invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : null)))
        {
            if (flow.TokenArgument(invocation) is { } token)
            {
                return (invocation, token);
            }
        }

        return null;
    }

    /// <summary>True when a <c>try</c> between the await and the loop catches OperationCanceledException.</summary>
    private static bool IsGuarded(IOperation awaitOperation, ILoopOperation loop, CancellationFlow flow)
    {
        for (IOperation current = awaitOperation; current.Parent is { } parent && current != loop; current = parent)
        {
            if (parent is ITryOperation tryOperation && tryOperation.Body == current && tryOperation.Catches.Any(flow.CatchesCancellation))
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
    private static bool CodeFollowsLoop(SyntaxNode loopSyntax, HashSet<ISymbol> tokens)
    {
        var tokenNames = new HashSet<string>(tokens.Select(t => t.Name));
        for (var node = loopSyntax; node.Parent is { } ancestor && node is not (BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax); node = ancestor)
        {
            // The author handles the exception path: an enclosing try in the same function catches cancellation.
            if (ancestor is TryStatementSyntax enclosing && enclosing.Block == node && enclosing.Catches.Any(CatchesCancellationBySyntax))
            {
                return false;
            }
        }

        SyntaxNode current = loopSyntax;
        while (current.Parent is { } parent)
        {
            IEnumerable<SyntaxNode> following;
            switch (parent)
            {
                case BlockSyntax block:
                    following = block.Statements.SkipWhile(s => s != current).Skip(1);
                    break;
                case GlobalStatementSyntax global when global.Parent is CompilationUnitSyntax unit:
                    following = unit.Members.SkipWhile(m => m != global).Skip(1).OfType<GlobalStatementSyntax>().Select(g => g.Statement);
                    current = unit;
                    break;
                case TryStatementSyntax tryStatement when tryStatement.Block == current:
                    if (tryStatement.Catches.Any(CatchesCancellationBySyntax))
                    {
                        return false;
                    }

                    current = parent;
                    continue;
                case IfStatementSyntax or ElseClauseSyntax or UsingStatementSyntax or LockStatementSyntax or FixedStatementSyntax
                    or CheckedStatementSyntax or UnsafeStatementSyntax or LabeledStatementSyntax:
                    current = parent;
                    continue;
                case CatchClauseSyntax:
                    current = parent.Parent!;
                    continue;
                default:
                    return false;
            }

            foreach (var statement in following)
            {
                if (statement is EmptyStatementSyntax or LocalFunctionStatementSyntax or ReturnStatementSyntax { Expression: null })
                {
                    continue;
                }

                var handsTokenOn = statement.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>()
                    .Any(i => tokenNames.Contains(i.Identifier.ValueText) || i.Identifier.ValueText == "ThrowIfCancellationRequested");
                return !handsTokenOn;
            }

            if (parent is CompilationUnitSyntax || current is CompilationUnitSyntax)
            {
                return false;
            }

            current = parent;
        }

        return false;
    }

    private static bool CatchesCancellationBySyntax(CatchClauseSyntax clause)
    {
        if (clause.Filter is { } filter && CancellationFlow.FilterExcludesCancellation(filter))
        {
            return false;
        }

        var name = clause.Declaration?.Type switch
        {
            null => "Exception",
            QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
            _ => "",
        };
        return name is "Exception" or "SystemException" or "OperationCanceledException" or "TaskCanceledException";
    }

    private static bool IsPlainTask(IOperation? awaited, KnownTypes known)
        => awaited is IInvocationOperation invocation
            && invocation.TargetMethod.Name != "ConfigureAwait"
            && SymbolEqualityComparer.Default.Equals(invocation.Type, known.Task);

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
