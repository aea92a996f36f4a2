using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncPitfalls.Analyzers;

/// <summary>Who decided that an async function returns void.</summary>
internal enum VoidOrigin
{
    /// <summary>The author: the function is called directly, run as a loop body or on a thread, or we cannot tell.</summary>
    Chosen,

    /// <summary>An API: an event handler, a timer callback, a delegate handed to a registration, an override.</summary>
    Imposed,
}

/// <summary>
/// Async void, split by who chose it. ASYNC003 (warning): async void the author chose, which nobody can await.
/// ASYNC008 (suggestion): async void an API imposes (a handler that something calls later), reported only when an
/// exception can escape the body and crash the process.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ASYNC003ASYNC008AsyncVoidAnalyzer : DiagnosticAnalyzer
{
    internal static readonly DiagnosticDescriptor ChosenRule = RuleFactory.Create(
        DiagnosticIds.AvoidAsyncVoid,
        title: "Async code returns void",
        message: "{0} is async void: nobody can await it, and an exception it throws crashes the process",
        DiagnosticCategories.Reliability,
        DiagnosticSeverity.Warning,
        description: "An async void method, local function or lambda that its author chose to make void cannot be awaited, so its caller cannot know when it ends, and an exception that escapes it is rethrown on the thread pool, where it ends the process.");

    internal static readonly DiagnosticDescriptor ImposedRule = RuleFactory.Create(
        DiagnosticIds.ImposedAsyncVoid,
        title: "Exception can escape an async void handler",
        message: "{0} is async void because its API requires it, and an exception can escape it unhandled, which ends the process outside a UI thread",
        DiagnosticCategories.Reliability,
        DiagnosticSeverity.Info,
        description: "An async void handler whose signature an API imposes (an event handler, a timer callback, a registered callback, an override) awaits work that can fail or throws, and nothing catches the exception, which then ends the process.");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(ChosenRule, ImposedRule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            start.RegisterOperationAction(_ => true, (c, facts) => AnalyzeMethod(c, facts.Symbols, facts.Escape), OperationKind.MethodBody);
            start.RegisterOperationAction(_ => true, (c, facts) => AnalyzeLocalFunction(c, facts.Symbols, facts.Escape), OperationKind.LocalFunction);
            start.RegisterOperationAction(_ => true, (c, facts) => AnalyzeLambda(c, facts.Symbols, facts.Escape), OperationKind.AnonymousFunction);
        });
    }

    /// <summary>
    /// An async void method is judged by its uses in its type (all its declarations, designer files included): a
    /// call makes the void a choice, and so does a method group passed where it runs at once. The uses are found by
    /// name in the syntax first, so only the few names that match are bound; no callback runs for other code.
    /// </summary>
    private static void AnalyzeMethod(OperationAnalysisContext context, AsyncSymbols symbols, ExceptionEscape faults)
    {
        if (context.ContainingSymbol is not IMethodSymbol { IsAsync: true, ReturnsVoid: true, MethodKind: MethodKind.Ordinary } method
            || context.Operation is not IMethodBodyOperation { Syntax: MethodDeclarationSyntax declaration } body)
        {
            return;
        }

        var imposed = method.SignatureIsInherited() || symbols.IsEventHandlerShape(method)
            || OriginFromUses(method, context.Operation.SemanticModel!, context.Compilation, symbols, context.CancellationToken) == VoidOrigin.Imposed;
        Report(context.ReportDiagnostic, imposed, body.BlockBody ?? body.ExpressionBody, faults, declaration.Identifier.GetLocation(), $"Method '{method.Name}'", isLambda: false);
    }

    /// <summary>
    /// Imposed when every use of the method in its type hands it to something that calls it later, or when a use sits in
    /// code that does not bind (incomplete binding: only what was seen can make a warning); chosen when any use calls it
    /// or runs it at once; null when nothing in the type uses it (then it is called from elsewhere).
    /// </summary>
    private static VoidOrigin? OriginFromUses(IMethodSymbol method, SemanticModel model, Compilation compilation, AsyncSymbols symbols, System.Threading.CancellationToken cancellationToken)
    {
        VoidOrigin? origin = null;
        var unbound = false;
        foreach (var reference in method.ContainingType.DeclaringSyntaxReferences)
        {
            foreach (var name in reference.GetSyntax(cancellationToken).DescendantNodes().OfType<SimpleNameSyntax>())
            {
                if (name.Identifier.ValueText != method.Name)
                {
                    continue;
                }

#pragma warning disable RS1030 // A designer file's tree: the driver's model cache serves it.
                var nameModel = name.SyntaxTree == model.SyntaxTree ? model : compilation.GetSemanticModel(name.SyntaxTree);
#pragma warning restore RS1030
                var info = nameModel.GetSymbolInfo(name, cancellationToken);
                if (!SymbolEqualityComparer.Default.Equals(info.Symbol?.OriginalDefinition, method)
                    && !info.CandidateSymbols.Any(c => SymbolEqualityComparer.Default.Equals(c.OriginalDefinition, method)))
                {
                    continue;
                }

                SyntaxNode node = name.Parent is MemberAccessExpressionSyntax access && access.Name == name ? access : name;
                if (node.Parent is InvocationExpressionSyntax invocation && invocation.Expression == node)
                {
                    return VoidOrigin.Chosen;
                }

                if (nameModel.GetOperation(node, cancellationToken) is IMethodReferenceOperation methodReference)
                {
                    if (Origin(methodReference, symbols) == VoidOrigin.Chosen)
                    {
                        return VoidOrigin.Chosen;
                    }

                    origin = VoidOrigin.Imposed;
                }
                else
                {
                    // The method is named where the code around it does not bind (a type the compilation cannot
                    // resolve, while the editor restores): the registration it probably is was not seen, so the
                    // missing evidence does not make the void a choice.
                    unbound = true;
                }
            }
        }

        return origin ?? (unbound ? VoidOrigin.Imposed : null);
    }

    private static void AnalyzeLocalFunction(OperationAnalysisContext context, AsyncSymbols symbols, ExceptionEscape faults)
    {
        var operation = (ILocalFunctionOperation)context.Operation;
        var function = operation.Symbol;
        if (!function.IsAsync || !function.ReturnsVoid || operation.Syntax is not LocalFunctionStatementSyntax syntax)
        {
            return;
        }

        // Its uses are in the same body: a call or a method group passed where it runs at once is a choice.
        var origin = symbols.IsEventHandlerShape(function) ? VoidOrigin.Imposed : VoidOrigin.Chosen;
        var uses = operation.Root().Descendants().Where(o => o is IInvocationOperation { TargetMethod: var m } && SymbolEqualityComparer.Default.Equals(m, function)
            || o is IMethodReferenceOperation { Method: var r } && SymbolEqualityComparer.Default.Equals(r, function)).ToList();
        if (uses.Count > 0)
        {
            origin = uses.All(u => u is IMethodReferenceOperation reference && Origin(reference, symbols) == VoidOrigin.Imposed) ? VoidOrigin.Imposed : VoidOrigin.Chosen;
        }
        else if (origin == VoidOrigin.Chosen && IsImposedInUnboundCalls(operation, symbols))
        {
            origin = VoidOrigin.Imposed;
        }

        Report(context.ReportDiagnostic, origin == VoidOrigin.Imposed, operation.Body, faults,
            syntax.Identifier.GetLocation(), $"Local function '{function.Name}'", isLambda: false);
    }

    private static void AnalyzeLambda(OperationAnalysisContext context, AsyncSymbols symbols, ExceptionEscape faults)
    {
        var lambda = (IAnonymousFunctionOperation)context.Operation;
        if (!lambda.Symbol.IsAsync || !lambda.Symbol.ReturnsVoid || lambda.Syntax is not AnonymousFunctionExpressionSyntax syntax
            || lambda.WalkUpConversions().Parent is not IDelegateCreationOperation { Type: INamedTypeSymbol delegateType } creation)
        {
            return;
        }

        var display = $"Async {(syntax is AnonymousMethodExpressionSyntax ? "anonymous method" : "lambda")} converted to '{delegateType.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)}'";
        Report(context.ReportDiagnostic, Origin(creation, symbols) == VoidOrigin.Imposed, lambda.Body, faults,
            syntax.AsyncKeyword.GetLocation(), display, isLambda: true, TaskStartedAtOnce(creation, symbols));
    }

    /// <summary>
    /// ASYNC003 for a choice whose body is not guarded (<see cref="ExceptionEscape.IsGuarded"/>: a catch-all, and nothing
    /// escapes); ASYNC008 for an imposed void that a throw or a failed await can escape. Each question is asked only for the rule
    /// that needs it.
    /// </summary>
    private static void Report(System.Action<Diagnostic> report, bool imposed, IBlockOperation? body, ExceptionEscape faults, Location location, string display, bool isLambda,
        Location? startStatement = null)
    {
        if (imposed ? body is not null && faults.ThrowOrFailedAwaitCanEscape(body) : body is null || !faults.IsGuarded(body))
        {
            if (imposed)
            {
                report(Diagnostic.Create(ImposedRule, location, new ASYNC008Data(isLambda).ToProperties(), display));
                return;
            }

            var data = new ASYNC003Data(isLambda, startStatement);
            report(Diagnostic.Create(ChosenRule, location, data.AdditionalLocations, data.ToProperties(), display));
        }
    }

    /// <summary>
    /// <c>var t = new Task(async () => …[, token]);</c> followed at once by <c>t.Start();</c>: that statement, which with
    /// the declaration is one <c>Task.Run(async () => …[, token])</c>. Null for any other use of the Task constructor.
    /// </summary>
    private static Location? TaskStartedAtOnce(IDelegateCreationOperation creation, AsyncSymbols symbols)
    {
        if (creation.WalkUpConversions().Parent is not IArgumentOperation { Parent: IObjectCreationOperation task } argument
            || !ReferenceEquals(task.Type?.OriginalDefinition, symbols.Task)
            || task.Arguments.Any(a => a != argument && a.Parameter?.Type.Name != "CancellationToken")
            || task.WalkUpConversions().Parent is not IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol: var local } }
            || task.Syntax.FirstAncestorOrSelf<LocalDeclarationStatementSyntax>() is not { Parent: BlockSyntax block, Declaration.Variables.Count: 1 } declaration)
        {
            return null;
        }

        var index = block.Statements.IndexOf(declaration);
        return index + 1 < block.Statements.Count
            && block.Statements[index + 1] is ExpressionStatementSyntax
            {
                Expression: InvocationExpressionSyntax { ArgumentList.Arguments.Count: 0, Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Start", Expression: IdentifierNameSyntax target } }
            } start
            && target.Identifier.ValueText == local.Name
                ? start.GetLocation()
                : null;
    }

    /// <summary>
    /// Where a delegate goes decides who chose its void. Imposed: an event subscription (<c>+=</c>), an event-handler
    /// or timer delegate type, a constructor that keeps it for later (<c>new Timer(callback, ...)</c>, threads
    /// excepted), or a registration: a method named like <c>Subscribe</c>, <c>Register</c>, <c>On…</c>,
    /// <c>Add…Handler</c>, <c>Add…Listener</c>, <c>Listen…</c>, or one that returns a disposable subscription (not a task).
    /// Chosen: a thread or a work item, a loop body, any other method that runs it at once, and any place we cannot
    /// tell (a variable, a return).
    /// </summary>
    private static VoidOrigin Origin(IOperation delegateValue, AsyncSymbols symbols)
    {
        var destination = delegateValue.WalkUpDelegateCreation();
        if (destination.Parent is IEventAssignmentOperation || destination.Type is INamedTypeSymbol { DelegateInvokeMethod: { } invoke } delegateType
            && (symbols.IsEventHandlerShape(invoke) || SymbolEqualityComparer.Default.Equals(delegateType, symbols.TimerCallback)
                || SymbolEqualityComparer.Default.Equals(delegateType, symbols.ElapsedEventHandler)))
        {
            return VoidOrigin.Imposed;
        }

        switch (destination.Parent)
        {
            // "handlers += Handler" on a delegate field or property, or "Callback = Handler": kept to be called later.
            case ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add, Target.Type.TypeKind: TypeKind.Delegate } compound when compound.Value == destination:
            case ISimpleAssignmentOperation { Target: IFieldReferenceOperation or IPropertyReferenceOperation } assignment when assignment.Value == destination:
                return VoidOrigin.Imposed;
            // A thread runs it at once; so does a Task that is started: new Task(async () => …) is a chosen async void.
            case IArgumentOperation { Parent: IObjectCreationOperation creation }:
                return SymbolEqualityComparer.Default.Equals(creation.Type, symbols.Thread) || symbols.IsTask(creation.Type) ? VoidOrigin.Chosen : VoidOrigin.Imposed;
            case IArgumentOperation { Parent: IInvocationOperation { TargetMethod: var method } }:
                if (SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.ThreadPool) || method.ContainingType?.SpecialType == SpecialType.System_Array
                    || SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.Parallel))
                {
                    return VoidOrigin.Chosen;
                }

                return IsRegistration(method, symbols) || IsCallbackParameter(((IArgumentOperation)destination.Parent).Parameter) ? VoidOrigin.Imposed : VoidOrigin.Chosen;
            default:
                return VoidOrigin.Chosen;
        }
    }

    /// <summary>
    /// A local function whose only uses are in calls that do not bind, because another argument's type is unresolved
    /// (a project whose references are not restored): the operation tree has no method reference then. Imposed when
    /// each use is an argument of a call with exactly one candidate method, going to a registration or a callback
    /// parameter.
    /// </summary>
    private static bool IsImposedInUnboundCalls(ILocalFunctionOperation function, AsyncSymbols symbols)
    {
        var model = function.SemanticModel;
        var body = function.Root().Syntax;
        var name = function.Symbol.Name;
        var uses = body.DescendantNodes().OfType<IdentifierNameSyntax>().Where(i => i.Identifier.ValueText == name).ToList();
        return model is not null && uses.Count > 0
            && uses.All(use => use.Parent is ArgumentSyntax argument && CandidateParameter(argument, model) is { } parameter
                && (IsRegistration((IMethodSymbol)parameter.ContainingSymbol, symbols) || IsCallbackParameter(parameter)));
    }

    private static IParameterSymbol? CandidateParameter(ArgumentSyntax argument, SemanticModel model)
    {
        if (argument is not { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax invocation } list }
            || model.GetSymbolInfo(invocation).CandidateSymbols is not { Length: 1 } candidates
            || candidates[0] is not IMethodSymbol candidate)
        {
            return null;
        }

        if (argument.NameColon is { } name)
        {
            return candidate.Parameters.FirstOrDefault(p => p.Name == name.Name.Identifier.ValueText);
        }

        var position = list.Arguments.IndexOf(argument);
        return position < candidate.Parameters.Length && !candidate.Parameters[position].IsParams ? candidate.Parameters[position] : null;
    }

    /// <summary>
    /// A parameter whose name says it is called back later: <c>callback</c>, <c>handler</c>, <c>listener</c> (or ending
    /// so: <c>onErrorCallback</c>), or <c>onXxx</c> (<c>onStarted</c>, <c>onMessage</c>). A loop body or an action run
    /// at once is named <c>action</c>, <c>body</c>, <c>func</c>.
    /// </summary>
    private static bool IsCallbackParameter(IParameterSymbol? parameter)
    {
        var name = parameter?.Name;
        if (name is null)
        {
            return false;
        }

        return EndsWithWord(name, "callback") || EndsWithWord(name, "handler") || EndsWithWord(name, "listener")
            || name.Length > 2 && name.StartsWith("on", System.StringComparison.Ordinal) && char.IsUpper(name[2]);

        // "callback", "callBack", "errorCallback": the whole name, or its last camelCase word.
        static bool EndsWithWord(string name, string word)
            => name.Length >= word.Length
                && name.EndsWith(word.Substring(1), System.StringComparison.OrdinalIgnoreCase)
                && (name.Length == word.Length ? char.ToLowerInvariant(name[0]) == word[0] : name[name.Length - word.Length] == char.ToUpperInvariant(word[0]));
    }

    private static bool IsRegistration(IMethodSymbol method, AsyncSymbols symbols)
    {
        var name = method.Name;
        return name.StartsWith("Subscribe", System.StringComparison.Ordinal)
            || name.StartsWith("Register", System.StringComparison.Ordinal)
            || name.StartsWith("Listen", System.StringComparison.Ordinal)
            || name.StartsWith("On", System.StringComparison.Ordinal) && name.Length > 2 && char.IsUpper(name[2])
            || name.StartsWith("Add", System.StringComparison.Ordinal) && (name.EndsWith("Handler", System.StringComparison.Ordinal) || name.EndsWith("Listener", System.StringComparison.Ordinal))
            || symbols.IsDisposable(method.ReturnType) && !symbols.IsTaskLike(method.ReturnType);
    }
}
