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

    public static string ReadmeTable()
    {
        var builder = new StringBuilder();
        builder.Append("| ID | Title | Category | Default severity | Code fix |\n");
        builder.Append("|----|-------|----------|------------------|----------|\n");
        foreach (var d in DistinctDescriptors)
        {
            var fix = FixableIds.Contains(d.Id) ? "Yes" : "No";
            builder.Append($"| [{d.Id}](docs/rules/{d.Id}.md) | {d.Title} | {d.Category} | {Severity(d)} | {fix} |\n");
        }

        foreach (var type in SuppressorTypes)
        {
            foreach (var s in ((DiagnosticSuppressor)Activator.CreateInstance(type)!).SupportedSuppressions)
            {
                builder.Append($"| [{s.Id}](docs/rules/{s.Id}.md) | Suppresses {s.SuppressedDiagnosticId} on the shapes ASYNC001 accepts | Suppressor | n/a | No |\n");
            }
        }

        return builder.ToString();
    }

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
            ["default"] = Build("default", d => d.IsEnabledByDefault ? d.DefaultSeverity.ToString().ToLowerInvariant().Replace("info", "suggestion").Replace("hidden", "silent") : "none"),
            ["strict"] = Build("strict", _ => "error"),
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
