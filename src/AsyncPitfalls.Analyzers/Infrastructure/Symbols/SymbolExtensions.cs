using Microsoft.CodeAnalysis;

namespace AsyncPitfalls.Analyzers;

/// <summary>Small questions about symbols that several rules and fixes ask.</summary>
internal static class SymbolExtensions
{
    /// <summary>True when <paramref name="method"/> implicitly implements a member of an interface of its type.</summary>
    public static bool ImplementsInterfaceMember(this IMethodSymbol method)
    {
        var type = method.ContainingType;
        if (type is null || method.MethodKind != MethodKind.Ordinary)
        {
            return false;
        }

        foreach (var iface in type.AllInterfaces)
        {
            foreach (var member in iface.GetMembers(method.Name))
            {
                if (SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(member), method))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>True when the signature is dictated by someone else: an override or an interface implementation.</summary>
    public static bool SignatureIsInherited(this IMethodSymbol method)
        => method.IsOverride || method.ExplicitInterfaceImplementations.Length > 0 || method.ImplementsInterfaceMember();

    /// <summary>
    /// True when code outside the assembly can see the member: it is public or protected (not private protected) in
    /// types that are all public, or a member of an interface. Changing its signature breaks callers we cannot update.
    /// </summary>
    public static bool IsVisibleOutsideAssembly(this ISymbol symbol)
    {
        if (symbol.ContainingType?.TypeKind == TypeKind.Interface)
        {
            return true;
        }

        for (var current = symbol; current is not null && current.Kind != SymbolKind.Namespace; current = current.ContainingSymbol)
        {
            if (current is IMethodSymbol { MethodKind: MethodKind.LocalFunction } || current.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Protected or Accessibility.ProtectedOrInternal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>How messages name a called method: <c>Task.Delay</c> for a static method, <c>FlushAsync</c> otherwise.</summary>
    public static string DisplayName(this IMethodSymbol method)
        => method.IsStatic && !method.IsExtensionMethod && method.MethodKind != MethodKind.LocalFunction && method.ContainingType is { } owner
            ? owner.Name + "." + method.Name
            : method.Name;
}
