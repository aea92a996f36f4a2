using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncPitfalls.Analyzers;

/// <summary>
/// The symbol context of one compilation: every framework type and member the rules ask about, resolved once and
/// shared by all analyzers, the suppressor and the fixes (<see cref="GetOrCreate"/>). It also answers
/// "is this type awaitable", with its results cached per type.
/// </summary>
internal sealed class AsyncSymbols
{
    private static readonly ConditionalWeakTable<Compilation, AsyncSymbols> ByCompilation = new();

    /// <summary>
    /// Referenced assemblies are shared by every compilation of a project (each edit in the IDE makes a new one), so
    /// the extension <c>GetAwaiter</c> receivers they declare are collected once per assembly symbol.
    /// </summary>
    private static readonly ConditionalWeakTable<IAssemblySymbol, StrongBox<ImmutableArray<ITypeSymbol>>> ExtensionReceiversByAssembly = new();

    private readonly Compilation _compilation;
    private readonly ConcurrentDictionary<INamedTypeSymbol, bool> _instanceAwaitable = new(DefinitionComparer<INamedTypeSymbol>.Instance);
    private readonly ConcurrentDictionary<ITypeSymbol, bool> _mightHaveExtensionAwaiter = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<(ITypeSymbol Type, SyntaxTree Tree), bool> _extensionAwaitable = new(TypeInTreeComparer.Instance);
    private ImmutableArray<ITypeSymbol> _extensionReceivers;

    // Every type but the task types is looked up on first use: GetTypeByMetadataName searches every referenced
    // assembly, and most compilations never ask for most of these.
    private readonly System.Lazy<INamedTypeSymbol?> _taskFactory;
    private readonly System.Lazy<INamedTypeSymbol?> _taskFactoryOfT;
    private readonly System.Lazy<INamedTypeSymbol?> _iNotifyCompletion;
    private readonly System.Lazy<INamedTypeSymbol?> _cancellationToken;
    private readonly System.Lazy<INamedTypeSymbol?> _cancellationTokenSource;
    private readonly System.Lazy<INamedTypeSymbol?> _operationCanceledException;
    private readonly System.Lazy<INamedTypeSymbol?> _exception;
    private readonly System.Lazy<INamedTypeSymbol?> _argumentException;
    private readonly System.Lazy<INamedTypeSymbol?> _dbDataReader;
    private readonly System.Lazy<INamedTypeSymbol?> _eventArgs;
    private readonly System.Lazy<INamedTypeSymbol?> _lambdaExpression;
    private readonly System.Lazy<INamedTypeSymbol?> _thread;
    private readonly System.Lazy<INamedTypeSymbol?> _semaphoreSlim;
    private readonly System.Lazy<INamedTypeSymbol?> _process;
    private readonly System.Lazy<INamedTypeSymbol?> _obsoleteAttribute;
    private readonly System.Lazy<INamedTypeSymbol?> _parallel;
    private readonly System.Lazy<INamedTypeSymbol?> _listOfT;
    private readonly System.Lazy<INamedTypeSymbol?> _channelReader;
    private readonly System.Lazy<INamedTypeSymbol?> _channelWriter;
    private readonly System.Lazy<INamedTypeSymbol?> _threadPool;
    private readonly System.Lazy<INamedTypeSymbol?> _timerCallback;
    private readonly System.Lazy<INamedTypeSymbol?> _elapsedEventHandler;
    private readonly System.Lazy<INamedTypeSymbol?> _logger;
    private readonly System.Lazy<FrameworkEntryPoints> _entryPoints;
    private readonly System.Lazy<(INamedTypeSymbol? Type, long? SuppressThrowing)> _configureAwaitOptions;
    private readonly System.Lazy<ImmutableHashSet<ISymbol>> _consoleStreams;
    private readonly System.Lazy<ImmutableArray<INamedTypeSymbol>> _inMemoryIoTypes;
    private readonly System.Lazy<ImmutableArray<INamedTypeSymbol>> _assertTypes;

