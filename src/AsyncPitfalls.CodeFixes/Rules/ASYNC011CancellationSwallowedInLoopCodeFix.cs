using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using AsyncPitfalls.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace AsyncPitfalls.CodeFixes;

/// <summary>
/// Fixes ASYNC011 by putting <c>catch (OperationCanceledException) when (token.IsCancellationRequested)</c> in
/// front of the swallowing clause, with <c>break;</c> ("Stop the loop on cancellation") or <c>throw;</c>
/// ("Rethrow cancellation"). The break comes first where the analyzer says the loop can be left (not across a
/// <c>switch</c>); where the code after the loop does not complete the function (a non-void method whose loop was
/// its only way out), the break does not compile, so verification rejects it and Fix All takes the rethrow.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ASYNC011CancellationSwallowedInLoopCodeFix)), Shared]
public sealed class ASYNC011CancellationSwallowedInLoopCodeFix : AsyncPitfallsCodeFix
{
    internal const string BreakKey = "ASYNC011.Break";
    internal const string RethrowKey = "ASYNC011.Rethrow";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.CancellationSwallowedInLoop);

    internal override string FixAllTitle(string key) => key == RethrowKey ? "Rethrow cancellation everywhere" : "Stop every such loop on cancellation";

    internal override IEnumerable<FixOption> Options(FixRequest request)
    {
        if (request.TokenParent is not CatchClauseSyntax clause)
        {
            yield break;
        }

        if (ASYNC011Data.TryRead(request.Diagnostic, out var data) && data.CanBreak
            && LoopExit.CompletesFunction(clause, request.Model, request.CancellationToken))
        {
            yield return new FixOption("Stop the loop on cancellation", BreakKey);
        }

        yield return new FixOption("Rethrow cancellation", RethrowKey);
    }

    internal override Task<Solution?> ApplyAsync(FixRequest request, string key)
    {
        if (request.TokenParent is not CatchClauseSyntax clause || !ASYNC011Data.TryRead(request.Diagnostic, out var data)
            || key == BreakKey && !data.CanBreak)
        {
            return Task.FromResult<Solution?>(null);
        }

        StatementSyntax leave = key == BreakKey ? SyntaxFactory.BreakStatement() : SyntaxFactory.ThrowStatement();
        var added = CancellationCatch.Clause(CancellationCatch.TokenAt(request, data.StopToken), leave).WithAdditionalAnnotations(Formatter.Annotation);
        var tryStatement = (TryStatementSyntax)clause.Parent!;
        var catches = tryStatement.Catches.Insert(tryStatement.Catches.IndexOf(clause), added);
        return Task.FromResult<Solution?>(request.With(request.Root.ReplaceNode(tryStatement, tryStatement.WithCatches(catches))));
    }
}
