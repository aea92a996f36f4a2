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

    private readonly AsyncSymbols _symbols;
    private readonly ConcurrentDictionary<IMethodSymbol, Twin> _twins = new(DefinitionComparer<IMethodSymbol>.Instance);
    private readonly ConcurrentDictionary<INamedTypeSymbol, bool> _ioTypes = new(DefinitionComparer<INamedTypeSymbol>.Instance);

    /// <summary>One per compilation: <see cref="CompilationFacts.Twins"/>.</summary>
    public AsyncTwins(AsyncSymbols symbols)
    {
        // Namespaces are matched by name (IsIn), not looked up: building the compilation's merged namespaces up front
        // cost more than all the rule's checks together on real projects.
        _symbols = symbols;
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
        => type is not null && (_ioTypes.TryGetValue(type.OriginalDefinition, out var known) ? known : _ioTypes.GetOrAdd(type.OriginalDefinition, t =>
        {
            if (SymbolEqualityComparer.Default.Equals(t, _symbols.SemaphoreSlim) || SymbolEqualityComparer.Default.Equals(t, _symbols.Process))
            {
                return true;
            }

            for (var current = t; current is not null; current = current.BaseType)
            {
                if (current.ContainingNamespace is { } ns && IoNamespaceNames.Any(name => IsIn(ns, name)))
                {
                    return true;
                }
            }

            return false;
        }));

    /// <summary>
    /// <c>NameAsync</c> on the same type or a base, public, not obsolete, returning a task, with the same parameter
    /// types, optionally plus a trailing CancellationToken. The exact match wins.
    /// </summary>
    public Twin Find(IMethodSymbol method)
    {
        var definition = method.OriginalDefinition;
        if (_twins.TryGetValue(definition, out var known))
        {
            return known;
        }

        var twin = FindUncached(definition);
        _twins.TryAdd(definition, twin);
        return twin;
    }

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

    /// <summary>Whether <paramref name="ns"/> is the namespace with the dotted <paramref name="name"/>, compared part by part from the end.</summary>
    private static bool IsIn(INamespaceSymbol ns, string name)
    {
        var end = name.Length;
        var current = ns;
        while (current is { IsGlobalNamespace: false })
        {
            var start = name.LastIndexOf('.', end - 1) + 1;
            if (end - start != current.Name.Length || string.CompareOrdinal(name, start, current.Name, 0, current.Name.Length) != 0)
            {
                return false;
            }

            current = current.ContainingNamespace;
            end = start - 1;
            if (end < 0)
            {
                return current is null || current.IsGlobalNamespace;
            }
        }

        return false;
    }
}
