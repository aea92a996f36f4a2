using System.Collections.Generic;
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
            start.RegisterOperationAction(s => s.HasCancellation, (c, facts) => AnalyzeTry(c, facts.Symbols), OperationKind.Try);
        });
    }

    private static void AnalyzeTry(OperationAnalysisContext context, AsyncSymbols symbols)
    {
        var tryOperation = (ITryOperation)context.Operation;
        // Cheapest first: most try statements are not in an endless loop, and finding the token may read callees.
        if (tryOperation.Catches.IsEmpty
            || CancellationLoop.EnclosingLoop(tryOperation, out var crossesSwitch) is not { } loop
            || !CancellationLoop.HasNoExitButAnException(loop)
            || TokenUse(tryOperation.Body, symbols) is not { } use)
        {
            return;
        }

        // The loop's stop token is the one that outlives it. A token made for each attempt (a timeout) is meant to be
        // caught, and a test of any token linked into the call's token is a way out.
        var tokens = CancellationFlow.Resolve(use.Token, symbols);
        var stop = CancellationLoop.TokensThatOutlive(loop, tokens);
        if (stop.Count == 0 || CancellationLoop.HasCancellationExit(loop, tryOperation.Body, tokens, symbols))
        {
            return;
        }

        var stopTokens = new HashSet<ISymbol>(stop, SymbolEqualityComparer.Default);
        foreach (var clause in tryOperation.Catches)
        {
            if (!CancellationFlow.CatchesCancellation(clause, symbols) || clause.Syntax is not CatchClauseSyntax syntax)
            {
                continue;
            }

            // A clause that leaves the loop (break, return, rethrow), or deals with cancellation, handles it: the clauses
            // after it never see it. One whose flow comes back into the loop (its end, a continue) swallows it. A filter
            // that tests a token linked to the stop token does not handle it: shutdown satisfies it too.
            if (!context.Operation.SemanticModel!.AnalyzeControlFlow(syntax.Block).EndPointIsReachable && !ContinuesTheLoop(clause.Handler, loop)
                || CancellationFlow.DealsWithCancellation(clause.Handler, symbols)
                || clause.Filter is { } filter && CancellationFlow.DealsWithCancellation(filter, symbols) && !ShutdownSatisfies(filter, stopTokens, symbols))
            {
                return;
            }

            var end = syntax.Declaration?.Span.End ?? syntax.CatchKeyword.Span.End;
            var location = Location.Create(syntax.SyntaxTree, TextSpan.FromBounds(syntax.CatchKeyword.SpanStart, end));
            var clauseText = syntax.Declaration is null ? "catch" : $"catch ({syntax.Declaration.Type})";
            var stopName = stop[0].Name;
            var stopReference = loop.Syntax.SyntaxTree == syntax.SyntaxTree ? StopReference(loop, stop[0]) : null;
            var data = new ASYNC011Data(canBreak: !crossesSwitch, stopReference?.GetLocation());
            context.ReportDiagnostic(Diagnostic.Create(Rule, location, data.AdditionalLocations, data.ToProperties(), clauseText, use.Call.CallName(), stopName));
            return;
        }
    }

    /// <summary>A <c>continue</c> of <paramref name="loop"/> in the handler: it starts the next pass, so cancellation is swallowed.</summary>
    private static bool ContinuesTheLoop(IOperation handler, ILoopOperation loop)
        => handler.SameFunctionDescendants().Any(o => o is IBranchOperation { BranchKind: BranchKind.Continue } branch
            && SymbolEqualityComparer.Default.Equals(branch.Target, loop.ContinueLabel));

    /// <summary>A reference to the stop token in the loop (<c>ct</c>, <c>_cts.Token</c>), for the fix's filter.</summary>
    private static SyntaxNode? StopReference(IOperation loop, ISymbol stop)
        => loop.Descendants().FirstOrDefault(o => o is IParameterReferenceOperation or ILocalReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation
            && SymbolEqualityComparer.Default.Equals(o.ReferencedSymbol(), stop)
            && (o is not IMemberReferenceOperation { Instance: { } instance } || instance is IInstanceReferenceOperation || instance.ReferencedSymbol() is not null))?.Syntax;

    /// <summary>
    /// A filter that is only a cancellation check of a token linked to the stop token, such as
    /// <c>when (linked.Token.IsCancellationRequested)</c>: written for a per-attempt timeout, it also lets shutdown in.
    /// </summary>
    private static bool ShutdownSatisfies(IOperation filter, HashSet<ISymbol> stopTokens, AsyncSymbols symbols)
        => CancellationFlow.CancellationCheckReceiver(filter, symbols) is { } receiver
            && CancellationFlow.Resolve(receiver, symbols).Overlaps(stopTokens);

    /// <summary>
    /// The first call in the try block that receives a token or throws on it, with that token; also a call to a method
    /// of this compilation that hands a field's token to such an operation (<see cref="CancellationFlow.TokenThroughCall"/>).
    /// </summary>
    private static (IInvocationOperation Call, IOperation Token)? TokenUse(IOperation body, AsyncSymbols symbols)
    {
        var calls = body.SameFunctionDescendants().OfType<IInvocationOperation>().ToList();
        foreach (var invocation in calls)
        {
            if (CancellationFlow.IsThrowIfCancellationRequested(invocation) && symbols.IsCancellationToken(invocation.Instance?.Type))
            {
                return (invocation, invocation.Instance!);
            }

            if (CancellationFlow.TokenArgument(invocation, symbols) is { } argument)
            {
                return (invocation, argument);
            }
        }

        // Only when no call takes a token itself: reading a callee's body costs a binding of it.
        foreach (var invocation in calls)
        {
            if (CancellationFlow.TokenThroughCall(invocation, symbols) is { } through)
            {
                return (invocation, through);
            }
        }

        return null;
    }
}
