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
/// Fixes ASYNC005 with "Await '_loop' when stopping": in the type's stop method, after the statement that cancels
/// the token source, inserts <c>try { await _loop; } catch (OperationCanceledException) { }</c> (awaiting
/// <c>_loop ?? Task.CompletedTask</c> when the field may be null). The stop method is the one that cancels a token
/// source of the type, else one named <c>StopAsync</c>, <c>DisposeAsync</c> or <c>Stop</c>. It becomes async under
/// the same rules as the other fixes; a synchronous <c>Dispose</c> is never changed.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ASYNC005UnobservedFieldTaskCodeFix)), Shared]
public sealed class ASYNC005UnobservedFieldTaskCodeFix : AsyncPitfallsCodeFix
{
    internal const string AwaitKey = "ASYNC005.AwaitWhenStopping";

    private static readonly string[] StopNames = { "StopAsync", "DisposeAsync", "Stop" };

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.UnobservedFieldTask);

    internal override string FixAllTitle(string key) => "Await every such task when stopping";

    internal override IEnumerable<FixOption> Options(FixRequest request)
    {
        if (Plan(request.Root, request.Model, request.Diagnostic, request.CancellationToken) is { } plan
            && plan.Conversion.HasReferencesNearby(request.Model, request.CancellationToken) != true)
        {
            var title = $"Await '{plan.Name}' when stopping";
            yield return plan.Conversion.ChangesPublicSignature
                ? new FixOption($"{title} (changes the public signature of '{plan.Conversion.Method!.Name}')", AwaitKey, bulk: false)
                : new FixOption(title, AwaitKey);
        }
    }

    internal override async Task<Solution?> ApplyAsync(Document document, Diagnostic diagnostic, string key, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null || Plan(root, model, diagnostic, cancellationToken) is not { } plan
            || !await plan.Conversion.CallersAllowAsync(document, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var symbols = AsyncSymbols.GetOrCreate(model.Compilation);
        ExpressionSyntax operand = SyntaxFactory.IdentifierName(plan.Name);
        if (plan.MayBeNull)
        {
            operand = SyntaxFactory.ParenthesizedExpression(SyntaxFactory.BinaryExpression(SyntaxKind.CoalesceExpression, operand,
                SyntaxFactory.ParseExpression("System.Threading.Tasks.Task.CompletedTask").WithAdditionalAnnotations(Microsoft.CodeAnalysis.Simplification.Simplifier.Annotation)));
        }

        var awaited = SyntaxFactory.ExpressionStatement(AwaitStyle.Await(operand, AwaitStyle.ConfiguresAwait(document, plan.Anchor), plan.MayBeNull ? symbols.Task : plan.FieldType, symbols));
        var guarded = CancellationCatch.Guarded(awaited).WithAdditionalAnnotations(Formatter.Annotation);
        var editor = new SyntaxEditor(root, document.Project.Solution.Services);
        switch (plan.Anchor)
        {
            case BlockSyntax emptyBody:
                editor.ReplaceNode(emptyBody, emptyBody.AddStatements(guarded));
                break;
            case ArrowExpressionClauseSyntax { Parent: MethodDeclarationSyntax arrowMethod } arrow:
                editor.ReplaceNode(arrowMethod, (current, _) => ((MethodDeclarationSyntax)current)
                    .WithExpressionBody(null).WithSemicolonToken(default)
                    .WithBody(SyntaxFactory.Block(SyntaxFactory.ExpressionStatement(arrow.Expression.WithoutTrivia()), guarded))
                    .WithAdditionalAnnotations(Formatter.Annotation));
                break;
            default:
                editor.InsertAfter(plan.Anchor, guarded);
                break;
        }

        ASYNC001UnawaitedTaskCodeFix.ConvertFunction(editor, plan.Conversion, model, document, plan.Anchor, cancellationToken);
        return document.WithSyntaxRoot(editor.GetChangedRoot()).Project.Solution;
    }

    private sealed class StopPlan
    {
        public StopPlan(string name, ITypeSymbol fieldType, bool mayBeNull, SyntaxNode anchor, AsyncConversion conversion)
        {
            Name = name;
            FieldType = fieldType;
            MayBeNull = mayBeNull;
            Anchor = anchor;
            Conversion = conversion;
        }

        public string Name { get; }
        public ITypeSymbol FieldType { get; }
        public bool MayBeNull { get; }

        /// <summary>The statement after which the await goes (the cancel), the empty body to append to, or the arrow body to turn into a block.</summary>
        public SyntaxNode Anchor { get; }

        public AsyncConversion Conversion { get; }
    }

    private static StopPlan? Plan(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var declaration = root.FindToken(diagnostic.Location.SourceSpan.Start).Parent;
        var member = declaration is null ? null : model.GetDeclaredSymbol(declaration, cancellationToken);
        var memberType = member switch
        {
            IFieldSymbol field => field.Type,
            IPropertySymbol property => property.Type,
            _ => null,
        };
        if (member is null || memberType is null || declaration!.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } type)
        {
            return null;
        }

        // The method that cancels a token source of the type, then the conventional names; never a synchronous Dispose.
        var methods = type.Members.OfType<MethodDeclarationSyntax>()
            .Where(m => m.Identifier.ValueText != "Dispose" || m.Modifiers.Any(SyntaxKind.AsyncKeyword))
            .OrderBy(m => CancelIn(m) is null ? 1 : 0)
            .ThenBy(m => System.Array.IndexOf(StopNames, m.Identifier.ValueText) is var i && i >= 0 ? i : StopNames.Length);
        foreach (var method in methods)
        {
            var cancel = CancelIn(method);
            if (cancel is null && !StopNames.Contains(method.Identifier.ValueText))
            {
                continue;
            }

            SyntaxNode? anchor;
            if (method.Body is { } body)
            {
                // After the cancel, else after the last statement; a body that ends by returning needs the cancel.
                anchor = cancel ?? (body.Statements.LastOrDefault() is { } last ? last : body);
                if (anchor is StatementSyntax { Parent: not BlockSyntax } || anchor is ReturnStatementSyntax or ThrowStatementSyntax)
                {
                    continue;
                }
            }
            else if (method.ExpressionBody is { } arrow && method.ReturnType is PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.VoidKeyword }
                && arrow.Expression is InvocationExpressionSyntax or AssignmentExpressionSyntax or AwaitExpressionSyntax)
            {
                anchor = arrow;
            }
            else
            {
                continue;
            }

            if (AsyncConversion.Plan(anchor is ArrowExpressionClauseSyntax a ? a.Expression : anchor, model, cancellationToken) is not { } conversion)
            {
                continue;
            }

            var position = anchor.Span.End;
            var mayBeNull = memberType.NullableAnnotation == NullableAnnotation.Annotated || model.GetNullableContext(position) == NullableContext.Disabled;
            return new StopPlan(member.Name, memberType, mayBeNull, anchor, conversion);
        }

        return null;
    }

    /// <summary>
    /// The top-level statement of a method body (or the arrow body) that calls Cancel or CancelAsync on a token source.
    /// </summary>
    private static SyntaxNode? CancelIn(MethodDeclarationSyntax method)
        => method.Body is { } body
            ? body.Statements.FirstOrDefault(IsCancel)
            : method.ExpressionBody is { } arrow && IsCancel(arrow) ? arrow : null;

    private static bool IsCancel(SyntaxNode node)
        => node.DescendantNodesAndSelf(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)).OfType<InvocationExpressionSyntax>()
            .Any(i => i.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Cancel" or "CancelAsync" });
}
