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
/// The shared "can this task fail, and does it finish at once?" analysis, for a value, a lambda or a method. It is
/// conservative: it answers <see cref="TaskOutcome.CannotFail"/> or <see cref="TaskOutcome.FinishesAtOnce"/> only
/// with proof. A method of this compilation is read once per compilation and the answer cached per method symbol;
/// the analysis is shallow (one level of callees, no recursion). Virtual and interface methods can fail: another
/// implementation may run.
/// </summary>
internal sealed class TaskFaults
{
    private readonly Compilation _compilation;
    private readonly AsyncSymbols _symbols;
    private readonly ConcurrentDictionary<IMethodSymbol, TaskOutcome> _shallow = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<IMethodSymbol, TaskOutcome> _deep = new(SymbolEqualityComparer.Default);

    /// <summary>One per compilation: <see cref="CompilationFacts.Faults"/>.</summary>
    public TaskFaults(Compilation compilation, AsyncSymbols symbols)
    {
        _compilation = compilation;
        _symbols = symbols;
    }

    /// <summary>The outcome of the task that <paramref name="value"/> produces.</summary>
    public TaskOutcome Of(IOperation? value) => Of(value, Deep);

    /// <summary>True when the task can end faulted, so that dropping it can lose an exception.</summary>
    public bool CanFail(IOperation? value) => Of(value) == TaskOutcome.CanFail;

    /// <summary>
    /// The outcome of an async function's body (a method, local function or lambda): it cannot fail when it is one
    /// <c>try</c> whose catch-all clause does not throw (<see cref="IsGuardedByACatchAll"/>), or when every statement
    /// only awaits tasks that cannot fail.
    /// </summary>
    public TaskOutcome OfAsyncBody(IBlockOperation? body, bool deep)
    {
        if (body is null)
        {
            return TaskOutcome.CanFail;
        }

        if (IsGuardedByACatchAll(body, _symbols))
        {
            return TaskOutcome.CannotFail;
        }

        return deep && StatementsCannotThrow(body) ? TaskOutcome.CannotFail : TaskOutcome.CanFail;
    }

    /// <summary>
    /// True when the body is one <c>try</c>, after nothing but argument guards, whose catch-all clause (<c>catch</c>
    /// or <c>catch (Exception)</c>, without a filter) never throws, and whose <c>finally</c> does not throw either.
    /// </summary>
    public static bool IsGuardedByACatchAll(IBlockOperation body, AsyncSymbols symbols)
    {
        // A lambda's block ends with an implicit return that the source does not have.
        var statements = body.Operations.Where(o => !(o is IReturnOperation && o.IsImplicit)).SkipWhile(o => IsArgumentGuard(o, symbols)).ToList();
        if (statements.Count != 1 || statements[0] is not ITryOperation tryOperation
            || tryOperation.Finally is { } finallyBlock && Throws(finallyBlock))
        {
            return false;
        }

        return HasACatchAll(tryOperation, symbols);
    }

    /// <summary>A catch-all clause (<c>catch</c> or <c>catch (Exception)</c>, without a filter) that never throws.</summary>
    private static bool HasACatchAll(ITryOperation tryOperation, AsyncSymbols symbols)
        => tryOperation.Catches.Any(c => c.Filter is null
            && (c.ExceptionType.SpecialType == SpecialType.System_Object || SymbolEqualityComparer.Default.Equals(c.ExceptionType, symbols.Exception))
            && !Throws(c.Handler));

