using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace AsyncPitfalls.Analyzers;

/// <summary>
/// How the <c>ASYNCnnnData</c> contracts write their values into <see cref="Diagnostic.Properties"/> and read them
/// back: enums by name, flags as <c>"true"</c>/<c>"false"</c> (always written, never inferred from a missing key),
/// and text as is. Symbols do not travel as names: they travel as additional locations the fix binds again.
/// </summary>
internal static class ContractProperties
{
    public static ImmutableDictionary<string, string?> Empty => ImmutableDictionary<string, string?>.Empty;

    public static ImmutableDictionary<string, string?> With(this ImmutableDictionary<string, string?> properties, string key, bool value)
        => properties.SetItem(key, value ? "true" : "false");

    public static ImmutableDictionary<string, string?> With<T>(this ImmutableDictionary<string, string?> properties, string key, T value)
        where T : struct, Enum
        => properties.SetItem(key, value.ToString());

    public static ImmutableDictionary<string, string?> With(this ImmutableDictionary<string, string?> properties, string key, string? value)
        => value is null ? properties : properties.SetItem(key, value);

    public static bool TryRead(this Diagnostic diagnostic, string key, out bool value)
    {
        value = false;
        return diagnostic.Properties.TryGetValue(key, out var text) && bool.TryParse(text, out value);
    }

    public static bool TryRead<T>(this Diagnostic diagnostic, string key, out T value)
        where T : struct, Enum
    {
        value = default;
        return diagnostic.Properties.TryGetValue(key, out var text) && Enum.TryParse(text, out value) && Enum.IsDefined(typeof(T), value);
    }

    public static string? Text(this Diagnostic diagnostic, string key)
        => diagnostic.Properties.TryGetValue(key, out var text) ? text : null;

    /// <summary>True when <paramref name="diagnostic"/> is one of <paramref name="id"/>'s.</summary>
    public static bool Is(this Diagnostic diagnostic, string id) => string.Equals(diagnostic.Id, id, StringComparison.Ordinal);
}
