using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using AsyncPitfalls.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AsyncPitfalls.Benchmarks;

/// <summary>A set of analyzers measured together: ours, the floor, or one peer's matching analyzers.</summary>
internal sealed record AnalyzerSet(string Name, ImmutableArray<DiagnosticAnalyzer> Analyzers, ImmutableHashSet<string> Rules)
{
    /// <summary>The label of one analyzer in the per-rule table: its matching rule IDs.</summary>
    public string Label(DiagnosticAnalyzer analyzer)
    {
        var ids = analyzer.SupportedDiagnostics.Select(d => d.Id).Where(id => Rules.Count == 0 || Rules.Contains(id)).Distinct().OrderBy(id => id, StringComparer.Ordinal);
        return $"{analyzer.GetType().Name} ({string.Join(", ", ids)})";
    }
}

/// <summary>Loads the peers' analyzers from their NuGet packages, each package in its own load context.</summary>
internal static class Peers
{
    /// <summary>The rules of each peer that cover the same pitfalls: unawaited tasks, async void, blocking calls.</summary>
    public static readonly IReadOnlyList<(string Package, string Display, string[] Rules)> Definitions = new[]
    {
        ("Microsoft.VisualStudio.Threading.Analyzers", "vs-threading 18.12.1", new[] { "VSTHRD110", "VSTHRD100", "VSTHRD101", "VSTHRD002", "VSTHRD103" }),
        ("AsyncFixer", "AsyncFixer 2.1.0", new[] { "AsyncFixer02", "AsyncFixer03" }),
        ("Meziantou.Analyzer", "Meziantou 3.0.321", new[] { "MA0134", "MA0155", "MA0042" }),
    };

    public static List<AnalyzerSet> Load(Version hostRoslyn)
    {
        var sets = new List<AnalyzerSet>();
        var metadata = typeof(Peers).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().ToDictionary(a => a.Key, a => a.Value);
        foreach (var (package, display, rules) in Definitions)
        {
            if (!metadata.TryGetValue("Peer:" + package, out var root) || root is null || !Directory.Exists(root))
            {
                Console.Error.WriteLine($"peer {package}: package folder not found ({root}); skipped");
                continue;
            }

            var directory = AnalyzerDirectory(root, hostRoslyn);
            if (directory is null)
            {
                Console.Error.WriteLine($"peer {package}: no C# analyzer folder; skipped");
                continue;
            }

            var context = new IsolatedAnalyzerLoader(directory, Path.GetFileName(Path.GetDirectoryName(directory)) ?? package);
            var analyzers = ImmutableArray.CreateBuilder<DiagnosticAnalyzer>();
            foreach (var path in Directory.GetFiles(directory, "*.dll"))
            {
                if (path.Contains("CodeFix", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var reference = new AnalyzerFileReference(path, context);
                foreach (var analyzer in reference.GetAnalyzers(LanguageNames.CSharp))
                {
                    if (analyzer.SupportedDiagnostics.Any(d => rules.Contains(d.Id)))
                    {
                        analyzers.Add(analyzer);
                    }
                }
            }

            sets.Add(new AnalyzerSet(display, analyzers.ToImmutable(), rules.ToImmutableHashSet()));
        }

        return sets;
    }

    /// <summary><c>analyzers/dotnet/roslynX.Y/cs</c> for the highest X.Y the host supports, else <c>analyzers/dotnet/cs</c> or <c>analyzers/cs</c>.</summary>
    private static string? AnalyzerDirectory(string root, Version hostRoslyn)
    {
        var versioned = Directory.Exists(Path.Combine(root, "analyzers", "dotnet"))
            ? Directory.GetDirectories(Path.Combine(root, "analyzers", "dotnet"), "roslyn*")
                .Select(d => (Path: Path.Combine(d, "cs"), Version: Version.TryParse(Path.GetFileName(d).Substring("roslyn".Length), out var v) ? v : null))
                .Where(x => x.Version is not null && x.Version <= hostRoslyn && Directory.Exists(x.Path))
                .OrderByDescending(x => x.Version)
                .Select(x => x.Path)
                .FirstOrDefault()
            : null;
        return versioned
            ?? new[] { Path.Combine(root, "analyzers", "dotnet", "cs"), Path.Combine(root, "analyzers", "cs") }.FirstOrDefault(Directory.Exists);
    }
}
