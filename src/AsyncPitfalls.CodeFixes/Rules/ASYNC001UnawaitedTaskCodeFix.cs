using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AsyncPitfalls.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;

namespace AsyncPitfalls.CodeFixes;

/// <summary>
/// Fixes ASYNC001 (and the compiler's CS4014). "Await the call" inserts <c>await</c>, making the function async
/// where that is safe (<see cref="AsyncConversion"/>). In a loop body (<see cref="DropEvidence.LoopBody"/>), "Await
/// each item" makes the loop itself asynchronous (<see cref="AsyncLoop"/>). "Fire and forget: discard the task"
/// (<c>_ = call;</c>) is a single action only: ASYNC001 says an await was forgotten, and a discard hides that
/// rather than fixing it, so Fix All never applies it; for a dropped wait (<see cref="DropEvidence.WaitOnly"/>),
/// which does nothing unless awaited, it is not offered at all. A change to a signature visible outside the
/// assembly is offered alone, with a title that says so, and never applied in bulk.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ASYNC001UnawaitedTaskCodeFix)), Shared]
public sealed partial class ASYNC001UnawaitedTaskCodeFix : AsyncPitfallsCodeFix
{
    internal const string AwaitKey = "ASYNC001.Await";
    internal const string DiscardKey = "ASYNC001.Discard";
    internal const string LoopKey = "ASYNC001.AsyncLoop";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticIds.UnawaitedTask, DiagnosticIds.CompilerUnawaitedCall);

    internal override string FixAllTitle(string key) => key switch
    {
        DiscardKey => "Discard all dropped tasks explicitly",
        LoopKey => "Await each item in every loop that drops tasks",
        _ => "Await all dropped calls",
    };

    /// <summary>The evidence ASYNC001 sends; null for the compiler's CS4014, which this fix also serves.</summary>
    private static DropEvidence? EvidenceOf(Diagnostic diagnostic)
        => ASYNC001Data.TryRead(diagnostic, out var data) ? data.Evidence : null;

    internal override IEnumerable<FixOption> Options(FixRequest request)
    {
        var diagnostic = request.Diagnostic;
        var evidence = EvidenceOf(diagnostic);
        if (evidence == DropEvidence.LoopBody)
        {
            if (AsyncLoop.Create(request.Root, request.Model, diagnostic, configure: false, request.CancellationToken) is { } loop
                && loop.Conversion.HasReferencesNearby(request.Model, request.CancellationToken) != true)
            {
                yield return AwaitOption("Await each item", LoopKey, loop.Conversion);
            }
        }

        var plan = DropPlan.Create(request.Root, request.Model, diagnostic, request.CancellationToken);
        if (plan is null)
        {
            yield break;
        }

        if (evidence != DropEvidence.LoopBody && plan.Conversion is { } conversion && conversion.HasReferencesNearby(request.Model, request.CancellationToken) != true)
        {
            yield return AwaitOption("Await the call", AwaitKey, conversion);
        }

        if (plan.CanDiscard && diagnostic.Id == DiagnosticIds.UnawaitedTask && evidence != DropEvidence.WaitOnly)
        {
            yield return new FixOption("Fire and forget: discard the task", DiscardKey, bulk: false);
        }
    }

    private static FixOption AwaitOption(string title, string key, AsyncConversion conversion)
        => conversion.ChangesPublicSignature
            ? new FixOption($"{title} (changes the public signature of '{conversion.Method!.Name}')", key, bulk: false)
            : new FixOption(title, key);

    internal override async Task<Solution?> ApplyAsync(FixRequest request, string key)
    {
        var (document, root, model, diagnostic, cancellationToken) = (request.Document, request.Root, request.Model, request.Diagnostic, request.CancellationToken);
        var editor = new SyntaxEditor(root, document.Project.Solution.Services);
        AsyncConversion conversion;
        if (key == LoopKey)
        {
            var configure = AwaitStyle.ConfiguresAwait(document, root.FindNode(diagnostic.Location.SourceSpan));
            if (AsyncLoop.Create(root, model, diagnostic, configure, cancellationToken) is not { } loop)
            {
                return null;
            }

            editor.ReplaceNode(loop.Statement, loop.Replacement);
            conversion = loop.Conversion;
        }
        else
        {
            if (DropPlan.Create(root, model, diagnostic, cancellationToken) is not { } plan)
            {
                return null;
            }

            if (key == DiscardKey)
            {
                if (!plan.CanDiscard || EvidenceOf(diagnostic) == DropEvidence.WaitOnly)
                {
                    return null;
                }

                editor.ReplaceNode(plan.Expression, (current, _) => FixSyntax.Discard((ExpressionSyntax)current)
                    .WithTriviaFrom(current)
                    .WithAdditionalAnnotations(Formatter.Annotation));
                return document.WithSyntaxRoot(editor.GetChangedRoot()).Project.Solution;
            }

            if (plan.Conversion is null)
            {
                return null;
            }

            var symbols = CompilationFacts.Of(model.Compilation).Symbols;
            var configure = AwaitStyle.ConfiguresAwait(document, plan.Expression);
            var type = model.GetTypeInfo(plan.Expression, cancellationToken).Type;
            editor.ReplaceNode(plan.Expression, (current, _) => AwaitStyle.Await((ExpressionSyntax)current, configure, type, symbols).WithTriviaFrom(current));
            conversion = plan.Conversion;
        }

        if (!await conversion.CallersAllowAsync(document, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        ConvertFunction(editor, conversion, model, document, except: key == LoopKey ? root.FindNode(diagnostic.Location.SourceSpan) : DropPlan.Create(root, model, diagnostic, cancellationToken)!.Expression, cancellationToken);
        return document.WithSyntaxRoot(editor.GetChangedRoot()).Project.Solution;
    }

    /// <summary>Makes the function async, and settles the other drops the compiler would then report (<see cref="AsyncConversion.OtherDrops"/>).</summary>
    internal static void ConvertFunction(SyntaxEditor editor, AsyncConversion conversion, SemanticModel model, Document document, SyntaxNode except, CancellationToken cancellationToken)
    {
        if (conversion.FunctionToMakeAsync is not { } function)
        {
            return;
        }

        var symbols = CompilationFacts.Of(model.Compilation).Symbols;
        var configure = AwaitStyle.ConfiguresAwait(document, function);
        foreach (var (expression, awaitIt) in conversion.OtherDrops(model, except, cancellationToken).ToList())
        {
            var type = model.GetTypeInfo(expression, cancellationToken).Type;
            editor.ReplaceNode(expression, (current, _) => (awaitIt
                    ? (ExpressionSyntax)AwaitStyle.Await((ExpressionSyntax)current, configure, type, symbols)
                    : FixSyntax.Discard((ExpressionSyntax)current))
                .WithTriviaFrom(current)
                .WithAdditionalAnnotations(Formatter.Annotation));
        }

        editor.ReplaceNode(function, (current, generator) => conversion.Apply(current, generator, configure, symbols));
    }
}
