using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AsyncPitfalls.Engine;
using DiffPlex.Renderer;
using Microsoft.CodeAnalysis;
using Spectre.Console;
using Spectre.Console.Cli;

namespace AsyncPitfalls.Cli.Commands;

/// <summary>
/// <c>asyncpitfalls fix [PATH]</c>: applies the fixes that are safe in bulk, with the same options and engine as
/// <c>dotnet format analyzers</c> (<see cref="BulkFixEngine"/>), and says per rule what it applied and what it left for a
/// person. <c>--dry-run</c> prints a unified diff and writes nothing.
/// </summary>
internal sealed class FixCommand : AsyncCommand<FixCommand.Settings>
{
    internal sealed class Settings : CommonSettings
    {
        [CommandOption("--rule <ID>")]
        [Description("Fix only this rule (repeatable). Default: every warning rule, and the compiler's CS4014.")]
        public string[] Rules { get; init; } = Array.Empty<string>();

        [CommandOption("--severity <SEVERITY>")]
        [Description("Fix reports at this severity or above, after .editorconfig: warn (default) or info (adds the suggestions).")]
        [DefaultValue("warn")]
        public string Severity { get; init; } = "warn";

        [CommandOption("--dry-run")]
        [Description("Print what would change as a unified diff, and write nothing.")]
        public bool DryRun { get; init; }

        public override ValidationResult Validate()
        {
            var known = RuleCatalog.FixableIds;
            var unknown = Rules.Where(r => !known.Contains(r)).ToList();
            if (unknown.Count > 0)
            {
                return ValidationResult.Error($"no fix of the package fixes {string.Join(", ", unknown)}");
            }

            return Severity is "warn" or "info" ? ValidationResult.Success() : ValidationResult.Error($"--severity must be warn or info, not '{Severity}'");
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var console = Ui.For(machineOutput: settings.DryRun);
        var (input, loaded, _, _) = await Pipeline.LoadAsync(settings, console, cancellationToken);
        using (loaded)
        {
            var minimum = settings.Severity == "info" ? DiagnosticSeverity.Info : DiagnosticSeverity.Warning;
            var rules = settings.Rules.Length > 0
                ? settings.Rules.Distinct(StringComparer.Ordinal).ToList()
                : (minimum == DiagnosticSeverity.Info ? RuleCatalog.BulkCommandIds.Concat(RuleCatalog.SuggestionRuleIds) : RuleCatalog.BulkCommandIds).ToList();

            // A multi-targeted project's files are shared by its frameworks: fix them once, through the first.
            var projects = loaded.Projects.GroupBy(p => p.FilePath).Select(g => g.First().Project.Id).ToList();
            var original = loaded.Solution;
            var engine = new BulkFixEngine(RuleCatalog.AnalyzersAndSuppressors, RuleCatalog.Fixers);
            var outcome = (Solution: original, Counts: (IReadOnlyList<RuleFixCount>)Array.Empty<RuleFixCount>());
            await console.Status().StartAsync("Fixing", async status =>
            {
                status.Status("Applying the bulk-safe fixes of " + string.Join(", ", rules));
                outcome = await engine.FixAsync(original, projects, rules, minimum, cancellationToken, BulkFixEngine.PassesToSettle);
            });

            var table = new Table().Title("Fixes").AddColumns("Rule", "Reports", "Fixed", "Left for a person");
            foreach (var count in outcome.Counts.Where(c => c.Before > 0))
            {
                table.AddRow(count.RuleId, N(count.Before), N(count.Fixed), N(count.After));
            }

            if (table.Rows.Count == 0)
            {
                console.MarkupLine("[green]Nothing to fix.[/]");
            }
            else
            {
                console.Write(table);
            }

            var changed = outcome.Solution.GetChanges(original).GetProjectChanges()
                .SelectMany(p => p.GetChangedDocuments(onlyGetDocumentsWithTextChanges: true))
                .Distinct()
                .ToList();
            if (settings.DryRun)
            {
                foreach (var id in changed.OrderBy(id => original.GetDocument(id)?.FilePath, StringComparer.Ordinal))
                {
                    var before = (await original.GetDocument(id)!.GetTextAsync(cancellationToken)).ToString();
                    var after = (await outcome.Solution.GetDocument(id)!.GetTextAsync(cancellationToken)).ToString();
                    var relative = Path.GetRelativePath(input.Root, original.GetDocument(id)!.FilePath ?? "").Replace('\\', '/');
                    Console.Out.Write(UnidiffRenderer.GenerateUnidiff(before, after, "a/" + relative, "b/" + relative, ignoreWhitespace: false, ignoreCase: false, contextLines: 3));
                }

                console.MarkupLine($"[grey]Dry run: {changed.Count} file(s) would change; nothing was written.[/]");
                return ExitCodes.Success;
            }

            if (changed.Count > 0 && !loaded.Workspace.TryApplyChanges(outcome.Solution))
            {
                throw new UsageException("the changes could not be written to the files");
            }

            console.MarkupLine($"Changed {changed.Count} file(s).");
            return ExitCodes.Success;
        }
    }

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);
}
