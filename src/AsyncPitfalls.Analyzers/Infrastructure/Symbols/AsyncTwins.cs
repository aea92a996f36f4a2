using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace AsyncPitfalls.Analyzers;

/// <summary>
/// Finds the awaitable twin of a synchronous method (<c>Read</c> → <c>ReadAsync</c>), and tells the framework's I/O
/// and waiting types apart from the rest. One instance per compilation; every answer, "no twin" included, is cached
/// per method or type.
/// </summary>
internal sealed class AsyncTwins
{
    private static readonly string[] IoNamespaceNames =
    {
        "System.IO",
        "System.IO.Pipes",
        "System.IO.Compression",
        "System.IO.Pipelines",
        "System.Net",
        "System.Net.Sockets",
        "System.Net.Http",
        "System.Net.Security",
        "System.Data.Common",
        "System.Threading.Channels",
    };

    private readonly Compilation _compilation;
    private readonly AsyncSymbols _symbols;

    /// <summary>The compilation's merged namespaces; a type's own namespace is mapped to one before the lookup.</summary>
    private readonly ImmutableHashSet<INamespaceSymbol> _ioNamespaces;
    private readonly ConcurrentDictionary<IMethodSymbol, Twin> _twins = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<INamedTypeSymbol, bool> _ioTypes = new(SymbolEqualityComparer.Default);

    public AsyncTwins(Compilation compilation, AsyncSymbols symbols)
    {
        _compilation = compilation;
        _symbols = symbols;
        _ioNamespaces = IoNamespaceNames.Select(name => FindNamespace(compilation, name)).Where(ns => ns is not null).Select(ns => ns!)
            .ToImmutableHashSet<INamespaceSymbol>(SymbolEqualityComparer.Default);
    }

    /// <summary>An awaitable twin: the method, and whether it (or an overload) also takes a trailing CancellationToken.</summary>
    public readonly struct Twin
    {
        public Twin(IMethodSymbol? method, bool takesToken)
        {
            Method = method;
            TakesToken = takesToken;
        }

        public IMethodSymbol? Method { get; }

        public bool TakesToken { get; }
    }

    /// <summary>A type of the framework's I/O namespaces (or derived from one), <c>SemaphoreSlim</c> or <c>Process</c>.</summary>
    public bool IsIoOrWaitType(INamedTypeSymbol? type)
        => type is not null && _ioTypes.GetOrAdd(type, t =>
        {
            if (SymbolEqualityComparer.Default.Equals(t, _symbols.SemaphoreSlim) || SymbolEqualityComparer.Default.Equals(t, _symbols.Process))
            {
                return true;
            }

            for (var current = t; current is not null; current = current.BaseType)
            {
                if (current.ContainingNamespace is { } ns && _compilation.GetCompilationNamespace(ns) is { } merged && _ioNamespaces.Contains(merged))
                {
                    return true;
                }
            }

            return false;
        });

    /// <summary>
    /// <c>NameAsync</c> on the same type or a base, public, not obsolete, returning a task, with the same parameter
    /// types, optionally plus a trailing CancellationToken. The exact match wins.
    /// </summary>
    public Twin Find(IMethodSymbol method) => _twins.GetOrAdd(method.OriginalDefinition, FindUncached);

    private Twin FindUncached(IMethodSymbol method)
    {
        IMethodSymbol? exact = null;
        IMethodSymbol? withToken = null;
        for (var type = method.ContainingType; type is not null; type = type.BaseType)
        {
            foreach (var member in type.GetMembers(method.Name + "Async"))
            {
                if (member is not IMethodSymbol candidate || candidate.IsStatic != method.IsStatic
                    || candidate.DeclaredAccessibility != Accessibility.Public
                    || _symbols.IsObsolete(candidate)
                    || !_symbols.IsTaskLike(candidate.ReturnType))
                {
                    continue;
                }

                if (SameParameters(method.Parameters, candidate.Parameters, candidate.Parameters.Length))
                {
                    exact ??= candidate;
                }
                else if (candidate.Parameters.Length == method.Parameters.Length + 1
                    && _symbols.IsCancellationToken(candidate.Parameters[candidate.Parameters.Length - 1].Type)
                    && SameParameters(method.Parameters, candidate.Parameters, method.Parameters.Length))
                {
                    withToken ??= candidate;
                }
            }
        }

        return new Twin(exact ?? withToken, withToken is not null);
    }

    private static bool SameParameters(ImmutableArray<IParameterSymbol> sync, ImmutableArray<IParameterSymbol> twin, int count)
    {
        if (count != sync.Length)
        {
            return false;
        }

        for (var i = 0; i < count; i++)
        {
            if (!SymbolEqualityComparer.Default.Equals(sync[i].Type, twin[i].Type) || sync[i].RefKind != twin[i].RefKind)
            {
                return false;
            }
        }

        return true;
    }

    private static INamespaceSymbol? FindNamespace(Compilation compilation, string name)
    {
        var current = compilation.GlobalNamespace;
        foreach (var part in name.Split('.'))
        {
            current = current.GetNamespaceMembers().FirstOrDefault(n => n.Name == part);
            if (current is null)
            {
                return null;
            }
        }

        return current;
    }
}
