using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using AsyncPitfalls.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AsyncPitfalls.Tests;

/// <summary>
/// The package's rules as the tests see them: descriptors, fix providers, and the files generated from them
/// (README table, presets). Set ASYNCPITFALLS_WRITE_GENERATED=1 to rewrite the generated files.
/// </summary>
internal static class RuleCatalog
{
    public const string WriteGeneratedVariable = "ASYNCPITFALLS_WRITE_GENERATED";

    /// <summary>
    /// IDs that ship without a code fix, on purpose. Each one's doc page says "Code fix | No" and explains
    /// what to do instead.
    /// </summary>
    public static readonly ImmutableHashSet<string> IdsWithoutCodeFix = ImmutableHashSet.Create<string>();

    /// <summary>Fix providers allowed to return no fix-all provider (none so far).</summary>
    public static readonly ImmutableHashSet<string> FixesWithoutFixAll = ImmutableHashSet.Create<string>();

    public static bool WriteGenerated => Environment.GetEnvironmentVariable(WriteGeneratedVariable) == "1";

    public static ImmutableArray<Type> AnalyzerTypes => AnalyzerRunner.AnalyzerAssembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && !typeof(DiagnosticSuppressor).IsAssignableFrom(t))
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .ToImmutableArray();

    public static ImmutableArray<Type> SuppressorTypes => AnalyzerRunner.AnalyzerAssembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(DiagnosticSuppressor).IsAssignableFrom(t))
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .ToImmutableArray();

    public static ImmutableArray<Type> CodeFixTypes => AnalyzerRunner.CodeFixAssembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t))
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .ToImmutableArray();

    /// <summary>(analyzer type, descriptor) for every descriptor every analyzer supports.</summary>
    public static ImmutableArray<(Type Analyzer, DiagnosticDescriptor Descriptor)> Descriptors => AnalyzerTypes
        .SelectMany(t => ((DiagnosticAnalyzer)Activator.CreateInstance(t)!).SupportedDiagnostics.Select(d => (t, d)))
        .OrderBy(p => p.d.Id, StringComparer.Ordinal)
        .ToImmutableArray();

    public static ImmutableArray<DiagnosticDescriptor> DistinctDescriptors => Descriptors
        .Select(p => p.Descriptor)
        .GroupBy(d => d.Id)
        .Select(g => g.First())
        .ToImmutableArray();

    public static ImmutableHashSet<string> FixableIds => CodeFixTypes
        .SelectMany(t => ((CodeFixProvider)Activator.CreateInstance(t)!).FixableDiagnosticIds)
        .ToImmutableHashSet();

    public static ImmutableArray<string> DeclaredIds => typeof(DiagnosticIds)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToImmutableArray();

    public static string Severity(DiagnosticDescriptor d) => d.DefaultSeverity.ToString();

    /// <summary>The canonical project URL: help links, PackageProjectUrl and RepositoryUrl all start from it.</summary>
    public static string ProjectUrl => AsyncPitfalls.Analyzers.RuleFactory.ProjectUrl;

    /// <summary>The rules table; <paramref name="linkBase"/> prefixes the links (the package README needs absolute ones).</summary>
    public static string ReadmeTable(string linkBase = "")
    {
        var builder = new StringBuilder();
        builder.Append("| ID | Title | Category | Default severity | Code fix |\n");
        builder.Append("|----|-------|----------|------------------|----------|\n");
        foreach (var d in DistinctDescriptors)
        {
            var fix = FixableIds.Contains(d.Id) ? "Yes" : "No";
            builder.Append($"| [{d.Id}]({linkBase}docs/rules/{d.Id}.md) | {d.Title} | {d.Category} | {Severity(d)} | {fix} |\n");
        }

        foreach (var type in SuppressorTypes)
        {
            foreach (var s in ((DiagnosticSuppressor)Activator.CreateInstance(type)!).SupportedSuppressions)
            {
                builder.Append($"| [{s.Id}]({linkBase}docs/rules/{s.Id}.md) | Suppresses {s.SuppressedDiagnosticId} on the shapes ASYNC001 accepts | Suppressor | n/a | No |\n");
            }
        }

        return builder.ToString();
    }

    /// <summary>Every rule option (the static RuleOption fields of the analyzers), ordered by key.</summary>
    public static IReadOnlyList<(string Key, string RuleId, string Type, string Default, string Example, string Description)> Options()
        => AnalyzerRunner.AnalyzerAssembly.GetTypes()
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static))
            .Where(f => f.FieldType.IsGenericType && f.FieldType.GetGenericTypeDefinition().Name.StartsWith("RuleOption", StringComparison.Ordinal))
            .Select(f => f.GetValue(null)!)
            .Select(o =>
            {
                var type = o.GetType();
                string Get(string name) => type.GetProperty(name)!.GetValue(o)?.ToString() ?? "";
                var valueType = type.GetGenericArguments()[0];
                var typeName = valueType == typeof(bool) ? "bool" : valueType == typeof(int) ? "int" : "list of names";
                var defaultValue = type.GetProperty("Default")!.GetValue(o) switch
                {
                    bool b => b ? "true" : "false",
                    System.Collections.Immutable.ImmutableArray<string> list => list.IsDefaultOrEmpty ? "(empty)" : string.Join(", ", list),
                    var other => Convert.ToString(other, System.Globalization.CultureInfo.InvariantCulture) ?? "",
                };
                return (Get("Key"), Get("RuleId"), typeName, defaultValue, Get("Example"), Get("Description"));
            })
            .OrderBy(o => o.Item1, StringComparer.Ordinal)
            .ToList();

    /// <summary>docs/configuration.md: every option, then a copy-paste block with every rule at its default severity.</summary>
    public static string ConfigurationPage()
    {
        var builder = new StringBuilder();
        builder.Append("# Configuration reference\n\n");
        builder.Append("<!-- Generated from the rule descriptors and options by the meta-tests: do not edit. -->\n\n");
        builder.Append("Every option is read from `.editorconfig` (or a global `.globalconfig`), keyed by the rule ID. A missing or\n");
        builder.Append("malformed value gives the default. Severities use the standard `dotnet_diagnostic.<ID>.severity` key.\n\n");
        builder.Append("## Options\n\n");
        builder.Append("| Key | Rule | Type | Default | Example | What it does |\n");
        builder.Append("|---|---|---|---|---|---|\n");
        foreach (var o in Options())
        {
            builder.Append($"| `{o.Key}` | [{o.RuleId}](rules/{o.RuleId}.md) | {o.Type} | `{o.Default}` | `{o.Key} = {o.Example}` | {o.Description} |\n");
        }

        builder.Append("\n## Every rule at its default severity\n\n");
        builder.Append("Paste this into `.editorconfig` and change the lines you want; the presets (`AsyncPitfallsAnalysisMode`) set the\n");
        builder.Append("same keys at a lower priority, so these lines win over them.\n\n");
        builder.Append("```ini\n[*.cs]\n");
        foreach (var d in DistinctDescriptors)
        {
            builder.Append($"# {d.Id}: {d.Title}\n");
            builder.Append($"dotnet_diagnostic.{d.Id}.severity = {EditorConfigSeverity(d)}\n");
        }

        foreach (var o in Options())
        {
            builder.Append($"# {o.Description}\n");
            builder.Append($"# {o.Key} = {o.Example}\n");
        }

        builder.Append("```\n");
        return builder.ToString();
    }

    /// <summary>The .editorconfig word for a descriptor's default severity.</summary>
    public static string EditorConfigSeverity(DiagnosticDescriptor d)
        => d.IsEnabledByDefault ? d.DefaultSeverity.ToString().ToLowerInvariant().Replace("info", "suggestion").Replace("hidden", "silent") : "none";

    public static IReadOnlyDictionary<string, string> Presets()
    {
        string Build(string name, Func<DiagnosticDescriptor, string> severity)
        {
            var builder = new StringBuilder();
            builder.Append($"# AsyncPitfalls preset '{name}'. Generated from the rule descriptors by the meta-tests: do not edit.\n");
            builder.Append("is_global = true\n");
            builder.Append("global_level = -100\n");
            foreach (var d in DistinctDescriptors)
            {
                builder.Append('\n');
                builder.Append($"# {d.Id}: {d.Title}\n");
                builder.Append($"dotnet_diagnostic.{d.Id}.severity = {severity(d)}\n");
            }

            return builder.ToString();
        }

        return new Dictionary<string, string>
        {
            ["default"] = Build("default", EditorConfigSeverity),
            // Strict raises each rule one step: warnings become errors, suggestions become warnings.
            ["strict"] = Build("strict", d => d.DefaultSeverity == DiagnosticSeverity.Info ? "warning" : "error"),
            ["none"] = Build("none", _ => "none"),
        };
    }

    public static string RepositoryFile(params string[] parts)
        => Path.Combine(new[] { TestDefaults.RepositoryRoot }.Concat(parts).ToArray());

    /// <summary>Compares a generated file with the one on disk; in write mode, writes it and passes.</summary>
    public static void AssertGenerated(string path, string expected)
    {
        if (WriteGenerated)
        {
            File.WriteAllText(path, expected);
            return;
        }

        var actual = File.Exists(path) ? File.ReadAllText(path).Replace("\r\n", "\n") : "";
        Xunit.Assert.True(expected == actual, $"{path} is out of date with the rule descriptors. Run the tests with {WriteGeneratedVariable}=1 to regenerate it.");
    }
}
