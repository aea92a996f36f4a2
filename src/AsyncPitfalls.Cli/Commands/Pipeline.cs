using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using AsyncPitfalls.Analyzers;
using AsyncPitfalls.Cli.Analysis;
using AsyncPitfalls.Cli.Loading;
using Spectre.Console;

namespace AsyncPitfalls.Cli.Commands;

/// <summary>The steps every command shares: find the input, restore it, load its projects, then (for check and baseline) analyze.</summary>
internal static class Pipeline
{
    /// <summary>The input, restored and loaded, with progress on the console. The caller disposes the result.</summary>
    public static async Task<(Input Input, LoadedInput Loaded, Restorer.Result Restore, TimeSpan Load)> LoadAsync(CommonSettings settings, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var input = Input.Resolve(settings.Path);
        var clock = Stopwatch.StartNew();
        Restorer.Result restore = null!;
        LoadedInput loaded = null!;
        await console.Status().StartAsync("Restoring", async context =>
        {
            restore = await Restorer.EnsureRestoredAsync(input, settings.Properties, settings.NoRestore, cancellationToken);
            context.Status("Loading " + Path.GetFileName(input.Path));
            loaded = await ProjectLoader.LoadAsync(input, settings.Properties, settings.Exclude, project =>
            {
                context.Status("Loading " + Markup.Escape(project));
                console.MarkupLine($"[grey]loaded[/] {Markup.Escape(project)}");
            }, cancellationToken);
        });

        if (restore.Ran)
        {
            console.MarkupLine(restore.Failed
                ? $"[yellow]restore failed: {Markup.Escape(restore.FirstError ?? "see dotnet restore")}[/]"
                : "[grey]restored the projects that had no assets file[/]");
        }

        if (restore.Unrestored.Count > 0)
        {
            console.MarkupLine($"[yellow]{restore.Unrestored.Count} project(s) have no restored packages{(settings.NoRestore ? " (--no-restore)" : "")}: their package types will not resolve.[/]");
        }

        if (loaded.Projects.Count == 0)
        {
            loaded.Dispose();
            throw new UsageException(restore.Failed && restore.Unrestored.Count > 0
                ? $"restore failed and no C# project loaded: {restore.FirstError ?? "run dotnet restore to see why"}"
                : $"no C# project loaded from {Path.GetFileName(input.Path)}{(loaded.Failures.Count > 0 ? ": " + loaded.Failures[0].Reason : "")}");
        }

        return (input, loaded, restore, clock.Elapsed);
    }

    /// <summary>Analyzes the loaded projects with a progress bar per project.</summary>
    public static async Task<CheckResult> CheckAsync(Input input, LoadedInput loaded, Restorer.Result restore, TimeSpan load, Baseline? baseline, IAnsiConsole console, CancellationToken cancellationToken)
    {
        CheckResult result = null!;
        await console.Progress().AutoClear(true).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn()).StartAsync(async context =>
        {
            var task = context.AddTask("Analyzing", maxValue: loaded.Projects.Count);
            result = await Checker.RunAsync(input, loaded, baseline, load, (name, done, total) =>
            {
                task.Description = "Analyzing " + Markup.Escape(name);
                task.Value = done - 1;
            }, cancellationToken);
            task.Value = loaded.Projects.Count;
        });

        return new CheckResult
        {
            Findings = result.Findings,
            Projects = result.Projects,
            Failures = result.Failures,
            LoadWarnings = result.LoadWarnings,
            Excluded = result.Excluded,
            Stale = result.Stale,
            Load = result.Load,
            Compile = result.Compile,
            Analyze = result.Analyze,
            Restore = restore,
            AnalyzerExceptions = result.AnalyzerExceptions,
        };
    }

    /// <summary>The baseline at <paramref name="path"/>; null when there is none; a usage error when it cannot be read.</summary>
    public static Baseline? ReadBaseline(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        return Baseline.Parse(File.ReadAllText(path)) ?? throw new UsageException($"{path} is not a baseline this version can read");
    }
}
