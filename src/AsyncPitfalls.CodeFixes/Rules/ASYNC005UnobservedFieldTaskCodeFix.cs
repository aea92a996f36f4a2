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
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;

namespace AsyncPitfalls.CodeFixes;

/// <summary>
/// Fixes ASYNC005 with "Await '_loop' when stopping": in the stop method the analyzer chose (<see cref="ASYNC005Data"/>),
/// after the statement that cancels the type's token source (<c>_cts.Cancel()</c>, <c>_cts?.CancelAsync()</c>,
/// <c>CancelAfter</c>), or at the end of a <c>StopAsync</c>/<c>DisposeAsync</c>/<c>Stop</c> that cancels nothing,
/// inserts <c>try { await _loop; } catch (OperationCanceledException) { }</c> (awaiting
/// <c>_loop ?? Task.CompletedTask</c> when the field may be null). The stop method becomes async under the same rules
/// as the other fixes; a synchronous <c>Dispose</c> is never changed.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ASYNC005UnobservedFieldTaskCodeFix)), Shared]
public sealed class ASYNC005UnobservedFieldTaskCodeFix : AsyncPitfallsCodeFix
{
    internal const string AwaitKey = "ASYNC005.AwaitWhenStopping";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.UnobservedFieldTask);

    internal override string FixAllTitle(string key) => "Await every such task when stopping";

    internal override IEnumerable<FixOption> Options(FixRequest request)
    {
        if (Plan(request) is { } plan
            && plan.Conversion.HasReferencesNearby(request.Model, request.CancellationToken) != true)
        {
            var title = $"Await '{plan.Name}' when stopping";
            yield return plan.Conversion.ChangesPublicSignature
                ? new FixOption($"{title} (changes the public signature of '{plan.Conversion.Method!.Name}')", AwaitKey, bulk: false)
                : new FixOption(title, AwaitKey);
        }
    }

    internal override async Task<Solution?> ApplyAsync(FixRequest request, string key)
    {
        if (Plan(request) is not { } plan
            || !await plan.Conversion.CallersAllowAsync(request.Document, request.CancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var symbols = CompilationFacts.Of(request.Model.Compilation).Symbols;
        ExpressionSyntax operand = SyntaxFactory.IdentifierName(plan.Name);
        if (plan.MayBeNull)
        {
            operand = SyntaxFactory.ParenthesizedExpression(SyntaxFactory.BinaryExpression(SyntaxKind.CoalesceExpression, operand,
                SyntaxFactory.ParseExpression("System.Threading.Tasks.Task.CompletedTask").WithAdditionalAnnotations(Microsoft.CodeAnalysis.Simplification.Simplifier.Annotation)));
        }

        var awaited = SyntaxFactory.ExpressionStatement(AwaitStyle.Await(operand, AwaitStyle.ConfiguresAwait(request.Document, plan.Anchor), plan.MayBeNull ? symbols.Task : plan.FieldType, symbols));
        var guarded = CancellationCatch.Guarded(awaited).WithAdditionalAnnotations(Formatter.Annotation);
        var editor = new SyntaxEditor(request.Root, request.Document.Project.Solution.Services);
        switch (plan.Anchor)
        {
            case BlockSyntax body:
                editor.ReplaceNode(body, body.AddStatements(guarded));
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

        ASYNC001UnawaitedTaskCodeFix.ConvertFunction(editor, plan.Conversion, request.Model, request.Document, plan.Anchor, request.CancellationToken);
        return request.With(editor.GetChangedRoot());
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

        /// <summary>
        /// The statement after which the await goes (the cancel), the body to append to (a method that cancels
        /// nothing), or the arrow body of a void method to turn into a block.
        /// </summary>
        public SyntaxNode Anchor { get; }

        public AsyncConversion Conversion { get; }
    }

    private static StopPlan? Plan(FixRequest request)
    {
        var (model, cancellationToken) = (request.Model, request.CancellationToken);
        var declaration = request.TokenParent;
        var member = declaration is null ? null : model.GetDeclaredSymbol(declaration, cancellationToken);
        var memberType = member switch
        {
            IFieldSymbol field => field.Type,
            IPropertySymbol property => property.Type,
            _ => null,
        };
        if (member is null || memberType is null || !ASYNC005Data.TryRead(request.Diagnostic, out var data) || data.Anchor is not { } location
            || request.NodeAt(location) is not { } found)
        {
            return null;
        }

        SyntaxNode? anchor = data.Stop switch
        {
            // The cancelling statement of a block body, or the expression body of a void method.
            StopAnchor.AfterCancel => found.AncestorsAndSelf().FirstOrDefault(n => n is StatementSyntax { Parent: BlockSyntax { Parent: MethodDeclarationSyntax } }
                || n is ArrowExpressionClauseSyntax { Parent: MethodDeclarationSyntax { ReturnType: PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.VoidKeyword } } }),
            // The end of a method that cancels nothing: after its last statement, in an empty body, or after its void expression body.
            StopAnchor.EndOfMethod => found.FirstAncestorOrSelf<MethodDeclarationSyntax>() switch
            {
                { Body: { Statements: { Count: > 0 } statements } } when statements.Last() is not (ReturnStatementSyntax or ThrowStatementSyntax) => statements.Last(),
                { Body: { Statements.Count: 0 } body } => body,
                { ExpressionBody: { Expression: InvocationExpressionSyntax or AssignmentExpressionSyntax or AwaitExpressionSyntax } arrow, ReturnType: PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.VoidKeyword } } => arrow,
                _ => null,
            },
            _ => null,
        };
        if (anchor is null
            || AsyncConversion.Plan(anchor is ArrowExpressionClauseSyntax a ? a.Expression : anchor, model, cancellationToken) is not { } conversion)
        {
            return null;
        }

        var mayBeNull = memberType.NullableAnnotation == NullableAnnotation.Annotated || model.GetNullableContext(anchor.Span.End) == NullableContext.Disabled;
        return new StopPlan(member.Name, memberType, mayBeNull, anchor, conversion);
    }
}