    private AsyncSymbols(Compilation compilation)
    {
        _compilation = compilation;
        Task = Type("System.Threading.Tasks.Task");
        TaskOfT = Type("System.Threading.Tasks.Task`1");
        ValueTask = Type("System.Threading.Tasks.ValueTask");
        ValueTaskOfT = Type("System.Threading.Tasks.ValueTask`1");
        _taskFactory = LazyType("System.Threading.Tasks.TaskFactory");
        _taskFactoryOfT = LazyType("System.Threading.Tasks.TaskFactory`1");
        _iNotifyCompletion = LazyType("System.Runtime.CompilerServices.INotifyCompletion");
        _cancellationToken = LazyType("System.Threading.CancellationToken");
        _cancellationTokenSource = LazyType("System.Threading.CancellationTokenSource");
        _operationCanceledException = LazyType("System.OperationCanceledException");
        _exception = LazyType("System.Exception");
        _argumentException = LazyType("System.ArgumentException");
        _dbDataReader = LazyType("System.Data.Common.DbDataReader");
        _eventArgs = LazyType("System.EventArgs");
        _lambdaExpression = LazyType("System.Linq.Expressions.LambdaExpression");
        _thread = LazyType("System.Threading.Thread");
        _semaphoreSlim = LazyType("System.Threading.SemaphoreSlim");
        _process = LazyType("System.Diagnostics.Process");
        _obsoleteAttribute = LazyType("System.ObsoleteAttribute");
        _parallel = LazyType("System.Threading.Tasks.Parallel");
        _listOfT = LazyType("System.Collections.Generic.List`1");
        _channelReader = LazyType("System.Threading.Channels.ChannelReader`1");
        _channelWriter = LazyType("System.Threading.Channels.ChannelWriter`1");
        Disposable = compilation.GetSpecialType(SpecialType.System_IDisposable);
        _threadPool = LazyType("System.Threading.ThreadPool");
        _timerCallback = LazyType("System.Threading.TimerCallback");
        _elapsedEventHandler = LazyType("System.Timers.ElapsedEventHandler");
        _logger = LazyType("Microsoft.Extensions.Logging.ILogger");
        _entryPoints = new System.Lazy<FrameworkEntryPoints>(() => new FrameworkEntryPoints(
            Type("Microsoft.AspNetCore.Mvc.ControllerBase"),
            Type("Microsoft.AspNetCore.Mvc.ApiControllerAttribute"),
            Type("Microsoft.AspNetCore.Mvc.NonActionAttribute"),
            Type("Microsoft.AspNetCore.SignalR.Hub"),
            Type("Microsoft.AspNetCore.SignalR.Hub`1"),
            Type("Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions"),
            Type("Grpc.Core.BindServiceMethodAttribute")));
        _configureAwaitOptions = new System.Lazy<(INamedTypeSymbol?, long?)>(() =>
        {
            var options = Type("System.Threading.Tasks.ConfigureAwaitOptions");
            long? suppressThrowing = options?.GetMembers("SuppressThrowing").OfType<IFieldSymbol>().FirstOrDefault() is { HasConstantValue: true } suppress
                ? System.Convert.ToInt64(suppress.ConstantValue, System.Globalization.CultureInfo.InvariantCulture)
                : null;
            return (options, suppressThrowing);
        });
        _consoleStreams = new System.Lazy<ImmutableHashSet<ISymbol>>(() => Type("System.Console") is { } console
            ? console.GetMembers("Out").Concat(console.GetMembers("Error")).Concat(console.GetMembers("In")).ToImmutableHashSet<ISymbol>(SymbolEqualityComparer.Default)
            : ImmutableHashSet<ISymbol>.Empty);
        _inMemoryIoTypes = new System.Lazy<ImmutableArray<INamedTypeSymbol>>(() => new[] { "System.IO.MemoryStream", "System.IO.UnmanagedMemoryStream", "System.IO.StringReader", "System.IO.StringWriter" }
            .Select(Type).Where(t => t is not null).Select(t => t!).ToImmutableArray());
        _assertTypes = new System.Lazy<ImmutableArray<INamedTypeSymbol>>(() => new[] { "System.Diagnostics.Debug", "System.Diagnostics.Trace" }
            .Select(Type).Where(t => t is not null).Select(t => t!).ToImmutableArray());
    }

