using System.ComponentModel;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AsyncPitfalls.Analyzers;
using Spectre.Console;
using Spectre.Console.Cli;

namespace AsyncPitfalls.Cli.Commands;

/// <summary>
/// <c>asyncpitfalls baseline [PATH]</c>: writes <c>asyncpitfalls.baseline.json</c> next to the solution with one entry
/// per current report. With <c>--prune</c>, only removes the entries that match nothing any more; it never adds one.
/// </summary>
internal sealed class BaselineCommand : AsyncCommand<BaselineCommand.Settings>
{
    internal sealed class Settings : CommonSettings
    {
        [CommandOption("--prune")]
        [Description("Only remove the entries whose reports are gone (fixed code); keep the file otherwise as it is.")]
        public bool Prune { get; init; }

        [CommandOption("--baseline <FILE>")]
        [Description("Where the baseline goes (default: asyncpitfalls.baseline.json next to the solution).")]
        public string? Baseline { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var console = Ui.For(machineOutput: false);
        var (input, loaded, restore, load) = await Pipeline.LoadAsync(settings, console, cancellationToken);
        using (loaded)
        {
            var path = Path.GetFullPath(settings.Baseline ?? Path.Combine(input.Root, AsyncPitfalls.Analyzers.Baseline.FileName));
            var existing = Pipeline.ReadBaseline(path);
            if (settings.Prune && existing is null)
            {
                throw new UsageException($"there is no baseline to prune at {path}");
            }

            var result = await Pipeline.CheckAsync(input, loaded, restore, load, existing, console, cancellationToken);
            Baseline written;
            if (settings.Prune)
            {
                var stale = result.Stale.ToHashSet();
                written = new Baseline(existing!.Entries.Where(e => !stale.Contains(e)));
                console.MarkupLine($"Removed {stale.Count} stale entr{(stale.Count == 1 ? "y" : "ies")}; {written.Entries.Count} remain.");
            }
            else
            {
                written = new Baseline(result.Findings.Select(f => f.Fingerprint));
                console.MarkupLine($"Baselined {written.Entries.Count} report(s) of {result.Projects.Count} project(s).");
            }

            await File.WriteAllTextAsync(path, written.Serialize(), cancellationToken);
            console.MarkupLine($"Wrote {Markup.Escape(Path.GetRelativePath(input.Root, path))}. The package's build reads it from the solution folder; commit it.");
            return ExitCodes.Success;
        }
    }
}
