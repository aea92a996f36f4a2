using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncPitfalls.Analyzers;

/// <summary>
/// Typos that lose a result. ASYNC020: a never-read local whose name nearly matches a variable that is read
/// instead (<c>var resut = await HeavyWorkAsync(); return result;</c>). ASYNC021: a local that shadows the
/// variable it was meant to assign. Both work from one <see cref="LocalUsageIndex"/> per body.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ASYNC020ASYNC021LostResultAnalyzer : DiagnosticAnalyzer
{
    internal static readonly RuleOption<int> MaxDistance = RuleOption.Int(
        DiagnosticIds.MisspelledResult,
        "max_distance",
        defaultValue: 2,
        min: 0,
        max: 2,
        "The largest edit distance between two names that still counts as a misspelling (0 turns the rule off; names under 8 characters allow 1 at most).",
        example: 1);

    internal static readonly RuleOption<bool> IncludeMembers = RuleOption.Bool(
        DiagnosticIds.MisspelledResult,
        "include_members",
        defaultValue: true,
        "Also compare a never-read local with the fields and properties of its type that are read later.");

    internal static readonly DiagnosticDescriptor MisspelledRule = RuleFactory.Create(
        DiagnosticIds.MisspelledResult,
        title: "Result lands in a misspelled variable",
        message: "'{0}' is assigned but never read, while '{1}' is read at line {2}: misspelled?",
        DiagnosticCategories.Correctness,
        DiagnosticSeverity.Warning,
        description: "A local is assigned and never read, while the same method later reads another variable whose name differs from it by a letter or two, so the value most likely landed in a misspelled variable and is lost.");

    internal static readonly DiagnosticDescriptor ShadowedRule = RuleFactory.Create(
        DiagnosticIds.ShadowedResult,
        title: "Local shadows the variable it was meant to assign",
        message: "'{0}' shadows the outer '{0}' declared at line {1}; the value assigned here never reaches it",
        DiagnosticCategories.Correctness,
        DiagnosticSeverity.Warning,
        description: "A local inside a lambda, local function or nested block has the same name as an outer variable, field or property that is read afterwards, and is itself never read, so the value meant for the outer variable is lost.");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(MisspelledRule, ShadowedRule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterOperationBlockStartAction(start =>
        {
            if (start.OwningSymbol is not IMethodSymbol owner)
            {
                return;
            }

            // The driver hands over the local declarations and references as it walks the body; the full index
            // (parameters, fields, properties too) is built only for the rare body that leaves a local unread.
            var locals = LocalUsageIndex.CreateLocalsOnly();
            start.RegisterOperationAction(c => locals.Add(c.Operation), LocalUsageIndex.LocalKinds);
            start.RegisterOperationBlockEndAction(end =>
            {
                if (locals.HasUnreadAssignment(WorthAFullPass))
                {
                    AnalyzeBody(end, owner);
                }
            });
        });
    }

    /// <summary>
    /// An unread local either rule could report: a name long enough to be a misspelling (not a placeholder), or a local
    /// of a lambda, local function or nested block, which can shadow an outer variable.
    /// </summary>
    private static bool WorthAFullPass(LocalUsage usage)
        => usage.Function is not null
            || (usage.Symbol.Name.Length >= 4 && !IsPlaceholderName(usage.Symbol.Name))
            || usage.Declaration?.Syntax.FirstAncestorOrSelf<BlockSyntax>() is { Parent: not (BaseMethodDeclarationSyntax or AccessorDeclarationSyntax) };

    private static void AnalyzeBody(OperationBlockAnalysisContext context, IMethodSymbol owner)
    {
        var index = LocalUsageIndex.Build(context.OperationBlocks, owner.ContainingType);

        var tree = context.OperationBlocks[0].Syntax.SyntaxTree;
        var cap = MaxDistance.Read(context.Options, tree);
        var includeMembers = IncludeMembers.Read(context.Options, tree);
        foreach (var usage in index.Locals.Values)
        {
            if (usage.Declaration is null || usage.Kind is LocalDeclarationKind.ForEach or LocalDeclarationKind.Using || usage.Writes.Count == 0)
            {
                continue;
            }

            if (!TryReportShadowing(context, index, usage, owner))
            {
                ReportMisspelling(context, index, usage, cap, includeMembers);
            }
        }
    }

    private static void ReportMisspelling(OperationBlockAnalysisContext context, LocalUsageIndex index, LocalUsage usage, int cap, bool includeMembers)
    {
        var name = usage.Symbol.Name;
        if (usage.Reads.Count > 0 || name.Length < 4 || IsPlaceholderName(name))
        {
            return;
        }

        var normalized = NameDistance.Normalize(name);
        var lastWrite = usage.Writes.Max(w => w.Syntax.SpanStart);
        ISymbol? best = null;
        IOperation? bestRead = null;
        var bestDistance = int.MaxValue;
        var tie = false;
        var seen = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var (symbol, read) in index.VariableReads)
        {
            if (read.Syntax.SpanStart <= lastWrite || SymbolEqualityComparer.Default.Equals(symbol, usage.Symbol) || !seen.Add(symbol)
                || symbol.Name == name || symbol is IFieldSymbol or IPropertySymbol && !includeMembers)
            {
                continue;
            }

            var other = NameDistance.Normalize(symbol.Name);
            var allowed = NameDistance.Allowed(Math.Max(normalized.Length, other.Length), cap);
            if (allowed < 0 || other.Length == 0
                || IsDeliberatePrefixPair(normalized, other, name)
                || IsDeliberateWordPair(normalized, other, name, symbol.Name)
                || NameDistance.DifferOnlyByTrailingDigits(normalized, other))
            {
                continue;
            }

            var distance = NameDistance.Distance(normalized, other, allowed);
            if (distance > allowed || Mentions(usage.Source, symbol) || IsOutVariableStandIn(usage, read))
            {
                continue;
            }

            if (distance < bestDistance)
            {
                best = symbol;
                bestRead = read;
                bestDistance = distance;
                tie = false;
            }
            else if (distance == bestDistance)
            {
                tie = true;
            }
        }

        if (best is null || bestRead is null || tie)
        {
            return;
        }

        var line = bestRead.Syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
        var data = new ASYNC020Data(best.Name, bestRead.Syntax.GetLocation(), partnerIsShared: IsShared(best, usage),
            ReadInsteadLeaves(best, usage, context.Compilation, context.CancellationToken));
        context.ReportDiagnostic(Diagnostic.Create(
            MisspelledRule,
            usage.Symbol.Locations[0],
            data.AdditionalLocations,
            data.ToProperties(),
            name,
            best.Name,
            line));
    }

    /// <summary>
    /// Writing <paramref name="partner"/> where <paramref name="usage"/> is declared would be a write to state that other
    /// code shares: a field or property (other calls of the type), or a local or parameter of an enclosing function
    /// that the lambda or local function holding the declaration captures.
    /// </summary>
    private static bool IsShared(ISymbol partner, LocalUsage usage)
        => partner is IFieldSymbol or IPropertySymbol
            || usage.Function is not null && partner is ILocalSymbol or IParameterSymbol && !IsDeclaredIn(partner, usage.Function);

    /// <summary>
    /// What reading the local instead leaves of <paramref name="partner"/>. A private field every read of which, in its
    /// type, comes after the local's declaration in the same member (the reads that fix replaces) is left with no read,
    /// and the compiler then warns that it is never used (CS0169) or that its value is never used (CS0414). When
    /// nothing assigns it either (it only ever held its default, which the compiler already points out with CS0649) and
    /// it is declared in this file, the fix can remove it. The type's declarations are searched by name and only the
    /// matches are bound; this runs only for a report.
    /// </summary>
    private static ReadInsteadLeaves ReadInsteadLeaves(ISymbol partner, LocalUsage usage, Compilation compilation, System.Threading.CancellationToken cancellationToken)
    {
        if (partner is not IFieldSymbol { DeclaredAccessibility: Accessibility.Private, IsConst: false } field
            || usage.Symbol.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is not { } declarator
            || declarator.FirstAncestorOrSelf<SyntaxNode>(n => n is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or LocalFunctionStatementSyntax or CompilationUnitSyntax) is not { } member)
        {
            return Analyzers.ReadInsteadLeaves.Nothing;
        }

        var assigned = false;
        foreach (var reference in field.ContainingType.DeclaringSyntaxReferences)
        {
            var type = reference.GetSyntax(cancellationToken);
            SemanticModel? model = null;
            foreach (var name in type.DescendantNodes().OfType<IdentifierNameSyntax>())
            {
                if (name.Identifier.ValueText != field.Name)
                {
                    continue;
                }

#pragma warning disable RS1030 // Another declaration of the type: the driver's model cache serves it.
                model ??= compilation.GetSemanticModel(type.SyntaxTree);
#pragma warning restore RS1030
                if (!SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name, cancellationToken).Symbol, field))
                {
                    continue;
                }

                if (IsAssigned(name))
                {
                    assigned = true;
                }
                else if (!(type.SyntaxTree == member.SyntaxTree && member.Span.Contains(name.Span) && name.SpanStart > declarator.Span.End))
                {
                    return Analyzers.ReadInsteadLeaves.Nothing;
                }
            }
        }

        var declaration = field.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken);
        return !assigned && declaration is VariableDeclaratorSyntax { Initializer: null } && field.DeclaringSyntaxReferences.Length == 1
            && declaration.SyntaxTree == declarator.SyntaxTree
                ? Analyzers.ReadInsteadLeaves.AnUnusedField
                : Analyzers.ReadInsteadLeaves.AnUnreadField;

        static bool IsAssigned(IdentifierNameSyntax name)
        {
            SyntaxNode node = name.Parent is MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax or IdentifierNameSyntax } access && access.Name == name ? access : name;
            return node.Parent is AssignmentExpressionSyntax assignment && assignment.Left == node
                || node.Parent is ArgumentSyntax { RefKindKeyword.RawKind: not 0 }
                || node.Parent is PrefixUnaryExpressionSyntax or PostfixUnaryExpressionSyntax && node.Parent.RawKind is (int)Microsoft.CodeAnalysis.CSharp.SyntaxKind.PreIncrementExpression
                    or (int)Microsoft.CodeAnalysis.CSharp.SyntaxKind.PreDecrementExpression or (int)Microsoft.CodeAnalysis.CSharp.SyntaxKind.PostIncrementExpression
                    or (int)Microsoft.CodeAnalysis.CSharp.SyntaxKind.PostDecrementExpression;
        }
    }

    private static bool IsDeclaredIn(ISymbol variable, IOperation function)
        => variable.DeclaringSyntaxReferences.Length > 0 && variable.DeclaringSyntaxReferences.All(r => function.Syntax.Span.Contains(r.Span) && r.SyntaxTree == function.Syntax.SyntaxTree);

    private static bool TryReportShadowing(OperationBlockAnalysisContext context, LocalUsageIndex index, LocalUsage usage, IMethodSymbol owner)
    {
        var lastWrite = usage.Writes.Max(w => w.Syntax.SpanStart);
        if (usage.Reads.Any(r => r.Syntax.SpanStart > lastWrite))
        {
            return false;
        }

        var name = usage.Symbol.Name;
        if (usage.Function is { } function)
        {
            // A local of a lambda or local function with the name of a local or parameter of an enclosing function.
            var outer = OuterVariable(index, usage, function, owner);
            if (outer is null)
            {
                return false;
            }

            var runsAt = function is ILocalFunctionOperation localFunction
                ? index.LocalFunctionCalls.Where(c => SymbolEqualityComparer.Default.Equals(c.Function, localFunction.Symbol) && !c.Operation.IsWithin(function)).Select(c => c.Operation.Syntax.Span.End).DefaultIfEmpty(int.MaxValue).Min()
                : function.Syntax.Span.End;
            var readAfter = index.VariableReads.FirstOrDefault(r => SymbolEqualityComparer.Default.Equals(r.Symbol, outer) && r.Operation.Syntax.SpanStart > runsAt && !r.Operation.IsWithin(function)).Operation;
            if (readAfter is null)
            {
                return false;
            }

            Report(context, usage, outer, readAfter);
            return true;
        }

        // A local in a nested block with the name of a field or property that is read later, outside the block.
        if (usage.Declaration?.Syntax.FirstAncestorOrSelf<BlockSyntax>() is not { } block || block.Parent is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax
            || usage.Reads.Count > 0)
        {
            return false;
        }

        var member = owner.ContainingType?.GetMembers(name).FirstOrDefault(m => m is IFieldSymbol { IsConst: false } or IPropertySymbol { IsIndexer: false });
        var memberRead = member is null ? null : index.VariableReads.FirstOrDefault(r => SymbolEqualityComparer.Default.Equals(r.Symbol, member) && r.Operation.Syntax.SpanStart > block.Span.End).Operation;
        if (member is null || memberRead is null)
        {
            return false;
        }

        Report(context, usage, member, memberRead);
        return true;
    }

    private static void Report(OperationBlockAnalysisContext context, LocalUsage usage, ISymbol outer, IOperation outerRead)
    {
        var line = outer.Locations.FirstOrDefault(l => l.IsInSource)?.GetLineSpan().StartLinePosition.Line + 1 ?? 0;
        var data = new ASYNC021Data(outer.Name, outerRead.Syntax.GetLocation(), RunsMoreThanOnce(usage, CompilationFacts.Of(context.Compilation).Symbols));
        context.ReportDiagnostic(Diagnostic.Create(
            ShadowedRule,
            usage.Symbol.Locations[0],
            data.AdditionalLocations,
            data.ToProperties(),
            usage.Symbol.Name,
            line));
    }

    /// <summary>
    /// The local is declared in a lambda (or in a lambda around its function) that may run more than once or several
    /// times at once (<see cref="DelegateInvocation"/>): assigning an outer variable from there would race.
    /// </summary>
    private static bool RunsMoreThanOnce(LocalUsage usage, AsyncSymbols symbols)
    {
        for (var function = usage.Declaration?.EnclosingFunction(); function is not null; function = function.EnclosingFunction())
        {
            if (function is IAnonymousFunctionOperation lambda && DelegateInvocation.Of(lambda, symbols).RunsMoreThanOnce())
            {
                return true;
            }
        }

        return false;
    }

    private static ISymbol? OuterVariable(LocalUsageIndex index, LocalUsage usage, IOperation function, IMethodSymbol owner)
    {
        var name = usage.Symbol.Name;
        for (var enclosing = function.EnclosingFunction(); ; enclosing = enclosing.EnclosingFunction())
        {
            var parameters = enclosing switch
            {
                IAnonymousFunctionOperation lambda => lambda.Symbol.Parameters,
                ILocalFunctionOperation localFunction => localFunction.Symbol.Parameters,
                _ => owner.Parameters,
            };
            var parameter = parameters.FirstOrDefault(p => p.Name == name);
            if (parameter is not null)
            {
                return parameter;
            }

            var local = index.Locals.Values.FirstOrDefault(u => u.Symbol.Name == name && u.Function == enclosing && u != usage
                && u.Declaration is not null && u.Declaration.Syntax.SpanStart < function.Syntax.SpanStart);
            if (local is not null)
            {
                return local.Symbol;
            }

            if (enclosing is null)
            {
                return null;
            }
        }
    }

    private static bool Mentions(IOperation? source, ISymbol symbol)
        => source is not null && source.DescendantsAndSelf().Any(o => o.Refers(symbol));

    /// <summary>
    /// One normalised name is a proper prefix of the other (<c>item</c>/<c>items</c>, <c>torrent</c>/<c>torrentId</c>):
    /// a deliberate pair. Not when the local is the read name plus one slipped letter: a doubled last letter
    /// (<c>resultt</c>) or one extra lower-case letter that is not a plural <c>s</c> (<c>averagex</c>). An extra
    /// capital starts a new word (<c>policyT</c>), which is deliberate.
    /// </summary>
    private static bool IsDeliberatePrefixPair(string local, string read, string localName)
    {
        if (local.Length == read.Length || !(read.StartsWith(local, StringComparison.Ordinal) || local.StartsWith(read, StringComparison.Ordinal)))
        {
            return false;
        }

        var extra = localName[localName.Length - 1];
        var slip = local.Length == read.Length + 1 && local.StartsWith(read, StringComparison.Ordinal) && !char.IsUpper(extra)
            && (local[local.Length - 1] == read[read.Length - 1] || extra != 's');
        return !slip;
    }

    /// <summary>
    /// Names that differ by whole words, not by a slip inside one: one normalised name ends with the other
    /// (<c>syncPolicy</c>/<c>asyncPolicy</c>, <c>count</c>/<c>discount</c>), or the two have a different number of
    /// words when both differ in letters (<c>syncPolicyT</c>/<c>asyncPolicy</c>). A name that differs only in case
    /// (<c>filename</c>/<c>fileName</c>) is still a slip.
    /// </summary>
    private static bool IsDeliberateWordPair(string local, string read, string localName, string readName)
        => local.Length != read.Length && (local.EndsWith(read, StringComparison.Ordinal) || read.EndsWith(local, StringComparison.Ordinal))
            || local != read && WordCount(localName) != WordCount(readName);

    /// <summary>The words of a camelCase or PascalCase name: one plus each capital that follows a letter or digit.</summary>
    private static int WordCount(string name)
    {
        var words = 1;
        for (var i = 1; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && char.IsLetterOrDigit(name[i - 1]) && !char.IsUpper(name[i - 1]))
            {
                words++;
            }
        }

        return words;
    }

    /// <summary>An <c>out var</c> in a lambda whose partner is read outside that lambda: a discard stand-in.</summary>
    private static bool IsOutVariableStandIn(LocalUsage usage, IOperation read)
        => usage.Kind == LocalDeclarationKind.OutVariable && usage.Function is IAnonymousFunctionOperation lambda && !read.IsWithin(lambda);

    private static bool IsPlaceholderName(string name)
        => name.StartsWith("_", StringComparison.Ordinal) && name.Skip(1).All(char.IsDigit)
            || name.StartsWith("unused", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("dummy", StringComparison.OrdinalIgnoreCase);
}
