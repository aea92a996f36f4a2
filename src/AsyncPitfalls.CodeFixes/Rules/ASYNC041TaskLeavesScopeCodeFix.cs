using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using AsyncPitfalls.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace AsyncPitfalls.CodeFixes;

/// <summary>
/// Fixes ASYNC041 by awaiting inside the scope, through the shared <see cref="AsyncConversion"/>:
/// "Await inside the scope" makes the task-returning function async and awaits its returns (<c>return await …;</c>),
/// which keeps its signature, so it is safe in bulk. "Await the lock" turns <c>using (x.LockAsync())</c> into
/// <c>using (await x.LockAsync())</c>, in bulk where the function is async or can become async without changing a
/// signature others see. A task started inside a <c>using</c> and awaited after it gets no fix: where the await
/// belongs is a person's decision.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ASYNC041TaskLeavesScopeCodeFix)), Shared]
public sealed class ASYNC041TaskLeavesScopeCodeFix : AsyncPitfallsCodeFix
{
    internal const string AwaitInsideKey = "ASYNC041.AwaitInside";
    internal const string AwaitLockKey = "ASYNC041.AwaitLock";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.TaskLeavesScope);

    internal override string FixAllTitle(string key) => key == AwaitLockKey ? "Await every such lock" : "Await inside each scope";

    internal override IEnumerable<FixOption> Options(FixRequest request)
    {
        if (!ASYNC041Data.TryRead(request.Diagnostic, out var data) || request.Node is not ExpressionSyntax value
            || AsyncConversion.Plan(value, request.Model, request.CancellationToken) is not { } plan)
        {
            yield break;
        }

        if (data.IsReturn && plan.AwaitsReturns)
        {
            yield return new FixOption("Await inside the scope", AwaitInsideKey);
        }
        else if (data.Shape == ScopeLeft.DisposesTheTask && plan.HasReferencesNearby(request.Model, request.CancellationToken) != true)
        {
            yield return plan.ChangesPublicSignature
                ? new FixOption("Await the lock: using (await …) (changes a public signature)", AwaitLockKey, bulk: false)
                : new FixOption("Await the lock: using (await …)", AwaitLockKey);
        }
    }

    internal override async Task<Solution?> ApplyAsync(FixRequest request, string key)
    {
        var (document, model, cancellationToken) = (request.Document, request.Model, request.CancellationToken);
        if (!ASYNC041Data.TryRead(request.Diagnostic, out var data) || request.Node is not ExpressionSyntax value
            || AsyncConversion.Plan(value, model, cancellationToken) is not { } plan
            || !await plan.CallersAllowAsync(document, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var editor = new SyntaxEditor(request.Root, document.Project.Solution.Services);
        switch (key)
        {
            case AwaitInsideKey when data.IsReturn && plan.AwaitsReturns:
                // The conversion awaits every return of the function, this one included.
                ASYNC001UnawaitedTaskCodeFix.ConvertFunction(editor, plan, model, document, except: value, cancellationToken);
                break;
            case AwaitLockKey when data.Shape == ScopeLeft.DisposesTheTask:
                var symbols = CompilationFacts.Of(model.Compilation).Symbols;
                var configure = AwaitStyle.ConfiguresAwait(document, value);
                var type = model.GetTypeInfo(value, cancellationToken).Type;
                editor.ReplaceNode(value, (current, _) => AwaitStyle.Await((ExpressionSyntax)current, configure, type, symbols).WithTriviaFrom(current));
                ASYNC001UnawaitedTaskCodeFix.ConvertFunction(editor, plan, model, document, except: value, cancellationToken);
                break;
            default:
                return null;
        }

        return document.WithSyntaxRoot(editor.GetChangedRoot()).Project.Solution;
    }
}