    /// <summary>The context of <paramref name="compilation"/>, created on first use and shared by every analyzer.</summary>
    public static AsyncSymbols GetOrCreate(Compilation compilation) => ByCompilation.GetValue(compilation, c => new AsyncSymbols(c));

    /// <summary>
    /// The context, created when an action first needs it rather than at compilation start. Its first type lookup
    /// binds the compilation's references; in a build that is the compiler's own work, which it has done by the time
    /// any symbol or operation action runs. Resolved at compilation start instead, the analyzer that happens to run
    /// first is charged for it (several percent of compile time on projects with hundreds of references).
    /// </summary>
    public static System.Lazy<AsyncSymbols> Deferred(Compilation compilation) => new(() => GetOrCreate(compilation));

    public INamedTypeSymbol? Task { get; }
    public INamedTypeSymbol? TaskOfT { get; }
    public INamedTypeSymbol? ValueTask { get; }
    public INamedTypeSymbol? ValueTaskOfT { get; }
    public INamedTypeSymbol? TaskFactory => _taskFactory.Value;
    public INamedTypeSymbol? TaskFactoryOfT => _taskFactoryOfT.Value;
    public INamedTypeSymbol? INotifyCompletion => _iNotifyCompletion.Value;
    public INamedTypeSymbol? CancellationToken => _cancellationToken.Value;
    public INamedTypeSymbol? CancellationTokenSource => _cancellationTokenSource.Value;
    public INamedTypeSymbol? OperationCanceledException => _operationCanceledException.Value;
    public INamedTypeSymbol? Exception => _exception.Value;
    public INamedTypeSymbol? ArgumentException => _argumentException.Value;
    public INamedTypeSymbol? DbDataReader => _dbDataReader.Value;
    public INamedTypeSymbol? EventArgs => _eventArgs.Value;
    public INamedTypeSymbol? LambdaExpression => _lambdaExpression.Value;
    public INamedTypeSymbol? Thread => _thread.Value;
    public INamedTypeSymbol? SemaphoreSlim => _semaphoreSlim.Value;
    public INamedTypeSymbol? Process => _process.Value;
    public INamedTypeSymbol? ObsoleteAttribute => _obsoleteAttribute.Value;
    public INamedTypeSymbol? Parallel => _parallel.Value;
    public INamedTypeSymbol? ListOfT => _listOfT.Value;
    public INamedTypeSymbol? ChannelReader => _channelReader.Value;
    public INamedTypeSymbol? ChannelWriter => _channelWriter.Value;
    public INamedTypeSymbol? Disposable { get; }
    public INamedTypeSymbol? ThreadPool => _threadPool.Value;
    public INamedTypeSymbol? TimerCallback => _timerCallback.Value;
    public INamedTypeSymbol? ElapsedEventHandler => _elapsedEventHandler.Value;

    /// <summary><c>Microsoft.Extensions.Logging.ILogger</c>, when the compilation references it.</summary>
    public INamedTypeSymbol? Logger => _logger.Value;

    /// <summary>The framework types that mark methods only a framework calls (controller actions, hub methods...).</summary>
    public FrameworkEntryPoints EntryPoints => _entryPoints.Value;

    /// <summary><c>ConfigureAwaitOptions</c> (.NET 8 and later), or null.</summary>
    public INamedTypeSymbol? ConfigureAwaitOptions => _configureAwaitOptions.Value.Type;

