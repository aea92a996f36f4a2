using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AsyncPitfalls.Benchmarks;

/// <summary>
/// What the package costs on real repositories (<c>--check DIR ... --real-cost</c>): each repository compiled as the
/// real-code check compiles it, then, project by project and in one process with a warm JIT, the plain compile, ours
/// (in total and per analyzer), the no-op floor, and the peers. Also IDE latency on the largest document of each
/// repository. Writes markdown (<c>--out</c>) and <c>artifacts/benchmark.json</c> (<c>--json</c>), which
/// <c>--compare</c> checks against the snapshot in perf/RESULTS.md.
/// </summary>
internal static class RealCodeCost
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    internal sealed class RepositoryCost
    {
        public string Name { get; set; } = "";
        public int Projects { get; set; }
        public int Lines { get; set; }
        public double CompileMs { get; set; }
        public double OursMs { get; set; }
        public double FloorMs { get; set; }
        public double OursWallMs { get; set; }
        public double FloorWallMs { get; set; }
        public Dictionary<string, double> PerAnalyzer { get; set; } = new();
        public Dictionary<string, double> Peers { get; set; } = new();
        public string LatencyDocument { get; set; } = "";
        public int LatencyDocumentLines { get; set; }
        public double OursP50 { get; set; }
        public double OursP95 { get; set; }
        public double FloorP50 { get; set; }
        public double FloorP95 { get; set; }

        /// <summary>Adds the times of <paramref name="other"/> (a project, or a repository into the total).</summary>
        public void Add(RepositoryCost other)
        {
            CompileMs += other.CompileMs;
            OursMs += other.OursMs;
            FloorMs += other.FloorMs;
            OursWallMs += other.OursWallMs;
            FloorWallMs += other.FloorWallMs;
            foreach (var (label, ms) in other.PerAnalyzer)
            {
                PerAnalyzer[label] = PerAnalyzer.GetValueOrDefault(label) + ms;
            }

            foreach (var (peer, ms) in other.Peers)
            {
                Peers[peer] = Peers.GetValueOrDefault(peer) + ms;
            }
        }
    }

    public static async Task<int> RunAsync(IReadOnlyList<string> repositories, bool oursOnly, int latencyRuns, string outPath, string jsonPath)
    {
        var total = Stopwatch.StartNew();
        var framework = RepositoryCorpus.FrameworkReferences();
        var hostRoslyn = typeof(Compilation).Assembly.GetName().Version!;
        var ours = new AnalyzerSet("AsyncPitfalls", Program.LoadOurs(), ImmutableHashSet<string>.Empty);
        var peers = oursOnly ? new List<AnalyzerSet>() : Peers.Load(hostRoslyn);
        var corpora = repositories.Select(r => RepositoryCorpus.Load(r, framework)).ToList();
        var floor = Program.FloorFor(ours, corpora[0].Projects[0].Compilation);

        // Warm-up: JIT the compiler and every set on the first repository's largest project, then ours and the floor
        // on every project of it, so that the first repository measured does not pay for code paths jitted late.
        var warm = corpora[0].Projects.OrderByDescending(p => p.Lines).First().Compilation;
        _ = warm.Clone().GetDiagnostics();
        foreach (var set in new[] { ours, floor }.Concat(peers))
        {
            await Program.MeasureAsync(set, warm.Clone());
        }

        foreach (var project in corpora[0].Projects)
        {
            await Program.MeasureAsync(ours, project.Compilation.Clone());
            await Program.MeasureAsync(floor, project.Compilation.Clone());
        }

        var costs = new List<RepositoryCost>();
        foreach (var corpus in corpora)
        {
            var cost = new RepositoryCost { Name = corpus.Name, Projects = corpus.Projects.Length, Lines = corpus.Lines };
            foreach (var project in corpus.Projects)
            {
                // Ours and the floor are measured twice and the faster run kept, as for the generated corpus.
                var mine = Program.Faster(await Program.MeasureAsync(ours, project.Compilation.Clone()), await Program.MeasureAsync(ours, project.Compilation.Clone()));
                var none = Program.Faster(await Program.MeasureAsync(floor, project.Compilation.Clone()), await Program.MeasureAsync(floor, project.Compilation.Clone()));
                var projectCost = new RepositoryCost
                {
                    CompileMs = Plain(project.Compilation),
                    OursMs = mine.TotalMs,
                    OursWallMs = mine.WallMs,
                    FloorMs = none.TotalMs,
                    FloorWallMs = none.WallMs,
                    PerAnalyzer = new Dictionary<string, double>(mine.PerAnalyzer),
                };
                foreach (var peer in peers)
                {
                    projectCost.Peers[peer.Name] = (await Program.MeasureAsync(peer, project.Compilation.Clone())).TotalMs;
                }

                cost.Add(projectCost);
            }

            await MeasureLatencyAsync(cost, corpus, ours, floor, latencyRuns);
            costs.Add(cost);
            Console.Error.WriteLine(string.Create(Invariant, $"{cost.Name}: {cost.Lines:N0} lines, compile {cost.CompileMs:F0} ms, ours {cost.OursMs:F0} ms ({cost.OursMs / cost.CompileMs:P2}), {total.Elapsed.TotalSeconds:F0} s so far"));
        }

        var text = Markdown(costs, peers, hostRoslyn, latencyRuns, total.Elapsed);
        Console.WriteLine(text);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outPath))!);
        await File.WriteAllTextAsync(outPath, text);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(jsonPath))!);
        await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(costs, new JsonSerializerOptions { WriteIndented = true }));
        Console.Error.WriteLine($"written to {Path.GetFullPath(outPath)} and {Path.GetFullPath(jsonPath)}");
        return 0;
    }

    /// <summary>The plain compile of a fresh copy (binding and every compiler diagnostic, no emit); best of two.</summary>
    private static double Plain(Compilation compilation)
    {
        var best = double.MaxValue;
        for (var i = 0; i < 2; i++)
        {
            var fresh = compilation.Clone();
            GC.Collect();
            var watch = Stopwatch.StartNew();
            _ = fresh.GetDiagnostics();
            best = Math.Min(best, watch.Elapsed.TotalMilliseconds);
        }

        return best;
    }

    /// <summary>The largest document of the repository, analyzed again and again in its bound compilation, as an editor does.</summary>
    private static async Task MeasureLatencyAsync(RepositoryCost cost, RepositoryCorpus corpus, AnalyzerSet ours, AnalyzerSet floor, int runs)
    {
        var (project, tree) = corpus.Projects
            .SelectMany(p => p.Compilation.SyntaxTrees.Select(t => (Project: p, Tree: t)))
            .OrderByDescending(p => p.Tree.GetText().Lines.Count)
            .First();
        var compilation = project.Compilation.Clone();
        _ = compilation.GetDiagnostics();
        var model = compilation.GetSemanticModel(compilation.SyntaxTrees.First(t => t.FilePath == tree.FilePath));
        cost.LatencyDocument = Path.GetRelativePath(corpus.Root, tree.FilePath);
        cost.LatencyDocumentLines = tree.GetText().Lines.Count;
        (cost.OursP50, cost.OursP95) = await LatencyAsync(ours, compilation, model, runs);
        (cost.FloorP50, cost.FloorP95) = await LatencyAsync(floor, compilation, model, runs);
    }

    private static async Task<(double P50, double P95)> LatencyAsync(AnalyzerSet set, Compilation compilation, SemanticModel model, int runs)
    {
        var samples = new List<double>();
        for (var i = 0; i < runs + 2; i++)
        {
            var withAnalyzers = compilation.WithAnalyzers(set.Analyzers, new CompilationWithAnalyzersOptions(new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), null, concurrentAnalysis: false, logAnalyzerExecutionTime: false));
            var watch = Stopwatch.StartNew();
            _ = await withAnalyzers.GetAnalyzerSemanticDiagnosticsAsync(model, filterSpan: null, CancellationToken.None);
            if (i >= 2)
            {
                samples.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        samples.Sort();
        return (Program.Percentile(samples, 0.5), Program.Percentile(samples, 0.95));
    }

    private static string Markdown(List<RepositoryCost> costs, List<AnalyzerSet> peers, Version hostRoslyn, int latencyRuns, TimeSpan elapsed)
    {
        var report = new StringBuilder();
        report.AppendLine("# AsyncPitfalls on real repositories");
        report.AppendLine();
        report.AppendLine(Invariant, $"Host: .NET {Environment.Version}, Roslyn {hostRoslyn}, {Environment.ProcessorCount} cores. Each repository is compiled in memory as the real-code check compiles it (perf/REALWORLD.md), one compilation per project. \"compile\" is binding plus every compiler diagnostic of a fresh compilation (no emit), best of two; analyzer times are Roslyn's own per-analyzer execution times in a sequential analysis pass; ours and the floor are the faster of two passes. Same process, warm JIT.");
        report.AppendLine();
        report.AppendLine("## Ours against compile and the peers");
        report.AppendLine();
        var header = new StringBuilder("| repository | lines | compile (ms) | ours (ms) | ours / compile | no-op floor (ms) | analysis wall: ours / floor |");
        var rule = new StringBuilder("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var peer in peers)
        {
            header.Append(Invariant, $" {peer.Name} (ms) | ours / {peer.Name} |");
            rule.Append("---:|---:|");
        }

        report.AppendLine(header.ToString());
        report.AppendLine(rule.ToString());
        foreach (var c in costs.Append(Sum(costs)))
        {
            var line = new StringBuilder(string.Format(Invariant, "| {0} | {1:N0} | {2:F0} | {3:F0} | {4:P2} | {5:F0} | {6:F2} |", c.Name, c.Lines, c.CompileMs, c.OursMs, c.OursMs / c.CompileMs, c.FloorMs, c.OursWallMs / c.FloorWallMs));
            foreach (var peer in peers)
            {
                var p = c.Peers.GetValueOrDefault(peer.Name);
                line.Append(Invariant, $" {p:F0} | {c.OursMs / Math.Max(p, 0.001):F2} |");
            }

            report.AppendLine(line.ToString());
        }

        report.AppendLine();
        report.AppendLine("## Ours per analyzer, as a share of compile");
        report.AppendLine();
        report.AppendLine("| analyzer (rules) | " + string.Join(" | ", costs.Select(c => c.Name)) + " | all |");
        report.AppendLine("|---|" + string.Concat(costs.Select(_ => "---:|")) + "---:|");
        var all = Sum(costs);
        foreach (var label in all.PerAnalyzer.OrderByDescending(p => p.Value).Select(p => p.Key))
        {
            report.AppendLine("| " + label + " | " + string.Join(" | ", costs.Append(all).Select(c => string.Format(Invariant, "{0:P2} ({1:F0} ms)", c.PerAnalyzer.GetValueOrDefault(label) / c.CompileMs, c.PerAnalyzer.GetValueOrDefault(label)))) + " |");
        }

        report.AppendLine();
        report.AppendLine(Invariant, $"## IDE latency: the largest document of each repository in its compilation, {latencyRuns} runs");
        report.AppendLine();
        report.AppendLine("| repository | document | lines | ours p50 (ms) | ours p95 (ms) | floor p50 (ms) | floor p95 (ms) | ours − floor at p95 (ms) |");
        report.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var c in costs)
        {
            report.AppendLine(Invariant, $"| {c.Name} | `{c.LatencyDocument}` | {c.LatencyDocumentLines:N0} | {c.OursP50:F1} | {c.OursP95:F1} | {c.FloorP50:F1} | {c.FloorP95:F1} | {c.OursP95 - c.FloorP95:F1} |");
        }

        report.AppendLine();
        report.AppendLine(Invariant, $"Total benchmark time: {elapsed.TotalSeconds:F0} s.");
        return report.ToString();
    }

    private static RepositoryCost Sum(List<RepositoryCost> costs)
    {
        var sum = new RepositoryCost { Name = "all", Lines = costs.Sum(c => c.Lines), Projects = costs.Sum(c => c.Projects) };
        foreach (var c in costs)
        {
            sum.Add(c);
        }

        return sum;
    }
}
/// <summary>
/// The regression guard: compares a fresh <c>artifacts/benchmark.json</c> with the snapshot embedded in
/// perf/RESULTS.md, and says which analyzer's share of compile on which repository grew by more than 25%. Not a test:
/// run it by hand (perf/compare-benchmark.sh) after a change that may cost time.
/// </summary>
internal static class BenchmarkComparison
{
    private const string Start = "<!-- benchmark-json:start -->";
    private const string End = "<!-- benchmark-json:end -->";

