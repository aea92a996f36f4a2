using System.Linq;
using AsyncPitfalls.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace AsyncPitfalls.CodeFixes;

/// <summary>
/// The one place where the fixes write an <c>await</c>. It parenthesizes the operand where precedence requires it
/// (<c>await (_loop ?? Task.CompletedTask)</c>, not <c>await _loop ?? Task.CompletedTask</c>, which awaits only
/// <c>_loop</c>), and writes it the way the code around it writes its awaits: when the other awaits of the method (or,
/// when it has none, of the file) use <c>.ConfigureAwait(false)</c>, or the project turns CA2007 on, an inserted await
/// uses it too, since a library's synchronous caller on a UI or legacy ASP.NET context could otherwise deadlock.
/// </summary>
internal static class AwaitStyle
{
    /// <summary>True when an await inserted at <paramref name="position"/> should configure <c>ConfigureAwait(false)</c>.</summary>
    public static bool ConfiguresAwait(Document document, SyntaxNode position)
    {
        if (RequiresConfigureAwait(document, position.SyntaxTree))
        {
            return true;
        }

        var function = position.AncestorsAndSelf().FirstOrDefault(n => n is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AccessorDeclarationSyntax or CompilationUnitSyntax);
        var inFunction = Awaits(function);
        var sample = inFunction.Length > 0 ? inFunction : Awaits(position.SyntaxTree.GetRoot());
        return sample.Length > 0 && sample.Count(IsConfiguredFalse) * 2 > sample.Length;
    }

    /// <summary>
    /// <c>await operand</c>, with the operand in parentheses unless it binds at least as tightly as <c>await</c>, and
    /// with <c>.ConfigureAwait(false)</c> when the convention asks for it and the operand is a task.
    /// </summary>
    public static AwaitExpressionSyntax Await(ExpressionSyntax operand, bool configure, ITypeSymbol? operandType, AsyncSymbols symbols)
    {
        var awaited = operand.WithoutTrivia();

        // A task of a task (StartNew(async …)): the work is the inner task, so the await is of the unwrapped one (ASYNC040).
        if (IsUnwrappable(operandType, symbols))
        {
            awaited = Unwrapped(awaited);
        }

        if (configure && symbols.IsTaskLike(operandType) && !IsConfigured(awaited))
        {
            awaited = SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, Parenthesize(awaited), SyntaxFactory.IdentifierName("ConfigureAwait")),
                SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(SyntaxFactory.LiteralExpression(SyntaxKind.FalseLiteralExpression)))));
        }

        return SyntaxFactory.AwaitExpression(Parenthesize(awaited)).WithAdditionalAnnotations(Formatter.Annotation);
    }

    /// <summary>
    /// The await placed where <paramref name="replaced"/> was: in parentheses (marked for the simplifier, which removes
    /// them where they are not needed) unless that place takes any expression (a statement, an argument, an
    /// initializer, a return).
    /// </summary>
    public static ExpressionSyntax InPlaceOf(AwaitExpressionSyntax awaited, SyntaxNode replaced)
        => replaced.Parent is ExpressionStatementSyntax or ArrowExpressionClauseSyntax or EqualsValueClauseSyntax or ReturnStatementSyntax or ArgumentSyntax
            or ParenthesizedExpressionSyntax or InterpolationSyntax or AnonymousFunctionExpressionSyntax
            ? awaited
            : SyntaxFactory.ParenthesizedExpression(awaited).WithAdditionalAnnotations(Simplifier.Annotation);

    /// <summary><c>Task&lt;Task&gt;</c> or <c>Task&lt;Task&lt;T&gt;&gt;</c>: what <c>TaskExtensions.Unwrap</c> takes.</summary>
    public static bool IsUnwrappable(ITypeSymbol? type, AsyncSymbols symbols)
        => type is INamedTypeSymbol { OriginalDefinition: var definition } && ReferenceEquals(definition, symbols.TaskOfT)
            && symbols.InnerTaskOf(type) is INamedTypeSymbol inner && (ReferenceEquals(inner.OriginalDefinition, symbols.Task) || ReferenceEquals(inner.OriginalDefinition, symbols.TaskOfT));

    /// <summary><c>expression.Unwrap()</c>, with the expression in parentheses when it is not a primary expression.</summary>
    public static InvocationExpressionSyntax Unwrapped(ExpressionSyntax expression)
        => SyntaxFactory.InvocationExpression(
            SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, Parenthesize(expression.WithoutTrivia()), SyntaxFactory.IdentifierName("Unwrap")));

    /// <summary>
    /// The expression as an operand of a prefix operator (<c>await</c>, or the receiver of <c>.ConfigureAwait</c>): in
    /// parentheses unless it is a primary expression, which binds more tightly than any operator.
    /// </summary>
    private static ExpressionSyntax Parenthesize(ExpressionSyntax expression)
        => IsPrimary(expression) ? expression : SyntaxFactory.ParenthesizedExpression(expression);

    private static bool IsPrimary(ExpressionSyntax expression)
        => expression is SimpleNameSyntax or QualifiedNameSyntax or AliasQualifiedNameSyntax or InvocationExpressionSyntax or MemberAccessExpressionSyntax
            or ElementAccessExpressionSyntax or ConditionalAccessExpressionSyntax or ParenthesizedExpressionSyntax or LiteralExpressionSyntax
            or BaseObjectCreationExpressionSyntax or ArrayCreationExpressionSyntax or ImplicitArrayCreationExpressionSyntax or AnonymousObjectCreationExpressionSyntax
            or ThisExpressionSyntax or BaseExpressionSyntax or TypeOfExpressionSyntax or DefaultExpressionSyntax or CheckedExpressionSyntax
            or InterpolatedStringExpressionSyntax or TupleExpressionSyntax or PredefinedTypeSyntax
            || expression is PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.SuppressNullableWarningExpression } suppressed && IsPrimary(suppressed.Operand);

    /// <summary>The awaits of a scope that could be configured: <c>await Task.Yield()</c> has no ConfigureAwait and says nothing.</summary>
    private static AwaitExpressionSyntax[] Awaits(SyntaxNode? scope)
        => scope is null
            ? System.Array.Empty<AwaitExpressionSyntax>()
            : scope.DescendantNodes(n => n == scope || n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)).OfType<AwaitExpressionSyntax>()
                .Where(a => a.Expression is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Yield" } })
                .ToArray();

    private static bool IsConfiguredFalse(AwaitExpressionSyntax awaitExpression)
        => awaitExpression.Expression is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait" }, ArgumentList.Arguments: { Count: 1 } arguments }
            && arguments[0].Expression.IsKind(SyntaxKind.FalseLiteralExpression);

    private static bool IsConfigured(ExpressionSyntax operand)
        => operand is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait" } };

    /// <summary>CA2007 ("Consider calling ConfigureAwait") raised to a warning or an error for this file.</summary>
    private static bool RequiresConfigureAwait(Document document, SyntaxTree tree)
    {
        var options = document.Project.AnalyzerOptions.AnalyzerConfigOptionsProvider.GetOptions(tree);
        if (options.TryGetValue("dotnet_diagnostic.CA2007.severity", out var severity))
        {
            return severity is "warning" or "error";
        }

        return document.Project.CompilationOptions?.SpecificDiagnosticOptions.TryGetValue("CA2007", out var report) == true
            && report is ReportDiagnostic.Warn or ReportDiagnostic.Error;
    }
}
