using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using AsyncPitfalls.Analyzers;
using AsyncPitfalls.CodeFixes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AsyncPitfalls.Engine;

/// <summary>A suppressor of the package: its suppression ID, what it does, and the IDs it may suppress.</summary>
public sealed record SuppressorInfo(string Id, string Title, ImmutableArray<string> SuppressedIds);

/// <summary>One rule option, as <c>docs/configuration.md</c> lists it.</summary>
public sealed record RuleOptionInfo(string Key, string RuleId, string Type, string Default, string Example, string Description);

/// <summary>
/// The package's rules, found in its two assemblies: every analyzer, suppressor and fix, every descriptor, and the
/// options. Every "all rules" list (the docs' commands, the bulk runs, the tests' expectations) comes from here.
/// </summary>
public static class RuleCatalog
{
    private static readonly Lazy<ImmutableArray<DiagnosticAnalyzer>> LazyAnalyzers = new(() => Instances<DiagnosticAnalyzer>(AnalyzerAssembly).Where(a => a is not DiagnosticSuppressor).ToImmutableArray());
    private static readonly Lazy<ImmutableArray<DiagnosticSuppressor>> LazySuppressors = new(() => Instances<DiagnosticSuppressor>(AnalyzerAssembly));
    private static readonly Lazy<ImmutableArray<CodeFixProvider>> LazyFixers = new(() => Instances<CodeFixProvider>(CodeFixAssembly));

    /// <summary>The project's one canonical URL: help links, the package's project and repository URLs.</summary>
    public static string ProjectUrl => RuleFactory.ProjectUrl;

    public static Assembly AnalyzerAssembly => typeof(DiagnosticIds).Assembly;

    public static Assembly CodeFixAssembly => typeof(AsyncPitfallsCodeFix).Assembly;

    /// <summary>Every analyzer of the package except the suppressors, ordered by type name.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> Analyzers => LazyAnalyzers.Value;

    /// <summary>Every suppressor of the package, ordered by type name.</summary>
    public static ImmutableArray<DiagnosticSuppressor> Suppressors => LazySuppressors.Value;

    /// <summary>Each suppressor's ID and title (its <c>Title</c> constant), ordered by ID.</summary>
    public static ImmutableArray<SuppressorInfo> SuppressorInfos
        => Suppressors
            .Select(s => new SuppressorInfo(
                s.SupportedSuppressions[0].Id,
                (string)s.GetType().GetField("Title", BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Static)!.GetRawConstantValue()!,
                s.SupportedSuppressions.Select(d => d.SuppressedDiagnosticId).ToImmutableArray()))
            .OrderBy(s => s.Id, StringComparer.Ordinal)
            .ToImmutableArray();

    /// <summary>The analyzers and the suppressors: what the package adds to a build.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> AnalyzersAndSuppressors => Analyzers.AddRange(Suppressors);

    /// <summary>Every code fix of the package, ordered by type name.</summary>
    public static ImmutableArray<CodeFixProvider> Fixers => LazyFixers.Value;

    /// <summary>(analyzer, descriptor) for every descriptor of every analyzer, ordered by ID.</summary>
    public static ImmutableArray<(DiagnosticAnalyzer Analyzer, DiagnosticDescriptor Descriptor)> Descriptors
        => Analyzers.SelectMany(a => a.SupportedDiagnostics.Select(d => (a, d))).OrderBy(p => p.d.Id, StringComparer.Ordinal).ToImmutableArray();

    /// <summary>One descriptor per rule ID, ordered by ID.</summary>
    public static ImmutableArray<DiagnosticDescriptor> Rules
        => Descriptors.Select(p => p.Descriptor).GroupBy(d => d.Id).Select(g => g.First()).ToImmutableArray();

    /// <summary>The IDs of the rules that warn by default: what <c>dotnet format analyzers --severity warn</c> fixes.</summary>
    public static ImmutableArray<string> WarningRuleIds
        => Rules.Where(d => d.DefaultSeverity == DiagnosticSeverity.Warning).Select(d => d.Id).ToImmutableArray();

    /// <summary>The IDs of the rules that are suggestions by default.</summary>
    public static ImmutableArray<string> SuggestionRuleIds
        => Rules.Where(d => d.DefaultSeverity == DiagnosticSeverity.Info).Select(d => d.Id).ToImmutableArray();

    /// <summary>
    /// The IDs the bulk command passes to <c>dotnet format analyzers</c>: every warning rule, and the compiler's own
    /// diagnostics that our fixes also fix (CS4014), in ID order.
    /// </summary>
    public static ImmutableArray<string> BulkCommandIds
        => WarningRuleIds.Concat(FixableIds.Where(id => !id.StartsWith("ASYNC", StringComparison.Ordinal))).OrderBy(id => id, StringComparer.Ordinal).ToImmutableArray();

    /// <summary>Every ID some fix of the package fixes (ours, and the compiler's CS4014).</summary>
    public static ImmutableHashSet<string> FixableIds => Fixers.SelectMany(f => f.FixableDiagnosticIds).ToImmutableHashSet();

    /// <summary>The fix for <paramref name="id"/>, or null.</summary>
    public static CodeFixProvider? FixerFor(string id) => Fixers.FirstOrDefault(f => f.FixableDiagnosticIds.Contains(id));

    /// <summary>Every constant of <see cref="DiagnosticIds"/>.</summary>
    public static ImmutableArray<string> DeclaredIds => typeof(DiagnosticIds)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToImmutableArray();

    /// <summary>Every rule option (the static <c>RuleOption</c> fields of the analyzer assembly), ordered by key.</summary>
    public static IReadOnlyList<RuleOptionInfo> Options()
        => AnalyzerAssembly.GetTypes()
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static))
            .Where(f => f.FieldType.IsGenericType && f.FieldType.GetGenericTypeDefinition() == typeof(RuleOption<>))
            .Select(f => f.GetValue(null)!)
            .Select(Describe)
            .OrderBy(o => o.Key, StringComparer.Ordinal)
            .ToList();

    /// <summary>The <c>.editorconfig</c> word for a descriptor's default severity.</summary>
    public static string EditorConfigSeverity(DiagnosticDescriptor descriptor)
        => !descriptor.IsEnabledByDefault ? "none" : descriptor.DefaultSeverity switch
        {
            DiagnosticSeverity.Error => "error",
            DiagnosticSeverity.Warning => "warning",
            DiagnosticSeverity.Info => "suggestion",
            _ => "silent",
        };

    private static RuleOptionInfo Describe(object option)
    {
        var type = option.GetType();
        string Get(string name) => type.GetProperty(name)!.GetValue(option)?.ToString() ?? "";
        var valueType = type.GetGenericArguments()[0];
        var typeName = valueType == typeof(bool) ? "bool" : valueType == typeof(int) ? "int" : "list of names";
        var defaultValue = type.GetProperty("Default")!.GetValue(option) switch
        {
            bool b => b ? "true" : "false",
            ImmutableArray<string> list => list.IsDefaultOrEmpty ? "(empty)" : string.Join(", ", list),
            var other => Convert.ToString(other, System.Globalization.CultureInfo.InvariantCulture) ?? "",
        };
        return new RuleOptionInfo(Get("Key"), Get("RuleId"), typeName, defaultValue, Get("Example"), Get("Description"));
    }

    private static ImmutableArray<T> Instances<T>(Assembly assembly)
        => assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(T).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null)
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .Select(t => (T)Activator.CreateInstance(t)!)
            .ToImmutableArray();
}
