using System;
using System.ComponentModel;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AsyncPitfalls.Cli.Output;
using Microsoft.CodeAnalysis;
using Spectre.Console;
using Spectre.Console.Cli;

namespace AsyncPitfalls.Cli.Commands;

/// <summary><c>asyncpitfalls check [PATH]</c>: report what the rules find; the exit code says whether anything is at or above <c>--fail-on</c>.</summary>
internal sealed class CheckCommand : AsyncCommand<CheckCommand.Settings>
{
    internal sealed class Settings : CommonSettings
    {
        [CommandOption("--sarif <FILE>")]
        [Description("Also write the reports as a SARIF 2.1.0 log.")]
        public string? Sarif { get; init; }

        [CommandOption("--format <FORMAT>")]
        [Description("Write the reports to standard output as json or tsv, for scripts (the progress and summary go to standard error).")]
        public string? Format { get; init; }

        [CommandOption("--report <FILE>")]
        [Description("Also write the JSON report (the same as --format json) to this file.")]
        public string? Report { get; init; }

        [CommandOption("--fail-on <SEVERITY>")]
        [Description("Exit with 1 when a report is at this severity or above: error, warning (default), info, or none.")]
        [DefaultValue("warning")]
        public string FailOn { get; init; } = "warning";

        [CommandOption("--baseline <FILE>")]
        [Description("The baseline file (default: asyncpitfalls.baseline.json next to the solution). Baselined reports are shown but do not fail the check.")]
        public string? Baseline { get; init; }

        public override ValidationResult Validate()
        {
            if (Format is not null && Format is not ("json" or "tsv"))
            {
                return ValidationResult.Error($"--format must be json or tsv, not '{Format}'");
            }

            return FailOn is "error" or "warning" or "info" or "none" ? ValidationResult.Success() : ValidationResult.Error($"--fail-on must be error, warning, info or none, not '{FailOn}'");
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var console = Ui.For(settings.Format is not null);
        var (input, loaded, restore, load) = await Pipeline.LoadAsync(settings, console, cancellationToken);
        using (loaded)
        {
            var baseline = Pipeline.ReadBaseline(settings.Baseline ?? Path.Combine(input.Root, AsyncPitfalls.Analyzers.Baseline.FileName));
            var result = await Pipeline.CheckAsync(input, loaded, restore, load, baseline, console, cancellationToken);
            Reports.WriteConsole(console, result);
            if (settings.Format == "json")
            {
                Console.Out.Write(Reports.ToJson(result, input.Root));
            }
            else if (settings.Format == "tsv")
            {
                Console.Out.Write(Reports.ToTsv(result, input.Root));
            }

            if (settings.Report is { } report)
            {
                await File.WriteAllTextAsync(Path.GetFullPath(report), Reports.ToJson(result, input.Root), cancellationToken);
            }

            if (settings.Sarif is { } sarif)
            {
                Sarif.Write(Path.GetFullPath(sarif), result, input.Root);
                console.MarkupLine($"[grey]SARIF written to {Markup.Escape(sarif)}[/]");
            }

            var threshold = settings.FailOn switch
            {
                "error" => DiagnosticSeverity.Error,
                "warning" => DiagnosticSeverity.Warning,
                "info" => DiagnosticSeverity.Info,
                _ => (DiagnosticSeverity?)null,
            };
            var failing = threshold is { } minimum ? result.Findings.Count(f => !f.Baselined && f.Severity >= minimum) : 0;
            if (failing > 0)
            {
                console.MarkupLine($"[red]{failing} report(s) at {settings.FailOn} or above.[/]");
                return ExitCodes.ReportsFound;
            }

            return ExitCodes.Success;
        }
    }
}
