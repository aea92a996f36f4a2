using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace AsyncPitfalls.Analyzers;

/// <summary>
/// The symbols of one compilation as the rules see them: the framework types (<see cref="KnownTypes"/>) and the small
/// questions about them that several rules ask (is this a task, a token, an event handler, a wrapper of an await?).
/// One instance per compilation, handed out by <see cref="CompilationFacts"/>.
/// </summary>
internal sealed class AsyncSymbols : KnownTypes
{
    private readonly Awaitability _awaitability;
    private readonly System.Lazy<long?> _suppressThrowing;
    private readonly System.Lazy<ImmutableHashSet<ISymbol>> _consoleStreams;
    private readonly System.Lazy<ImmutableArray<INamedTypeSymbol>> _inMemoryIoTypes;

    public AsyncSymbols(Compilation compilation)
        : base(compilation)
    {
        _awaitability = new Awaitability(compilation, this);
        _suppressThrowing = new System.Lazy<long?>(() => ConfigureAwaitOptions?.GetMembers("SuppressThrowing").OfType<IFieldSymbol>().FirstOrDefault() is { HasConstantValue: true } suppress
            ? System.Convert.ToInt64(suppress.ConstantValue, System.Globalization.CultureInfo.InvariantCulture)
            : null);
        _consoleStreams = new System.Lazy<ImmutableHashSet<ISymbol>>(() => Console is { } console
            ? console.GetMembers("Out").Concat(console.GetMembers("Error")).Concat(console.GetMembers("In")).ToImmutableHashSet<ISymbol>(SymbolEqualityComparer.Default)
            : ImmutableHashSet<ISymbol>.Empty);
        _inMemoryIoTypes = new System.Lazy<ImmutableArray<INamedTypeSymbol>>(() => new[] { MemoryStream, UnmanagedMemoryStream, StringReader, StringWriter }
            .Where(t => t is not null).Select(t => t!).ToImmutableArray());
    }

    /// <summary>The value of <c>ConfigureAwaitOptions.SuppressThrowing</c>, or null where the type does not exist.</summary>
    public long? SuppressThrowing => _suppressThrowing.Value;

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

    /// <summary><c>ValueTask</c> or <c>ValueTask&lt;T&gt;</c>.</summary>
    public bool IsValueTask(ITypeSymbol? type)
        => type is INamedTypeSymbol named && named.OriginalDefinition is var definition
            && (ReferenceEquals(definition, ValueTask) || ReferenceEquals(definition, ValueTaskOfT));

    /// <summary>
    /// The inner task of a task of a task: <c>X</c> for <c>Task&lt;X&gt;</c> or <c>ValueTask&lt;X&gt;</c> when <c>X</c> is
    /// itself a task or a value task (<c>Task.Factory.StartNew(async …)</c>, <c>ContinueWith(async …)</c>); otherwise null.
    /// </summary>
    public ITypeSymbol? InnerTaskOf(ITypeSymbol? type)
        => type is INamedTypeSymbol { TypeArguments.Length: 1 } named
            && (ReferenceEquals(named.OriginalDefinition, TaskOfT) || ReferenceEquals(named.OriginalDefinition, ValueTaskOfT))
            && IsTaskLike(named.TypeArguments[0])
                ? named.TypeArguments[0]
                : null;

    /// <summary>A task or a value task: <see cref="IsTask"/> or <see cref="IsValueTask"/>.</summary>
    public bool IsTaskLike(ITypeSymbol? type) => IsValueTask(type) || IsTask(type);

    /// <summary>Can a value of <paramref name="type"/> be awaited at <paramref name="position"/>? See <see cref="Awaitability"/>.</summary>
    public bool IsAwaitable(ITypeSymbol? type, SemanticModel? model, int position) => _awaitability.IsAwaitable(type, model, position);

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
    public bool IsLogger(ITypeSymbol? type) => Implements(type, Logger);

    /// <summary>True when <paramref name="type"/> is, or implements, <c>IDisposable</c> (a subscription handle, for example).</summary>
    public bool IsDisposable(ITypeSymbol? type) => Implements(type, Disposable);

