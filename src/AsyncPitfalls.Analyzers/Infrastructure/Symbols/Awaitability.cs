using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace AsyncPitfalls.Analyzers;

/// <summary>
/// "Can a value of this type be awaited here?": a task-like type, or a type with an accessible <c>GetAwaiter()</c>
/// (instance or extension) whose result follows the awaiter pattern. One instance per compilation; answers are cached
/// per type definition, and extension <c>GetAwaiter</c> methods are looked up in scope only for the rare types one of
/// them could apply to.
/// </summary>
internal sealed class Awaitability
{
    /// <summary>
    /// Referenced assemblies are shared by every compilation of a project (each edit in the IDE makes a new one), so
    /// the extension <c>GetAwaiter</c> receivers they declare are collected once per assembly symbol.
    /// </summary>
    private static readonly ConditionalWeakTable<IAssemblySymbol, StrongBox<ImmutableArray<ITypeSymbol>>> ExtensionReceiversByAssembly = new();

    private readonly Compilation _compilation;
    private readonly AsyncSymbols _symbols;
    private readonly ConcurrentDictionary<INamedTypeSymbol, bool> _instanceAwaitable = new(DefinitionComparer<INamedTypeSymbol>.Instance);
    private readonly ConcurrentDictionary<ITypeSymbol, bool> _mightHaveExtensionAwaiter = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<(ITypeSymbol Type, SyntaxTree Tree), bool> _extensionAwaitable = new(TypeInTreeComparer.Instance);
    private ImmutableArray<ITypeSymbol> _extensionReceivers;

    public Awaitability(Compilation compilation, AsyncSymbols symbols)
    {
        _compilation = compilation;
        _symbols = symbols;
    }

    /// <summary>
    /// True when <paramref name="type"/> can be awaited at <paramref name="position"/> of the tree that
    /// <paramref name="model"/> belongs to. The model is consulted only for extension <c>GetAwaiter</c> methods that
    /// could apply to the type; without one, only instance awaiters count.
    /// </summary>
    public bool IsAwaitable(ITypeSymbol? type, SemanticModel? model, int position)
    {
        if (type is null || type.TypeKind is TypeKind.Error or TypeKind.Dynamic or TypeKind.Pointer or TypeKind.FunctionPointer
            || type.SpecialType != SpecialType.None)
        {
            return false;
        }

        // Whether a GetAwaiter of the awaiter shape exists does not depend on type arguments: ask once per definition.
        if (_symbols.IsTaskLike(type)
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
                if (_symbols.IsTaskLike(constraint) || HasInstanceGetAwaiter(constraint))
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

        if (_symbols.INotifyCompletion is { } notify
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
