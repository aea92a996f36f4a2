using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using AsyncPitfalls.Cli.Analysis;
using AsyncPitfalls.Engine;
using Microsoft.CodeAnalysis;
using Spectre.Console;

namespace AsyncPitfalls.Cli.Output;

/// <summary>How <c>check</c> writes its reports: for people on the console, for scripts as JSON or TSV, and as SARIF.</summary>
internal static class Reports
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static string Severity(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => "error",
        DiagnosticSeverity.Warning => "warning",
        DiagnosticSeverity.Info => "info",
        _ => "hidden",
    };

    /// <summary>One line per report, as the compiler prints them, then the summary tables.</summary>
    public static void WriteConsole(IAnsiConsole console, CheckResult result)
    {
        foreach (var finding in result.Findings)
        {
            var color = finding.Baselined ? "grey" : finding.Severity switch { DiagnosticSeverity.Error => "red", DiagnosticSeverity.Warning => "yellow", _ => "blue" };
            var frameworks = finding.Frameworks.Count > 1 ? $" [[{string.Join(", ", finding.Frameworks)}]]" : "";
            var baselined = finding.Baselined ? " (baselined)" : "";
            console.MarkupLine($"{Markup.Escape(finding.RelativePath)}({finding.Line},{finding.Column}): [{color}]{Severity(finding.Severity)} {finding.RuleId}[/]: {Markup.Escape(finding.Message)}{frameworks}{baselined}");
        }

        if (result.Findings.Count > 0)
        {
            console.WriteLine();
        }

        var byRule = new Table().Title("Reports per rule").AddColumns("Rule", "Severity", "Product code", "Test code", "Baselined", "Title");
        foreach (var group in result.Findings.GroupBy(f => (f.RuleId, f.Severity)).OrderBy(g => g.Key.RuleId, StringComparer.Ordinal))
        {
            var title = RuleCatalog.Rules.FirstOrDefault(r => r.Id == group.Key.RuleId)?.Title.ToString() ?? "";
            byRule.AddRow(group.Key.RuleId, Severity(group.Key.Severity),
                Count(group.Count(f => !f.InTestProject && !f.Baselined)), Count(group.Count(f => f.InTestProject && !f.Baselined)), Count(group.Count(f => f.Baselined)), Markup.Escape(title));
        }

        if (byRule.Rows.Count == 0)
        {
            console.MarkupLine("[green]No reports.[/]");
        }
        else
        {
            console.Write(byRule);
        }

        var files = result.Findings.Where(f => !f.Baselined).GroupBy(f => f.RelativePath).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(10).ToList();
        if (files.Count > 0)
        {
            var top = new Table().Title("Files with the most reports").AddColumns("File", "Reports");
            foreach (var file in files)
            {
                top.AddRow(Markup.Escape(file.Key), Count(file.Count()));
            }

            console.Write(top);
        }

        var projects = new Table().Title("Projects").AddColumns("Project", "Frameworks", "Kind", "Files", "Unresolved types in", "Reports");
        foreach (var project in result.Projects)
        {
            projects.AddRow(Markup.Escape(Path.GetFileNameWithoutExtension(project.FilePath)), Markup.Escape(string.Join(", ", project.Frameworks)), project.IsTest ? "test" : "product",
                Count(project.Documents), project.FilesWithUnresolvedTypes.Count == 0 ? "0" : $"[yellow]{project.FilesWithUnresolvedTypes.Count}[/]", Count(project.Findings));
        }

        foreach (var failure in result.Failures)
        {
            projects.AddRow(Markup.Escape(Path.GetFileName(failure.FilePath)), "", "[red]not loaded[/]", "", "", Markup.Escape(failure.Reason));
        }

        foreach (var excluded in result.Excluded)
        {
            projects.AddRow(Markup.Escape(Path.GetFileNameWithoutExtension(excluded)), "", "[grey]excluded[/]", "", "", "");
        }

        console.Write(projects);
        if (result.LoadWarnings.Count > 0)
        {
            console.MarkupLine($"[yellow]{result.LoadWarnings.Count} project(s) loaded with problems, for example {Markup.Escape(Path.GetFileName(result.LoadWarnings[0].FilePath))}: {Markup.Escape(result.LoadWarnings[0].Reason)}[/]");
        }
        if (result.Projects.Any(p => p.FilesWithUnresolvedTypes.Count > 0))
        {
            console.MarkupLine("[yellow]Some files have unresolved types: their packages or references are missing (see the restore above). The rules report only on what binds there.[/]");
        }

        if (result.Stale.Count > 0)
        {
            console.MarkupLine($"[grey]{result.Stale.Count} baseline entr{(result.Stale.Count == 1 ? "y matches" : "ies match")} nothing any more (fixed or removed code); `asyncpitfalls baseline --prune` removes {(result.Stale.Count == 1 ? "it" : "them")}:[/]");
            foreach (var entry in result.Stale)
            {
                console.MarkupLine($"[grey]  {entry.Rule} {Markup.Escape(entry.File)} {Markup.Escape(entry.Member)}: {Markup.Escape(entry.Code)}[/]");
            }
        }

        if (result.AnalyzerExceptions > 0)
        {
            console.MarkupLine($"[red]{result.AnalyzerExceptions} analyzer exception(s): please report them (AD0001).[/]");
        }

        console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"Time: load {result.Load.TotalSeconds:0.0} s, compile {result.Compile.TotalSeconds:0.0} s, rules {result.Analyze.TotalSeconds:0.0} s."));
    }

    /// <summary>The reports, projects and stale baseline entries as one JSON document.</summary>
    public static string ToJson(CheckResult result, string root)
        => JsonSerializer.Serialize(new
        {
            tool = "asyncpitfalls",
            version = typeof(Reports).Assembly.GetName().Version?.ToString(3),
            root,
            findings = result.Findings.Select(f => new
            {
                rule = f.RuleId,
                severity = Severity(f.Severity),
                message = f.Message,
                file = f.RelativePath,
                line = f.Line,
                column = f.Column,
                endLine = f.EndLine,
                endColumn = f.EndColumn,
                frameworks = f.Frameworks,
                project = Path.GetRelativePath(root, f.ProjectPath).Replace('\\', '/'),
                testCode = f.InTestProject,
                baselined = f.Baselined,
                member = f.Fingerprint.Member,
            }),
            projects = result.Projects.Select(p => new
            {
                project = Path.GetRelativePath(root, p.FilePath).Replace('\\', '/'),
                frameworks = p.Frameworks,
                test = p.IsTest,
                files = p.Documents,
                filesWithUnresolvedTypes = p.FilesWithUnresolvedTypes,
                reports = p.Findings,
            }),
            notLoaded = result.Failures.Select(f => new { project = Path.GetRelativePath(root, f.FilePath).Replace('\\', '/'), reason = f.Reason }),
            loadWarnings = result.LoadWarnings.Select(f => new { project = Path.GetRelativePath(root, f.FilePath).Replace('\\', '/'), reason = f.Reason }),
            excluded = result.Excluded.Select(e => Path.GetRelativePath(root, e).Replace('\\', '/')),
            staleBaselineEntries = result.Stale.Select(e => new { rule = e.Rule, file = e.File, member = e.Member, code = e.Code, occurrence = e.Occurrence }),
            seconds = new { load = result.Load.TotalSeconds, compile = result.Compile.TotalSeconds, rules = result.Analyze.TotalSeconds },
        }, Json);

    /// <summary>One tab-separated line per report, with a header: rule, severity, file, line, column, frameworks, project, code kind, baselined, message.</summary>
    public static string ToTsv(CheckResult result, string root)
    {
        var builder = new StringBuilder("rule\tseverity\tfile\tline\tcolumn\tframeworks\tproject\tcode\tbaselined\tmessage\n");
        foreach (var f in result.Findings)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{f.RuleId}\t{Severity(f.Severity)}\t{f.RelativePath}\t{f.Line}\t{f.Column}\t{string.Join(",", f.Frameworks)}\t")
                .Append(CultureInfo.InvariantCulture, $"{Path.GetRelativePath(root, f.ProjectPath).Replace('\\', '/')}\t{(f.InTestProject ? "test" : "product")}\t{(f.Baselined ? "yes" : "no")}\t")
                .Append(f.Message.Replace('\t', ' ').Replace('\n', ' ')).Append('\n');
        }

        return builder.ToString();
    }

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);
}
