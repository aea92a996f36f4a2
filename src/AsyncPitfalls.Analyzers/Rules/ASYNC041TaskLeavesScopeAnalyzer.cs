using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncPitfalls.Analyzers;

/// <summary>
/// ASYNC041: a task that leaves the scope meant to wait for it. A method that returns a task instead of awaiting it
/// returns at once, so a <c>using</c> around the return disposes the resource while the work still uses it, a
/// <c>finally</c> releases, resets or reports completion before the work ends, and a <c>catch</c> never sees the work's
/// failure. Also a task that uses a <c>using</c>'s resource and is not awaited before the scope ends, and
/// <c>using (x.LockAsync())</c>, which disposes the task instead of the lock.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ASYNC041TaskLeavesScopeAnalyzer : DiagnosticAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = RuleFactory.Create(
        DiagnosticIds.TaskLeavesScope,
        title: "Task leaves the scope that should wait for it",
        message: "'{0}' {1}",
        DiagnosticCategories.Reliability,
        DiagnosticSeverity.Warning,
        description: "A task returned without an await from inside a using, a try with a finally or a try with a catch leaves the scope at once: the resource is disposed, the finally runs and the catch is left before the work ends. The same goes for a task that uses a using's resource and is not awaited inside it, and for a using whose resource is a task that completes with the disposable.");

    /// <summary>Calls in a <c>finally</c> that release, signal or end something the work may still need.</summary>
    private static readonly string[] CleanupPrefixes =
    {
        "Dispose", "Release", "Exit", "Leave", "Close", "Set", "Signal", "Complete", "TryComplete", "TrySet", "Cancel", "Return", "Decrement",
        "Remove", "TryRemove", "Unregister", "Unsubscribe", "Stop", "End", "Finish", "Unlock", "Clear",
    };

    /// <summary>Words of a log line that reports the end of the work, or how long it took.</summary>
    private static readonly Regex CompletionWords = new(@"\b(done|finish(ed)?|complete(d)?|end(ed)?|stop(ped)?|took|elapsed|duration)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>Exception types that asynchronous work throws; a catch of only others (argument checks, parsing) guards the synchronous part.</summary>
    private static readonly ImmutableHashSet<string> WorkExceptions = ImmutableHashSet.Create(
        "OperationCanceledException", "TaskCanceledException", "TimeoutException", "IOException", "HttpRequestException", "SocketException",
        "WebException", "DbException", "AggregateException", "InvalidOperationException");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            start.RegisterOperationAction(s => s.HasTasks, (c, facts) => AnalyzeReturn(c, facts.Symbols, facts.Escape), OperationKind.Return);
            start.RegisterOperationAction(s => s.HasTasks, (c, facts) => AnalyzeUsing(c, facts.Symbols), OperationKind.Using, OperationKind.UsingDeclaration);
        });
    }

    private static void AnalyzeReturn(OperationAnalysisContext context, AsyncSymbols symbols, ExceptionEscape faults)
    {
        var ret = (IReturnOperation)context.Operation;
        if (ret.ReturnedValue.Unwrap() is not { } value || value is IAwaitOperation || !symbols.IsTaskLike(value.Type)
            || IsAsync(ret, context.ContainingSymbol) || TaskCompletion.IsCreatedComplete(value, symbols))
        {
            return;
        }

        // Most returns sit in no scope at all: look for one before asking anything that costs more.
        if (!IsInAScope(ret))
        {
            return;
        }

        // From the return outwards, the innermost scope that matters wins.
        IOperation child = ret;
        for (var current = ret.Parent; current is not null && current is not (IAnonymousFunctionOperation or ILocalFunctionOperation); child = current, current = current.Parent)
        {
            (ScopeLeft Shape, string Text)? found = current switch
            {
                IUsingOperation @using when child == @using.Body && Reaches(value, ResourcesOf(@using, @using.Body, symbols)) is { } resource
                    => (ScopeLeft.ReturnedFromUsing, $"is returned without an await inside the 'using' of '{resource.Name}', which disposes it before the work ends"),
                IBlockOperation block when DeclaredUsingBefore(block, child) is { } declaration && Reaches(value, ResourcesOf(declaration, block, symbols)) is { } declared
                    => (ScopeLeft.ReturnedFromUsing, $"is returned without an await in the scope of 'using var {declared.Name}', which disposes it before the work ends"),
                ITryOperation { Finally: { } @finally } @try when child == @try.Body && FinallyMatters(@try, @finally, value, ret, symbols)
                    => (ScopeLeft.ReturnedFromFinally, "is returned without an await inside a 'try' whose 'finally' then runs before the work ends"),
                ITryOperation { Catches.Length: > 0 } @try when child == @try.Body && @try.Catches.Any(c => CatchesWorkFailures(c) && !Rethrows(c)) && faults.CanFail(value)
                    => (ScopeLeft.ReturnedFromCatch, "is returned without an await inside a 'try' whose 'catch' never sees the work's failure"),
                _ => null,
            };
            if (found is { } report && !TaskCompletion.IsKnownComplete(value, value, symbols))
            {
                context.ReportDiagnostic(Diagnostic.Create(Rule, value.Syntax.GetLocation(), new ASYNC041Data(report.Shape).ToProperties(), NameOf(value), report.Text));
                return;
            }
        }
    }

    /// <summary>
    /// A <c>using</c> (statement or declaration): a resource that is a task of a disposable, and tasks that use the
    /// resource, started inside the scope, that leave it without being awaited there.
    /// </summary>
    private static void AnalyzeUsing(OperationAnalysisContext context, AsyncSymbols symbols)
    {
        var (values, scope, resources) = context.Operation switch
        {
            IUsingOperation @using => (ResourceValues(@using.Resources), (IEnumerable<IOperation>)new[] { @using.Body }, ResourcesOf(@using, @using.Body, symbols)),
            IUsingDeclarationOperation declaration when declaration.Parent is IBlockOperation block
                => (ResourceValues(declaration.DeclarationGroup), block.Operations.SkipWhile(o => o != declaration).Skip(1), ResourcesOf(declaration, block, symbols)),
            _ => (new List<IOperation>(), Enumerable.Empty<IOperation>(), new List<ISymbol>()),
        };

        foreach (var value in values)
        {
            if (value.Type is INamedTypeSymbol { TypeArguments.Length: 1 } task && symbols.IsTaskLike(task)
                && (symbols.IsDisposable(task.TypeArguments[0]) || AsyncSymbols.DerivesFrom(task.TypeArguments[0], symbols.AsyncDisposable) || Implements(task.TypeArguments[0], symbols.AsyncDisposable)))
            {
                var disposable = task.TypeArguments[0].ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat);
                context.ReportDiagnostic(Diagnostic.Create(Rule, value.Syntax.GetLocation(), new ASYNC041Data(ScopeLeft.DisposesTheTask).ToProperties(),
                    NameOf(value), $"is a task: the 'using' disposes the task, not the '{disposable}' it completes with, so what it guards runs unguarded"));
            }
        }

        if (resources.Count == 0)
        {
            return;
        }

        var isAsync = IsAsync(context.Operation, context.ContainingSymbol);
        var inScope = scope.SelectMany(o => o.SameFunctionDescendants().Prepend(o)).ToList();
        foreach (var operation in inScope)
        {
            if (operation is not IInvocationOperation invocation || !symbols.IsTaskLike(invocation.Type) || Reaches(invocation, resources) is not { } resource)
            {
                continue;
            }

            var consumer = invocation.WalkUpConversions().Parent;
            var leaves = consumer switch
            {
                // A dropped call in an async function is ASYNC001's, and a discard says the author lets it go: a drop
                // where nothing can await is ours.
                IExpressionStatementOperation => !isAsync,
                ISimpleAssignmentOperation { Target: ILocalReferenceOperation local } => IsAwaitedOnlyAfter(local.Local, consumer, inScope, context.Operation),
                IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol: var declared } } => IsAwaitedOnlyAfter(declared, consumer, inScope, context.Operation),
                _ => false,
            };
            if (leaves)
            {
                context.ReportDiagnostic(Diagnostic.Create(Rule, invocation.Syntax.GetLocation(), new ASYNC041Data(ScopeLeft.StartedInUsing).ToProperties(),
                    NameOf(invocation), $"uses '{resource.Name}' and is not awaited inside its 'using', which disposes it while the work runs"));
            }
        }
    }

    /// <summary>A <c>using</c>, a <c>using var</c> or a <c>try</c> between the return and its function.</summary>
    private static bool IsInAScope(IOperation operation)
    {
        for (var current = operation.Parent; current is not null && current is not (IAnonymousFunctionOperation or ILocalFunctionOperation); current = current.Parent)
        {
            if (current is IUsingOperation or ITryOperation || current is IBlockOperation block && block.Operations.Any(o => o is IUsingDeclarationOperation))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The task kept in <paramref name="local"/> is not read again inside the scope, and is read after it (awaited later, returned).</summary>
    private static bool IsAwaitedOnlyAfter(ILocalSymbol local, IOperation store, List<IOperation> inScope, IOperation scopeOwner)
    {
        var readInside = inScope.Any(o => o is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local) && !reference.Syntax.Span.IntersectsWith(store.Syntax.Span));
        if (readInside)
        {
            return false;
        }

        var end = scopeOwner is IUsingOperation @using ? @using.Syntax.Span.End : scopeOwner.Parent?.Syntax.Span.End ?? int.MaxValue;
        return scopeOwner.Root().Descendants().Any(o => o is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local)
            && reference.Syntax.SpanStart >= end);
    }

    /// <summary>The function holding <paramref name="operation"/> is async (its own tasks are awaited by whoever awaits it).</summary>
    private static bool IsAsync(IOperation operation, ISymbol containing)
        => operation.EnclosingFunction() switch
        {
            IAnonymousFunctionOperation lambda => lambda.Symbol.IsAsync,
            ILocalFunctionOperation local => local.Symbol.IsAsync,
            _ => containing is IMethodSymbol { IsAsync: true },
        };

    /// <summary>The values a using disposes: its declared variables' initial values, or its expression.</summary>
    private static List<IOperation> ResourceValues(IOperation resources)
        => resources is IVariableDeclarationGroupOperation group
            ? group.Declarations.SelectMany(d => d.Declarators).Select(d => d.Initializer?.Value.Unwrap()).OfType<IOperation>().ToList()
            : new List<IOperation> { resources.Unwrap()! };

    /// <summary>
    /// What a using disposes, as variables: its declared locals or the variable it names, and the locals of its scope
    /// taken from them (<c>var stream = client.GetStream();</c>: the stream belongs to the client).
    /// </summary>
    private static List<ISymbol> ResourcesOf(IOperation owner, IOperation scope, AsyncSymbols symbols)
    {
        var resources = new List<ISymbol>();
        switch (owner)
        {
            case IUsingOperation @using:
                resources.AddRange(@using.Locals);
                if (@using.Resources.Unwrap().ReferencedSymbol() is { } named and (ILocalSymbol or IParameterSymbol or IFieldSymbol))
                {
                    resources.Add(named);
                }

                break;
            case IUsingDeclarationOperation declaration:
                resources.AddRange(declaration.DeclarationGroup.Declarations.SelectMany(d => d.Declarators).Select(d => d.Symbol));
                break;
        }

        // A resource whose Dispose does nothing loses nothing when it is disposed before the work ends.
        resources.RemoveAll(r => DisposeDoesNothing(r switch { ILocalSymbol l => l.Type, IParameterSymbol p => p.Type, IFieldSymbol f => f.Type, _ => null }, symbols));

        foreach (var declarator in scope.SameFunctionDescendants().OfType<IVariableDeclaratorOperation>())
        {
            if (declarator.Initializer?.Value is { } initial && Reaches(initial, resources) is not null)
            {
                resources.Add(declarator.Symbol);
            }
        }

        return resources;
    }

    /// <summary>A <c>using var</c> of <paramref name="block"/> that comes before <paramref name="child"/>.</summary>
    private static IUsingDeclarationOperation? DeclaredUsingBefore(IBlockOperation block, IOperation child)
        => block.Operations.TakeWhile(o => o != child).OfType<IUsingDeclarationOperation>().LastOrDefault();

    /// <summary>
    /// A type whose <c>Dispose</c> is declared in this compilation with an empty body, and cannot be overridden (the
    /// method is not virtual, or the type is sealed or a struct): disposing it does nothing. Read from the syntax.
    /// </summary>
    private static bool DisposeDoesNothing(ITypeSymbol? type, AsyncSymbols symbols)
    {
        if (type is null || Implements(type, symbols.AsyncDisposable)
            || type.AllInterfaces.FirstOrDefault(i => i.SpecialType == SpecialType.System_IDisposable) is not { } disposable
            || disposable.GetMembers("Dispose").FirstOrDefault() is not IMethodSymbol dispose
            || type.FindImplementationForInterfaceMember(dispose) is not IMethodSymbol implementation
            || (implementation.IsVirtual || implementation.IsAbstract || implementation.IsOverride && !implementation.IsSealed) && !type.IsSealed && !type.IsValueType)
        {
            return false;
        }

        return implementation.DeclaringSyntaxReferences.Length == 1
            && implementation.DeclaringSyntaxReferences[0].GetSyntax() is MethodDeclarationSyntax { Body.Statements.Count: 0, ExpressionBody: null };
    }

    /// <summary>The first of <paramref name="resources"/> that <paramref name="value"/> refers to.</summary>
    private static ISymbol? Reaches(IOperation value, List<ISymbol> resources)
    {
        if (resources.Count == 0)
        {
            return null;
        }

        foreach (var operation in value.DescendantsAndSelf())
        {
            if (operation.ReferencedSymbol() is { } symbol && operation is ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation
                && resources.FirstOrDefault(r => SymbolEqualityComparer.Default.Equals(r, symbol)) is { } resource)
            {
                return resource;
            }
        }

        return null;
    }

    /// <summary>
    /// A finally that the work's end matters to: it releases, disposes, signals, ends or removes something (by the
    /// call's name); changes a counter, a field or a property; reads a stopwatch or logs the end of the work; or touches
    /// a variable the returned task uses. A finally that only logs the start does not count, nor do two idioms that
    /// return a task from under a lock on purpose: the release of a synchronous lock (<c>Monitor</c>, <c>SpinLock</c>,
    /// a <c>ReaderWriterLockSlim</c>, or any release given the <c>ref bool lockTaken</c> the <c>try</c> took it with),
    /// which cannot be held across an await; and cleanup under <c>if (flag)</c> when, on the control-flow graph, the
    /// return is reached only where <c>flag</c> is false (the slow path that hands the work to a method that locks).
    /// </summary>
    private static bool FinallyMatters(ITryOperation tryOperation, IBlockOperation block, IOperation value, IReturnOperation ret, AsyncSymbols symbols)
    {
        var used = new HashSet<ISymbol>(value.DescendantsAndSelf().Select(o => o.ReferencedSymbol()).OfType<ISymbol>().Where(s => s is ILocalSymbol or IParameterSymbol or IFieldSymbol), SymbolEqualityComparer.Default);
        var lockFlags = new HashSet<ISymbol>(
            tryOperation.Body.SameFunctionDescendants().OfType<IArgumentOperation>()
                .Where(a => a.Parameter?.RefKind == RefKind.Ref && a.Value.Type?.SpecialType == SpecialType.System_Boolean)
                .Select(a => a.Value.ReferencedSymbol()).OfType<ISymbol>(),
            SymbolEqualityComparer.Default);
        foreach (var operation in block.SameFunctionDescendants())
        {
            var matters = operation switch
            {
                IInvocationOperation { TargetMethod: var method } invocation when CleanupPrefixes.Any(p => method.Name.StartsWith(p, System.StringComparison.Ordinal))
                    || method.ContainingType?.Name == "Interlocked" => !ReleasesASynchronousLock(invocation, lockFlags),
                IIncrementOrDecrementOperation or ICompoundAssignmentOperation or ISimpleAssignmentOperation { Target: IFieldReferenceOperation or IPropertyReferenceOperation } => true,
                IPropertyReferenceOperation { Property.Name: "Elapsed" or "ElapsedMilliseconds" or "ElapsedTicks" } elapsed => ReferenceEquals(elapsed.Property.ContainingType, symbols.Stopwatch),
                ILiteralOperation { ConstantValue: { HasValue: true, Value: string text } } => CompletionWords.IsMatch(text),
                ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation => operation.ReferencedSymbol() is { } symbol && used.Contains(symbol),
                _ => false,
            };
            if (matters && !SkippedOnThisReturn(operation, block, ret))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>Monitor.Exit</c>, <c>SpinLock.Exit</c>, <c>ExitReadLock</c>…, or a call given one of the try's <c>ref bool</c> lock flags.</summary>
    private static bool ReleasesASynchronousLock(IInvocationOperation invocation, HashSet<ISymbol> lockFlags)
        => invocation.TargetMethod.ContainingType?.Name is "Monitor" or "SpinLock"
            || invocation.TargetMethod.Name is "ExitReadLock" or "ExitWriteLock" or "ExitUpgradeableReadLock"
            || invocation.Arguments.Any(a => a.Parameter?.RefKind == RefKind.Ref && a.Value.ReferencedSymbol() is { } flag && lockFlags.Contains(flag));

    /// <summary>
    /// The operation is under <c>if (flag)</c> (a bool local) in the finally, and every path to the return goes
    /// through a branch that says the flag is false: for this return, the cleanup does not run.
    /// </summary>
    private static bool SkippedOnThisReturn(IOperation operation, IBlockOperation block, IReturnOperation ret)
    {
        for (var current = operation.Parent; current is not null && current != block; current = current.Parent)
        {
            if (current is IConditionalOperation { Condition: var condition } && condition.Unwrap() is ILocalReferenceOperation { Local: var flag }
                && Paths.Around(ret) is { } paths
                && paths.IsUnreachableWithout((ret.ReturnedValue ?? ret).Syntax, branch => branch.Unwrap() switch
                {
                    ILocalReferenceOperation local when SymbolEqualityComparer.Default.Equals(local.Local, flag) => false,
                    IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, Operand: var negated } when negated.Unwrap() is ILocalReferenceOperation local
                        && SymbolEqualityComparer.Default.Equals(local.Local, flag) => true,
                    _ => null,
                }))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A catch that ends by rethrowing (<c>catch { Release(); throw; }</c>): it cleans up after a synchronous failure and
    /// lets it go on, so the work's own failure, which reaches the caller through the task, loses nothing.
    /// </summary>
    private static bool Rethrows(ICatchClauseOperation clause)
        => clause.Handler.Operations.LastOrDefault() is IThrowOperation { Exception: null } or IExpressionStatementOperation { Operation: IThrowOperation { Exception: null } }
            // catch (Exception ex) { return Task.FromException(ex); }: the catch only turns a synchronous throw into a faulted task.
            or IReturnOperation { ReturnedValue: IInvocationOperation { TargetMethod.Name: "FromException" or "FromCanceled" } };

    /// <summary>A catch of everything, or of an exception type that asynchronous work throws (not an argument or parsing check).</summary>
    private static bool CatchesWorkFailures(ICatchClauseOperation clause)
    {
        if (clause.ExceptionType is null or { SpecialType: SpecialType.System_Object } or { Name: "Exception", ContainingNamespace.Name: "System" })
        {
            return true;
        }

        // The type or a base below System.Exception (ObjectDisposedException is an InvalidOperationException).
        for (var type = clause.ExceptionType as INamedTypeSymbol; type is not null && type.Name is not ("Exception" or "SystemException"); type = type.BaseType)
        {
            if (WorkExceptions.Contains(type.Name))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Implements(ITypeSymbol type, INamedTypeSymbol? @interface)
        => @interface is not null && (SymbolEqualityComparer.Default.Equals(type, @interface) || type.AllInterfaces.Contains(@interface, SymbolEqualityComparer.Default));

    private static string NameOf(IOperation value)
        => value is IInvocationOperation invocation ? invocation.CallName() : value.Syntax.ToString();
}
