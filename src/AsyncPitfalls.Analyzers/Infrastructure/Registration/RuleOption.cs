using System;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AsyncPitfalls.Analyzers;

/// <summary>
/// One <c>.editorconfig</c> option of a rule, typed. The key is scoped by the rule ID (<c>ASYNC001.excluded_methods</c>).
/// A missing or malformed value gives the default. Each value is parsed once per syntax tree's option set.
/// Rules declare their options as <c>static readonly</c> fields; <c>docs/configuration.md</c> is generated from them.
/// </summary>
internal sealed class RuleOption<T>
{
    private readonly Func<string, (bool Ok, T Value)> _parse;
    private readonly ConditionalWeakTable<AnalyzerConfigOptions, StrongBox<T>> _parsed = new();

    public RuleOption(string ruleId, string name, T defaultValue, Func<string, (bool Ok, T Value)> parse, string description, string example)
    {
        RuleId = ruleId;
        Key = ruleId + "." + name;
        Default = defaultValue;
        _parse = parse;
        Description = description;
        Example = example;
    }

    public string RuleId { get; }

    public string Key { get; }

    public T Default { get; }

    /// <summary>What the option does, in one sentence (for the configuration reference).</summary>
    public string Description { get; }

    /// <summary>A value to show in the configuration reference.</summary>
    public string Example { get; }

    /// <summary>The value that applies to <paramref name="tree"/>.</summary>
    public T Read(AnalyzerOptions options, SyntaxTree tree)
    {
        var config = options.AnalyzerConfigOptionsProvider.GetOptions(tree);
        return _parsed.GetValue(config, c => new StrongBox<T>(Parse(c))).Value;
    }

    private T Parse(AnalyzerConfigOptions config)
    {
        if (!config.TryGetValue(Key, out var raw) || string.IsNullOrWhiteSpace(raw))
        {
            return Default;
        }

        var (ok, value) = _parse(raw.Trim());
        return ok ? value : Default;
    }
}

/// <summary>Parsers and constructors for the option types the rules use.</summary>
internal static class RuleOption
{
    private static readonly char[] ListSeparators = { ',', ';', '|', ' ' };

    public static RuleOption<bool> Bool(string ruleId, string name, bool defaultValue, string description)
        => new(ruleId, name, defaultValue, raw => bool.TryParse(raw, out var value) ? (true, value) : (false, defaultValue), description, defaultValue ? "false" : "true");

    /// <summary>An integer between <paramref name="min"/> and <paramref name="max"/>; values outside that range give the default.</summary>
    public static RuleOption<int> Int(string ruleId, string name, int defaultValue, int min, int max, string description, int example)
        => new(ruleId, name, defaultValue, raw => int.TryParse(raw, out var value) && value >= min && value <= max ? (true, value) : (false, defaultValue), description, example.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static RuleOption<ImmutableArray<string>> List(string ruleId, string name, string description, string example)
        => new(ruleId, name, ImmutableArray<string>.Empty, raw => (true, SplitList(raw)), description, example);

    public static ImmutableArray<string> SplitList(string raw)
    {
        var builder = ImmutableArray.CreateBuilder<string>();
        foreach (var part in raw.Split(ListSeparators, StringSplitOptions.RemoveEmptyEntries))
        {
            builder.Add(part.Trim());
        }

        return builder.ToImmutable();
    }
}
