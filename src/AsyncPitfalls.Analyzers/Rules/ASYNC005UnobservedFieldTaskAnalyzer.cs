using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncPitfalls.Analyzers;

/// <summary>
/// ASYNC005: a private field or auto-property holds a started task, and nothing in its type ever observes it. The
/// service's spinner: <c>Start()</c> launches a loop into <c>_loop</c>, <c>Stop()</c> cancels it and returns, and
/// nobody awaits <c>_loop</c>. Judged per type, at the end of the type, once every reference has been seen. Only
/// members declared with a type written as <c>Task</c> or <c>ValueTask</c> are considered (cheap, from syntax).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ASYNC005UnobservedFieldTaskAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The conventional names of a stop method, preferred in this order.</summary>
    private static readonly string[] StopNames = { "StopAsync", "DisposeAsync", "Stop" };

    internal static readonly DiagnosticDescriptor Rule = RuleFactory.Create(
        DiagnosticIds.UnobservedFieldTask,
        title: "Task kept in a field is never awaited",
        message: "'{0}' holds a started task that is never awaited: its exceptions and its completion are lost",
        DiagnosticCategories.Reliability,
        DiagnosticSeverity.Warning,
        description: "A field or auto-property that no other assembly can read is assigned a started task, and no code that can see it awaits, returns, passes on or otherwise observes it, so the work's exceptions are lost and its completion races shutdown.");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            // Binding the assembly's attributes is costly on a fresh compilation: asked only when a candidate needs it.
            var facts = CompilationFacts.Of(start.Compilation);
            var internalsVisible = new System.Lazy<bool>(() => AsyncSymbols.HasAttribute(start.Compilation.Assembly, facts.Symbols.InternalsVisibleToAttribute));
            start.RegisterSymbolStartAction(s => s.HasTasks, (s, _) => StartType(s, facts.Symbols, internalsVisible), SymbolKind.NamedType);
        });
    }

    /// <summary>What the type does with one candidate member.</summary>
    private sealed class Uses
    {
        public readonly ConcurrentQueue<Location> Starts = new();
        public readonly ConcurrentQueue<IMethodSymbol> StartedMethods = new();
        public volatile bool Observed;

        public void Start(IOperation value)
        {
            Starts.Enqueue(value.Syntax.GetLocation());
            if (value.Unwrap() is IInvocationOperation invocation)
            {
                StartedMethods.Enqueue(invocation.TargetMethod);
            }
        }
    }

    private static void StartType(SymbolStartAnalysisContext context, AsyncSymbols symbols, System.Lazy<bool> internalsVisible)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        var candidates = Candidates(type, symbols, internalsVisible, context.CancellationToken);
        if (candidates.Count == 0)
        {
            return;
        }

        var uses = candidates.ToDictionary(c => c, _ => new Uses(), SymbolEqualityComparer.Default);
        var cancels = new ConcurrentQueue<(IMethodSymbol Method, IOperation Statement)>();
        context.RegisterOperationAction(
            c =>
            {
                // A statement of a method of the type that cancels one of the type's token sources: where stopping happens.
                var invocation = (IInvocationOperation)c.Operation;
                if (CancellationFlow.CancelledSource(invocation, symbols, includeDelayed: true) is { ContainingType: { } owner }
                    && SymbolEqualityComparer.Default.Equals(owner.OriginalDefinition, type.OriginalDefinition)
                    && c.ContainingSymbol is IMethodSymbol method && MemberStatement(invocation) is { } statement)
                {
                    cancels.Enqueue((method, statement));
                }
            },
            OperationKind.Invocation);
        context.RegisterOperationAction(
            c =>
            {
                var reference = (IMemberReferenceOperation)c.Operation;
                if (reference.Member is not { } member || !uses.TryGetValue(member.OriginalDefinition, out var use))
                {
                    return;
                }

                Classify(reference, use, symbols, c.Options);
            },
            OperationKind.FieldReference,
            OperationKind.PropertyReference);
        context.RegisterOperationAction(
            c =>
            {
                var initializer = (ISymbolInitializerOperation)c.Operation;
                var members = initializer switch
                {
                    IFieldInitializerOperation field => field.InitializedFields.Cast<ISymbol>(),
                    IPropertyInitializerOperation property => property.InitializedProperties.Cast<ISymbol>(),
                    _ => Enumerable.Empty<ISymbol>(),
                };
                foreach (var member in members)
                {
                    if (uses.TryGetValue(member.OriginalDefinition, out var use) && StartsWork(initializer.Value, symbols, c.Options))
                    {
                        use.Start(initializer.Value);
                    }
                }
            },
            OperationKind.FieldInitializer,
            OperationKind.PropertyInitializer);
        context.RegisterSymbolEndAction(c =>
        {
            foreach (var pair in uses)
            {
                var use = pair.Value;
                if (use.Observed || use.Starts.IsEmpty || NamedInNestedTypes(type, pair.Key.Name, c.CancellationToken)
                    || ClearsItsOwnField(use.StartedMethods, type, pair.Key.Name, c.CancellationToken)
                    || (pair.Key.DeclaredAccessibility != Accessibility.Private && NamedOutside(type, pair.Key.Name, c.Compilation, c.CancellationToken)))
                {
                    continue;
                }

                var location = pair.Key.Locations.FirstOrDefault(l => l.IsInSource);
                if (location is not null)
                {
                    var (stop, anchor) = StopPoint(type, cancels);
                    var data = new ASYNC005Data(stop, anchor, use.Starts.OrderBy(l => l.SourceSpan.Start).ToImmutableArray());
                    c.ReportDiagnostic(Diagnostic.Create(Rule, location, data.AdditionalLocations, data.ToProperties(), pair.Key.Name));
                }
            }
        });
    }

    /// <summary>
    /// Where the type stops its work, for the fix to await the task there: after the first statement of a stop method
    /// that cancels a token source of the type (a method named <c>StopAsync</c>, <c>DisposeAsync</c> or <c>Stop</c>
    /// first, then any other; never a synchronous <c>Dispose</c>, which cannot await), else at the end of a method with
    /// one of those names.
    /// </summary>
    private static (StopAnchor Stop, Location? Anchor) StopPoint(INamedTypeSymbol type, IEnumerable<(IMethodSymbol Method, IOperation Statement)> cancels)
    {
        static int Rank(IMethodSymbol method) => System.Array.IndexOf(StopNames, method.Name) is var i && i >= 0 ? i : StopNames.Length;

        var cancel = cancels
            .Where(c => !(c.Method.Name == "Dispose" && !c.Method.IsAsync) && c.Statement is not (IReturnOperation { IsImplicit: false } or IThrowOperation))
            .OrderBy(c => Rank(c.Method))
            .ThenBy(c => c.Statement.Syntax.SpanStart)
            .Select(c => c.Statement)
            .FirstOrDefault();
        if (cancel is not null)
        {
            return (StopAnchor.AfterCancel, cancel.Syntax.GetLocation());
        }

        var named = StopNames.SelectMany(name => type.GetMembers(name)).OfType<IMethodSymbol>()
            .FirstOrDefault(m => m.MethodKind == MethodKind.Ordinary && !m.IsStatic && !m.IsAbstract && m.Locations.Any(l => l.IsInSource));
        return named is null ? (StopAnchor.None, null) : (StopAnchor.EndOfMethod, named.Locations.First(l => l.IsInSource));
    }

    /// <summary>
    /// The statement of the member's own body (or its expression body) that holds <paramref name="operation"/>; null
    /// inside a lambda or local function.
    /// </summary>
    private static IOperation? MemberStatement(IOperation operation)
    {
        for (var current = operation; current.Parent is { } parent; current = parent)
        {
            switch (parent)
            {
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return null;
                case IBlockOperation { Parent: IMethodBodyOperation }:
                    return current;
            }
        }

        return null;
    }

    /// <summary>
    /// Fields and auto-properties of an awaitable type, declared in source, that no other assembly can read: private
    /// ones, and members of a private or internal type when the assembly grants no <c>InternalsVisibleTo</c>. A member
    /// other assemblies can see is never a candidate: its readers are out of sight.
    /// </summary>
    private static List<ISymbol> Candidates(INamedTypeSymbol type, AsyncSymbols symbols, System.Lazy<bool> internalsVisible, System.Threading.CancellationToken cancellationToken)
    {
        // The declarations first: only members whose declared type names Task or ValueTask are asked about, so most
        // types never have their members built here.
        var named = TaskTypedMemberNames(type, cancellationToken);
        var candidates = new List<ISymbol>();
        if (named is null)
        {
            return candidates;
        }

        var hidden = IsHiddenInAssembly(type, internalsVisible);
        foreach (var name in named)
        {
            foreach (var member in type.GetMembers(name))
            {
                if (member.IsImplicitlyDeclared || (member.DeclaredAccessibility != Accessibility.Private && !hidden))
                {
                    continue;
                }

                var memberType = member switch
                {
                    IFieldSymbol { IsConst: false } field => field.Type,
                    IPropertySymbol { IsIndexer: false } property when IsAutoProperty(property) => property.Type,
                    _ => null,
                };
                if (memberType is { SpecialType: SpecialType.None } && symbols.IsAwaitable(memberType, null, 0))
                {
                    candidates.Add(member);
                }
            }
        }

        return candidates;
    }

    /// <summary>
    /// The fields and auto-properties declared in the type's own declarations with a type written as <c>Task</c>,
    /// <c>Task&lt;T&gt;</c>, <c>ValueTask</c> or <c>ValueTask&lt;T&gt;</c> (qualified or nullable too); null when none.
    /// </summary>
    private static HashSet<string>? TaskTypedMemberNames(INamedTypeSymbol type, System.Threading.CancellationToken cancellationToken)
    {
        HashSet<string>? names = null;
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is not TypeDeclarationSyntax declaration)
            {
                continue;
            }

            foreach (var member in declaration.Members)
            {
                switch (member)
                {
                    case FieldDeclarationSyntax field when NamesATask(field.Declaration.Type):
                        foreach (var variable in field.Declaration.Variables)
                        {
                            (names ??= new()).Add(variable.Identifier.ValueText);
                        }

                        break;
                    case PropertyDeclarationSyntax property when NamesATask(property.Type):
                        (names ??= new()).Add(property.Identifier.ValueText);
                        break;
                }
            }
        }

        return names;
    }

    private static bool NamesATask(TypeSyntax type)
        => type switch
        {
            NullableTypeSyntax nullable => NamesATask(nullable.ElementType),
            QualifiedNameSyntax qualified => NamesATask(qualified.Right),
            AliasQualifiedNameSyntax alias => NamesATask(alias.Name),
            SimpleNameSyntax simple => simple.Identifier.ValueText is "Task" or "ValueTask",
            _ => false,
        };

    private static bool IsAutoProperty(IPropertySymbol property)
        => property.ContainingType.GetMembers().Any(m => m is IFieldSymbol { AssociatedSymbol: { } associated } && SymbolEqualityComparer.Default.Equals(associated, property));

    /// <summary>A write that starts work is a start; a read that observes (ASYNC002's notion) or exposes the task settles it.</summary>
    private static void Classify(IMemberReferenceOperation reference, Uses use, AsyncSymbols symbols, AnalyzerOptions options)
    {
        var outer = reference.WalkUpConversions();
        switch (outer.Parent)
        {
            case ISimpleAssignmentOperation assignment when assignment.Target == outer:
                if (StartsWork(assignment.Value, symbols, options))
                {
                    use.Start(assignment.Value);
                }

                // "x = _loop = Start()" hands the task on.
                if (assignment.Parent is not IExpressionStatementOperation)
                {
                    use.Observed = true;
                }

                return;
            case ICompoundAssignmentOperation or ICoalesceAssignmentOperation when ((IAssignmentOperation)outer.Parent).Target == outer:
                if (outer.Parent is ICoalesceAssignmentOperation coalesce && StartsWork(coalesce.Value, symbols, options))
                {
                    use.Start(coalesce.Value);
                }

                use.Observed |= outer.Parent.Parent is not IExpressionStatementOperation;
                return;
        }

        if (AwaitableFlow.Observes(reference, symbols))
        {
            use.Observed = true;
        }
    }

    /// <summary>
    /// A started operation: a call, an object creation or an invoked async lambda, other than a task created complete
    /// (<c>Task.CompletedTask</c>, <c>FromResult</c>, a <c>TaskCompletionSource</c>'s task) or an accepted drop.
    /// </summary>
    private static bool StartsWork(IOperation? value, AsyncSymbols symbols, AnalyzerOptions options)
    {
        var unwrapped = value.Unwrap();
        if (unwrapped is null || TaskCompletion.IsCreatedComplete(unwrapped, symbols))
        {
            return false;
        }

        return unwrapped switch
        {
            IInvocationOperation invocation => !AcceptedDrops.IsAccepted(invocation, symbols, options),
            IObjectCreationOperation => true,
            IConditionalOperation conditional => StartsWork(conditional.WhenTrue, symbols, options) || StartsWork(conditional.WhenFalse, symbols, options),
            ICoalesceOperation coalesce => StartsWork(coalesce.Value, symbols, options) || StartsWork(coalesce.WhenNull, symbols, options),
            _ => false,
        };
    }

    /// <summary>
    /// Whether only this assembly can read the type's members because the type, or a type containing it, is private or
    /// internal, and for internal ones the assembly declares no <c>InternalsVisibleTo</c>. An internal member of a
    /// public type is treated as exposed, as a public one is.
    /// </summary>
    private static bool IsHiddenInAssembly(INamedTypeSymbol type, System.Lazy<bool> internalsVisible)
    {
        var isInternal = false;
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            switch (current.DeclaredAccessibility)
            {
                case Accessibility.Private:
                    return true;
                case Accessibility.Internal or Accessibility.ProtectedAndInternal:
                    isInternal = true;
                    break;
            }
        }

        return isInternal && !internalsVisible.Value;
    }

    /// <summary>
    /// Whether code outside the type's own declarations names the member: another type of the assembly may await it.
    /// Asked only for a non-private member the type itself never observes, so the text search over the compilation is
    /// rare; a mention is enough to stay silent.
    /// </summary>
    private static bool NamedOutside(INamedTypeSymbol type, string name, Compilation compilation, System.Threading.CancellationToken cancellationToken)
    {
        var declarations = type.DeclaringSyntaxReferences;
        foreach (var tree in compilation.SyntaxTrees)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var text = tree.GetText(cancellationToken).ToString();
            if (text.IndexOf(name, System.StringComparison.Ordinal) < 0)
            {
                continue;
            }

            var own = declarations.Where(r => r.SyntaxTree == tree).Select(r => r.Span).ToList();
            if (own.Count == 0)
            {
                return true;
            }

            if (tree.GetRoot(cancellationToken).DescendantTokens().Any(t => t.ValueText == name && t.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.IdentifierToken)
                && !own.Any(span => span.Contains(t.Span))))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// <c>if (_reset == null) _reset = ResetLaterAsync();</c> where <c>ResetLaterAsync</c> itself sets <c>_reset</c>
    /// again: the field is the work's own "running" flag, managed by the work, not a handle anyone is meant to wait on.
    /// </summary>
    private static bool ClearsItsOwnField(IEnumerable<IMethodSymbol> started, INamedTypeSymbol type, string name, System.Threading.CancellationToken cancellationToken)
        => started.Any(m => SymbolEqualityComparer.Default.Equals(m.ContainingType?.OriginalDefinition, type)
            && m.DeclaringSyntaxReferences.Any(r => r.GetSyntax(cancellationToken).DescendantNodes().OfType<AssignmentExpressionSyntax>()
                .Any(a => a.Left is IdentifierNameSyntax { Identifier.ValueText: var n } && n == name
                    || a.Left is MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name.Identifier.ValueText: var m2 } && m2 == name)));

    /// <summary>
    /// A nested type may use the field too, and its code is analyzed with its own type: when a nested declaration
    /// mentions the name, the rule stays silent rather than guess.
    /// </summary>
    private static bool NamedInNestedTypes(INamedTypeSymbol type, string name, System.Threading.CancellationToken cancellationToken)
        => type.GetTypeMembers().SelectMany(t => t.DeclaringSyntaxReferences)
            .Any(r => r.GetSyntax(cancellationToken).DescendantNodes().OfType<IdentifierNameSyntax>().Any(i => i.Identifier.ValueText == name));
}