    /// <summary>
    /// True when <paramref name="operation"/> sits in the <c>try</c> block of a <c>try</c> with a catch-all that never
    /// throws, between it and <paramref name="root"/>: an exception it raises does not get out of <paramref name="root"/>.
    /// </summary>
    public static bool IsCaughtByACatchAll(IOperation operation, IOperation root, AsyncSymbols symbols)
    {
        for (IOperation? child = operation, parent = operation.Parent; parent is not null && child != root; child = parent, parent = parent.Parent)
        {
            if (parent is ITryOperation tryOperation && tryOperation.Body == child && HasACatchAll(tryOperation, symbols))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="operation"/> contains a <c>throw</c> (in its own function).</summary>
    public static bool Throws(IOperation operation) => operation is IThrowOperation || operation.SameFunctionDescendants().Any(o => o is IThrowOperation);

    /// <summary>
    /// <c>ArgumentNullException.ThrowIfNull(x)</c> (any <c>ThrowIf…</c> of an argument exception),
    /// <c>_ = x ?? throw new ArgumentNullException(...)</c>, or <c>if (...) throw new Argument…Exception(...)</c>:
    /// it only fires on a caller's bug.
    /// </summary>
    public static bool IsArgumentGuard(IOperation statement, AsyncSymbols symbols)
    {
        var operation = statement is IExpressionStatementOperation expression ? expression.Operation : statement;
        return operation switch
        {
            IInvocationOperation { TargetMethod: { IsStatic: true } method } => method.Name.StartsWith("ThrowIf", System.StringComparison.Ordinal) && symbols.IsArgumentException(method.ContainingType),
            ISimpleAssignmentOperation { Target: IDiscardOperation, Value: var value } => value.Unwrap() is ICoalesceOperation coalesce && ThrowsArgumentException(coalesce.WhenNull, symbols),
            IConditionalOperation { WhenFalse: null, WhenTrue: var whenTrue } => ThrowsArgumentException(whenTrue is IBlockOperation { Operations.Length: 1 } block ? block.Operations[0] : whenTrue, symbols),
            _ => false,
        };
    }

    private static bool ThrowsArgumentException(IOperation operation, AsyncSymbols symbols)
        => (operation is IExpressionStatementOperation statement ? statement.Operation : operation).Unwrap() is IThrowOperation { Exception: var thrown }
            && symbols.IsArgumentException(thrown.Unwrap()?.Type);

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

        return IsReadable(method) ? Outcome(method, level) : TaskOutcome.CanFail;
    }

    /// <summary>A method whose body is the one that runs: declared once in this compilation, not virtual, not an interface member.</summary>
    private bool IsReadable(IMethodSymbol method)
        => method.MethodKind is MethodKind.Ordinary or MethodKind.LocalFunction
            && !(method.IsVirtual || method.IsAbstract || method.IsOverride && !method.IsSealed || method.IsExtern)
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

        var statements = block.Statements.Where(s => !IsGuardShape(s)).ToList();
        if (statements.Count == 1 && statements[0] is TryStatementSyntax)
        {
            return true;
        }

        return isAsync
            ? statements.All(s => s is ExpressionStatementSyntax { Expression: AwaitExpressionSyntax } or ReturnStatementSyntax { Expression: null or LiteralExpressionSyntax } or EmptyStatementSyntax)
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
            return OfAsyncBody(body, level == Deep);
        }

        if (!_symbols.IsTaskLike(function.ReturnType))
        {
            return IsGuardedByACatchAll(body, _symbols) ? TaskOutcome.CannotFail : TaskOutcome.CanFail;
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

    /// <summary>
    /// Every statement of an async body only awaits a task that cannot fail (one level deep) or returns without a
    /// value or with a constant: <c>await Task.Delay(100, ct);</c>, <c>await NotifyAsync();</c> where
    /// <c>NotifyAsync</c> returns <c>Task.CompletedTask</c>.
    /// </summary>
    private bool StatementsCannotThrow(IBlockOperation body)
    {
        foreach (var statement in body.Operations)
        {
            var ok = statement switch
            {
                IExpressionStatementOperation { Operation: IAwaitOperation awaitOperation } => Of(awaitOperation.Operation, Shallow) != TaskOutcome.CanFail,
                IReturnOperation { ReturnedValue: null } => true,
                IReturnOperation { ReturnedValue: { ConstantValue.HasValue: true } } => true,
                IEmptyOperation => true,
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