    /// <summary>The value of <c>ConfigureAwaitOptions.SuppressThrowing</c>, or null where the type does not exist.</summary>
    public long? SuppressThrowing => _configureAwaitOptions.Value.SuppressThrowing;

    /// <summary><c>Console.Out</c>, <c>Console.Error</c> and <c>Console.In</c>.</summary>
    public ImmutableHashSet<ISymbol> ConsoleStreams => _consoleStreams.Value;

    /// <summary>Readers, writers and streams whose "I/O" never waits on a device.</summary>
    public ImmutableArray<INamedTypeSymbol> InMemoryIoTypes => _inMemoryIoTypes.Value;

    /// <summary><c>Debug</c> and <c>Trace</c>, whose <c>Assert</c> methods state what the author knows.</summary>
    public ImmutableArray<INamedTypeSymbol> AssertTypes => _assertTypes.Value;

    /// <summary>True when the compilation can express tasks at all; rules about tasks bail out otherwise.</summary>
    public bool HasTasks => Task is not null;

    /// <summary>True when the compilation has tokens and the cancellation exception; the cancellation rules need both.</summary>
    public bool HasCancellation => CancellationToken is not null && OperationCanceledException is not null;

    /// <summary><c>Task</c>, <c>Task&lt;T&gt;</c> or a type derived from them.</summary>
    public bool IsTask(ITypeSymbol? type)
    {
        for (var current = type as INamedTypeSymbol; current is not null; current = current.BaseType)
        {
            // Definitions are one object each in a compilation: compared by reference (see DefinitionComparer).
            var definition = current.OriginalDefinition;
            if (ReferenceEquals(definition, Task) || ReferenceEquals(definition, TaskOfT))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>Task.Factory</c> or <c>Task&lt;T&gt;.Factory</c>.</summary>
    public bool IsTaskFactory(ITypeSymbol? type)
        => type is INamedTypeSymbol named
            && (SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, TaskFactory) || SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, TaskFactoryOfT));

    /// <summary>
    /// <c>Task.Run</c>, <c>Task.Factory.StartNew</c>: a call that explicitly starts work in the background, which
    /// states that nobody waits for it where it is dropped.
    /// </summary>
    public bool IsBackgroundStart(IMethodSymbol method)
        => method.Name == "Run" && SymbolEqualityComparer.Default.Equals(method.ContainingType, Task)
            || method.Name == "StartNew" && IsTaskFactory(method.ContainingType);

    /// <summary>True when <paramref name="type"/> is, or implements, <c>ILogger</c>.</summary>
    public bool IsLogger(ITypeSymbol? type)
        => Logger is not null && type is not null
            && (SymbolEqualityComparer.Default.Equals(type, Logger) || type.AllInterfaces.Contains(Logger, SymbolEqualityComparer.Default));

    /// <summary>True when <paramref name="type"/> is, or implements, <c>IDisposable</c> (a subscription handle, for example).</summary>
    public bool IsDisposable(ITypeSymbol? type)
        => Disposable is not null && type is not null
            && (SymbolEqualityComparer.Default.Equals(type, Disposable) || type.AllInterfaces.Contains(Disposable, SymbolEqualityComparer.Default));

