using System.Collections.Concurrent;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncPitfalls.Analyzers;

/// <summary>What is known about the task an expression produces. Each value implies the ones after it.</summary>
internal enum TaskOutcome
{
    /// <summary>The task is complete when the call returns, and not faulted: <c>Task.CompletedTask</c>, <c>FromResult</c>.</summary>
    FinishesAtOnce,

    /// <summary>The task may still run, but cannot end faulted: <c>Task.Delay</c> (cancellation is not a fault), a catch-all body.</summary>
    CannotFail,

    /// <summary>Everything else, including every call into another assembly that is not one of the above.</summary>
    CanFail,
}

/// <summary>
/// The shared "can an exception get out?" analysis: out of a body (a method, a lambda, a local function), and so out
/// of the task an async function returns, and whether a task a call produces can fail or finishes at once. An
/// exception escapes a body when an operation that can throw is reachable outside a catch-all region that does not
/// rethrow. What cannot throw is a small catalogue, extended only with proof (<see cref="CanThrow"/>); everything else
/// can. Methods of this compilation are read when a call reaches them, to a bounded depth, and the answers are cached
/// per method. A virtual, abstract or interface method counts only when code outside the assembly cannot override or
/// implement it and every implementation in the compilation is read and cannot throw.
/// </summary>
internal sealed class ExceptionEscape
{
    private readonly Compilation _compilation;
    private readonly AsyncSymbols _symbols;
    private readonly ConcurrentDictionary<IMethodSymbol, TaskOutcome> _shallow = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<IMethodSymbol, TaskOutcome> _deep = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<(IMethodSymbol Method, int Level), bool> _callCannotThrow = new();

    /// <summary>One per compilation: <see cref="CompilationFacts.Escape"/>.</summary>
    public ExceptionEscape(Compilation compilation, AsyncSymbols symbols)
    {
        _compilation = compilation;
        _symbols = symbols;
    }

    /// <summary>The outcome of the task that <paramref name="value"/> produces.</summary>
    public TaskOutcome Of(IOperation? value) => Of(value, Deep);

    /// <summary>True when the task can end faulted, so that dropping it can lose an exception.</summary>
    public bool CanFail(IOperation? value) => Of(value) == TaskOutcome.CanFail;

    /// <summary>The outcome of an async function's body: it cannot fail when no exception can escape it (<see cref="CanEscape(IOperation)"/>).</summary>
    private TaskOutcome OfAsyncBody(IBlockOperation? body, int level)
        => body is not null && !CanEscape(body, level) ? TaskOutcome.CannotFail : TaskOutcome.CanFail;

    /// <summary>
    /// True when an exception can leave <paramref name="body"/>: one of its operations (in its own function: a lambda
    /// it creates runs elsewhere) can throw (<see cref="CanThrow"/>) and no catch-all around it takes the exception.
    /// </summary>
    public bool CanEscape(IOperation body) => CanEscape(body, Deep);

    /// <summary>
    /// True when a failure of the asynchronous kind can leave <paramref name="body"/>: a <c>throw</c> (not an argument
    /// check) or an await of a task that can fail, outside every catch-all. Synchronous calls are left out: they fail
    /// the same way in a synchronous handler, and this question is about what <c>async</c> adds.
    /// </summary>
    public bool ThrowOrFailedAwaitCanEscape(IOperation body)
        => body.SameFunctionDescendants().Any(o => (o is IThrowOperation thrown && !IsArgumentFailure(thrown) || o is IAwaitOperation awaited && CanFail(awaited.Operation))
            && !IsCaught(o, body));

