using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AsyncPitfalls.Benchmarks;

/// <summary>
/// The real-code check: runs every rule of ours over checked-out repositories (compiled as
/// <see cref="RepositoryCorpus"/> does, nothing written to them) and lists every report with file, line and
/// message, per repository, with the count per rule, the files with unresolved types, and the AD0001 count.
/// perf/REALWORLD.md records a run, with a verdict per report.
/// </summary>
internal static class RealCodeCheck
{
    public static async Task<int> RunAsync(IReadOnlyList<string> repositories, ImmutableArray<DiagnosticAnalyzer> analyzers, string? outPath)
    {
        var framework = RepositoryCorpus.FrameworkReferences();
        var report = new StringBuilder();
        var totals = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var exceptions = 0;
        foreach (var path in repositories)
        {
            var corpus = RepositoryCorpus.Load(path, framework);
            var found = new List<(string File, int Line, string Id, string Message)>();
            var unresolved = 0;
            foreach (var project in corpus.Projects)
            {
                unresolved += project.FilesWithUnresolvedTypes();

                // To judge a report, the compile errors of the files whose path contains this text go to stderr.
                if (Environment.GetEnvironmentVariable("ASYNCPITFALLS_SHOW_ERRORS") is { Length: > 0 } shown)
                {
                    foreach (var error in project.Compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree?.FilePath.Contains(shown, StringComparison.Ordinal) == true))
                    {
                        Console.Error.WriteLine(error.ToString());
                    }
                }
                var errors = new List<Diagnostic>();
                var options = new CompilationWithAnalyzersOptions(
                    new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
                    onAnalyzerException: (_, _, diagnostic) => { lock (errors) { errors.Add(diagnostic); } },
                    concurrentAnalysis: true,
                    logAnalyzerExecutionTime: false);
                var diagnostics = await project.Compilation.WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync();
                foreach (var d in diagnostics.Concat(errors).Where(d => d.Id.StartsWith("ASYNC", StringComparison.Ordinal) || d.Id == "AD0001"))
                {
                    var line = d.Location.GetLineSpan();
                    found.Add((Path.GetRelativePath(corpus.Root, line.Path ?? ""), line.StartLinePosition.Line + 1, d.Id, d.GetMessage(CultureInfo.InvariantCulture)));
                }
            }

            var commit = GitHead(corpus.Root);
            report.AppendLine(CultureInfo.InvariantCulture, $"## {corpus.Name} ({commit})");
            report.AppendLine();
            report.AppendLine(CultureInfo.InvariantCulture, $"{corpus.Projects.Length} projects, {corpus.Files:N0} files, {corpus.Lines:N0} lines; {unresolved} files with unresolved types.");
            report.AppendLine();
            foreach (var group in found.GroupBy(f => f.Id).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                totals[group.Key] = totals.GetValueOrDefault(group.Key) + group.Count();
            }

            exceptions += found.Count(f => f.Id == "AD0001");
            foreach (var (file, line, id, message) in found.OrderBy(f => f.File, StringComparer.Ordinal).ThenBy(f => f.Line).ThenBy(f => f.Id, StringComparer.Ordinal))
            {
                report.AppendLine(CultureInfo.InvariantCulture, $"- `{file}:{line}` {id}: {message}");
            }

            report.AppendLine();
            Console.Error.WriteLine($"{corpus.Name}: {found.Count} reports");
        }

        report.AppendLine("## Totals");
        report.AppendLine();
        report.AppendLine("| rule | reports |");
        report.AppendLine("|---|---:|");
        foreach (var (id, count) in totals)
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"| {id} | {count} |");
        }

        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"AD0001: {exceptions}");
        var text = report.ToString();
        Console.WriteLine(text);
        if (outPath is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outPath))!);
            await File.WriteAllTextAsync(outPath, text);
        }

        return 0;
    }

    private static string GitHead(string root)
    {
        var head = Path.Combine(root, ".git", "HEAD");
        if (!File.Exists(head))
        {
            return "no git";
        }

        var text = File.ReadAllText(head).Trim();
        if (!text.StartsWith("ref: ", StringComparison.Ordinal))
        {
            return text[..Math.Min(12, text.Length)];
        }

        var reference = Path.Combine(root, ".git", text[5..]);
        if (File.Exists(reference))
        {
            return File.ReadAllText(reference).Trim()[..12];
        }

        var packed = Path.Combine(root, ".git", "packed-refs");
        var line = File.Exists(packed) ? File.ReadLines(packed).FirstOrDefault(l => l.EndsWith(text[5..], StringComparison.Ordinal)) : null;
        return line is null ? "unknown" : line[..12];
    }
}
