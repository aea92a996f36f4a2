using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using AsyncPitfalls.Engine;
using Microsoft.CodeAnalysis;

namespace AsyncPitfalls.Generate;

/// <summary>A file the generator owns, in whole or in part: its text on disk and the text it should have.</summary>
public sealed record GeneratedFile(string Path, string Current, string Expected)
{
    public bool IsCurrent => Current == Expected;
}

/// <summary>
/// Every file (or part of a file) that is derived from the rule descriptors and options. <see cref="Plan"/> computes
/// them all without writing anything: the tool writes the stale ones, <c>--check</c> reports them, and a meta-test
/// reads the same plan, so the tests never write files.
/// </summary>
public static class Generator
{
    private const string TableStart = "<!-- rules:start -->";
    private const string TableEnd = "<!-- rules:end -->";

    /// <summary>
    /// A bulk <c>dotnet format analyzers</c> command: <c>--diagnostics</c> followed by two or more IDs. A command
    /// about one rule (<c>--diagnostics ASYNC007</c>) is written by hand and left alone.
    /// </summary>
    private static readonly Regex BulkCommand = new(@"(dotnet format analyzers[^\n`]*?--diagnostics)((?: (?:ASYNC|CS)\d+){2,})", RegexOptions.Compiled);

    public static string? FindRepositoryRoot(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Analyzers.sln")))
            {
                return directory.FullName;
            }
        }

