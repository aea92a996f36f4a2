using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using AsyncPitfalls.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AsyncPitfalls.CodeFixes;

/// <summary>
/// Fixes ASYNC040 as the analyzer allows (<see cref="ASYNC040Data"/>): "Unwrap the inner task" appends <c>.Unwrap()</c>,
/// whose task completes with the work and carries its failure; it keeps <c>StartNew</c>'s options (<c>LongRunning</c>
/// included) and is safe in bulk. "Use Task.Run" replaces <c>Task.Factory.StartNew(f, token, …, TaskScheduler.Default)</c>,
/// which it equals, and is safe in bulk there; for a <c>StartNew</c> on <c>TaskScheduler.Current</c> it changes the
/// scheduler, so it is offered one at a time with a title that says so.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ASYNC040TaskOfTaskCodeFix)), Shared]
public sealed class ASYNC040TaskOfTaskCodeFix : AsyncPitfallsCodeFix
{
    internal const string UnwrapKey = "ASYNC040.Unwrap";
    internal const string TaskRunKey = "ASYNC040.TaskRun";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.TaskOfTask);

    internal override string FixAllTitle(string key) => key == TaskRunKey ? "Use Task.Run for each StartNew" : "Unwrap every inner task";

    internal override IEnumerable<FixOption> Options(FixRequest request)
    {
        if (!ASYNC040Data.TryRead(request.Diagnostic, out var data))
        {
            yield break;
        }

        if (data.UnwrapAt is not null)
        {
            yield return new FixOption("Unwrap the inner task", UnwrapKey);
        }

        switch (data.Run)
        {
            case RunEquivalence.Same:
                yield return new FixOption("Use Task.Run", TaskRunKey);
                break;
            case RunEquivalence.ChangesTheScheduler:
                yield return new FixOption("Use Task.Run (runs on the thread pool, not TaskScheduler.Current)", TaskRunKey, bulk: false);
                break;
        }
    }

    internal override Task<Solution?> ApplyAsync(FixRequest request, string key)
    {
        if (!ASYNC040Data.TryRead(request.Diagnostic, out var data))
        {
            return Task.FromResult<Solution?>(null);
        }

        SyntaxNode? root = key switch
        {
            UnwrapKey when data.UnwrapAt is { } at && request.NodeAt(at) is ExpressionSyntax outer
                => request.Root.ReplaceNode(outer, AwaitStyle.Unwrapped(outer).WithTriviaFrom(outer)),
            TaskRunKey when data.StartNew is { } at && request.NodeAt(at) is InvocationExpressionSyntax startNew && TaskRun(startNew, request) is { } run
                => request.Root.ReplaceNode(startNew, run.WithTriviaFrom(startNew)),
            _ => null,
        };
        return Task.FromResult(root is null ? null : request.With(root));
    }

    /// <summary><c>Task.Run(f[, token])</c> for <c>Task.Factory.StartNew(f[, token, options, scheduler])</c>: the delegate and the token stay.</summary>
    private static InvocationExpressionSyntax? TaskRun(InvocationExpressionSyntax startNew, FixRequest request)
    {
        if (startNew.Expression is not MemberAccessExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: var task } }
            || request.Model.GetOperation(startNew, request.CancellationToken) is not Microsoft.CodeAnalysis.Operations.IInvocationOperation invocation)
        {
            return null;
        }

        var kept = invocation.Arguments
            .Where(a => !a.IsImplicit && (a.Parameter?.Ordinal == 0 || a.Parameter?.Type.Name == "CancellationToken"))
            .OrderBy(a => a.Parameter!.Ordinal)
            .Select(a => (ArgumentSyntax)a.Syntax)
            .Select(a => a.NameColon is null ? a : a.WithNameColon(null))
            .ToList();
        return SyntaxFactory.InvocationExpression(
            SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, task.WithoutTrivia(), SyntaxFactory.IdentifierName("Run")),
            SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(kept)));
    }
}
