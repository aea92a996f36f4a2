using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncPitfalls.Analyzers;

/// <summary>
/// ASYNC901: suppresses the compiler's CS4014 on exactly the dropped-task shapes that ASYNC001 accepts
/// (NSubstitute verification, a dropped ContinueWith, observer helpers, configured excluded methods).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ASYNC901AcceptedDropSuppressor : DiagnosticSuppressor
{
    /// <summary>What the suppressor does, in the rule tables.</summary>
    internal const string Title = "Suppresses CS4014 on the shapes ASYNC001 accepts";

    /// <summary>
    /// <c>ASYNC901.enabled = false</c> turns the suppressor off. A severity entry for a suppression ID does not
    /// reliably switch a suppressor off (the tests found it still active with <c>dotnet_diagnostic.ASYNC901.severity = none</c>).
    /// </summary>
    internal static readonly RuleOption<bool> Enabled = RuleOption.Bool(
        DiagnosticIds.SuppressAcceptedCS4014,
        "enabled",
        defaultValue: true,
        "Set to false to keep the compiler's CS4014 on the shapes ASYNC001 accepts.");

    internal static readonly SuppressionDescriptor Rule = new(
        DiagnosticIds.SuppressAcceptedCS4014,
        DiagnosticIds.CompilerUnawaitedCall,
        "The dropped task is an accepted shape (NSubstitute verification, ContinueWith, an observer helper or an excluded method), as ASYNC001 documents");

    public override ImmutableArray<SuppressionDescriptor> SupportedSuppressions => ImmutableArray.Create(Rule);

    public override void ReportSuppressions(SuppressionAnalysisContext context)
    {
        var symbols = CompilationFacts.Of(context.Compilation).Symbols;
        if (!symbols.HasTasks)
        {
            return;
        }

        foreach (var diagnostic in context.ReportedDiagnostics)
        {
            var tree = diagnostic.Location.SourceTree;
            if (tree is null || !Enabled.Read(context.Options, tree))
            {
                continue;
            }

            var root = tree.GetRoot(context.CancellationToken);
            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            var model = context.GetSemanticModel(tree);
            if (model.GetOperation(node, context.CancellationToken) is IInvocationOperation invocation
                && AcceptedDrops.IsAccepted(invocation, symbols, context.Options))
            {
                context.ReportSuppression(Suppression.Create(Rule, diagnostic));
            }
        }
    }
}