    /// <summary>Below this share of compile a rule's growth is noise, not a regression.</summary>
    private const double NoiseFloor = 0.0005;

    public static int Run(string currentPath, string snapshotPath)
    {
        var current = JsonSerializer.Deserialize<List<RealCodeCost.RepositoryCost>>(File.ReadAllText(currentPath)) ?? new();
        var markdown = File.ReadAllText(snapshotPath);
        var start = markdown.IndexOf(Start, StringComparison.Ordinal);
        var end = markdown.IndexOf(End, StringComparison.Ordinal);
        if (start < 0 || end < start)
        {
            Console.Error.WriteLine($"{snapshotPath} has no {Start} ... {End} block");
            return 2;
        }

        var block = markdown[(start + Start.Length)..end].Trim().Trim('`').Trim();
        if (block.StartsWith("json", StringComparison.Ordinal))
        {
            block = block[4..];
        }

        var snapshot = (JsonSerializer.Deserialize<List<RealCodeCost.RepositoryCost>>(block) ?? new()).ToDictionary(c => c.Name);
        var regressions = 0;
        foreach (var repository in current)
        {
            if (!snapshot.TryGetValue(repository.Name, out var before))
            {
                Console.WriteLine($"{repository.Name}: not in the snapshot");
                continue;
            }

            var rows = repository.PerAnalyzer.Keys.Select(k => (Label: k, Now: repository.PerAnalyzer[k] / repository.CompileMs, Then: before.PerAnalyzer.GetValueOrDefault(k) / Math.Max(before.CompileMs, 0.001)))
                .Append(("all rules", repository.OursMs / repository.CompileMs, before.OursMs / Math.Max(before.CompileMs, 0.001)));
            foreach (var (label, now, then) in rows)
            {
                var grew = now > NoiseFloor && now > then * 1.25;
                regressions += grew ? 1 : 0;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(grew ? "GREW " : "ok   ")} {repository.Name,-28} {label,-70} {then:P2} -> {now:P2}"));
            }
        }

        Console.WriteLine(regressions == 0 ? "No rule's share of compile grew by more than 25%." : $"{regressions} shares grew by more than 25% against the snapshot.");
        return regressions == 0 ? 0 : 1;
    }
}
