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
using Microsoft.CodeAnalysis.FindSymbols;

namespace AsyncPitfalls.CodeFixes;

/// <summary>
/// Fixes ASYNC003 on methods and local functions: "Return Task instead of void". The call sites in the solution
/// change with it, so no CS4014 appears: each call becomes <c>_ = M()</c>, which keeps what the call did (start and
/// go on); awaiting it is then a decision for a person, which ASYNC001 and ASYNC007 point to. Not applied when a
/// reference is not a call (a method group would stop compiling). A method visible outside the assembly keeps its
/// single action, titled as a signature change, and Fix All leaves it. Lambdas get no fix, since their delegate type is
/// chosen by the API they are passed to, except <c>var t = new Task(async () => …); t.Start();</c>, which becomes
/// <c>var t = Task.Run(async () => …);</c>: the same start, and a task that completes with the work and carries its
/// failure instead of an exception that ends the process.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ASYNC003AsyncVoidCodeFix)), Shared]
public sealed class ASYNC003AsyncVoidCodeFix : AsyncPitfallsCodeFix
{
    internal const string ReturnTaskKey = "ASYNC003.ReturnTask";
    internal const string TaskRunKey = "ASYNC003.TaskRun";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.AvoidAsyncVoid);

    internal override string FixAllTitle(string key) => key == TaskRunKey ? "Start each such task with Task.Run" : "Return Task instead of void everywhere";

    internal override IEnumerable<FixOption> Options(FixRequest request)
    {
        // new Task(async () => …) started at once: Task.Run takes the async lambda as a Func<Task>, and its task is the work.
        if (ASYNC003Data.TryRead(request.Diagnostic, out var started) && started.StartStatement is not null && TaskRunRewrite(request) is not null)
        {
            yield return new FixOption("Start it with Task.Run, whose task is the work", TaskRunKey);
            yield break;
        }

        if (!ASYNC003Data.TryRead(request.Diagnostic, out var data) || data.IsLambda
            || request.TokenParent is not { } function || function is not (MethodDeclarationSyntax or LocalFunctionStatementSyntax)
            || request.Model.GetDeclaredSymbol(function, request.CancellationToken) is not IMethodSymbol method)
        {
            yield break;
        }

        // A private method or a local function: its references are near, and a method group use rules the fix out.
        if (NearbyScope(function, method) is { } scope
            && scope.DescendantNodes().OfType<SimpleNameSyntax>().Any(n => n.Identifier.ValueText == method.Name && !IsCallee(n)
                && SymbolEqualityComparer.Default.Equals(request.Model.GetSymbolInfo(n, request.CancellationToken).Symbol?.OriginalDefinition, method.OriginalDefinition)))
        {
            yield break;
        }

        var visible = method.IsVisibleOutsideAssembly();
        yield return new FixOption(visible ? $"Return Task instead of void (changes the public signature of '{method.Name}')" : "Return Task instead of void", ReturnTaskKey, bulk: !visible);
    }

    internal override async Task<Solution?> ApplyAsync(FixRequest request, string key)
    {
        if (key == TaskRunKey)
        {
            if (TaskRunRewrite(request) is not var (creation, run, start))
            {
                return null;
            }

            var root = request.Root.TrackNodes(creation, start);
            root = root.ReplaceNode(root.GetCurrentNode(creation)!, run);
            return request.With(root.RemoveNode(root.GetCurrentNode(start)!, SyntaxRemoveOptions.KeepNoTrivia)!);
        }

        var (document, model, cancellationToken) = (request.Document, request.Model, request.CancellationToken);
        if (!ASYNC003Data.TryRead(request.Diagnostic, out var data) || data.IsLambda
            || request.TokenParent is not { } function || function is not (MethodDeclarationSyntax or LocalFunctionStatementSyntax)
            || model.GetDeclaredSymbol(function, cancellationToken) is not IMethodSymbol method)
        {
            return null;
        }

        // Every reference must be a call statement, grouped by document.
        var calls = new Dictionary<DocumentId, List<InvocationExpressionSyntax>>();
        var references = method.MethodKind == MethodKind.LocalFunction
            ? LocalReferences(function, method, model, cancellationToken).Select(r => (document, r.Span))
            : (await SymbolFinder.FindReferencesAsync(method, document.Project.Solution, cancellationToken).ConfigureAwait(false))
                .SelectMany(r => r.Locations).Select(l => (l.Document, l.Location.SourceSpan));
        foreach (var (referenceDocument, span) in references)
        {
            var referenceRoot = await referenceDocument.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            SyntaxNode? node = referenceRoot?.FindNode(span, getInnermostNodeForTie: true);
            while (node?.Parent is MemberAccessExpressionSyntax access && access.Name == node)
            {
                node = access;
            }

            if (node?.Parent is not InvocationExpressionSyntax invocation || invocation.Expression != node)
            {
                return null;
            }

            // A call statement, or the body of a void arrow member or lambda: the compiler would report each (CS4014).
            if (invocation.Parent is ExpressionStatementSyntax
                || invocation.Parent is ArrowExpressionClauseSyntax or LambdaExpressionSyntax
                    && await ReturnsVoidAsync(referenceDocument, invocation.Parent, cancellationToken).ConfigureAwait(false))
            {
                if (!calls.TryGetValue(referenceDocument.Id, out var list))
                {
                    calls[referenceDocument.Id] = list = new List<InvocationExpressionSyntax>();
                }

                list.Add(invocation);
            }
        }

        var solution = document.Project.Solution;
        foreach (var id in calls.Keys.Append(document.Id).Distinct().OrderBy(i => i == document.Id ? 1 : 0))
        {
            var current = solution.GetDocument(id)!;
            var currentRoot = await current.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var currentModel = await current.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (currentRoot is null || currentModel is null)
            {
                return null;
            }

            var symbols = CompilationFacts.Of(currentModel.Compilation).Symbols;
            var sites = calls.TryGetValue(id, out var found) ? found : new List<InvocationExpressionSyntax>();
            var targets = sites.Cast<SyntaxNode>().Concat(id == document.Id ? new[] { function } : System.Array.Empty<SyntaxNode>());
            var changed = currentRoot.ReplaceNodes(targets, (original, rewritten) => original == function
                ? AsyncConversion.WithReturnType(rewritten, AsyncConversion.TaskType())
                : CallSite((InvocationExpressionSyntax)rewritten));
            solution = solution.WithDocumentSyntaxRoot(id, changed);
        }

        return solution;
    }

    /// <summary>
    /// <c>new Task(lambda[, token])</c>, the <c>Task.Run(lambda[, token])</c> that replaces it, and the <c>t.Start();</c>
    /// statement that goes.
    /// </summary>
    private static (ObjectCreationExpressionSyntax Creation, InvocationExpressionSyntax Run, StatementSyntax Start)? TaskRunRewrite(FixRequest request)
    {
        if (!ASYNC003Data.TryRead(request.Diagnostic, out var data) || data.StartStatement is null
            || request.NodeAt(data.StartStatement) is not ExpressionStatementSyntax start
            || request.Node.FirstAncestorOrSelf<ObjectCreationExpressionSyntax>() is not { ArgumentList: { } arguments } creation)
        {
            return null;
        }

        var run = SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, creation.Type.WithoutTrivia(), SyntaxFactory.IdentifierName("Run")),
                arguments)
            .WithTriviaFrom(creation);
        return (creation, run, start);
    }

    /// <summary>
    /// <c>_ = M()</c>: the call starts the work and goes on, exactly as the async void call did. Awaiting it would
    /// change when the caller continues, and whether the caller is async can depend on other fixes that ran first
    /// (Fix All of ASYNC001 makes methods async); the discard gives the same result in any order.
    /// </summary>
    private static ExpressionSyntax CallSite(InvocationExpressionSyntax rewritten)
        => FixSyntax.Discard(rewritten).WithTriviaFrom(rewritten);

    /// <summary>The member or lambda whose expression body is <paramref name="body"/> returns void.</summary>
    private static async Task<bool> ReturnsVoidAsync(Document document, SyntaxNode body, CancellationToken cancellationToken)
    {
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        var owner = body is ArrowExpressionClauseSyntax arrow ? arrow.Parent : body;
        var symbol = owner is LambdaExpressionSyntax lambda
            ? model?.GetSymbolInfo(lambda, cancellationToken).Symbol
            : owner is null ? null : model?.GetDeclaredSymbol(owner, cancellationToken);
        return symbol is IMethodSymbol { ReturnsVoid: true };
    }

    private static SyntaxNode? NearbyScope(SyntaxNode function, IMethodSymbol method)
        => method.MethodKind == MethodKind.LocalFunction ? function.Parent
            : method.DeclaredAccessibility == Accessibility.Private && method.ContainingType?.DeclaringSyntaxReferences.Length == 1 ? function.Parent
            : null;

    /// <summary>The name is the callee of a call: <c>M()</c> or <c>this.M()</c>.</summary>
    private static bool IsCallee(SimpleNameSyntax name)
    {
        SyntaxNode node = name.Parent is MemberAccessExpressionSyntax access && access.Name == name ? access : name;
        return node.Parent is InvocationExpressionSyntax invocation && invocation.Expression == node;
    }

    private static IEnumerable<IdentifierNameSyntax> LocalReferences(SyntaxNode function, IMethodSymbol method, SemanticModel model, CancellationToken cancellationToken)
        => (function.Parent?.Parent ?? function).DescendantNodes().OfType<IdentifierNameSyntax>()
            .Where(i => i.Identifier.ValueText == method.Name && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(i, cancellationToken).Symbol, method));
}
