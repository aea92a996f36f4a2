using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace AsyncPitfalls.Cli.Loading;

/// <summary>
/// Runs <c>dotnet restore</c> when a project of the input has no assets file yet, as a build would: without restored
/// packages a compilation has unresolved types, and the rules both misfire and miss on such code.
/// </summary>
internal static class Restorer
{
    /// <summary>The outcome: whether a restore ran, and the first error line of one that failed.</summary>
    public sealed record Result(bool Ran, bool Failed, string? FirstError, IReadOnlyList<string> Unrestored);

    public static async Task<Result> EnsureRestoredAsync(Input input, IReadOnlyList<string> properties, bool noRestore, CancellationToken cancellationToken)
    {
        var projects = input.ProjectFiles().Where(p => p.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase) && File.Exists(p)).ToList();
        var missing = projects.Where(p => !HasAssets(p)).ToList();
        if (missing.Count == 0 || noRestore)
        {
            return new Result(false, false, null, missing);
        }

        var (exitCode, firstError) = await RestoreAsync(input.Path, properties, ignoreFailedSources: false, cancellationToken);

        // A package source that cannot be reached (a private feed, offline) fails every project the same way, after
        // NuGet's retries: restore once more from the sources that answer, instead of project by project.
        if (exitCode != 0 && IsUnreachableSource(firstError))
        {
            (exitCode, _) = await RestoreAsync(input.Path, properties, ignoreFailedSources: true, cancellationToken);
        }

        // One broken project fails a solution's restore before the others are restored: restore those one by one.
        else if (exitCode != 0 && input.IsSolution)
        {
            foreach (var project in projects.Where(p => !HasAssets(p)))
            {
                await RestoreAsync(project, properties, ignoreFailedSources: false, cancellationToken);
            }
        }

        var unrestored = projects.Where(p => !HasAssets(p)).ToList();
        return new Result(true, exitCode != 0, firstError, unrestored);
    }

    /// <summary>NU1301: "Unable to load the service index for source …".</summary>
    private static bool IsUnreachableSource(string? error) => error?.Contains("NU1301", StringComparison.Ordinal) == true;

    private static async Task<(int ExitCode, string? FirstError)> RestoreAsync(string path, IReadOnlyList<string> properties, bool ignoreFailedSources, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("restore");
        start.ArgumentList.Add(path);
        start.ArgumentList.Add("-nologo");
        if (ignoreFailedSources)
        {
            start.ArgumentList.Add("--ignore-failed-sources");
            start.ArgumentList.Add("-p:NuGetAudit=false");
        }

        foreach (var property in properties)
        {
            start.ArgumentList.Add(property.StartsWith("-p:", StringComparison.OrdinalIgnoreCase) ? property : "-p:" + property);
        }

        using var process = Process.Start(start) ?? throw new UsageException("could not start `dotnet restore`");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var text = (await output) + "\n" + (await errors);
        var firstError = text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Contains(": error ", StringComparison.Ordinal) || l.StartsWith("error", StringComparison.OrdinalIgnoreCase));
        return (process.ExitCode, firstError);
    }

    /// <summary>
    /// The project has the assets file a restore writes: in its <c>obj</c> folder, or under <c>artifacts/obj</c> of a
    /// folder above it (the SDK's artifacts layout).
    /// </summary>
    public static bool HasAssets(string project)
    {
        var directory = Path.GetDirectoryName(project)!;
        if (File.Exists(Path.Combine(directory, "obj", "project.assets.json")))
        {
            return true;
        }

        var name = Path.GetFileNameWithoutExtension(project);
        for (var current = new DirectoryInfo(directory); current is not null; current = current.Parent)
        {
            if (File.Exists(Path.Combine(current.FullName, "artifacts", "obj", name, "project.assets.json")))
            {
                return true;
            }
        }

        return false;
    }
}
