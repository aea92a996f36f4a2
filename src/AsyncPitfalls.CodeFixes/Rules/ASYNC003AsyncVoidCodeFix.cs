using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AsyncPitfalls.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.FindSymbols;

namespace AsyncPitfalls.CodeFixes;

/// <summary>
/// Fixes ASYNC003 on methods and local functions: "Return Task instead of void". Lambdas get no fix; their
/// delegate type is chosen by the API they are passed to (see docs/rules/ASYNC003.md).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ASYNC003AsyncVoidCodeFix)), Shared]
public sealed class ASYNC003AsyncVoidCodeFix : CodeFixProvider
{
    internal const string ReturnTaskKey = "ASYNC003.ReturnTask";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.AvoidAsyncVoid);

    public override FixAllProvider GetFixAllProvider() => FixAll;

    private static readonly DocumentFixAll FixAll = new(ReturnTaskKey, _ => "Return Task instead of void everywhere", (document, diagnostics, _, ct) => ApplyAsync(document, diagnostics, ct));

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (await FindFixableFunctionAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false) is null)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    "Return Task instead of void",
                    ct => ApplyAsync(context.Document, ImmutableArray.Create(diagnostic), ct),
                    ReturnTaskKey),
                diagnostic);
        }
    }

    /// <summary>
    /// The method or local function to change, when every reference to it is a call: a method group use
    /// (<c>Action a = M;</c>) would stop compiling once it returns a task.
    /// </summary>
    private static async Task<SyntaxNode?> FindFixableFunctionAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (diagnostic.Properties.ContainsKey(ASYNC003AsyncVoidAnalyzer.LambdaProperty))
        {
            return null;
        }

        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        var function = root?.FindToken(diagnostic.Location.SourceSpan.Start).Parent;
        if (function is not (MethodDeclarationSyntax or LocalFunctionStatementSyntax)
            || model?.GetDeclaredSymbol(function, cancellationToken) is not IMethodSymbol method)
        {
            return null;
        }

        var references = await SymbolFinder.FindReferencesAsync(method, document.Project.Solution, cancellationToken).ConfigureAwait(false);
        foreach (var location in references.SelectMany(r => r.Locations))
        {
            var referenceRoot = await location.Document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            SyntaxNode? node = referenceRoot?.FindNode(location.Location.SourceSpan, getInnermostNodeForTie: true);
            while (node?.Parent is MemberAccessExpressionSyntax access && access.Name == node)
            {
                node = access;
            }

            if (node?.Parent is not InvocationExpressionSyntax invocation || invocation.Expression != node)
            {
                return null;
            }
        }

        return function;
    }

    private static async Task<Document> ApplyAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in diagnostics)
        {
            if (await FindFixableFunctionAsync(document, diagnostic, cancellationToken).ConfigureAwait(false) is { } function)
            {
                editor.ReplaceNode(function, (current, _) => AsyncConversion.WithReturnType(current, AsyncConversion.TaskType()));
            }
        }

        return editor.GetChangedDocument();
    }
}
