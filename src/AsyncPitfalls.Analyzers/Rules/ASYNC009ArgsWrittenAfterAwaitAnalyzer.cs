using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncPitfalls.Analyzers;

/// <summary>
/// ASYNC009: an async void event handler returns to the raiser at its first await that yields, and the raiser then
/// reads the args (<c>Cancel</c>, <c>Handled</c>, an answer). A write to the args that can run after such an await,
/// on some path of the handler's control-flow graph (<see cref="Paths"/>), reaches nobody.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ASYNC009ArgsWrittenAfterAwaitAnalyzer : DiagnosticAnalyzer
{
    internal static readonly RuleOption<ImmutableArray<string>> AwaitedArgsTypes = RuleOption.List(
        DiagnosticIds.ArgsWrittenAfterAwait,
        "awaited_args_types",
        "Event-args types (full names) whose raiser waits for its async handlers, for example through a deferral it takes for them; writes to them after an await are not reported.",
        example: "MyApp.Events.ClosingEventArgs");

    internal static readonly DiagnosticDescriptor Rule = RuleFactory.Create(
        DiagnosticIds.ArgsWrittenAfterAwait,
        title: "Async handler writes its event args after an await",
        message: "'{0}' is {1} after the handler's first await (line {2}), when {3} has already read it",
        DiagnosticCategories.Correctness,
        DiagnosticSeverity.Warning,
        description: "An async void event handler returns to the code that raised the event at its first await, and that code reads the event args as soon as the handler returns. A property set or a method called on the args after the await comes too late: the cancellation, the handled flag or the answer it carries is lost.");

    /// <summary>Methods of the args that answer the event: <c>SetObserved</c>, <c>Cancel</c>, <c>Handle…</c>, <c>Complete…</c>, <c>Mark…</c>, <c>Accept…</c>, <c>Reject…</c>.</summary>
    private static readonly string[] AnsweringPrefixes = { "Set", "Cancel", "Handle", "Complete", "Mark", "Accept", "Reject" };

    /// <summary>Names of an object the args carry back as the answer (<c>e.Response.StatusCode = …</c>).</summary>
    private static readonly string[] AnswerTypeSuffixes = { "Response", "Result", "Reply", "Answer" };

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            start.RegisterOperationAction(s => s.HasTasks && s.EventArgs is not null, (c, facts) => Analyze(c, facts.Symbols),
                OperationKind.MethodBody, OperationKind.LocalFunction, OperationKind.AnonymousFunction);
        });
    }

    private static void Analyze(OperationAnalysisContext context, AsyncSymbols symbols)
    {
        if (Handler.Find(context.Operation, context.ContainingSymbol, symbols) is not { } handler)
        {
            return;
        }

        // Cheap first: a write to the args and an await in the handler's own body, seen in the tree.
        var writes = new List<Write>();
        var deferrals = new List<IInvocationOperation>();
        var awaits = false;
        foreach (var operation in handler.Body.SameFunctionDescendants())
        {
            awaits |= operation is IAwaitOperation || operation is IForEachLoopOperation { IsAsynchronous: true } || operation is IUsingOperation { IsAsynchronous: true } || operation is IUsingDeclarationOperation { IsAsynchronous: true };
            if (Write.Of(operation, handler.Args, symbols) is { } write)
            {
                writes.Add(write);
            }
            else if (operation is IInvocationOperation { TargetMethod.Name: "GetDeferral" } deferral && IsArgs(deferral.Instance, handler.Args))
            {
                deferrals.Add(deferral);
            }
        }

        if (!awaits || writes.Count == 0 || IsAwaitedArgsType(handler.Args.Type, context.Options, context.Operation.Syntax.SyntaxTree))
        {
            return;
        }

        if (Paths.GraphOf(context.GetControlFlowGraph(), handler.Function) is not { } graph)
        {
            return;
        }

        var paths = Paths.Of(graph);
        var yielding = paths.Awaits.Where(a => !TaskCompletion.IsCreatedComplete(a.Operation, symbols)).OrderBy(a => a.Syntax.SpanStart).ToList();

        // A deferral taken before any await: the raiser waits for it, so the handler answers in time.
        if (deferrals.Any(d => !yielding.Any(a => paths.CanRunAfter(a, d.Syntax))))
        {
            return;
        }

        string? eventName = null;
        var eventNameKnown = false;
        foreach (var write in writes)
        {
            if (yielding.FirstOrDefault(a => paths.CanRunAfter(a, write.Operation.Syntax)) is not { } firstAwait)
            {
                continue;
            }

            if (!eventNameKnown)
            {
                eventName = handler.EventName(context.Compilation, context.CancellationToken);
                eventNameKnown = true;
                if (handler.NeedsSubscription && eventName is null)
                {
                    return;
                }
            }

            var firstAwaitStatement = handler.TopLevelStatementOf(firstAwait.Syntax);
            var data = new ASYNC009Data(
                (firstAwaitStatement ?? firstAwait.Syntax).GetLocation(),
                CanMoveBeforeTheAwait(write, handler, firstAwaitStatement),
                CancelStatementToRetry(write, writes, handler, firstAwaitStatement, context.Compilation)?.GetLocation());
            var line = firstAwait.Syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
            context.ReportDiagnostic(Diagnostic.Create(Rule, write.Target.GetLocation(), data.AdditionalLocations, data.ToProperties(),
                write.Display, write.IsCall ? "called" : "set", line, eventName is null ? "the event's raiser" : $"'{eventName}'"));
        }
    }

    private static bool IsArgs(IOperation? operation, IParameterSymbol args)
        => operation.Unwrap() is IParameterReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Parameter, args);

    private static bool IsAwaitedArgsType(ITypeSymbol type, AnalyzerOptions options, SyntaxTree tree)
    {
        var listed = AwaitedArgsTypes.Read(options, tree);
        if (listed.IsEmpty)
        {
            return false;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            var name = current.OriginalDefinition.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat.WithGenericsOptions(SymbolDisplayGenericsOptions.None));
            if (listed.Contains(name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// "Decide before the first await" keeps behaviour on every path that succeeds when the written value is a
    /// constant (nothing computed after the await), the write is a statement of the handler's own body that comes
    /// after the statement holding the first await, and nothing between them can leave the handler early.
    /// </summary>
    private static bool CanMoveBeforeTheAwait(Write write, Handler handler, SyntaxNode? firstAwaitStatement)
    {
        if (firstAwaitStatement is null || !write.IsConstant || write.Operation.Parent is not IExpressionStatementOperation statement
            || statement.Parent != handler.Body)
        {
            return false;
        }

        var statements = handler.Body.Operations;
        var from = IndexOf(statements, firstAwaitStatement);
        var to = statements.IndexOf(statement);
        return from >= 0 && to > from && !statements.Skip(from).Take(to - from).Any(LeavesEarly);
    }

    /// <summary>
    /// The statement the cancel-then-retry rewrite replaces: <c>e.Cancel = decision;</c> or <c>if (decision) e.Cancel = true;</c>,
    /// a statement of the handler's own body that holds the only write to <c>Cancel</c>, with nothing between the first
    /// await and it that leaves early, in a method of a type that has a <c>Close()</c> to call again once the decision is
    /// made (a window, a form). Overrides that call their base method are left alone: skipping the base on the second
    /// pass would keep the event from its other handlers.
    /// </summary>
    private static SyntaxNode? CancelStatementToRetry(Write write, List<Write> writes, Handler handler, SyntaxNode? firstAwaitStatement, Compilation compilation)
    {
        if (firstAwaitStatement is null || handler.Method is not { IsStatic: false, ContainingType: { } type } method
            || write is not { IsCall: false, Member: IPropertySymbol { Name: "Cancel", Type.SpecialType: SpecialType.System_Boolean } }
            || writes.Count(w => SymbolEqualityComparer.Default.Equals(w.Member, write.Member)) != 1
            || method.IsOverride && handler.Body.Descendants().Any(o => o is IInvocationOperation { Instance: IInstanceReferenceOperation { Syntax: BaseExpressionSyntax } })
            || !HasClose(type, compilation))
        {
            return null;
        }

        var statement = handler.Body.Operations.FirstOrDefault(s => s.Syntax.Span.Contains(write.Operation.Syntax.Span));
        var decides = statement switch
        {
            IExpressionStatementOperation { Operation: var assignment } => assignment == write.Operation,
            IConditionalOperation { WhenFalse: null, WhenTrue: var whenTrue } => SingleStatement(whenTrue) is IExpressionStatementOperation { Operation: ISimpleAssignmentOperation { Value: var value } assignment }
                && assignment == write.Operation && value.IsTrueLiteral(),
            _ => false,
        };
        var statements = handler.Body.Operations;
        var from = IndexOf(statements, firstAwaitStatement);
        var to = statement is null ? -1 : statements.IndexOf(statement);
        return decides && from >= 0 && to >= from && handler.Body.Syntax is BlockSyntax { Parent: MethodDeclarationSyntax }
            && !statements.Skip(from).Take(to - from).Any(LeavesEarly) ? statement!.Syntax : null;

        static IOperation? SingleStatement(IOperation operation) => operation is IBlockOperation { Operations.Length: 1 } block ? block.Operations[0] : operation;
    }

    private static bool HasClose(INamedTypeSymbol type, Compilation compilation)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.GetMembers("Close").OfType<IMethodSymbol>().Any(m => m is { IsStatic: false, Parameters.Length: 0, ReturnsVoid: true, TypeParameters.Length: 0 }
                && compilation.IsSymbolAccessibleWithin(m, type)))
            {
                return true;
            }
        }

        return false;
    }

    private static int IndexOf(ImmutableArray<IOperation> statements, SyntaxNode statement)
    {
        for (var i = 0; i < statements.Length; i++)
        {
            if (statements[i].Syntax == statement)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>A statement that can leave the handler before the statements after it: a return, a goto, a yield break.</summary>
    private static bool LeavesEarly(IOperation statement)
        => statement is IReturnOperation or IBranchOperation { BranchKind: BranchKind.GoTo }
            || statement.SameFunctionDescendants().Any(o => o is IReturnOperation or IBranchOperation { BranchKind: BranchKind.GoTo });

    /// <summary>A write to the args: an assignment or increment of one of their members, or a call that answers the event.</summary>
    private sealed class Write
    {
        private Write(IOperation operation, SyntaxNode target, ISymbol member, bool isCall, bool isConstant)
        {
            Operation = operation;
            Target = target;
            Member = member;
            IsCall = isCall;
            IsConstant = isConstant;
        }

        /// <summary>The assignment, increment or invocation.</summary>
        public IOperation Operation { get; }

        /// <summary>What the diagnostic underlines: the member written, or the call.</summary>
        public SyntaxNode Target { get; }

        public ISymbol Member { get; }

        public bool IsCall { get; }

        /// <summary>The written value (or every argument of the call) is a constant: nothing computed after the await.</summary>
        public bool IsConstant { get; }

        public string Display => IsCall && Target is InvocationExpressionSyntax { Expression: var callee } ? $"{callee}()" : Target.ToString();

        public static Write? Of(IOperation operation, IParameterSymbol args, AsyncSymbols symbols)
        {
            switch (operation)
            {
                case IAssignmentOperation { Target: var target } assignment when ArgsMember(target, args) is { } member:
                    return new Write(operation, target.Syntax, member, isCall: false, isConstant: assignment is ISimpleAssignmentOperation { Value.ConstantValue.HasValue: true });
                case IIncrementOrDecrementOperation { Target: var target } when ArgsMember(target, args) is { } member:
                    return new Write(operation, target.Syntax, member, isCall: false, isConstant: false);
                case IInvocationOperation { TargetMethod: { IsStatic: false } method } invocation when IsArgs(invocation.Instance, args)
                    && AnsweringPrefixes.Any(p => method.Name.StartsWith(p, System.StringComparison.Ordinal))
                    && method.ContainingType.SpecialType != SpecialType.System_Object && !symbols.IsTaskLike(method.ReturnType):
                    return new Write(operation, operation.Syntax, method, isCall: true, isConstant: invocation.Arguments.All(a => a.Value.ConstantValue.HasValue || a.IsImplicit));
                default:
                    return null;
            }
        }

        /// <summary>
        /// A named member of the args (<c>e.Cancel</c>), or of an answer object the args carry (<c>e.Response.StatusCode</c>,
        /// where the type of <c>Response</c> is event args or is named as an answer). Other objects reached through the
        /// args, such as the control in <c>e.Node.Text</c>, are shared with the rest of the program and stay readable.
        /// </summary>
        private static ISymbol? ArgsMember(IOperation target, IParameterSymbol args)
        {
            var (member, instance) = target switch
            {
                IPropertyReferenceOperation { Property.Parameters.Length: 0 } property => ((ISymbol)property.Property, property.Instance),
                IFieldReferenceOperation field => (field.Field, field.Instance),
                _ => (null, null),
            };
            if (member is null || member.IsStatic)
            {
                return null;
            }

            if (IsArgs(instance, args))
            {
                return member;
            }

            return instance switch
            {
                IPropertyReferenceOperation { Property.Parameters.Length: 0, Type: INamedTypeSymbol carried } inner when IsArgs(inner.Instance, args) && IsAnswer(carried) => member,
                IFieldReferenceOperation { Type: INamedTypeSymbol carried } inner when IsArgs(inner.Instance, args) && IsAnswer(carried) => member,
                _ => null,
            };
        }

        private static bool IsAnswer(INamedTypeSymbol type)
        {
            for (var current = type; current is not null; current = current.BaseType)
            {
                if (current.Name == "EventArgs" && current.ContainingNamespace?.Name == "System")
                {
                    return true;
                }
            }

            return AnswerTypeSuffixes.Any(s => type.Name.EndsWith(s, System.StringComparison.Ordinal));
        }
    }

    /// <summary>An async void handler: its body, its args parameter, and how to name the event it handles.</summary>
    private sealed class Handler
    {
        private readonly IOperation _declaration;

        private Handler(IOperation declaration, IOperation? function, IBlockOperation body, IParameterSymbol args, IMethodSymbol? method, bool needsSubscription)
        {
            _declaration = declaration;
            NeedsSubscription = needsSubscription;
            Function = function;
            Body = body;
            Args = args;
            Method = method;
        }

        /// <summary>The lambda or local function whose graph to ask for; null for a method, whose graph is the body's own.</summary>
        public IOperation? Function { get; }

        public IBlockOperation Body { get; }

        public IParameterSymbol Args { get; }

        /// <summary>The handler when it is a method (not a lambda or local function).</summary>
        public IMethodSymbol? Method { get; }

        /// <summary>
        /// The args do not derive from <c>EventArgs</c>, so only a <c>+=</c> that subscribes the handler to an event
        /// shows that it is one (checked last, and only when there is something to report).
        /// </summary>
        public bool NeedsSubscription { get; }

        /// <summary>
        /// A handler: an async void method or local function whose args parameter derives from <c>EventArgs</c>
        /// (<c>(sender, e)</c>, or an override of <c>On…(e)</c>), or any <c>(sender, args)</c> one subscribed with
        /// <c>+=</c>; an async lambda converted to a delegate of that shape, or subscribed with <c>+=</c>.
        /// </summary>
        public static Handler? Find(IOperation operation, ISymbol containingSymbol, AsyncSymbols symbols)
        {
            switch (operation)
            {
                case IMethodBodyOperation body when (body.BlockBody ?? body.ExpressionBody) is { } block
                    && containingSymbol is IMethodSymbol { IsAsync: true, ReturnsVoid: true, MethodKind: MethodKind.Ordinary } method:
                    return ArgsOf(method, symbols) is { } args ? new Handler(operation, null, block, args, method, needsSubscription: false)
                        : SenderArgsShape(method) is { } shaped ? new Handler(operation, null, block, shaped, method, needsSubscription: true)
                        : null;
                case ILocalFunctionOperation { Symbol: { IsAsync: true, ReturnsVoid: true } localFunction } local when (local.Body ?? local.IgnoredBody) is { } localBody:
                    return ArgsOf(localFunction, symbols) is { } localArgs ? new Handler(operation, operation, localBody, localArgs, null, needsSubscription: false)
                        : SenderArgsShape(localFunction) is { } shapedLocal ? new Handler(operation, operation, localBody, shapedLocal, null, needsSubscription: true)
                        : null;
                case IAnonymousFunctionOperation { Symbol: { IsAsync: true, ReturnsVoid: true, Parameters.Length: 2 } lambda } anonymous
                    when anonymous.WalkUpConversions().Parent is IDelegateCreationOperation
                    && (IsEventArgs(lambda.Parameters[1].Type, symbols) || anonymous.WalkUpDelegateCreation().Parent is IEventAssignmentOperation { Adds: true }):
                    return new Handler(operation, operation, anonymous.Body, lambda.Parameters[1], null, needsSubscription: false);
                default:
                    return null;
            }
        }

        /// <summary>
        /// The event, when the code says which: <c>Closing</c> for an override of <c>OnClosing</c>, or the event a
        /// <c>+=</c> in the same type (or body, for a lambda or local function) subscribes the handler to.
        /// </summary>
        public string? EventName(Compilation compilation, System.Threading.CancellationToken cancellationToken)
        {
            if (Method is { IsOverride: true, Parameters.Length: 1, Name: var name } && name.StartsWith("On", System.StringComparison.Ordinal) && name.Length > 2)
            {
                return name.Substring(2);
            }

            if (_declaration is IAnonymousFunctionOperation lambda)
            {
                return lambda.WalkUpDelegateCreation().Parent is IEventAssignmentOperation { EventReference: IEventReferenceOperation reference }
                    ? reference.Event.Name
                    : null;
            }

            return Subscriptions(compilation, cancellationToken).FirstOrDefault();
        }

        /// <summary>The events a <c>+=</c> subscribes this method or local function to, found by name, then bound.</summary>
        private IEnumerable<string> Subscriptions(Compilation compilation, System.Threading.CancellationToken cancellationToken)
        {
            var symbol = Method ?? (_declaration as ILocalFunctionOperation)?.Symbol;
            if (symbol is null)
            {
                yield break;
            }

            var roots = Method is not null
                ? Method.ContainingType.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken))
                : new[] { _declaration.Root().Syntax };
            foreach (var root in roots)
            {
                foreach (var assignment in root.DescendantNodes().OfType<AssignmentExpressionSyntax>())
                {
                    if (!assignment.IsKind(SyntaxKind.AddAssignmentExpression) || !Names(assignment.Right, symbol.Name))
                    {
                        continue;
                    }

#pragma warning disable RS1030 // A designer file's tree: the driver's model cache serves it.
                    var model = compilation.GetSemanticModel(assignment.SyntaxTree);
#pragma warning restore RS1030
                    if (model.GetOperation(assignment, cancellationToken) is IEventAssignmentOperation { EventReference: IEventReferenceOperation reference, HandlerValue: var value }
                        && (value.Unwrap() is IDelegateCreationOperation { Target: var created } ? created : value.Unwrap()) is IMethodReferenceOperation { Method: var target }
                        && SymbolEqualityComparer.Default.Equals(target.OriginalDefinition, symbol.OriginalDefinition))
                    {
                        yield return reference.Event.Name;
                    }
                }
            }

            static bool Names(ExpressionSyntax expression, string name) => expression switch
            {
                IdentifierNameSyntax identifier => identifier.Identifier.ValueText == name,
                MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText == name,
                ObjectCreationExpressionSyntax { ArgumentList.Arguments: { Count: 1 } arguments } => Names(arguments[0].Expression, name),
                _ => false,
            };
        }

        /// <summary>The second parameter of a <c>(sender, args)</c> method whose args are a class of their own (not <c>object</c> or a string).</summary>
        private static IParameterSymbol? SenderArgsShape(IMethodSymbol method)
            => method.Parameters.Length == 2 && method.Parameters[1].Type is INamedTypeSymbol { TypeKind: TypeKind.Class, SpecialType: SpecialType.None } && method.Parameters[1].RefKind == RefKind.None
                ? method.Parameters[1]
                : null;

        /// <summary>The top-level statement of the handler's body that holds <paramref name="syntax"/>.</summary>
        public SyntaxNode? TopLevelStatementOf(SyntaxNode syntax)
            => Body.Operations.FirstOrDefault(s => s.Syntax.Span.Contains(syntax.Span))?.Syntax;

        /// <summary>The args of a method with an <c>EventArgs</c> parameter: the second of <c>(sender, e)</c>, or the only one of an <c>On…(e)</c> override.</summary>
        private static IParameterSymbol? ArgsOf(IMethodSymbol method, AsyncSymbols symbols)
            => method.Parameters.Length switch
            {
                2 when IsEventArgs(method.Parameters[1].Type, symbols) => method.Parameters[1],
                1 when method.IsOverride && method.Name.StartsWith("On", System.StringComparison.Ordinal) && IsEventArgs(method.Parameters[0].Type, symbols) => method.Parameters[0],
                _ => null,
            };

        private static bool IsEventArgs(ITypeSymbol type, AsyncSymbols symbols) => AsyncSymbols.DerivesFrom(type, symbols.EventArgs);
    }
}
