using System.Collections.Immutable;
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
            var symbols = AsyncSymbols.GetOrCreate(start.Compilation);
            if (symbols.HasCancellation)
            {
                start.RegisterOperationAction(c => AnalyzeTry(c, symbols), OperationKind.Try);
            }
        });
    }

    private static void AnalyzeTry(OperationAnalysisContext context, AsyncSymbols symbols)
    {
        var tryOperation = (ITryOperation)context.Operation;
        if (tryOperation.Catches.IsEmpty || TokenUse(tryOperation.Body, symbols) is not { } use
            || CancellationLoop.EnclosingLoop(tryOperation, out var crossesSwitch) is not { } loop)
        {
            return;
        }

        var tokens = CancellationFlow.Resolve(use.Token, symbols);
        if (!CancellationLoop.OnlyCancellationEndsIt(loop, tokens, symbols) || CancellationLoop.HasCancellationExit(loop, tryOperation.Body, tokens, symbols))
        {
            return;
        }

        foreach (var clause in tryOperation.Catches)
        {
            if (!CancellationFlow.CatchesCancellation(clause, symbols) || clause.Syntax is not CatchClauseSyntax syntax)
            {
                continue;
            }

            // A clause that deals with cancellation, or leaves, handles it: the clauses after it never see it.
            if (CancellationFlow.DealsWithCancellation(clause.Handler, symbols)
                || clause.Filter is { } filter && CancellationFlow.DealsWithCancellation(filter, symbols)
                || !context.Operation.SemanticModel!.AnalyzeControlFlow(syntax.Block).EndPointIsReachable)
            {
                return;
            }

            var end = syntax.Declaration?.Span.End ?? syntax.CatchKeyword.Span.End;
            var location = Location.Create(syntax.SyntaxTree, TextSpan.FromBounds(syntax.CatchKeyword.SpanStart, end));
            var clauseText = syntax.Declaration is null ? "catch" : $"catch ({syntax.Declaration.Type})";
            var tokenText = use.Token.Syntax.ToString();
            var properties = ImmutableDictionary<string, string?>.Empty.Add(TokenProperty, tokenText);
            if (!crossesSwitch)
            {
                properties = properties.Add(CanBreakProperty, "true");
            }

            context.ReportDiagnostic(Diagnostic.Create(Rule, location, properties, clauseText, use.Call.TargetMethod.DisplayName(), tokenText));
            return;
        }
    }

    /// <summary>The first call in the try block that receives a token or throws on it, with that token.</summary>
    private static (IInvocationOperation Call, IOperation Token)? TokenUse(IOperation body, AsyncSymbols symbols)
    {
        foreach (var operation in body.SameFunctionDescendants())
        {
            if (operation is not IInvocationOperation invocation)
            {
                continue;
            }

            if (CancellationFlow.IsThrowIfCancellationRequested(invocation) && symbols.IsCancellationToken(invocation.Instance?.Type))
            {
                return (invocation, invocation.Instance!);
            }

            if (CancellationFlow.TokenArgument(invocation, symbols) is { } argument)
            {
                return (invocation, argument);
            }
        }

        return null;
    }
}
