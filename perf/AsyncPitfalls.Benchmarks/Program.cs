using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AsyncPitfalls.Benchmarks;

/// <summary>
/// Measures what AsyncPitfalls costs on a build, side by side with the peers that cover the same pitfalls and
/// with a no-op floor that registers the same actions. Prints markdown tables and writes them to a file.
/// </summary>
internal static class Program
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private static async Task<int> Main(string[] args)
    {
        var options = BenchmarkOptions.Parse(args);
        if (options is null)
        {
            Console.Error.WriteLine("usage: AsyncPitfalls.Benchmarks [--sizes 1,2,4,8] [--files-per-unit 115] [--seed 42] [--corpus DIR] [--latency-runs 25] [--ours-only] [--out FILE] | --fix-costs [--sizes N] [--out FILE] | --diagnostics FILE-OR-DIR | --check REPO-DIR [--check REPO-DIR ...] [--bulk-fix | --real-cost [--ours-only] [--latency-runs N] [--json FILE]] [--out FILE] | --compare CURRENT.json perf/RESULTS.md");
            return 2;
        }

        if (options.DiagnosticsOf is not null)
        {
            return await PrintDiagnosticsAsync(options.DiagnosticsOf);
        }

        if (options.Compare is { } compare)
        {
            return BenchmarkComparison.Run(compare.Current, compare.Snapshot);
        }

        if (options.Check.Count > 0 && options.RealCost)
        {
            return await RealCodeCost.RunAsync(options.Check, options.OursOnly, options.LatencyRuns, options.Out, options.Json);
        }

        if (options.Check.Count > 0)
        {
            return options.BulkFix
                ? await RealCodeBulkFix.RunAsync(options.Check, LoadOurs(), options.OutGiven ? options.Out : null)
                : await RealCodeCheck.RunAsync(options.Check, LoadOurs(), options.OutGiven ? options.Out : null);
        }

        if (options.FixCosts)
        {
            var fixReport = new StringBuilder();
            await FixCost.WriteAsync(fixReport, options, Basic.Reference.Assemblies.Net100.References.All.Cast<MetadataReference>().ToImmutableArray(), LoadOurs());
            Console.WriteLine(fixReport.ToString());
            if (options.OutGiven)
            {
                await File.WriteAllTextAsync(options.Out, fixReport.ToString());
            }

            return 0;
        }

        var total = Stopwatch.StartNew();
        var references = Basic.Reference.Assemblies.Net100.References.All.Cast<MetadataReference>().ToImmutableArray();
        var hostRoslyn = typeof(Compilation).Assembly.GetName().Version!;
        var ours = new AnalyzerSet("AsyncPitfalls", LoadOurs(), ImmutableHashSet<string>.Empty);
        var peers = options.OursOnly ? new List<AnalyzerSet>() : Peers.Load(hostRoslyn);
        var report = new StringBuilder();
        report.AppendLine("# AsyncPitfalls benchmark");
        report.AppendLine();
        report.AppendLine(Invariant, $"Host: .NET {Environment.Version}, Roslyn {hostRoslyn}, {Environment.ProcessorCount} cores, seed {options.Seed}, {options.FilesPerUnit} files per size unit. Analyzer times are Roslyn's own per-analyzer execution times (sequential analysis), so they are comparable across sets.");
        report.AppendLine();

        // Warm-up: JIT every analyzer and the compiler (to tier 1) on a corpus as large as the 1x one.
        var warmTrees = Parse(CorpusGenerator.Files(options.Seed + 1, options.FilesPerUnit));
        var floor = FloorFor(ours, Compile(warmTrees, references));
        foreach (var set in new[] { ours, floor }.Concat(peers))
        {
            await MeasureAsync(set, warmTrees, references);
        }

        var results = new List<SizeResult>();
        foreach (var size in options.Sizes)
        {
            var sources = CorpusGenerator.Files(options.Seed, options.FilesPerUnit * size);
            var trees = Parse(sources);
            var lines = trees.Sum(t => t.GetText().Lines.Count);
            var plain = MeasurePlain(trees, references);
            var measured = new Dictionary<string, SetResult>();
            foreach (var set in new[] { ours, floor }.Concat(peers))
            {
                measured[set.Name] = await MeasureAsync(set, trees, references);
            }

            // Ours and the floor are cheap enough to measure twice; the faster run is kept (per analyzer).
            foreach (var set in new[] { ours, floor })
            {
                var again = await MeasureAsync(set, trees, references);
                measured[set.Name] = Faster(measured[set.Name], again);
            }

            results.Add(new SizeResult(size, lines, plain, measured));
            Console.Error.WriteLine(string.Create(Invariant, $"size {size}x: {lines:N0} lines, compile {plain:F0} ms, ours {measured[ours.Name].TotalMs:F0} ms ({total.Elapsed.TotalSeconds:F0} s so far)"));
        }

        WriteSizeTable(report, results, ours, floor, peers);
        await WriteCleanCorpusAsync(report, options, references, ours, floor, peers);
        WritePerAnalyzerTable(report, results, ours);
        foreach (var peer in peers)
        {
            WritePerAnalyzerTable(report, results, peer);
        }

        if (options.Corpus is not null)
        {
            await WriteRealCorpusAsync(report, options.Corpus, references, ours, floor, peers);
        }

        await WriteLatencyAsync(report, options, references, ours, floor, peers);
        report.AppendLine(Invariant, $"Total benchmark time: {total.Elapsed.TotalSeconds:F0} s.");

        var text = report.ToString();
        Console.WriteLine(text);
        var outPath = Path.GetFullPath(options.Out);
        Directory.CreateDirectory(Path.GetDirectoryName(outPath)!);
        await File.WriteAllTextAsync(outPath, text);
        Console.Error.WriteLine($"written to {outPath}");
        return 0;
    }

    /// <summary>
    /// Prints what ours and each peer report on the .cs files given, rule by rule: how the overlap claims in
    /// docs/rules/ASYNC030.md were checked.
    /// </summary>
    private static async Task<int> PrintDiagnosticsAsync(string path)
    {
        var references = Basic.Reference.Assemblies.Net100.References.All.Cast<MetadataReference>().ToImmutableArray();
        var files = Directory.Exists(path) ? Directory.GetFiles(path, "*.cs", SearchOption.AllDirectories) : new[] { path };
        var trees = files.Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), new CSharpParseOptions(LanguageVersion.Latest), path: f)).ToImmutableArray();
        var sets = new[] { new AnalyzerSet("AsyncPitfalls", LoadOurs(), ImmutableHashSet<string>.Empty) }.Concat(Peers.Load(typeof(Compilation).Assembly.GetName().Version!));
        foreach (var set in sets)
        {
            var compilation = Compile(trees, references);
            var enabled = set.Rules.ToImmutableDictionary(id => id, _ => ReportDiagnostic.Warn);
            compilation = compilation.WithOptions(compilation.Options.WithSpecificDiagnosticOptions(enabled));
            var diagnostics = await compilation.WithAnalyzers(set.Analyzers).GetAnalyzerDiagnosticsAsync();
            Console.WriteLine($"## {set.Name}");
            foreach (var d in diagnostics.Where(d => set.Rules.Count == 0 || set.Rules.Contains(d.Id)).OrderBy(d => d.Location.SourceSpan.Start))
            {
                var line = d.Location.GetLineSpan();
                Console.WriteLine(string.Create(Invariant, $"{Path.GetFileName(line.Path)}({line.StartLinePosition.Line + 1}): {d.Id} {d.GetMessage(Invariant)}"));
            }
        }

        return 0;
    }

    internal static ImmutableArray<DiagnosticAnalyzer> LoadOurs() => AsyncPitfalls.Engine.RuleCatalog.AnalyzersAndSuppressors;

    /// <summary>One floor analyzer per analyzer of ours, registering what it registers (recorded on <paramref name="compilation"/>).</summary>
    internal static AnalyzerSet FloorFor(AnalyzerSet ours, Compilation compilation)
        => new("No-op floor", ours.Analyzers.Select(a => (DiagnosticAnalyzer)new FloorAnalyzer(Registrations.Of(a, compilation))).ToImmutableArray(), ImmutableHashSet<string>.Empty);

    private static ImmutableArray<SyntaxTree> Parse(IEnumerable<string> sources)
    {
        var options = new CSharpParseOptions(LanguageVersion.Latest);
        return sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, options, path: $"File{i}.cs")).ToImmutableArray();
    }

    private static CSharpCompilation Compile(IEnumerable<SyntaxTree> trees, ImmutableArray<MetadataReference> references)
        => CSharpCompilation.Create(
            "Corpus",
            trees,
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, concurrentBuild: false));

    /// <summary>The plain compile: binding and every compiler diagnostic, without analyzers (no emit).</summary>
    private static double MeasurePlain(ImmutableArray<SyntaxTree> trees, ImmutableArray<MetadataReference> references)
    {
        var best = double.MaxValue;
        for (var i = 0; i < 2; i++)
        {
            var compilation = Compile(trees, references);
            GC.Collect();
            var watch = Stopwatch.StartNew();
            _ = compilation.GetDiagnostics();
            best = Math.Min(best, watch.Elapsed.TotalMilliseconds);
        }

        return best;
    }

    private static Task<SetResult> MeasureAsync(AnalyzerSet set, ImmutableArray<SyntaxTree> trees, ImmutableArray<MetadataReference> references)
        => MeasureAsync(set, Compile(trees, references));

    /// <summary>
    /// One analysis pass of <paramref name="set"/> over a compilation nobody has bound yet (pass a fresh one, for
    /// example <c>Clone()</c>): Roslyn's own per-analyzer execution times, and the wall time of the pass.
    /// </summary>
    internal static async Task<SetResult> MeasureAsync(AnalyzerSet set, Compilation compilation)
    {

        // Peers run with their other rules switched off, so only the matching rules report.
        var suppressed = set.Rules.Count == 0
            ? ImmutableDictionary<string, ReportDiagnostic>.Empty
            : set.Analyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).Distinct().Where(id => !set.Rules.Contains(id))
                .ToImmutableDictionary(id => id, _ => ReportDiagnostic.Suppress);
        compilation = compilation.WithOptions(compilation.Options.WithSpecificDiagnosticOptions(suppressed));
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: null,
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: true,
            reportSuppressedDiagnostics: false);
        var withAnalyzers = compilation.WithAnalyzers(set.Analyzers, options);
        GC.Collect();
        var watch = Stopwatch.StartNew();
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync();
        var wall = watch.Elapsed.TotalMilliseconds;
        var perAnalyzer = new Dictionary<string, double>();
        foreach (var analyzer in set.Analyzers)
        {
            var telemetry = await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None);
            var label = set.Label(analyzer);
            perAnalyzer[label] = perAnalyzer.GetValueOrDefault(label) + telemetry.ExecutionTime.TotalMilliseconds;
        }

        return new SetResult(perAnalyzer.Values.Sum(), wall, perAnalyzer, diagnostics.Length);
    }

    internal static SetResult Faster(SetResult a, SetResult b)
    {
        var perAnalyzer = a.PerAnalyzer.Keys.ToDictionary(k => k, k => Math.Min(a.PerAnalyzer[k], b.PerAnalyzer.GetValueOrDefault(k, a.PerAnalyzer[k])));
        return new SetResult(perAnalyzer.Values.Sum(), Math.Min(a.WallMs, b.WallMs), perAnalyzer, a.Diagnostics);
    }

    private static void WriteSizeTable(StringBuilder report, List<SizeResult> results, AnalyzerSet ours, AnalyzerSet floor, List<AnalyzerSet> peers)
    {
        report.AppendLine("## Generated corpus: all our rules together");
        report.AppendLine();
        var header = new StringBuilder("| size | lines | plain compile (ms) | ours (ms) | ours / compile | ours per 10k lines (ms) | diagnostics | no-op floor (ms) | analysis wall: ours / floor |");
        var rule = new StringBuilder("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var peer in peers)
        {
            header.Append(Invariant, $" {peer.Name} (ms) | {peer.Name} / ours |");
            rule.Append("---:|---:|");
        }

        report.AppendLine(header.ToString());
        report.AppendLine(rule.ToString());
        foreach (var r in results)
        {
            var o = r.Sets[ours.Name];
            var f = r.Sets[floor.Name];
            var line = new StringBuilder(string.Format(
                Invariant,
                "| {0}x | {1:N0} | {2:F0} | {3:F0} | {4:P2} | {5:F1} | {6} | {7:F0} | {8:F2} |",
                r.Size, r.Lines, r.PlainMs, o.TotalMs, o.TotalMs / r.PlainMs, o.TotalMs / r.Lines * 10_000, o.Diagnostics, f.TotalMs, o.WallMs / f.WallMs));
            foreach (var peer in peers)
            {
                var p = r.Sets[peer.Name];
                line.Append(Invariant, $" {p.TotalMs:F0} | {p.TotalMs / Math.Max(o.TotalMs, 0.001):F2} |");
            }

            report.AppendLine(line.ToString());
        }

        report.AppendLine();
        var scaling = string.Create(Invariant, $"Scaling per doubling of corpus size (1.00 = linear): compile {Scaling(results, r => r.PlainMs):F2}, ours {Scaling(results, r => r.Sets[ours.Name].TotalMs):F2}, floor {Scaling(results, r => r.Sets[floor.Name].TotalMs):F2}")
            + string.Concat(peers.Select(p => string.Format(Invariant, ", {0} {1:F2}", p.Name, Scaling(results, r => r.Sets[p.Name].TotalMs)))) + ".";
        report.AppendLine(scaling);
        report.AppendLine();
        report.AppendLine("\"ours (ms)\" and the peers' columns are the analyzers' own execution times. The floor's callbacks are empty, so its execution time is near zero; its real cost is the analysis driver itself (binding every body and building the operation trees its actions ask for). \"analysis wall: ours / floor\" therefore compares the wall-clock time of the whole analysis pass (GetAnalyzerDiagnosticsAsync on a fresh compilation) with ours and with the floor: that is the ratio no implementation of the same registrations can go below 1.00.");
        report.AppendLine();
    }

    /// <summary>
    /// The largest generated corpus again, without the seeded pitfalls. Reporting a diagnostic has a cost of its
    /// own in Roslyn (each one is checked against generated code and suppressions), so this row shows what the
    /// analysis itself costs on code that is already clean.
    /// </summary>
    private static async Task WriteCleanCorpusAsync(StringBuilder report, BenchmarkOptions options, ImmutableArray<MetadataReference> references, AnalyzerSet ours, AnalyzerSet floor, List<AnalyzerSet> peers)
    {
        var size = options.Sizes.Max();
        var trees = Parse(CorpusGenerator.Files(options.Seed, options.FilesPerUnit * size, pitfalls: false));
        var lines = trees.Sum(t => t.GetText().Lines.Count);
        var plain = MeasurePlain(trees, references);
        report.AppendLine(Invariant, $"## The {size}x corpus without the seeded pitfalls ({lines:N0} lines)");
        report.AppendLine();
        report.AppendLine("| set | analyzer time (ms) | share of compile | diagnostics | analysis wall / floor (same registrations only) |");
        report.AppendLine("|---|---:|---:|---:|---:|");
        var floorResult = Faster(await MeasureAsync(floor, trees, references), await MeasureAsync(floor, trees, references));
        foreach (var set in new[] { ours }.Concat(peers))
        {
            var result = await MeasureAsync(set, trees, references);
            if (set == ours)
            {
                result = Faster(result, await MeasureAsync(set, trees, references));
            }

            var wall = set == ours ? (result.WallMs / floorResult.WallMs).ToString("F2", Invariant) : "n/a";
            report.AppendLine(Invariant, $"| {set.Name} | {result.TotalMs:F0} | {result.TotalMs / plain:P2} | {result.Diagnostics} | {wall} |");
        }

        report.AppendLine(Invariant, $"| {floor.Name} | {floorResult.TotalMs:F0} | {floorResult.TotalMs / plain:P2} | 0 | 1.00 |");
        report.AppendLine(Invariant, $"| plain compile | {plain:F0} | | | |");
        report.AppendLine();
    }

    private static void WritePerAnalyzerTable(StringBuilder report, List<SizeResult> results, AnalyzerSet set)
    {
        var largest = results[^1];
        report.AppendLine(Invariant, $"## {set.Name}: per analyzer (rules) at {largest.Size}x ({largest.Lines:N0} lines)");
        report.AppendLine();
        report.AppendLine("| analyzer (rules) | time (ms) | per 10k lines (ms) | share of compile | scaling per doubling |");
        report.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var (label, ms) in largest.Sets[set.Name].PerAnalyzer.OrderByDescending(p => p.Value))
        {
            report.AppendLine(Invariant, $"| {label} | {ms:F0} | {ms / largest.Lines * 10_000:F1} | {ms / largest.PlainMs:P2} | {Scaling(results, r => r.Sets[set.Name].PerAnalyzer.GetValueOrDefault(label)):F2} |");
        }

        report.AppendLine();
    }

    /// <summary>Geometric mean over consecutive sizes of (t(next) / t(this)) / (next / this): 1.0 per line means linear.</summary>
    private static double Scaling(List<SizeResult> results, Func<SizeResult, double> time)
    {
        var factors = new List<double>();
        for (var i = 1; i < results.Count; i++)
        {
            var before = time(results[i - 1]);
            var after = time(results[i]);
            if (before > 0.5 && after > 0)
            {
                factors.Add(Math.Pow(after / before, Math.Log(2) / Math.Log((double)results[i].Lines / results[i - 1].Lines)) / 2);
            }
        }

        return factors.Count == 0 ? double.NaN : Math.Exp(factors.Average(Math.Log));
    }

    private static async Task WriteRealCorpusAsync(StringBuilder report, string folder, ImmutableArray<MetadataReference> references, AnalyzerSet ours, AnalyzerSet floor, List<AnalyzerSet> peers)
    {
        var files = Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        var trees = files.Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), new CSharpParseOptions(LanguageVersion.Latest), path: f)).ToImmutableArray();
        var lines = trees.Sum(t => t.GetText().Lines.Count);
        var plain = MeasurePlain(trees, references);
        report.AppendLine(Invariant, $"## Real code: {files.Count} files, {lines:N0} lines (compiled against .NET 10 reference assemblies; unresolved package types stay errors)");
        report.AppendLine();
        report.AppendLine("| set | analyzer time (ms) | per 10k lines (ms) | share of compile | diagnostics |");
        report.AppendLine("|---|---:|---:|---:|---:|");
        report.AppendLine(Invariant, $"| plain compile | {plain:F0} | {plain / lines * 10_000:F1} | | |");
        foreach (var set in new[] { ours, floor }.Concat(peers))
        {
            var result = await MeasureAsync(set, trees, references);
            report.AppendLine(Invariant, $"| {set.Name} | {result.TotalMs:F0} | {result.TotalMs / lines * 10_000:F1} | {result.TotalMs / plain:P2} | {result.Diagnostics} |");
        }

        report.AppendLine();
    }

    /// <summary>IDE-style latency: one ~1,000-line document of a 100-file compilation, analyzed again and again.</summary>
    private static async Task WriteLatencyAsync(StringBuilder report, BenchmarkOptions options, ImmutableArray<MetadataReference> references, AnalyzerSet ours, AnalyzerSet floor, List<AnalyzerSet> peers)
    {
        var sources = CorpusGenerator.Files(options.Seed + 2, 98);
        sources.Add(CorpusGenerator.File(options.Seed + 2, 1000, methodCount: 54));
        var trees = Parse(sources);
        var target = trees[^1];
        var compilation = Compile(trees, references);
        _ = compilation.GetDiagnostics();
        var model = compilation.GetSemanticModel(target);
        report.AppendLine(Invariant, $"## IDE latency: one document of {target.GetText().Lines.Count:N0} lines in a {trees.Length}-file compilation, {options.LatencyRuns} runs");
        report.AppendLine();
        report.AppendLine("| set | median (ms) | p95 (ms) |");
        report.AppendLine("|---|---:|---:|");
        foreach (var set in new[] { ours, floor }.Concat(peers))
        {
            var samples = new List<double>();
            for (var i = 0; i < options.LatencyRuns + 2; i++)
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
            report.AppendLine(Invariant, $"| {set.Name} | {Percentile(samples, 0.5):F1} | {Percentile(samples, 0.95):F1} |");
        }

        report.AppendLine();
    }

    internal static double Percentile(List<double> sorted, double p)
        => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    internal sealed record SetResult(double TotalMs, double WallMs, Dictionary<string, double> PerAnalyzer, int Diagnostics);

    private sealed record SizeResult(int Size, int Lines, double PlainMs, Dictionary<string, SetResult> Sets);

    internal sealed class BenchmarkOptions
    {
        public int[] Sizes { get; private set; } = { 1, 2, 4, 8 };
        public int FilesPerUnit { get; private set; } = 115;
        public int Seed { get; private set; } = 42;
        public string? Corpus { get; private set; }
        public int LatencyRuns { get; private set; } = 25;
        public string Out { get; private set; } = Path.Combine("artifacts", "benchmark.md");
        public bool OursOnly { get; private set; }
        public string? DiagnosticsOf { get; private set; }
        public List<string> Check { get; } = new();
        public bool OutGiven { get; private set; }
        public bool FixCosts { get; private set; }
        public bool BulkFix { get; private set; }
        public bool RealCost { get; private set; }
        public string Json { get; private set; } = Path.Combine("artifacts", "benchmark.json");
        public (string Current, string Snapshot)? Compare { get; private set; }

        public static BenchmarkOptions? Parse(string[] args)
        {
            var options = new BenchmarkOptions();
            for (var i = 0; i < args.Length; i++)
            {
                var value = i + 1 < args.Length ? args[i + 1] : null;
                switch (args[i])
                {
                    case "--sizes" when value is not null:
                        options.Sizes = value.Split(',').Select(s => int.Parse(s, Invariant)).ToArray();
                        break;
                    case "--files-per-unit" when value is not null:
                        options.FilesPerUnit = int.Parse(value, Invariant);
                        break;
                    case "--seed" when value is not null:
                        options.Seed = int.Parse(value, Invariant);
                        break;
                    case "--corpus" when value is not null:
                        options.Corpus = value;
                        break;
                    case "--latency-runs" when value is not null:
                        options.LatencyRuns = int.Parse(value, Invariant);
                        break;
                    case "--diagnostics" when value is not null:
                        options.DiagnosticsOf = value;
                        break;
                    case "--check" when value is not null:
                        options.Check.Add(value);
                        break;
                    case "--ours-only":
                        options.OursOnly = true;
                        i--;
                        break;
                    case "--fix-costs":
                        options.FixCosts = true;
                        i--;
                        break;
                    case "--bulk-fix":
                        options.BulkFix = true;
                        i--;
                        break;
                    case "--real-cost":
                        options.RealCost = true;
                        i--;
                        break;
                    case "--json" when value is not null:
                        options.Json = value;
                        break;
                    case "--compare" when value is not null && i + 2 < args.Length:
                        options.Compare = (value, args[i + 2]);
                        i++;
                        break;
                    case "--out" when value is not null:
                        options.Out = value;
                        options.OutGiven = true;
                        break;
                    default:
                        return null;
                }

                i++;
            }

            return options.Sizes.Length > 0 && options.FilesPerUnit > 0 && options.LatencyRuns > 0 ? options : null;
        }
    }
}
