using Microsoft.CodeAnalysis;

namespace AsyncPitfalls.Analyzers;

/// <summary>The framework types our rules look for, resolved once per compilation.</summary>
internal sealed class KnownTypes
{
    private KnownTypes(Compilation compilation)
    {
        Task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
        TaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1");
        ValueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask");
        ValueTaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");
        INotifyCompletion = compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.INotifyCompletion");
        CancellationToken = compilation.GetTypeByMetadataName("System.Threading.CancellationToken");
        CancellationTokenSource = compilation.GetTypeByMetadataName("System.Threading.CancellationTokenSource");
        OperationCanceledException = compilation.GetTypeByMetadataName("System.OperationCanceledException");
        EventArgs = compilation.GetTypeByMetadataName("System.EventArgs");
        LambdaExpression = compilation.GetTypeByMetadataName("System.Linq.Expressions.LambdaExpression");
    }

    public INamedTypeSymbol? Task { get; }
    public INamedTypeSymbol? TaskOfT { get; }
    public INamedTypeSymbol? ValueTask { get; }
    public INamedTypeSymbol? ValueTaskOfT { get; }
    public INamedTypeSymbol? INotifyCompletion { get; }
    public INamedTypeSymbol? CancellationToken { get; }
    public INamedTypeSymbol? CancellationTokenSource { get; }
    public INamedTypeSymbol? OperationCanceledException { get; }
    public INamedTypeSymbol? EventArgs { get; }
    public INamedTypeSymbol? LambdaExpression { get; }

    /// <summary>True when the compilation can express tasks at all; rules about tasks bail out otherwise.</summary>
    public bool HasTasks => Task is not null;

    public static KnownTypes Create(Compilation compilation) => new(compilation);

    public bool IsTaskType(ITypeSymbol? type)
    {
        if (type is not INamedTypeSymbol named)
        {
            return false;
        }

        var definition = named.OriginalDefinition;
        return SymbolEqualityComparer.Default.Equals(definition, Task)
            || SymbolEqualityComparer.Default.Equals(definition, TaskOfT)
            || SymbolEqualityComparer.Default.Equals(definition, ValueTask)
            || SymbolEqualityComparer.Default.Equals(definition, ValueTaskOfT);
    }

    /// <summary>Task or Task&lt;T&gt;, or a type derived from them.</summary>
    public bool IsTaskOrDerived(ITypeSymbol? type)
    {
        for (var current = type as INamedTypeSymbol; current is not null; current = current.BaseType)
        {
            var definition = current.OriginalDefinition;
            if (SymbolEqualityComparer.Default.Equals(definition, Task)
                || SymbolEqualityComparer.Default.Equals(definition, TaskOfT))
            {
                return true;
            }
        }

        return false;
    }

    public bool IsEventHandlerShape(IMethodSymbol method)
    {
        if (method.Parameters.Length != 2 || EventArgs is null)
        {
            return false;
        }

        if (method.Parameters[0].Type.SpecialType != SpecialType.System_Object)
        {
            return false;
        }

        for (var current = method.Parameters[1].Type as INamedTypeSymbol; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, EventArgs))
            {
                return true;
            }
        }

        return false;
    }
}
