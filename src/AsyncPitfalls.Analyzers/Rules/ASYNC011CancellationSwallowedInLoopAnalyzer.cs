using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace AsyncPitfalls.Analyzers;

/// <summary>
/// ASYNC011: a catch clause inside a loop that only cancellation could end swallows OperationCanceledException,
/// so after cancellation the loop spins for ever.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ASYNC011CancellationSwallowedInLoopAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The token expression as the fix should write it.</summary>
    public const string TokenProperty = "Token";

    /// <summary>Set when a <c>break</c> placed in the catch would leave the loop (no switch in between).</summary>
    public const string CanBreakProperty = "CanBreak";

    internal static readonly DiagnosticDescriptor Rule = RuleFactory.Create(
        DiagnosticIds.CancellationSwallowedInLoop,
        title: "Catch in a loop swallows cancellation",
        message: "'{0}' swallows OperationCanceledException from '{1}', so this loop never stops when '{2}' is cancelled",
        DiagnosticCategories.Reliability,
        DiagnosticSeverity.Warning,
        description: "A catch clause inside a loop that only cancellation could end also catches OperationCanceledException and carries on, so after cancellation every iteration fails at once and the loop never stops.");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var flow = new CancellationFlow(KnownTypes.Create(start.Compilation));
            if (!flow.IsAvailable)
            {
                return;
            }

            start.RegisterOperationAction(c => AnalyzeTry(c, flow), OperationKind.Try);
        });
    }

    private static void AnalyzeTry(OperationAnalysisContext context, CancellationFlow flow)
    {
        var tryOperation = (ITryOperation)context.Operation;
        if (tryOperation.Catches.IsEmpty)
        {
            return;
        }

        // (b) The try block gives a token to a call, or throws on it.
        IInvocationOperation? tokenCall = null;
        IOperation? token = null;
        foreach (var operation in CancellationFlow.SameFunctionDescendants(tryOperation.Body))
        {
            if (operation is not IInvocationOperation invocation)
            {
                continue;
            }

            if (invocation.TargetMethod.Name == "ThrowIfCancellationRequested" && flow.IsToken(invocation.Instance?.Type))
            {
                tokenCall = invocation;
                token = invocation.Instance;
                break;
            }

            if (flow.TokenArgument(invocation) is { } argument)
            {
                tokenCall = invocation;
                token = argument;
                break;
            }
        }

        if (tokenCall is null || token is null || EnclosingLoop(tryOperation, out var crossesSwitch) is not { } loop)
        {
            return;
        }

        var tokens = flow.Resolve(token);
        if (!OnlyCancellationEndsIt(loop, flow, tokens) || LoopHasCancellationExit(loop, tryOperation, flow, tokens))
        {
            return;
        }

        foreach (var clause in tryOperation.Catches)
        {
            if (!flow.CatchesCancellation(clause) || clause.Syntax is not CatchClauseSyntax syntax)
            {
                continue;
            }

            // (c)/(d) A clause that deals with cancellation, or leaves, handles it: the clauses after it never see it.
            if (CancellationFlow.MentionsCancellation(syntax.Block)
                || syntax.Filter is { } filter && CancellationFlow.MentionsCancellation(filter)
                || !context.Operation.SemanticModel!.AnalyzeControlFlow(syntax.Block).EndPointIsReachable)
            {
                return;
            }

            var end = syntax.Declaration?.Span.End ?? syntax.CatchKeyword.Span.End;
            var location = Location.Create(syntax.SyntaxTree, TextSpan.FromBounds(syntax.CatchKeyword.SpanStart, end));
            var clauseText = syntax.Declaration is null ? "catch" : $"catch ({syntax.Declaration.Type})";
            var properties = ImmutableDictionary<string, string?>.Empty.Add(TokenProperty, token.Syntax.ToString());
            if (!crossesSwitch)
            {
                properties = properties.Add(CanBreakProperty, "true");
            }

            context.ReportDiagnostic(Diagnostic.Create(Rule, location, properties, clauseText, SymbolFacts.DisplayName(tokenCall.TargetMethod), token.Syntax.ToString()));
            return;
        }
    }

    /// <summary>The innermost loop around the try, within the same function.</summary>
    private static ILoopOperation? EnclosingLoop(IOperation operation, out bool crossesSwitch)
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

    /// <summary>
    /// <c>while (true)</c>, <c>for (;;)</c>, <c>do { } while (true)</c>, or a while/do whose condition does not test
    /// the token. Not foreach and not counted for loops: they end by themselves.
    /// </summary>
    private static bool OnlyCancellationEndsIt(ILoopOperation loop, CancellationFlow flow, System.Collections.Generic.HashSet<ISymbol> tokens)
    {
        switch (loop)
        {
            case IForLoopOperation forLoop:
                return forLoop.Condition is null || AwaitableFlow.Unwrap(forLoop.Condition) is ILiteralOperation { ConstantValue: { HasValue: true, Value: true } };
            case IWhileLoopOperation whileLoop:
                if (whileLoop.Condition is null)
                {
                    return false;
                }

                foreach (var operation in whileLoop.Condition.DescendantsAndSelf())
                {
                    if (flow.CancellationCheckReceiver(operation) is { } receiver && flow.SameToken(flow.Resolve(receiver), tokens))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return false;
        }
    }

    /// <summary>(e) Another way out on cancellation: a token check that breaks or returns, a throw on the token, or an await receiving it outside the try.</summary>
    private static bool LoopHasCancellationExit(ILoopOperation loop, ITryOperation tryOperation, CancellationFlow flow, System.Collections.Generic.HashSet<ISymbol> tokens)
    {
        foreach (var operation in CancellationFlow.SameFunctionDescendants(loop.Body))
        {
            if (IsInside(operation, tryOperation.Body))
            {
                continue;
            }

            switch (operation)
            {
                case IConditionalOperation conditional when conditional.Condition.DescendantsAndSelf().Any(o => flow.CancellationCheckReceiver(o) is { } r && flow.SameToken(flow.Resolve(r), tokens)):
                    return true;
                case IInvocationOperation { TargetMethod.Name: "ThrowIfCancellationRequested" } invocation when invocation.Instance is { } instance && flow.SameToken(flow.Resolve(instance), tokens):
                    return true;
                case IAwaitOperation awaitOperation when flow.AwaitedTokenCall(awaitOperation) is { } call && flow.SameToken(flow.Resolve(call.Token), tokens):
                    return true;
            }
        }

        return false;
    }

    private static bool IsInside(IOperation operation, IOperation container)
    {
        for (var current = operation; current is not null; current = current.Parent)
        {
            if (current == container)
            {
                return true;
            }
        }

        return false;
    }
}