    /// <summary>A method with the same definition as one of <paramref name="type"/>'s (generic definitions compared).</summary>
    public static bool IsDefinedIn(IMethodSymbol method, INamedTypeSymbol? type)
        => type is not null && SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, type);

    /// <summary><c>ValueTask</c> or <c>ValueTask&lt;T&gt;</c>.</summary>
    public bool IsValueTask(ITypeSymbol? type)
        => type is INamedTypeSymbol named && named.OriginalDefinition is var definition
            && (ReferenceEquals(definition, ValueTask) || ReferenceEquals(definition, ValueTaskOfT));

    /// <summary>A task or a value task: <see cref="IsTask"/> or <see cref="IsValueTask"/>.</summary>
    public bool IsTaskLike(ITypeSymbol? type) => IsValueTask(type) || IsTask(type);

    public bool IsCancellationToken(ITypeSymbol? type) => SymbolEqualityComparer.Default.Equals(type, CancellationToken);

    public bool IsCancellationTokenSource(ITypeSymbol? type) => DerivesFrom(type, CancellationTokenSource);

    /// <summary><c>OperationCanceledException</c> or a type derived from it (<c>TaskCanceledException</c>).</summary>
    public bool IsCancellationException(ITypeSymbol? type) => DerivesFrom(type, OperationCanceledException);

    /// <summary><c>Console.Out</c>, <c>Console.Error</c> or <c>Console.In</c>.</summary>
    public bool IsConsoleStream(ISymbol? symbol) => symbol is not null && ConsoleStreams.Contains(symbol);

    /// <summary>A memory stream or a string reader or writer, or a type derived from one.</summary>
    public bool IsInMemoryIo(ITypeSymbol? type)
    {
        foreach (var candidate in InMemoryIoTypes)
        {
            if (DerivesFrom(type, candidate))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>Debug.Assert</c> or <c>Trace.Assert</c>.</summary>
    public bool IsAssert(IMethodSymbol method)
        => method.Name == "Assert" && AssertTypes.Contains(method.ContainingType, SymbolEqualityComparer.Default);

    public bool IsObsolete(ISymbol symbol)
        => ObsoleteAttribute is not null && symbol.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, ObsoleteAttribute));

    /// <summary>
    /// A method that only wraps an awaitable: <c>ConfigureAwait(...)</c> or <c>WaitAsync(...)</c> called on an
    /// awaitable (as an instance or an extension method) and returning one. The user's call is the receiver.
    /// </summary>
    public bool IsAwaitWrapper(IMethodSymbol method)
    {
        if (method.Name is not ("ConfigureAwait" or "WaitAsync"))
        {
            return false;
        }

        var receiver = method.IsExtensionMethod
            ? (method.ReducedFrom ?? method).Parameters.FirstOrDefault()?.Type
            : method.ContainingType;
        return IsTaskLike(receiver) || IsAwaitable(receiver, null, 0);
    }

    /// <summary>
    /// A method shaped <c>(object sender, TEventArgs e)</c> where <c>TEventArgs</c> is or derives from <c>EventArgs</c>.
    /// While references are not restored (a fresh clone in an editor), an unresolved type named <c>…EventArgs</c> counts.
    /// </summary>
    public bool IsEventHandlerShape(IMethodSymbol method)
        => method.Parameters.Length == 2
            && method.Parameters[0].Type.SpecialType == SpecialType.System_Object
            && (DerivesFrom(method.Parameters[1].Type, EventArgs)
                || method.Parameters[1].Type is IErrorTypeSymbol { Name: var name } && name.EndsWith("EventArgs", System.StringComparison.Ordinal));

    /// <summary><c>DbDataReader</c> or a type derived from it.</summary>
    public bool IsDataReader(ITypeSymbol? type) => DerivesFrom(type, DbDataReader);

    /// <summary><c>ArgumentException</c> or a type derived from it (<c>ArgumentNullException</c>, <c>ArgumentOutOfRangeException</c>).</summary>
    public bool IsArgumentException(ITypeSymbol? type) => DerivesFrom(type, ArgumentException);

    /// <summary>
    /// True when <paramref name="type"/> can be awaited at <paramref name="position"/> of the tree that
    /// <paramref name="model"/> belongs to: a task-like type, or a type with an accessible <c>GetAwaiter()</c>
    /// (instance or extension) whose result follows the awaiter pattern. The model is consulted only for extension
    /// <c>GetAwaiter</c> methods that could apply to the type.
    /// </summary>
    public bool IsAwaitable(ITypeSymbol? type, SemanticModel? model, int position)
    {
        if (type is null || type.TypeKind is TypeKind.Error or TypeKind.Dynamic or TypeKind.Pointer or TypeKind.FunctionPointer
            || type.SpecialType != SpecialType.None)
        {
            return false;
        }

        // Whether a GetAwaiter of the awaiter shape exists does not depend on type arguments: ask once per definition.
        if (IsTaskLike(type)
            || (type is INamedTypeSymbol named ? InstanceAwaitable(named.OriginalDefinition) : HasInstanceGetAwaiter(type)))
        {
            return true;
        }

        if (model is null || !_mightHaveExtensionAwaiter.GetOrAdd(type, MightHaveExtensionGetAwaiter))
        {
            return false;
        }

        var key = (type, model.SyntaxTree);
        if (_extensionAwaitable.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var result = HasExtensionGetAwaiter(type, model, position);
        _extensionAwaitable.TryAdd(key, result);
        return result;
    }

    public static bool DerivesFrom(ITypeSymbol? type, INamedTypeSymbol? baseType)
    {
        if (baseType is null)
        {
            return false;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, baseType))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The type, looked up first in the core library (where System.Object lives: System.Runtime, netstandard, mscorlib),
    /// which holds most of the types asked for; only a miss searches every referenced assembly, which is what makes
    /// <see cref="Compilation.GetTypeByMetadataName"/> costly on projects with hundreds of references.
    /// </summary>
    private INamedTypeSymbol? Type(string metadataName)
        => _compilation.GetSpecialType(SpecialType.System_Object).ContainingAssembly?.GetTypeByMetadataName(metadataName) is { DeclaredAccessibility: Accessibility.Public } core
            ? core
            : _compilation.GetTypeByMetadataName(metadataName);

    private System.Lazy<INamedTypeSymbol?> LazyType(string metadataName) => new(() => Type(metadataName));

    /// <summary>The cached answer for a definition; the lookup allocates nothing once the answer is known.</summary>
    private bool InstanceAwaitable(INamedTypeSymbol definition)
    {
        if (_instanceAwaitable.TryGetValue(definition, out var known))
        {
            return known;
        }

        var result = HasInstanceGetAwaiter(definition);
        _instanceAwaitable.TryAdd(definition, result);
        return result;
    }

    private bool HasInstanceGetAwaiter(ITypeSymbol type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            // MemberNames comes from the declarations; GetMembers would build every member of a source type.
            if (current is INamedTypeSymbol named && !named.MemberNames.Contains("GetAwaiter"))
            {
                continue;
            }

            foreach (var member in current.GetMembers("GetAwaiter"))
            {
                if (member is IMethodSymbol { IsStatic: false, Parameters.Length: 0, TypeParameters.Length: 0, DeclaredAccessibility: Accessibility.Public } method
                    && IsAwaiter(method.ReturnType))
                {
                    return true;
                }
            }
        }

        if (type.TypeKind == TypeKind.Interface || type is ITypeParameterSymbol)
        {
            foreach (var iface in type.AllInterfaces)
            {
                if (iface.GetMembers("GetAwaiter").OfType<IMethodSymbol>().Any(m => !m.IsStatic && m.Parameters.Length == 0 && IsAwaiter(m.ReturnType)))
                {
                    return true;
                }
            }
        }

        if (type is ITypeParameterSymbol typeParameter)
        {
            foreach (var constraint in typeParameter.ConstraintTypes)
            {
                if (IsTaskLike(constraint) || HasInstanceGetAwaiter(constraint))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// Extension <c>GetAwaiter</c> methods are rare. Their receiver types are collected once per compilation, so the
    /// per-position scope lookup only runs for a type that one of them could apply to.
    /// </summary>
    private bool MightHaveExtensionGetAwaiter(ITypeSymbol type)
    {
        // Extension methods bind through identity, reference and boxing conversions only: the receiver must be the
        // type itself, one of its base types or one of its interfaces (compared by definition, so generic receivers match).
        foreach (var receiver in ExtensionReceivers())
        {
            if (receiver is ITypeParameterSymbol || receiver.SpecialType == SpecialType.System_Object)
            {
                return true;
            }

            var definition = receiver.OriginalDefinition;
            for (var current = type; current is not null; current = current.BaseType)
            {
                if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, definition))
                {
                    return true;
                }
            }

            if (type.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, definition)))
            {
                return true;
            }
        }

        return false;
    }

    private ImmutableArray<ITypeSymbol> ExtensionReceivers()
    {
        if (_extensionReceivers.IsDefault)
        {
            var receivers = CollectExtensionReceivers(_compilation.Assembly.GlobalNamespace);
            foreach (var assembly in _compilation.SourceModule.ReferencedAssemblySymbols)
            {
                if (assembly.MightContainExtensionMethods)
                {
                    receivers = receivers.AddRange(ExtensionReceiversByAssembly.GetValue(assembly, a => new StrongBox<ImmutableArray<ITypeSymbol>>(CollectExtensionReceivers(a.GlobalNamespace))).Value);
                }
            }

            ImmutableInterlocked.InterlockedInitialize(ref _extensionReceivers, receivers);
        }

        return _extensionReceivers;
    }

    private static ImmutableArray<ITypeSymbol> CollectExtensionReceivers(INamespaceSymbol root)
    {
        var receivers = ImmutableArray.CreateBuilder<ITypeSymbol>();
        var namespaces = new Stack<INamespaceSymbol>();
        namespaces.Push(root);
        while (namespaces.Count > 0)
        {
            foreach (var member in namespaces.Pop().GetMembers())
            {
                if (member is INamespaceSymbol child)
                {
                    namespaces.Push(child);
                }
                else if (member is INamedTypeSymbol { IsStatic: true, MightContainExtensionMethods: true } type && type.MemberNames.Contains("GetAwaiter"))
                {
                    foreach (var candidate in type.GetMembers("GetAwaiter"))
                    {
                        if (candidate is IMethodSymbol { IsExtensionMethod: true, Parameters.Length: 1 } extension)
                        {
                            receivers.Add(extension.Parameters[0].Type);
                        }
                    }
                }
            }
        }

        return receivers.ToImmutable();
    }

    private bool HasExtensionGetAwaiter(ITypeSymbol type, SemanticModel model, int position)
    {
        foreach (var symbol in model.LookupSymbols(position, type, "GetAwaiter", includeReducedExtensionMethods: true))
        {
            if (symbol is IMethodSymbol { Parameters.Length: 0 } method
                && (method.IsExtensionMethod || method.ReducedFrom is not null)
                && IsAwaiter(method.ReturnType))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsAwaiter(ITypeSymbol? awaiter)
    {
        if (awaiter is null || awaiter.TypeKind == TypeKind.Error)
        {
            return false;
        }

        if (INotifyCompletion is { } notify
            && !SymbolEqualityComparer.Default.Equals(awaiter, notify)
            && !awaiter.AllInterfaces.Contains(notify, SymbolEqualityComparer.Default))
        {
            return false;
        }

        var hasIsCompleted = false;
        var hasGetResult = false;
        for (var current = awaiter; current is not null; current = current.BaseType)
        {
            foreach (var member in current.GetMembers())
            {
                if (member is IPropertySymbol { Name: "IsCompleted", IsStatic: false, Type.SpecialType: SpecialType.System_Boolean })
                {
                    hasIsCompleted = true;
                }
                else if (member is IMethodSymbol { Name: "GetResult", IsStatic: false, Parameters.Length: 0 })
                {
                    hasGetResult = true;
                }
            }
        }

        return hasIsCompleted && hasGetResult;
    }

    private sealed class TypeInTreeComparer : IEqualityComparer<(ITypeSymbol Type, SyntaxTree Tree)>
    {
        public static readonly TypeInTreeComparer Instance = new();

        public bool Equals((ITypeSymbol Type, SyntaxTree Tree) x, (ITypeSymbol Type, SyntaxTree Tree) y)
            => SymbolEqualityComparer.Default.Equals(x.Type, y.Type) && ReferenceEquals(x.Tree, y.Tree);

        public int GetHashCode((ITypeSymbol Type, SyntaxTree Tree) obj)
            => SymbolEqualityComparer.Default.GetHashCode(obj.Type) ^ obj.Tree.GetHashCode();
    }
}

/// <summary>
/// The framework types that mark a method as an entry point only a framework calls: ASP.NET Core controller actions,
/// minimal-API handlers, SignalR hub methods and gRPC service methods. Null members: the framework is not referenced.
/// </summary>
internal sealed class FrameworkEntryPoints
{
    public FrameworkEntryPoints(INamedTypeSymbol? controllerBase, INamedTypeSymbol? apiController, INamedTypeSymbol? nonAction, INamedTypeSymbol? hub, INamedTypeSymbol? hubOfT, INamedTypeSymbol? endpointRouteBuilderExtensions, INamedTypeSymbol? bindServiceMethod)
    {
        ControllerBase = controllerBase;
        ApiController = apiController;
        NonAction = nonAction;
        Hub = hub;
        HubOfT = hubOfT;
        EndpointRouteBuilderExtensions = endpointRouteBuilderExtensions;
        BindServiceMethod = bindServiceMethod;
    }

    public INamedTypeSymbol? ControllerBase { get; }
    public INamedTypeSymbol? ApiController { get; }
    public INamedTypeSymbol? NonAction { get; }
    public INamedTypeSymbol? Hub { get; }
    public INamedTypeSymbol? HubOfT { get; }
    public INamedTypeSymbol? EndpointRouteBuilderExtensions { get; }
    public INamedTypeSymbol? BindServiceMethod { get; }

    /// <summary>
    /// A public instance method that the framework calls: a controller action (a class derived from
    /// <c>ControllerBase</c> or marked <c>[ApiController]</c>, not <c>[NonAction]</c>), a SignalR hub method, or a gRPC
    /// service method (an override of a method of a generated base marked <c>[BindServiceMethod]</c>). A method that
    /// implements an interface is called by whoever holds the interface, so it is not one.
    /// </summary>
    public bool IsEntryPoint(IMethodSymbol method)
    {
        if (method.MethodKind != MethodKind.Ordinary || method.IsStatic || method.DeclaredAccessibility != Accessibility.Public || method.ContainingType is not { } type
            || method.ExplicitInterfaceImplementations.Length > 0 || method.ImplementsInterfaceMember())
        {
            return false;
        }

        if (method.IsOverride && BindServiceMethod is not null && method.OverriddenMethod?.ContainingType is { } generatedBase
            && generatedBase.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, BindServiceMethod)))
        {
            return true;
        }

        var isController = AsyncSymbols.DerivesFrom(type, ControllerBase)
            || ApiController is not null && type.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, ApiController));
        if (isController)
        {
            return NonAction is null || !method.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, NonAction));
        }

        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, Hub) || SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, HubOfT))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A lambda given to <c>app.MapGet(...)</c>, <c>MapPost</c> and the other minimal-API map methods.</summary>
    public bool IsMinimalApiHandler(IAnonymousFunctionOperation lambda)
        => EndpointRouteBuilderExtensions is not null
            && lambda.WalkUpDelegateCreation().Parent is IArgumentOperation { Parent: IInvocationOperation { TargetMethod: { Name: var name } map } }
            && name.StartsWith("Map", System.StringComparison.Ordinal)
            && SymbolEqualityComparer.Default.Equals(map.ContainingType, EndpointRouteBuilderExtensions);
}
