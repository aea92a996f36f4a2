using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace AsyncPitfalls.Analyzers;

/// <summary>
/// Decides whether a type can be awaited: the four task types, or any type with an accessible
/// <c>GetAwaiter()</c> (instance or extension) whose result follows the awaiter pattern.
/// One instance per compilation; results for instance members are cached per type.
/// </summary>
internal sealed class AwaitableTypes
{
    private readonly KnownTypes _known;
    private readonly ConcurrentDictionary<ITypeSymbol, bool> _instancePattern = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<(ITypeSymbol Type, SyntaxTree Tree), bool> _extensionPattern = new(TypeTreeComparer.Instance);

    private readonly ConcurrentDictionary<ITypeSymbol, bool> _mightHaveExtension = new(SymbolEqualityComparer.Default);
    private readonly Lazy<ImmutableArray<ITypeSymbol>> _extensionReceivers;

    public AwaitableTypes(KnownTypes known, Compilation compilation)
    {
        _known = known;
        _extensionReceivers = new Lazy<ImmutableArray<ITypeSymbol>>(() => FindExtensionReceivers(compilation), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public KnownTypes Known => _known;

    /// <summary>
    /// True when <paramref name="type"/> is awaitable at <paramref name="position"/> of the tree that
    /// <paramref name="model"/> belongs to. The model is only consulted for extension <c>GetAwaiter</c> methods.
    /// </summary>
    public bool IsAwaitable(ITypeSymbol? type, SemanticModel? model, int position)
    {
        if (type is null || type.TypeKind is TypeKind.Error or TypeKind.Dynamic or TypeKind.Pointer or TypeKind.FunctionPointer)
        {
            return false;
        }

        if (type.SpecialType != SpecialType.None || type.SpecialType == SpecialType.System_Void)
        {
            return false;
        }

        if (_known.IsTaskType(type) || _known.IsTaskOrDerived(type))
        {
            return true;
        }

        if (_instancePattern.GetOrAdd(type, HasInstanceGetAwaiter))
        {
            return true;
        }

        if (model is null || !_mightHaveExtension.GetOrAdd(type, MightHaveExtensionGetAwaiter))
        {
            return false;
        }

        var key = (type, model.SyntaxTree);
        if (_extensionPattern.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var result = HasExtensionGetAwaiter(type, model, position);
        _extensionPattern.TryAdd(key, result);
        return result;
    }

    private bool HasInstanceGetAwaiter(ITypeSymbol type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            foreach (var member in current.GetMembers("GetAwaiter"))
            {
                if (member is IMethodSymbol { IsStatic: false, Parameters.Length: 0, TypeParameters.Length: 0 } method
                    && method.DeclaredAccessibility == Accessibility.Public
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
                if (_known.IsTaskType(constraint) || _known.IsTaskOrDerived(constraint) || HasInstanceGetAwaiter(constraint))
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
        foreach (var receiver in _extensionReceivers.Value)
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

    /// <summary>
    /// Referenced assemblies are shared by every compilation of a project (each edit in the IDE makes a new one), so
    /// what they hold is computed once per assembly symbol; only the source assembly is walked per compilation.
    /// </summary>
    private static readonly ConditionalWeakTable<IAssemblySymbol, StrongBox<ImmutableArray<ITypeSymbol>>> ReceiversByAssembly = new();

    private static ImmutableArray<ITypeSymbol> FindExtensionReceivers(Compilation compilation)
    {
        var receivers = FindExtensionReceivers(compilation.Assembly.GlobalNamespace);
        foreach (var assembly in compilation.SourceModule.ReferencedAssemblySymbols)
        {
            if (assembly.MightContainExtensionMethods)
            {
                receivers = receivers.AddRange(ReceiversByAssembly.GetValue(assembly, a => new StrongBox<ImmutableArray<ITypeSymbol>>(FindExtensionReceivers(a.GlobalNamespace))).Value);
            }
        }

        return receivers;
    }

    private static ImmutableArray<ITypeSymbol> FindExtensionReceivers(INamespaceSymbol root)
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

        if (_known.INotifyCompletion is { } notify
            && awaiter.AllInterfaces.All(i => !SymbolEqualityComparer.Default.Equals(i, notify))
            && !SymbolEqualityComparer.Default.Equals(awaiter, notify))
        {
            return false;
        }

        var hasIsCompleted = false;
        var hasGetResult = false;
        for (var current = awaiter; current is not null; current = current.BaseType)
        {
            foreach (var member in current.GetMembers())
            {
                if (member is IPropertySymbol { Name: "IsCompleted", IsStatic: false } property
                    && property.Type.SpecialType == SpecialType.System_Boolean)
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

    private sealed class TypeTreeComparer : System.Collections.Generic.IEqualityComparer<(ITypeSymbol Type, SyntaxTree Tree)>
    {
        public static readonly TypeTreeComparer Instance = new();

        public bool Equals((ITypeSymbol Type, SyntaxTree Tree) x, (ITypeSymbol Type, SyntaxTree Tree) y)
            => SymbolEqualityComparer.Default.Equals(x.Type, y.Type) && ReferenceEquals(x.Tree, y.Tree);

        public int GetHashCode((ITypeSymbol Type, SyntaxTree Tree) obj)
            => SymbolEqualityComparer.Default.GetHashCode(obj.Type) ^ obj.Tree.GetHashCode();
    }
}
