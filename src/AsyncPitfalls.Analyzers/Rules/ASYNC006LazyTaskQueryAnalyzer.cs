using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncPitfalls.Analyzers;

/// <summary>
/// ASYNC006: a LINQ query over task-returning calls is a lazy generator of work. Enumerated twice, every operation
/// starts twice; never enumerated, nothing starts. The tutorial's generator/coroutine confusion, in C#.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ASYNC006LazyTaskQueryAnalyzer : DiagnosticAnalyzer
{
    private const string Title = "Lazy query of tasks starts its work on every enumeration";
    private const string Description = "A deferred LINQ query whose selector starts asynchronous work runs that work each time it is enumerated: enumerated twice, every operation starts twice; never enumerated, none starts.";

    internal static readonly DiagnosticDescriptor RepeatedRule = RuleFactory.Create(
        DiagnosticIds.LazyTaskQuery,
        title: Title,
        message: "'{0}' is a lazy query that starts the work each time it is enumerated; it is enumerated {1} times",
        DiagnosticCategories.Reliability,
        DiagnosticSeverity.Warning,
        description: Description);

    internal static readonly DiagnosticDescriptor NeverEnumeratedRule = RuleFactory.Create(
        DiagnosticIds.LazyTaskQuery,
        title: Title,
        message: "This query of tasks is never enumerated, so none of its work starts",
        DiagnosticCategories.Reliability,
        DiagnosticSeverity.Warning,
        description: Description);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(RepeatedRule, NeverEnumeratedRule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            start.RegisterOperationAction(s => s.HasTasks, (c, facts) => AnalyzeStatement(c, facts.Symbols), OperationKind.ExpressionStatement);
            start.RegisterOperationAction(s => s.HasTasks, (c, facts) => AnalyzeDeclarator(c, facts.Symbols), OperationKind.VariableDeclarator);
        });
    }

    /// <summary>(b) <c>items.Select(async i => await SendAsync(i));</c> as a statement: the query is dropped unrun.</summary>
    private static void AnalyzeStatement(OperationAnalysisContext context, AsyncSymbols symbols)
    {
        var statement = (IExpressionStatementOperation)context.Operation;
        var value = statement.Operation is ISimpleAssignmentOperation { Target: IDiscardOperation } discard ? discard.Value : statement.Operation;
        if (TaskQueries.AsWorkStartingQuery(value, symbols) is { } query)
        {
            context.ReportDiagnostic(Diagnostic.Create(NeverEnumeratedRule, query.Syntax.GetLocation(), new ASYNC006Data(QueryShape.Statement, onlyCombinators: false).ToProperties()));
        }
    }

    /// <summary>(a) a local query enumerated at two places on one path; (b) a local query nothing enumerates.</summary>
    private static void AnalyzeDeclarator(OperationAnalysisContext context, AsyncSymbols symbols)
    {
        var declarator = (IVariableDeclaratorOperation)context.Operation;
        var local = declarator.Symbol;
        var initializer = declarator.Initializer ?? (declarator.Parent as IVariableDeclarationOperation)?.Initializer;
        if (TaskQueries.Call(initializer?.Value) is null || !TaskQueries.IsLazySequenceType(local.Type, symbols) || local.IsRef
            || TaskQueries.AsWorkStartingQuery(initializer!.Value, symbols) is not { } query)
        {
            return;
        }

        var function = declarator.EnclosingFunction();
        var enumerations = new List<IOperation>();
        var escapes = false;
        foreach (var reference in LocalUsageIndex.References(local, declarator.Root()))
        {
            switch (TaskQueries.Classify(reference, function, symbols, context.CancellationToken))
            {
                case SequenceUse.Write:
                    return;
                case SequenceUse.Enumerates:
                    enumerations.Add(reference);
                    break;
                default:
                    escapes = true;
                    break;
            }
        }

        if (enumerations.Count == 0)
        {
            if (!escapes)
            {
                context.ReportDiagnostic(Diagnostic.Create(NeverEnumeratedRule, query.Syntax.GetLocation(), new ASYNC006Data(QueryShape.UnusedLocal, onlyCombinators: false).ToProperties()));
            }

            return;
        }

        // The largest set of enumerations that can all run on one path, in source order.
        var onOnePath = LongestPath(enumerations);
        if (onOnePath.Count < 2)
        {
            return;
        }

        var data = new ASYNC006Data(QueryShape.Repeated, onlyCombinators: enumerations.All(IsCombinatorArgument));
        context.ReportDiagnostic(Diagnostic.Create(RepeatedRule, declarator.Syntax.GetLocation(), onOnePath.Select(e => e.Syntax.GetLocation()), data.ToProperties(),
            local.Name, onOnePath.Count));
    }

    private static List<IOperation> LongestPath(List<IOperation> enumerations)
    {
        var best = new List<IOperation>();
        for (var i = 0; i < enumerations.Count; i++)
        {
            var path = new List<IOperation> { enumerations[i] };
            for (var j = i + 1; j < enumerations.Count; j++)
            {
                if (CanRunAfter(path[path.Count - 1], enumerations[j]))
                {
                    path.Add(enumerations[j]);
                }
            }

            if (path.Count > best.Count)
            {
                best = path;
            }
        }

        return best;
    }

    /// <summary>
    /// Whether <paramref name="second"/> can run after <paramref name="first"/> on one path of their function's
    /// control-flow graph (not when they are in different branches, or the first one's branch leaves before the second).
    /// </summary>
    private static bool CanRunAfter(IOperation first, IOperation second)
        => first.EnclosingFunction() == second.EnclosingFunction() && Paths.Around(first) is { } paths && paths.CanRunAfter(first.Syntax, second.Syntax);

    private static bool IsCombinatorArgument(IOperation reference)
        => reference.WalkUpConversions().Parent is IArgumentOperation { Parent: IInvocationOperation { TargetMethod.Name: "WhenAll" or "WhenAny" } };
}