        return null;
    }

    /// <summary>Every generated file under <paramref name="root"/>, with its current and expected text.</summary>
    public static IReadOnlyList<GeneratedFile> Plan(string root)
    {
        var files = new List<GeneratedFile>();
        void Add(string relative, Func<string, string> transform, bool mayBeMissing = false)
        {
            var path = System.IO.Path.Combine(root, relative);
            if (!File.Exists(path) && !mayBeMissing)
            {
                return;
            }

            var current = File.Exists(path) ? Normalize(File.ReadAllText(path)) : "";
            files.Add(new GeneratedFile(path, current, transform(current)));
        }

        Add("README.md", text => BulkCommands(Table(text, ReadmeTable(""))));
        Add(System.IO.Path.Combine("src", "AsyncPitfalls.Package", "README.md"), text => BulkCommands(Table(text, ReadmeTable(RuleCatalog.ProjectUrl + "/blob/main/"))));
        Add(System.IO.Path.Combine("docs", "configuration.md"), _ => ConfigurationPage(), mayBeMissing: true);
        foreach (var (name, text) in Presets())
        {
            Add(System.IO.Path.Combine("src", "AsyncPitfalls.Package", "configuration", name + ".globalconfig"), _ => text, mayBeMissing: true);
        }

        foreach (var rule in RuleCatalog.Rules)
        {
            Add(System.IO.Path.Combine("docs", "rules", rule.Id + ".md"), text => RulePage(text, rule), mayBeMissing: true);
        }

        // Every other Markdown file that shows the bulk command.
        var owned = new HashSet<string>(files.Select(f => f.Path), StringComparer.Ordinal);
        foreach (var path in MarkdownFiles(root).Where(p => !owned.Contains(p)))
        {
            Add(System.IO.Path.GetRelativePath(root, path), BulkCommands);
        }

        return files;
    }

    /// <summary>The rules table; <paramref name="linkBase"/> prefixes the links (the package README needs absolute ones).</summary>
    public static string ReadmeTable(string linkBase)
    {
        var builder = new StringBuilder();
        builder.Append("| ID | Title | Category | Default severity | Code fix |\n");
        builder.Append("|----|-------|----------|------------------|----------|\n");
        foreach (var d in RuleCatalog.Rules)
        {
            var fix = RuleCatalog.FixableIds.Contains(d.Id) ? "Yes" : "No";
            builder.Append($"| [{d.Id}]({linkBase}docs/rules/{d.Id}.md) | {d.Title} | {d.Category} | {d.DefaultSeverity} | {fix} |\n");
        }

        foreach (var s in RuleCatalog.SuppressorInfos)
        {
            builder.Append($"| [{s.Id}]({linkBase}docs/rules/{s.Id}.md) | {s.Title} | Suppressor | n/a | No |\n");
        }

        return builder.ToString();
    }

    /// <summary>docs/configuration.md: every option, then a copy-paste block with every rule at its default severity.</summary>
    public static string ConfigurationPage()
    {
        var options = RuleCatalog.Options();
        var builder = new StringBuilder();
        builder.Append("# Configuration reference\n\n");
        builder.Append("<!-- Generated from the rule descriptors and options by tools/AsyncPitfalls.Generate: do not edit. -->\n\n");
        builder.Append("Every option is read from `.editorconfig` (or a global `.globalconfig`), keyed by the rule ID. A missing or\n");
        builder.Append("malformed value gives the default. Severities use the standard `dotnet_diagnostic.<ID>.severity` key.\n\n");
        builder.Append("## Options\n\n");
        builder.Append("| Key | Rule | Type | Default | Example | What it does |\n");
        builder.Append("|---|---|---|---|---|---|\n");
        foreach (var o in options)
        {
            builder.Append($"| `{o.Key}` | [{o.RuleId}](rules/{o.RuleId}.md) | {o.Type} | `{o.Default}` | `{o.Key} = {o.Example}` | {o.Description} |\n");
        }

        builder.Append("\n## Every rule at its default severity\n\n");
        builder.Append("Paste this into `.editorconfig` and change the lines you want; the presets (`AsyncPitfallsAnalysisMode`) set the\n");
        builder.Append("same keys at a lower priority, so these lines win over them.\n\n");
        builder.Append("```ini\n[*.cs]\n");
        foreach (var d in RuleCatalog.Rules)
        {
            builder.Append($"# {d.Id}: {d.Title}\n");
            builder.Append($"dotnet_diagnostic.{d.Id}.severity = {RuleCatalog.EditorConfigSeverity(d)}\n");
        }

        foreach (var o in options)
        {
            builder.Append($"# {o.Description}\n");
            builder.Append($"# {o.Key} = {o.Example}\n");
        }

        builder.Append("```\n");
        return builder.ToString();
    }

    /// <summary>The presets, by name: <c>default</c>, <c>strict</c> (one step up) and <c>none</c>.</summary>
    public static IReadOnlyDictionary<string, string> Presets()
    {
        static string Build(string name, Func<DiagnosticDescriptor, string> severity)
        {
            var builder = new StringBuilder();
            builder.Append($"# AsyncPitfalls preset '{name}'. Generated from the rule descriptors by tools/AsyncPitfalls.Generate: do not edit.\n");
            builder.Append("is_global = true\n");
            builder.Append("global_level = -100\n");
            foreach (var d in RuleCatalog.Rules)
            {
                builder.Append('\n');
                builder.Append($"# {d.Id}: {d.Title}\n");
                builder.Append($"dotnet_diagnostic.{d.Id}.severity = {severity(d)}\n");
            }

            return builder.ToString();
        }

        return new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["default"] = Build("default", RuleCatalog.EditorConfigSeverity),
            // Strict raises each rule one step: warnings become errors, suggestions become warnings.
            ["strict"] = Build("strict", d => d.DefaultSeverity == DiagnosticSeverity.Info ? "warning" : "error"),
            ["none"] = Build("none", _ => "none"),
        };
    }

    /// <summary>The text between the rule-table markers replaced by <paramref name="table"/>; unchanged without markers.</summary>
    private static string Table(string text, string table)
    {
        var from = text.IndexOf(TableStart, StringComparison.Ordinal);
        var to = text.IndexOf(TableEnd, StringComparison.Ordinal);
        return from < 0 || to < from ? text : text.Substring(0, from + TableStart.Length) + "\n" + table + text.Substring(to);
    }

    /// <summary>Every bulk <c>dotnet format</c> command given the IDs the bulk command fixes (<see cref="RuleCatalog.BulkCommandIds"/>).</summary>
    public static string BulkCommands(string text)
        => BulkCommand.Replace(text, m => m.Groups[1].Value + " " + string.Join(" ", RuleCatalog.BulkCommandIds));

    /// <summary>
    /// A rule page with its generated parts: the title line, the first paragraph (the description; a paragraph that
    /// already says exactly that keeps its line breaks) and the ID, category and severity rows of the facts table. A
    /// missing page becomes a stub whose sections say what is still to write.
    /// </summary>
    private static string RulePage(string text, DiagnosticDescriptor rule)
    {
        var description = rule.Description.ToString();
        if (text.Length == 0)
        {
            text = $"# {rule.Id}: {rule.Title}\n\n{description}\n\n| | |\n|---|---|\n| ID | |\n| Category | |\n| Default severity | |\n| Code fix | TODO |\n\n"
                + string.Concat(new[] { "Why", "Bad", "Good", "When it does not fire", "Options", "How to suppress" }.Select(s => $"## {s}\n\nTODO\n\n"));
        }

        var lines = text.Split('\n').ToList();
        lines[0] = $"# {rule.Id}: {rule.Title}";

        // The first paragraph: the lines after the title up to the next blank line.
        var start = 1;
        while (start < lines.Count && lines[start].Length == 0)
        {
            start++;
        }

        var end = start;
        while (end < lines.Count && lines[end].Length > 0)
        {
            end++;
        }

        var paragraph = string.Join(" ", lines.Skip(start).Take(end - start));
        if (paragraph != description)
        {
            lines.RemoveRange(start, end - start);
            lines.Insert(start, description);
        }

        for (var i = 0; i < lines.Count; i++)
        {
            lines[i] = lines[i] switch
            {
                var l when l.StartsWith("| ID |", StringComparison.Ordinal) => $"| ID | {rule.Id} |",
                var l when l.StartsWith("| Category |", StringComparison.Ordinal) => $"| Category | {rule.Category} |",
                var l when l.StartsWith("| Default severity |", StringComparison.Ordinal) => $"| Default severity | {rule.DefaultSeverity}{(rule.DefaultSeverity == DiagnosticSeverity.Info ? " (suggestion)" : "")} |",
                var l => l,
            };
        }

        return BulkCommands(string.Join("\n", lines));
    }

    private static IEnumerable<string> MarkdownFiles(string root)
    {
        foreach (var directory in new[] { "docs", "samples", "perf", "src", "tools" })
        {
            var path = System.IO.Path.Combine(root, directory);
            if (!Directory.Exists(path))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(path, "*.md", SearchOption.AllDirectories))
            {
                var relative = System.IO.Path.GetRelativePath(root, file);
                if (!relative.Split(System.IO.Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
                {
                    yield return file;
                }
            }
        }

        foreach (var file in new[] { "CHANGELOG.md", "CONTRIBUTING.md" })
        {
            var path = System.IO.Path.Combine(root, file);
            if (File.Exists(path))
            {
                yield return path;
            }
        }
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);
}