    /// <summary>A method with the same definition as one of <paramref name="type"/>'s (generic definitions compared).</summary>
    public static bool IsDefinedIn(IMethodSymbol method, INamedTypeSymbol? type)
        => type is not null && SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, type);

    public bool IsCancellationToken(ITypeSymbol? type) => SymbolEqualityComparer.Default.Equals(type, CancellationToken);

    public bool IsCancellationTokenSource(ITypeSymbol? type) => DerivesFrom(type, CancellationTokenSource);

    /// <summary><c>OperationCanceledException</c> or a type derived from it (<c>TaskCanceledException</c>).</summary>
    public bool IsCancellationException(ITypeSymbol? type) => DerivesFrom(type, OperationCanceledException);

    /// <summary><c>TaskCompletionSource</c> or <c>TaskCompletionSource&lt;T&gt;</c>.</summary>
    public bool IsTaskCompletionSource(ITypeSymbol? type)
        => type is INamedTypeSymbol named
            && (SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, TaskCompletionSource) || SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, TaskCompletionSourceOfT));

    /// <summary><c>Console.Out</c>, <c>Console.Error</c> or <c>Console.In</c>.</summary>
    public bool IsConsoleStream(ISymbol? symbol) => symbol is not null && _consoleStreams.Value.Contains(symbol);

    /// <summary>A memory stream or a string reader or writer, or a type derived from one.</summary>
    public bool IsInMemoryIo(ITypeSymbol? type) => _inMemoryIoTypes.Value.Any(candidate => DerivesFrom(type, candidate));

    /// <summary>
    /// An assertion: <c>Debug.Assert</c>, <c>Trace.Assert</c>, or any method of a test framework's assertion class
    /// (xUnit's and MSTest's <c>Assert</c>, NUnit's <c>Assert</c> and <c>ClassicAssert</c>).
    /// </summary>
    public bool IsAssert(IMethodSymbol method)
        => method.Name == "Assert"
                && (SymbolEqualityComparer.Default.Equals(method.ContainingType, Debug) || SymbolEqualityComparer.Default.Equals(method.ContainingType, Trace))
            || method.IsStatic && method.ContainingType?.Name is "Assert" or "ClassicAssert";

    public bool IsObsolete(ISymbol symbol) => HasAttribute(symbol, ObsoleteAttribute);

    /// <summary>
    /// A method that only wraps an awaitable: <c>ConfigureAwait(...)</c> or <c>WaitAsync(...)</c> called on an
    /// awaitable (as an instance or an extension method) and returning one. The user's call is the receiver.
    /// </summary>
    public bool IsAwaitWrapper(IMethodSymbol method)
    {
        if (method.Name is not ("ConfigureAwait" or "WaitAsync") && !IsConfiguredAwaitable(method.ReturnType))
        {
            return false;
        }

        var receiver = method.IsExtensionMethod
            ? (method.ReducedFrom ?? method).Parameters.FirstOrDefault()?.Type
            : method.ContainingType;
        return IsTaskLike(receiver) || IsAwaitable(receiver, null, 0);
    }

    /// <summary>
    /// <c>ConfigureAwait(...)</c> on an awaitable, or a helper that returns its receiver configured (StackExchange.Redis's
    /// <c>task.ForAwait()</c>, which is <c>task.ConfigureAwait(false)</c>): awaiting it awaits the receiver.
    /// </summary>
    public bool IsConfigureAwait(IMethodSymbol method)
        => (method.Name == "ConfigureAwait" || IsConfiguredAwaitable(method.ReturnType)) && IsAwaitWrapper(method);

    /// <summary>The framework's configured awaitables (<c>ConfiguredTaskAwaitable</c>, <c>ConfiguredValueTaskAwaitable&lt;T&gt;</c>...).</summary>
    private static bool IsConfiguredAwaitable(ITypeSymbol? type)
        => type is INamedTypeSymbol { Name: "ConfiguredTaskAwaitable" or "ConfiguredValueTaskAwaitable" } named
            && named.ContainingNamespace?.ToDisplayString() == "System.Runtime.CompilerServices";

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

    /// <summary>True when <paramref name="symbol"/> carries an attribute of class <paramref name="attribute"/>.</summary>
    public static bool HasAttribute(ISymbol symbol, INamedTypeSymbol? attribute)
        => attribute is not null && symbol.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attribute));

    private static bool Implements(ITypeSymbol? type, INamedTypeSymbol? iface)
        => iface is not null && type is not null
            && (SymbolEqualityComparer.Default.Equals(type, iface) || type.AllInterfaces.Contains(iface, SymbolEqualityComparer.Default));
}
