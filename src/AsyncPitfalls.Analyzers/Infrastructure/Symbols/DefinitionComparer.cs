using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace AsyncPitfalls.Analyzers;

/// <summary>
/// Compares symbol definitions (<c>OriginalDefinition</c> of a named type or method) by reference. Not for locals: an
/// implicit indexer's operation tree refers to a local through another symbol object. Within one compilation each definition has a single symbol object, so this is the same as
/// <see cref="SymbolEqualityComparer.Default"/> for them, without its hashing cost on the hot paths of the caches.
/// </summary>
internal sealed class DefinitionComparer<T> : IEqualityComparer<T>
    where T : class, ISymbol
{
    public static readonly DefinitionComparer<T> Instance = new();

    public bool Equals(T? x, T? y) => ReferenceEquals(x, y);

    public int GetHashCode(T obj) => RuntimeHelpers.GetHashCode(obj);
}
