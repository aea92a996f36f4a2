using System;
using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;

namespace AsyncPitfalls.Analyzers;

/// <summary>
/// The framework types the rules ask about, by metadata name, each resolved on first use and cached once per
/// compilation. Adding a type is one line: a property that calls <see cref="Get"/>. The task types are asked about on
/// nearly every operation, so they are resolved up front instead.
/// </summary>
internal abstract class KnownTypes
{
    private readonly Compilation _compilation;
    private readonly ConcurrentDictionary<string, INamedTypeSymbol?> _byName = new(StringComparer.Ordinal);

    protected KnownTypes(Compilation compilation)
    {
        _compilation = compilation;
        Task = Get("System.Threading.Tasks.Task");
        TaskOfT = Get("System.Threading.Tasks.Task`1");
        ValueTask = Get("System.Threading.Tasks.ValueTask");
        ValueTaskOfT = Get("System.Threading.Tasks.ValueTask`1");
        Disposable = compilation.GetSpecialType(SpecialType.System_IDisposable);
    }

    public INamedTypeSymbol? Task { get; }
    public INamedTypeSymbol? TaskOfT { get; }
    public INamedTypeSymbol? ValueTask { get; }
    public INamedTypeSymbol? ValueTaskOfT { get; }
    public INamedTypeSymbol? Disposable { get; }
    public INamedTypeSymbol? TaskFactory => Get("System.Threading.Tasks.TaskFactory");
    public INamedTypeSymbol? TaskFactoryOfT => Get("System.Threading.Tasks.TaskFactory`1");
    public INamedTypeSymbol? INotifyCompletion => Get("System.Runtime.CompilerServices.INotifyCompletion");
    public INamedTypeSymbol? CancellationToken => Get("System.Threading.CancellationToken");
    public INamedTypeSymbol? CancellationTokenSource => Get("System.Threading.CancellationTokenSource");
    public INamedTypeSymbol? OperationCanceledException => Get("System.OperationCanceledException");
    public INamedTypeSymbol? Exception => Get("System.Exception");
    public INamedTypeSymbol? ArgumentException => Get("System.ArgumentException");
    public INamedTypeSymbol? DbDataReader => Get("System.Data.Common.DbDataReader");
    public INamedTypeSymbol? EventArgs => Get("System.EventArgs");
    public INamedTypeSymbol? CancelEventArgs => Get("System.ComponentModel.CancelEventArgs");
    public INamedTypeSymbol? AsyncDisposable => Get("System.IAsyncDisposable");
    public INamedTypeSymbol? Stopwatch => Get("System.Diagnostics.Stopwatch");
    public INamedTypeSymbol? LambdaExpression => Get("System.Linq.Expressions.LambdaExpression");
    public INamedTypeSymbol? Thread => Get("System.Threading.Thread");
    public INamedTypeSymbol? SemaphoreSlim => Get("System.Threading.SemaphoreSlim");
    public INamedTypeSymbol? Process => Get("System.Diagnostics.Process");
    public INamedTypeSymbol? ObsoleteAttribute => Get("System.ObsoleteAttribute");
    public INamedTypeSymbol? InternalsVisibleToAttribute => Get("System.Runtime.CompilerServices.InternalsVisibleToAttribute");
    public INamedTypeSymbol? Parallel => Get("System.Threading.Tasks.Parallel");
    public INamedTypeSymbol? Enumerable => Get("System.Linq.Enumerable");
    public INamedTypeSymbol? ParallelEnumerable => Get("System.Linq.ParallelEnumerable");
    public INamedTypeSymbol? ListOfT => Get("System.Collections.Generic.List`1");
    public INamedTypeSymbol? ChannelReader => Get("System.Threading.Channels.ChannelReader`1");
    public INamedTypeSymbol? ChannelWriter => Get("System.Threading.Channels.ChannelWriter`1");
    public INamedTypeSymbol? ThreadPool => Get("System.Threading.ThreadPool");
    public INamedTypeSymbol? TimerCallback => Get("System.Threading.TimerCallback");
    public INamedTypeSymbol? ElapsedEventHandler => Get("System.Timers.ElapsedEventHandler");
    public INamedTypeSymbol? TaskContinuationOptions => Get("System.Threading.Tasks.TaskContinuationOptions");
    public INamedTypeSymbol? TaskCompletionSource => Get("System.Threading.Tasks.TaskCompletionSource");
    public INamedTypeSymbol? TaskCompletionSourceOfT => Get("System.Threading.Tasks.TaskCompletionSource`1");
    public INamedTypeSymbol? IOrderedEnumerableOfT => Get("System.Linq.IOrderedEnumerable`1");
    public INamedTypeSymbol? ConfigureAwaitOptions => Get("System.Threading.Tasks.ConfigureAwaitOptions");
    public INamedTypeSymbol? Console => Get("System.Console");
    public INamedTypeSymbol? Debug => Get("System.Diagnostics.Debug");
    public INamedTypeSymbol? Trace => Get("System.Diagnostics.Trace");
    public INamedTypeSymbol? MemoryStream => Get("System.IO.MemoryStream");
    public INamedTypeSymbol? UnmanagedMemoryStream => Get("System.IO.UnmanagedMemoryStream");
    public INamedTypeSymbol? StringReader => Get("System.IO.StringReader");
    public INamedTypeSymbol? StringWriter => Get("System.IO.StringWriter");

    /// <summary><c>Microsoft.Extensions.Logging.ILogger</c>, when the compilation references it.</summary>
    public INamedTypeSymbol? Logger => Get("Microsoft.Extensions.Logging.ILogger");

    /// <summary>
    /// The type named <paramref name="metadataName"/>, or null. Looked up first in the core library (where
    /// System.Object lives), which holds most of the types asked for; only a miss searches every referenced assembly,
    /// which is what makes <see cref="Compilation.GetTypeByMetadataName"/> costly on projects with hundreds of references.
    /// </summary>
    public INamedTypeSymbol? Get(string metadataName)
        => _byName.TryGetValue(metadataName, out var known) ? known : _byName.GetOrAdd(metadataName, Find);

    private INamedTypeSymbol? Find(string metadataName)
        => _compilation.GetSpecialType(SpecialType.System_Object).ContainingAssembly?.GetTypeByMetadataName(metadataName) is { DeclaredAccessibility: Accessibility.Public } core
            ? core
            : _compilation.GetTypeByMetadataName(metadataName);
}
