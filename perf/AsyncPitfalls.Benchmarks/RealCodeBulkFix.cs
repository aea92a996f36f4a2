using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using AsyncPitfalls.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AsyncPitfalls.Benchmarks;

/// <summary>
/// The bulk command on real code: every warning rule's Fix All, as <c>dotnet format analyzers --severity warn</c>
/// runs it, over each project of the checked-out repositories, in memory (nothing is written to them). It reports,
/// per repository, the compiler errors and warnings before and after (the fixes must add none) and every line the
/// fixes changed, for perf/REALWORLD.md to judge.
/// </summary>
internal static class RealCodeBulkFix
{
    public static async Task<int> RunAsync(IReadOnlyList<string> repositories, ImmutableArray<DiagnosticAnalyzer> analyzers, string? outPath)
    {
        var engine = new BulkFixEngine(analyzers, RuleCatalog.Fixers);
        var framework = RepositoryCorpus.FrameworkReferences();
        var report = new StringBuilder();
        foreach (var path in repositories)
        {
            var corpus = RepositoryCorpus.Load(path, framework);
            var (solution, projects) = Workspace(corpus);
            var before = await CompilerDiagnosticsAsync(solution, projects);
            var original = solution;
            var applied = new SortedDictionary<string, int>(StringComparer.Ordinal);
            foreach (var projectId in projects)
            {
                var (changed, counts) = await engine.FixAsync(solution, new[] { projectId }, RuleCatalog.WarningRuleIds);
                solution = changed;
                foreach (var count in counts)
                {
                    applied[count.RuleId] = applied.GetValueOrDefault(count.RuleId) + count.Fixed;
                }
            }

            var after = await CompilerDiagnosticsAsync(solution, projects);
            report.AppendLine(CultureInfo.InvariantCulture, $"## {corpus.Name}");
            report.AppendLine();
            report.AppendLine("Diagnostics fixed per rule: " + string.Join(", ", applied.Where(a => a.Value > 0).Select(a => $"{a.Key} {a.Value}")) + ".");
            var added = after.Where(a => a.Value > before.GetValueOrDefault(a.Key)).Select(a => $"{a.Key} +{a.Value - before.GetValueOrDefault(a.Key)}").ToList();
            report.AppendLine(CultureInfo.InvariantCulture, $"Compiler errors and warnings: {before.Values.Sum()} before, {after.Values.Sum()} after; added: {(added.Count == 0 ? "none" : string.Join(", ", added))}.");
            report.AppendLine();
            await WriteChangesAsync(report, original, solution, corpus.Root);
            Console.Error.WriteLine($"{corpus.Name}: {applied.Values.Sum()} fixed");
        }

        var text = report.ToString();
        Console.WriteLine(text);
        if (outPath is not null)
        {
            await File.WriteAllTextAsync(outPath, text);
        }

        return 0;
    }

    /// <summary>One workspace project per repository project, with its project references, in dependency order.</summary>
    private static (Solution Solution, List<ProjectId> Projects) Workspace(RepositoryCorpus corpus)
    {
        var solution = new AdhocWorkspace().CurrentSolution;
        var ids = new Dictionary<string, ProjectId>(StringComparer.Ordinal);
        var order = new List<ProjectId>();
        foreach (var project in corpus.Projects)
        {
            var compilation = project.Compilation;
            var id = ProjectId.CreateNewId(project.Name);
            var parse = (CSharpParseOptions?)compilation.SyntaxTrees.FirstOrDefault()?.Options ?? new CSharpParseOptions(LanguageVersion.Latest);
            var references = compilation.References.OfType<PortableExecutableReference>().Cast<MetadataReference>().ToList();
            var projectReferences = compilation.References.OfType<CompilationReference>()
                .Where(r => ids.ContainsKey(r.Compilation.AssemblyName ?? ""))
                .Select(r => new ProjectReference(ids[r.Compilation.AssemblyName!]))
                .ToList();
            solution = solution.AddProject(ProjectInfo.Create(id, VersionStamp.Default, project.Name, compilation.AssemblyName ?? project.Name, LanguageNames.CSharp,
                compilationOptions: compilation.Options, parseOptions: parse, metadataReferences: references, projectReferences: projectReferences));
            foreach (var tree in compilation.SyntaxTrees)
            {
                solution = solution.AddDocument(DocumentId.CreateNewId(id), Path.GetFileName(tree.FilePath), tree.GetText(), filePath: tree.FilePath);
            }

            ids[compilation.AssemblyName ?? project.Name] = id;
            order.Add(id);
        }

        return (solution, order);
    }

    private static async Task<Dictionary<string, int>> CompilerDiagnosticsAsync(Solution solution, List<ProjectId> projects)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var id in projects)
        {
            foreach (var diagnostic in (await solution.GetProject(id)!.GetCompilationAsync())!.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning))
            {
                counts[diagnostic.Id] = counts.GetValueOrDefault(diagnostic.Id) + 1;
            }
        }

        return counts;
    }

    /// <summary>
    /// Each changed file's changed lines, old and new, by file and line: the lines between the common head and the
    /// common tail of the two texts (a fixed document's new text carries no change record to diff against).
    /// </summary>
    private static async Task WriteChangesAsync(StringBuilder report, Solution original, Solution changed, string root)
    {
        foreach (var projectChanges in changed.GetChanges(original).GetProjectChanges())
        {
            foreach (var id in projectChanges.GetChangedDocuments(onlyGetDocumentsWithTextChanges: true))
            {
                var before = (await original.GetDocument(id)!.GetTextAsync()).Lines.Select(l => l.ToString()).ToList();
                var after = (await changed.GetDocument(id)!.GetTextAsync()).Lines.Select(l => l.ToString()).ToList();
                var file = Path.GetRelativePath(root, changed.GetDocument(id)!.FilePath ?? "");
                var head = 0;
                while (head < before.Count && head < after.Count && before[head] == after[head])
                {
                    head++;
                }

                var tail = 0;
                while (tail < before.Count - head && tail < after.Count - head && before[before.Count - 1 - tail] == after[after.Count - 1 - tail])
                {
                    tail++;
                }

                var oldText = string.Join("\n", before.Skip(head).Take(before.Count - head - tail));
                var newText = string.Join("\n", after.Skip(head).Take(after.Count - head - tail));
                report.AppendLine(CultureInfo.InvariantCulture, $"- `{file}:{head + 1}`: `{Shorten(oldText, 400)}` → `{Shorten(newText, 400)}`");
            }
        }

        report.AppendLine();
    }

    private static string Shorten(string text, int length = 140)
    {
        var single = string.Join(" ", text.Split(new[] { '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim())).Replace("`", "'", StringComparison.Ordinal);
        return single.Length > length ? single[..(length - 3)] + "..." : single;
    }
}