    private bool CanEscape(IOperation body, int level)
    {
        foreach (var operation in body.SameFunctionDescendants())
        {
            // In a catch or a finally, handling code: only what it throws itself leaves (a rethrow, a throw).
            if ((InHandler(operation, body) ? operation is IThrowOperation thrown && !IsArgumentFailure(thrown) : CanThrow(operation, level))
                && !IsCaught(operation, body))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="operation"/> is in a catch clause or a finally block of a <c>try</c> below <paramref name="root"/>.</summary>
    private static bool InHandler(IOperation operation, IOperation root)
    {
        for (IOperation? child = operation, parent = operation.Parent; parent is not null && child != root; child = parent, parent = parent.Parent)
        {
            if (parent is ICatchClauseOperation || parent is ITryOperation tryOperation && tryOperation.Finally == child)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when the body has a catch-all and nothing can escape it: its author guarded it on purpose (an async void
    /// that logs its own failures), as opposed to a body that happens not to throw.
    /// </summary>
    public bool IsGuarded(IOperation body)
        => body.SameFunctionDescendants().Any(o => o is ITryOperation tryOperation && tryOperation.Catches.Any(IsCatchAll)) && !CanEscape(body);

    /// <summary>
    /// True when <paramref name="operation"/> sits in the <c>try</c> block of a <c>try</c> with a catch-all (<c>catch</c>
    /// or <c>catch (Exception)</c>, no filter), between it and <paramref name="root"/>. Whatever the catch-all itself
    /// throws (a <c>throw;</c>) is an operation of its own, judged the same way.
    /// </summary>
    public bool IsCaught(IOperation operation, IOperation root)
    {
        for (IOperation? child = operation, parent = operation.Parent; parent is not null && child != root; child = parent, parent = parent.Parent)
        {
            if (parent is ITryOperation tryOperation && tryOperation.Body == child && tryOperation.Catches.Any(IsCatchAll))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsCatchAll(ICatchClauseOperation clause)
        => clause.Filter is null
            && (clause.ExceptionType.SpecialType == SpecialType.System_Object || SymbolEqualityComparer.Default.Equals(clause.ExceptionType, _symbols.Exception));

    /// <summary>
    /// Whether <paramref name="operation"/> itself can throw (its operands are judged as operations of their own). The
    /// catalogue of what cannot: the structure of code (blocks, statements, declarations, branches, returns, loops over
    /// in-memory collections, <c>try</c>, <c>lock</c>), literals, <c>nameof</c>, <c>default</c>, <c>typeof</c>, reads and
    /// writes of locals and parameters, fields and auto-properties of <c>this</c>, a static or a struct, <c>as</c>,
    /// <c>is</c> and patterns, implicit and unchecked numeric conversions, operators without a user-defined method
    /// (not integer division), <c>?.</c> and <c>??</c>, lambdas and delegates (creating them runs nothing), awaits of
    /// tasks that cannot fail, <c>throw</c> of an argument exception (a caller's bug), the framework's task factories,
    /// async methods of this compilation (their exceptions go into their task), and methods of this compilation whose
    /// bodies cannot throw.
    /// </summary>
    private bool CanThrow(IOperation operation, int level)
    {
        switch (operation)
        {
            case IBlockOperation or IExpressionStatementOperation or IVariableDeclarationGroupOperation or IVariableDeclarationOperation or IVariableDeclaratorOperation
                or IVariableInitializerOperation or IReturnOperation or IBranchOperation or ILabeledOperation or IEmptyOperation or IConditionalOperation or ICoalesceOperation
                or IConditionalAccessOperation or IConditionalAccessInstanceOperation or ILiteralOperation or INameOfOperation or IDefaultValueOperation or ITypeOfOperation
                or ISizeOfOperation or ILocalReferenceOperation or IParameterReferenceOperation or IInstanceReferenceOperation or IIsTypeOperation or IIsPatternOperation
                or IPatternOperation or IDelegateCreationOperation or IAnonymousFunctionOperation or ILocalFunctionOperation or IDiscardOperation or IArgumentOperation
                or ITryOperation or ICatchClauseOperation or IWhileLoopOperation or IForLoopOperation or ILockOperation or ISimpleAssignmentOperation or IParenthesizedOperation
                or ISwitchOperation or ISwitchCaseOperation or ICaseClauseOperation or IArrayInitializerOperation or IInterpolatedStringTextOperation or ITupleOperation
                or IDeclarationExpressionOperation or IStopOperation:
                return false;
            case IThrowOperation thrown:
                return !IsArgumentFailure(thrown);
            case IAwaitOperation awaited:
                return Of(awaited.Operation, System.Math.Max(level - 1, Primitives)) == TaskOutcome.CanFail;
            case IFieldReferenceOperation field:
                return !IsSafeInstance(field.Instance);
            case IPropertyReferenceOperation property:
                return !IsSafeProperty(property);
            case IConversionOperation conversion:
                return !(conversion.OperatorMethod is null && (conversion.IsTryCast || conversion.Conversion.IsImplicit || conversion.Conversion.IsNumeric && !conversion.IsChecked
                    || conversion.Conversion.IsNullable && conversion.Conversion.IsImplicit));
            case IBinaryOperation binary:
                return binary.OperatorMethod is not null || binary.IsChecked
                    || binary.OperatorKind is BinaryOperatorKind.Divide or BinaryOperatorKind.Remainder && binary.Type?.SpecialType is >= SpecialType.System_SByte and <= SpecialType.System_UInt64;
            case IUnaryOperation unary:
                return unary.OperatorMethod is not null || unary.IsChecked;
            case IIncrementOrDecrementOperation increment:
                return increment.OperatorMethod is not null || increment.IsChecked;
            case ICompoundAssignmentOperation compound:
                return compound.OperatorMethod is not null || compound.IsChecked || compound.OperatorKind is BinaryOperatorKind.Divide or BinaryOperatorKind.Remainder;
            case IArrayCreationOperation array:
                // A size that is not a constant may be negative.
                return array.DimensionSizes.Any(d => !d.ConstantValue.HasValue);
            case IObjectCreationOperation creation when AsyncSymbols.DerivesFrom(creation.Type, _symbols.Exception):
                // Building the exception to throw: the throw is what leaves.
                return false;
            case IForEachLoopOperation loop:
                return !IsInMemoryCollection(loop.Collection.Unwrap()?.Type);
            case IInvocationOperation invocation:
                return !CallCannotThrow(invocation, level);
            default:
                return true;
        }
    }

    /// <summary><c>this</c>, <c>base</c>, a static member, or a struct: reading a field of it cannot throw.</summary>
    private static bool IsSafeInstance(IOperation? instance)
        => instance is null or IInstanceReferenceOperation || instance.Type is { IsValueType: true };

    /// <summary>
    /// A property read that cannot throw: an auto-property of this compilation on a safe instance, a static task or
    /// token constant (<c>Task.CompletedTask</c>, <c>CancellationToken.None</c>), or the cancellation flag of a token.
    /// </summary>
    private bool IsSafeProperty(IPropertyReferenceOperation property)
    {
        var symbol = property.Property;
        if (symbol.Name is "CompletedTask" or "None" && symbol.IsStatic && (_symbols.IsTaskLike(symbol.ContainingType) || _symbols.IsCancellationToken(symbol.ContainingType))
            || symbol.Name == "IsCancellationRequested" && _symbols.IsCancellationToken(symbol.ContainingType))
        {
            return true;
        }

        return IsSafeInstance(property.Instance) && symbol.Parameters.Length == 0
            && symbol.DeclaringSyntaxReferences.Length == 1 && SymbolEqualityComparer.Default.Equals(symbol.ContainingAssembly, _compilation.Assembly)
            && symbol.DeclaringSyntaxReferences[0].GetSyntax() is PropertyDeclarationSyntax { ExpressionBody: null, AccessorList: { } accessors }
            && accessors.Accessors.All(a => a.Body is null && a.ExpressionBody is null);
    }

    /// <summary>Arrays and the framework's in-memory collections: enumerating them runs no code of anyone else's.</summary>
    private static bool IsInMemoryCollection(ITypeSymbol? type)
        => type is IArrayTypeSymbol
            || type is INamedTypeSymbol { ContainingNamespace: { } ns } named
                && ns.ToDisplayString() is "System.Collections.Generic" or "System.Collections.Immutable" or "System.Collections.Concurrent"
                && named.Name is "List" or "Dictionary" or "HashSet" or "Queue" or "Stack" or "SortedDictionary" or "SortedSet" or "LinkedList"
                    or "ImmutableArray" or "ImmutableList" or "ImmutableDictionary" or "ImmutableHashSet" or "ConcurrentDictionary" or "ConcurrentQueue" or "ConcurrentBag";

    /// <summary>
    /// A call that cannot throw: a framework task factory (its failures go into the task), an async method of this
    /// compilation (the same), or a method of this compilation whose body cannot throw, read one level deeper. A
    /// virtual, abstract or interface method also when no code outside the assembly can override or implement it and
    /// every implementation in the compilation cannot throw.
    /// </summary>
    private bool CallCannotThrow(IInvocationOperation invocation, int level)
    {
        var method = invocation.TargetMethod;
        if ((_symbols.IsTaskLike(method.ContainingType) || SymbolEqualityComparer.Default.Equals(method.ContainingType, _symbols.TaskFactory))
            && method.Name is "Delay" or "Yield" or "FromResult" or "FromException" or "FromCanceled" or "Run" or "StartNew" or "WhenAll" or "WhenAny" or "ConfigureAwait" or "ContinueWith")
        {
            return true;
        }

        // ArgumentNullException.ThrowIfNull(x) and the like: a caller's bug.
        if (method.IsStatic && method.Name.StartsWith("ThrowIf", System.StringComparison.Ordinal) && _symbols.IsArgumentException(method.ContainingType))
        {
            return true;
        }

        if (!IsOurs(method) || level <= Primitives)
        {
            return false;
        }

        if (method.IsAsync && method.DeclaringSyntaxReferences.Length == 1)
        {
            return true;
        }

        return _callCannotThrow.GetOrAdd((method.OriginalDefinition, level), key => Implementations(key.Method) is { } implementations
            && implementations.All(m => BodyOf(m) is { } body && !CanEscape(body, key.Level - 1)));
    }

    private bool IsOurs(IMethodSymbol method) => SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, _compilation.Assembly);

    /// <summary>
    /// The methods a call may run: the method itself when it is not virtual; for a virtual, abstract or interface
    /// method that code outside the assembly cannot override or implement, every override and implementation in the
    /// compilation (found by name); null when that set cannot be known.
    /// </summary>
    private System.Collections.Generic.List<IMethodSymbol>? Implementations(IMethodSymbol method)
    {
        if (method.IsExtern || method.MethodKind is not (MethodKind.Ordinary or MethodKind.LocalFunction or MethodKind.PropertyGet or MethodKind.PropertySet))
        {
            return null;
        }

        var isInterface = method.ContainingType?.TypeKind == TypeKind.Interface;
        if (!(method.IsVirtual || method.IsAbstract || method.IsOverride && !method.IsSealed || isInterface))
        {
            return new System.Collections.Generic.List<IMethodSymbol> { method };
        }

        if (method.IsVisibleOutsideAssembly() || method.ContainingType is not { } owner || owner.IsVisibleOutsideAssembly())
        {
            return null;
        }

        var found = new System.Collections.Generic.List<IMethodSymbol>();
        if (!method.IsAbstract && !isInterface)
        {
            found.Add(method);
        }

        foreach (var candidate in _compilation.GetSymbolsWithName(method.Name, SymbolFilter.Member).OfType<IMethodSymbol>())
        {
            var overrides = false;
            for (var overridden = candidate.OverriddenMethod; overridden is not null && !overrides; overridden = overridden.OverriddenMethod)
            {
                overrides = SymbolEqualityComparer.Default.Equals(overridden.OriginalDefinition, method.OriginalDefinition);
            }

            var implements = isInterface && candidate.ContainingType.AllInterfaces.Contains(owner, SymbolEqualityComparer.Default)
                && SymbolEqualityComparer.Default.Equals(candidate.ContainingType.FindImplementationForInterfaceMember(method)?.OriginalDefinition, candidate.OriginalDefinition);
            if (overrides || implements)
            {
                found.Add(candidate);
            }
        }

        return found.Count > 0 ? found : null;
    }

    /// <summary>The bound body of a method of this compilation declared once, or null.</summary>
    private IOperation? BodyOf(IMethodSymbol method)
    {
        if (method.IsAbstract || method.DeclaringSyntaxReferences.Length != 1 || !IsOurs(method))
        {
            return null;
        }

        var syntax = method.DeclaringSyntaxReferences[0].GetSyntax();
#pragma warning disable RS1030 // The driver caches one semantic model per tree: reading another member costs one binding of it.
        var model = _compilation.GetSemanticModel(syntax.SyntaxTree);
#pragma warning restore RS1030
        return model.GetOperation(syntax) switch
        {
            IMethodBodyOperation body => (IOperation?)body.BlockBody ?? body.ExpressionBody,
            ILocalFunctionOperation local => local.Body,
            _ => null,
        };
    }

    /// <summary>A <c>throw</c> of an argument exception, which only a caller's bug sets off.</summary>
    private bool IsArgumentFailure(IThrowOperation thrown) => _symbols.IsArgumentException(thrown.Exception.Unwrap()?.Type);

    /// <summary>
    /// How far the analysis may look: <see cref="Deep"/> reads a callee's body and the callees it awaits,
    /// <see cref="Shallow"/> reads a callee's body only for its returns and its catch-all, <see cref="Primitives"/>
    /// knows only the framework's tasks. Each level asks the next one down, so the work is bounded and never recurses.
    /// </summary>
    private const int Deep = 2, Shallow = 1, Primitives = 0;

    private TaskOutcome Of(IOperation? value, int level)
    {
        switch (value.Unwrap())
        {
            case IPropertyReferenceOperation { Property: { Name: "CompletedTask", IsStatic: true } property } when _symbols.IsTaskLike(property.ContainingType):
            case IDefaultValueOperation { Type: var type } when _symbols.IsValueTask(type):
                return TaskOutcome.FinishesAtOnce;
            case IObjectCreationOperation creation when _symbols.IsValueTask(creation.Type):
                return creation.Arguments.Length == 0 || !_symbols.IsTaskLike(creation.Arguments[0].Value.Type) ? TaskOutcome.FinishesAtOnce : Of(creation.Arguments[0].Value, level);
            case IInvocationOperation invocation:
                return OfCall(invocation, level);
            default:
                return TaskOutcome.CanFail;
        }
    }

    private TaskOutcome OfCall(IInvocationOperation invocation, int level)
    {
        var method = invocation.TargetMethod;
        if (_symbols.IsTaskLike(method.ContainingType) || SymbolEqualityComparer.Default.Equals(method.ContainingType, _symbols.TaskFactory))
        {
            return method.Name switch
            {
                "FromResult" or "FromCanceled" => TaskOutcome.FinishesAtOnce,
                "Delay" or "Yield" => TaskOutcome.CannotFail,
                "Run" or "StartNew" => invocation.Arguments.FirstOrDefault(a => a.Value.Type is INamedTypeSymbol { TypeKind: TypeKind.Delegate })?.Value is { } work ? OfWork(work, level) : TaskOutcome.CanFail,
                "ConfigureAwait" => Of(invocation.Instance, level),
                _ => TaskOutcome.CanFail,
            };
        }

        // base.M(...) runs exactly that body, virtual or not.
        if (IsReadable(method) || !invocation.IsVirtual && invocation.Instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } && IsReadableBody(method))
        {
            return Outcome(method, level);
        }

        // A virtual, abstract or interface method: the worst of the implementations the compilation has, when no code
        // outside the assembly can add another.
        if (level > Primitives && IsOurs(method) && Implementations(method) is { Count: > 0 } implementations
            && implementations.All(m => m.DeclaringSyntaxReferences.Length == 1 && !m.IsExtern && !m.IsAbstract))
        {
            return implementations.Select(m => Outcome(m, level)).Max();
        }

        return TaskOutcome.CanFail;
    }

    /// <summary>A method whose body is the one that runs: declared once in this compilation, not virtual, not an interface member.</summary>
    private bool IsReadable(IMethodSymbol method)
        => !(method.IsVirtual || method.IsOverride && !method.IsSealed) && IsReadableBody(method);

    /// <summary>A method with one body in this compilation (which runs when the call is not dispatched virtually).</summary>
    private bool IsReadableBody(IMethodSymbol method)
        => method.MethodKind is MethodKind.Ordinary or MethodKind.LocalFunction
            && !(method.IsAbstract || method.IsExtern)
            && method.ContainingType?.TypeKind != TypeKind.Interface
            && method.DeclaringSyntaxReferences.Length == 1
            && SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, _compilation.Assembly);

    private TaskOutcome Outcome(IMethodSymbol method, int level)
        => level switch
        {
            Deep => _deep.GetOrAdd(method.OriginalDefinition, m => OfMethod(m, Deep)),
            Shallow => _shallow.GetOrAdd(method.OriginalDefinition, m => OfMethod(m, Shallow)),
            _ => TaskOutcome.CanFail,
        };

    /// <summary>The delegate given to <c>Task.Run</c> or <c>StartNew</c>: an async lambda, a lambda, or a method group.</summary>
    private TaskOutcome OfWork(IOperation work, int level)
    {
        var target = work.Unwrap();
        if (target is IDelegateCreationOperation creation)
        {
            target = creation.Target.Unwrap();
        }

        var outcome = target switch
        {
            IAnonymousFunctionOperation lambda => OfFunctionBody(lambda.Symbol, lambda.Body, level),
            IMethodReferenceOperation reference when IsReadable(reference.Method) => Outcome(reference.Method, level),
            _ => TaskOutcome.CanFail,
        };

        // The task of Task.Run is still running when Run returns.
        return outcome == TaskOutcome.FinishesAtOnce ? TaskOutcome.CannotFail : outcome;
    }

    /// <summary>A method of this compilation, read from its body.</summary>
    private TaskOutcome OfMethod(IMethodSymbol method, int level)
    {
        var syntax = method.DeclaringSyntaxReferences[0].GetSyntax();
        if (syntax is not (BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax) || !MayNotFail(syntax, method.IsAsync))
        {
            return TaskOutcome.CanFail;
        }

        // The analyzer driver caches one semantic model per tree, so reading another member's body costs one binding of it.
#pragma warning disable RS1030 // Do not invoke Compilation.GetSemanticModel() within a diagnostic analyzer
        var model = _compilation.GetSemanticModel(syntax.SyntaxTree);
#pragma warning restore RS1030
        var body = model.GetOperation(syntax) switch
        {
            IMethodBodyOperation methodBody => methodBody.BlockBody ?? methodBody.ExpressionBody,
            ILocalFunctionOperation localFunction => localFunction.Body,
            _ => null,
        };
        return body is null ? TaskOutcome.CanFail : OfFunctionBody(method, body, level);
    }

    /// <summary>
    /// Whether a body's syntax leaves a chance of "cannot fail", checked before the body is bound: binding another
    /// member is the expensive part of this analysis, and most bodies can be ruled out by their shape. An async body
    /// must be one <c>try</c> (after argument guards) or only awaits and plain returns; a synchronous one must return
    /// nothing but <c>Task</c>/<c>ValueTask</c> members, <c>default</c> or <c>new ValueTask…</c>, or be one <c>try</c>.
    /// </summary>
    private static bool MayNotFail(SyntaxNode declaration, bool isAsync)
    {
        var (block, arrow) = declaration switch
        {
            BaseMethodDeclarationSyntax m => (m.Body, m.ExpressionBody?.Expression),
            LocalFunctionStatementSyntax l => (l.Body, l.ExpressionBody?.Expression),
            _ => (null, null),
        };
        if (arrow is not null)
        {
            return isAsync ? arrow is AwaitExpressionSyntax : IsFrameworkTaskShape(arrow);
        }

        if (block is null)
        {
            return false;
        }

        // A catch anywhere may take what the rest throws: that needs the bound body.
        if (block.DescendantNodes(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)).Any(n => n is CatchClauseSyntax))
        {
            return true;
        }

        var statements = block.Statements.Where(s => !IsGuardShape(s)).ToList();
        return isAsync
            ? statements.All(s => s is ExpressionStatementSyntax { Expression: AwaitExpressionSyntax } or ReturnStatementSyntax { Expression: null or LiteralExpressionSyntax } or EmptyStatementSyntax
                or IfStatementSyntax or LocalDeclarationStatementSyntax)
            : block.DescendantNodes(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)).OfType<ReturnStatementSyntax>()
                .All(r => r.Expression is { } e && IsFrameworkTaskShape(e));

        // ArgumentNullException.ThrowIfNull(x); if (...) throw ...; _ = x ?? throw ...;
        static bool IsGuardShape(StatementSyntax statement)
            => statement is IfStatementSyntax { Else: null, Statement: var then } && (then is ThrowStatementSyntax || then is BlockSyntax { Statements.Count: 1 } block && block.Statements[0] is ThrowStatementSyntax)
                || statement is ExpressionStatementSyntax { Expression: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: var name } } } && name.StartsWith("ThrowIf", System.StringComparison.Ordinal)
                || statement is ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: "_" }, Right: BinaryExpressionSyntax { Right: ThrowExpressionSyntax } } };
    }

    /// <summary><c>Task.CompletedTask</c>, <c>Task.FromResult(x)</c>, <c>ValueTask.CompletedTask</c>, <c>default</c>, <c>new ValueTask(...)</c>, <c>Task.Delay(...)</c>: the shapes of a framework task.</summary>
    private static bool IsFrameworkTaskShape(ExpressionSyntax expression)
        => expression switch
        {
            LiteralExpressionSyntax or DefaultExpressionSyntax => true,
            ObjectCreationExpressionSyntax or ImplicitObjectCreationExpressionSyntax => true,
            MemberAccessExpressionSyntax { Expression: var owner } => IsTaskTypeName(owner),
            InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: var owner } } => IsTaskTypeName(owner),
            CastExpressionSyntax cast => IsFrameworkTaskShape(cast.Expression),
            ParenthesizedExpressionSyntax parenthesized => IsFrameworkTaskShape(parenthesized.Expression),
            _ => false,
        };

    private static bool IsTaskTypeName(ExpressionSyntax owner)
        => (owner switch
        {
            GenericNameSyntax generic => generic.Identifier.ValueText,
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
            QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
            MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
            _ => null,
        }) is "Task" or "ValueTask";

    /// <summary>
    /// A function's body. An async one: see <see cref="OfAsyncBody"/>. A synchronous one that returns a task: every
    /// <c>return</c> returns a framework task that finishes at once (or cannot fail). A synchronous one that returns
    /// nothing (the body of <c>Task.Run(() => ...)</c>): its task cannot fail when a catch-all guards the body.
    /// </summary>
    private TaskOutcome OfFunctionBody(IMethodSymbol function, IBlockOperation body, int level)
    {
        if (function.IsAsync)
        {
            return OfAsyncBody(body, level);
        }

        if (!_symbols.IsTaskLike(function.ReturnType))
        {
            return CanEscape(body, level) ? TaskOutcome.CanFail : TaskOutcome.CannotFail;
        }

        var outcome = TaskOutcome.FinishesAtOnce;
        var any = false;
        foreach (var operation in body.SameFunctionDescendants())
        {
            if (operation is IReturnOperation { ReturnedValue: { } returned })
            {
                any = true;
                var each = Of(returned, Primitives);
                if (each == TaskOutcome.CanFail)
                {
                    return TaskOutcome.CanFail;
                }

                outcome = each > outcome ? each : outcome;
            }
        }

        return any ? outcome : TaskOutcome.CanFail;
    }
}
