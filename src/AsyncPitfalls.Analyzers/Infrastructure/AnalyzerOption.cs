using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AsyncPitfalls.Analyzers;

/// <summary>
/// Typed access to <c>.editorconfig</c> options. Keys are scoped by rule ID (<c>ASYNC001.excluded_methods</c>);
/// malformed values fall back to the default.
/// </summary>
internal static class AnalyzerOption
{
    private static readonly char[] ListSeparators = { ',', ';', '|', ' ' };

    public static string? GetRaw(AnalyzerOptions options, SyntaxTree tree, string key)
    {
        var config = options.AnalyzerConfigOptionsProvider.GetOptions(tree);
        return config.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
    }

    public static ImmutableArray<string> GetList(AnalyzerOptions options, SyntaxTree tree, string key)
    {
        var raw = GetRaw(options, tree, key);
        if (raw is null)
        {
            return ImmutableArray<string>.Empty;
        }

        var builder = ImmutableArray.CreateBuilder<string>();
        foreach (var part in raw.Split(ListSeparators, StringSplitOptions.RemoveEmptyEntries))
        {
            builder.Add(part.Trim());
        }

        return builder.ToImmutable();
    }

    public static int GetInt(AnalyzerOptions options, SyntaxTree tree, string key, int defaultValue, int min, int max)
    {
        var raw = GetRaw(options, tree, key);
        return raw is not null && int.TryParse(raw, out var value) && value >= min && value <= max ? value : defaultValue;
    }

    public static bool GetBool(AnalyzerOptions options, SyntaxTree tree, string key, bool defaultValue)
    {
        var raw = GetRaw(options, tree, key);
        return raw is not null && bool.TryParse(raw, out var value) ? value : defaultValue;
    }
}
