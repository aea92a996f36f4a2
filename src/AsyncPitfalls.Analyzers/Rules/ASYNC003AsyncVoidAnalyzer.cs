using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncPitfalls.Analyzers;

/// <summary>ASYNC003: async void methods, local functions, and async lambdas converted to void-returning delegates.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ASYNC003AsyncVoidAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Property set when the diagnostic is on a lambda or anonymous method (no code fix).</summary>
    public const string LambdaProperty = "Lambda";

    internal static readonly DiagnosticDescriptor Rule = RuleFactory.Create(
        DiagnosticIds.AvoidAsyncVoid,
        title: "Async code returns void",
        message: "{0} is async void: nobody can await it, and an exception it throws crashes the process",
        DiagnosticCategories.Reliability,
        DiagnosticSeverity.Warning,
        description: "An async void method, local function or lambda cannot be awaited, so its caller cannot know when it ends, and an exception that escapes it is rethrown on the thread pool, where it ends the process.");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var known = KnownTypes.Create(start.Compilation);
            start.RegisterSymbolAction(c => AnalyzeMethod(c, known), SymbolKind.Method);
            start.RegisterOperationAction(c => AnalyzeLocalFunction(c, known), OperationKind.LocalFunction);
            start.RegisterOperationAction(c => AnalyzeLambda(c, known), OperationKind.AnonymousFunction);
        });
    }

    private static void AnalyzeMethod(SymbolAnalysisContext context, KnownTypes known)
    {
        var method = (IMethodSymbol)context.Symbol;
        if (!method.IsAsync || !method.ReturnsVoid || method.MethodKind != MethodKind.Ordinary
            || SymbolFacts.SignatureIsInherited(method)
            || known.IsEventHandlerShape(method))
        {
            return;
        }

        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(context.CancellationToken) is MethodDeclarationSyntax declaration
                && !CannotThrow(declaration.Body))
            {
                context.ReportDiagnostic(Diagnostic.Create(Rule, declaration.Identifier.GetLocation(), $"Method '{method.Name}'"));
            }
        }
    }

    private static void AnalyzeLocalFunction(OperationAnalysisContext context, KnownTypes known)
    {
        var operation = (ILocalFunctionOperation)context.Operation;
        var function = operation.Symbol;
        if (function.IsAsync && function.ReturnsVoid && !known.IsEventHandlerShape(function)
            && operation.Syntax is LocalFunctionStatementSyntax syntax && !CannotThrow(syntax.Body))
        {
            context.ReportDiagnostic(Diagnostic.Create(Rule, syntax.Identifier.GetLocation(), $"Local function '{function.Name}'"));
        }
    }

    private static void AnalyzeLambda(OperationAnalysisContext context, KnownTypes known)
    {
        var lambda = (IAnonymousFunctionOperation)context.Operation;
        if (!lambda.Symbol.IsAsync || !lambda.Symbol.ReturnsVoid || lambda.Syntax is not AnonymousFunctionExpressionSyntax syntax)
        {
            return;
        }

        // The delegate the lambda converts to: an event subscription or an event-handler-shaped delegate is fine.
        var parent = lambda.Parent;
        while (parent is IConversionOperation or IParenthesizedOperation)
        {
            parent = parent.Parent;
        }

        if (parent is not IDelegateCreationOperation { Type: INamedTypeSymbol { DelegateInvokeMethod: { } invoke } delegateType } creation)
        {
            return;
        }

        var target = creation.Parent;
        while (target is IConversionOperation or IParenthesizedOperation)
        {
            target = target.Parent;
        }

        if (target is IEventAssignmentOperation || known.IsEventHandlerShape(invoke)
            || CannotThrow(syntax.Block))
        {
            return;
        }

        var display = $"Async {(syntax is AnonymousMethodExpressionSyntax ? "anonymous method" : "lambda")} converted to '{delegateType.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)}'";
        var properties = ImmutableDictionary<string, string?>.Empty.Add(LambdaProperty, "true");
        context.ReportDiagnostic(Diagnostic.Create(Rule, syntax.AsyncKeyword.GetLocation(), properties, display));
    }

    /// <summary>
    /// True when the whole body is one <c>try</c> whose catch-all clause (<c>catch</c> or <c>catch (Exception)</c>,
    /// without a filter) never throws: no exception can escape, so async void is harmless there.
    /// </summary>
    private static bool CannotThrow(BlockSyntax? body)
    {
        if (body is null || body.Statements.Count != 1 || body.Statements[0] is not TryStatementSyntax tryStatement)
        {
            return false;
        }

        if (tryStatement.Finally is { } finallyClause && finallyClause.Block.DescendantNodes().Any(n => n is ThrowStatementSyntax or ThrowExpressionSyntax))
        {
            return false;
        }

        return tryStatement.Catches.Any(c => c.Filter is null
            && (c.Declaration is null || IsExceptionTypeName(c.Declaration.Type))
            && !c.Block.DescendantNodes().Any(n => n is ThrowStatementSyntax or ThrowExpressionSyntax));
    }

    private static bool IsExceptionTypeName(TypeSyntax type)
        => type switch
        {
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText == "Exception",
            QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText == "Exception" && qualified.Left.ToString() is "System" or "global::System",
            AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText == "Exception",
            _ => false,
        };
}
