using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.MSBuild;
using Microsoft.Extensions.FileSystemGlobbing;

namespace AsyncPitfalls.Cli.Loading;

/// <summary>One loaded project: a C# project file in one of its target frameworks.</summary>
internal sealed record LoadedProject(Project Project, string FilePath, string? TargetFramework, bool IsTest)
{
    public string Name => Path.GetFileNameWithoutExtension(FilePath);
}

/// <summary>A project file that did not load, and why.</summary>
internal sealed record ProjectFailure(string FilePath, string Reason);

/// <summary>What the loader produced: the solution and its C# projects, the ones left out, and the ones that failed.</summary>
internal sealed class LoadedInput : IDisposable
{
    public LoadedInput(MSBuildWorkspace workspace, Solution solution, IReadOnlyList<LoadedProject> projects, IReadOnlyList<string> excluded, IReadOnlyList<ProjectFailure> failures, IReadOnlyList<ProjectFailure> warnings)
    {
        Workspace = workspace;
        Solution = solution;
        Projects = projects;
        Excluded = excluded;
        Failures = failures;
        Warnings = warnings;
    }

    public MSBuildWorkspace Workspace { get; }

    public Solution Solution { get; }

    public IReadOnlyList<LoadedProject> Projects { get; }

    /// <summary>Project files left out by <c>--exclude</c>.</summary>
    public IReadOnlyList<string> Excluded { get; }

    /// <summary>Projects that did not load.</summary>
    public IReadOnlyList<ProjectFailure> Failures { get; }

    /// <summary>
    /// What went wrong while loading projects that did load anyway (a package version that was not found exactly, a
    /// source-link task that failed): the project is analyzed, and the message is kept for the summary.
    /// </summary>
    public IReadOnlyList<ProjectFailure> Warnings { get; }

    public void Dispose() => Workspace.Dispose();
}

/// <summary>
/// Loads the input the way the IDE and <c>dotnet format</c> do: MSBuildWorkspace evaluates each project with the
/// SDK that Microsoft.Build.Locator found, with the user's <c>-p:</c> properties, every target framework of a
/// multi-targeted project, test projects included.
/// </summary>
internal static class ProjectLoader
{
    private static readonly string[] TestFrameworkAssemblies =
    {
        "xunit.core", "xunit.v3.core", "nunit.framework", "Microsoft.VisualStudio.TestPlatform.TestFramework", "TUnit.Core", "Microsoft.Testing.Platform",
    };

    public static async Task<LoadedInput> LoadAsync(Input input, IReadOnlyList<string> properties, IReadOnlyList<string> excludes, Action<string> onProject, CancellationToken cancellationToken)
    {
        var globalProperties = properties.Select(ParseProperty).ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);
        var workspace = MSBuildWorkspace.Create(globalProperties);
        var failures = new List<ProjectFailure>();
        workspace.RegisterWorkspaceFailedHandler(e =>
        {
            if (e.Diagnostic.Kind == WorkspaceDiagnosticKind.Failure)
            {
                lock (failures)
                {
                    failures.Add(new ProjectFailure(ProjectOf(e.Diagnostic.Message) ?? input.Path, OneLine(e.Diagnostic.Message)));
                }
            }
        });

        var progress = new Progress<ProjectLoadProgress>(p =>
        {
            if (p.Operation == ProjectLoadOperation.Resolve)
            {
                onProject(Path.GetFileName(p.FilePath) + (p.TargetFramework is { } tfm ? $" ({tfm})" : ""));
            }
        });

        Solution solution;
        try
        {
            solution = input.IsSolution
                ? await workspace.OpenSolutionAsync(input.Path, progress: progress, cancellationToken: cancellationToken)
                : (await workspace.OpenProjectAsync(input.Path, progress: progress, cancellationToken: cancellationToken)).Solution;
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or ArgumentException)
        {
            workspace.Dispose();
            throw new UsageException($"{Path.GetFileName(input.Path)} could not be loaded: {OneLine(ex.Message)}");
        }

        var matcher = new Matcher(StringComparison.OrdinalIgnoreCase);
        matcher.AddIncludePatterns(excludes);
        var projects = new List<LoadedProject>();
        var excluded = new SortedSet<string>(StringComparer.Ordinal);
        // A project given alone is analyzed alone: the projects it references are loaded to compile it, not analyzed.
        var candidates = solution.Projects.Where(p => p.Language == LanguageNames.CSharp && p.FilePath is not null
            && (input.IsSolution || string.Equals(Path.GetFullPath(p.FilePath), input.Path, StringComparison.Ordinal)));
        foreach (var project in candidates.OrderBy(p => p.FilePath, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(input.Root, project.FilePath!).Replace('\\', '/');
            if (excludes.Count > 0 && (matcher.Match(relative).HasMatches || matcher.Match(Path.GetFileName(relative)).HasMatches || matcher.Match(Path.GetFileNameWithoutExtension(relative)).HasMatches))
            {
                excluded.Add(project.FilePath!);
                continue;
            }

            projects.Add(new LoadedProject(project, project.FilePath!, TargetFrameworkOf(project), IsTestProject(project)));
        }

        // A solution's projects that are not C# (F#, VB) never reach the workspace: name them as not loaded.
        if (input.IsSolution)
        {
            var loaded = new HashSet<string>(solution.Projects.Select(p => p.FilePath ?? ""), StringComparer.Ordinal);
            foreach (var file in input.ProjectFiles().Where(f => !loaded.Contains(f) && !failures.Any(x => x.FilePath == f)))
            {
                failures.Add(new ProjectFailure(file, file.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase) ? "not loaded" : "not a C# project"));
            }
        }

        // A failure reported for a project that is in the solution anyway did not stop it from loading.
        var inSolution = new HashSet<string>(solution.Projects.Where(p => p.FilePath is not null && p.DocumentIds.Count > 0).Select(p => Path.GetFullPath(p.FilePath!)), StringComparer.Ordinal);
        var distinct = failures.GroupBy(f => f.FilePath).Select(g => g.First()).ToList();
        return new LoadedInput(workspace, solution, projects, excluded.ToList(),
            distinct.Where(f => !inSolution.Contains(f.FilePath)).ToList(),
            distinct.Where(f => inSolution.Contains(f.FilePath)).ToList());
    }

    /// <summary><c>Name=Value</c>, with the leading <c>-p:</c> or <c>/p:</c> optional.</summary>
    private static KeyValuePair<string, string> ParseProperty(string text)
    {
        var body = Regex.Replace(text, "^[-/](p|property):", "", RegexOptions.IgnoreCase);
        var equals = body.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new UsageException($"'{text}' is not a property: write Name=Value, as in -p:Configuration=Release");
        }

        return new KeyValuePair<string, string>(body[..equals].Trim(), body[(equals + 1)..].Trim());
    }

    /// <summary>MSBuildWorkspace names each target framework's project <c>Name(net8.0)</c>.</summary>
    private static string? TargetFrameworkOf(Project project)
        => Regex.Match(project.Name, @"\(([^()]+)\)$") is { Success: true } match ? match.Groups[1].Value : null;

    /// <summary>A project that references a test framework: what <c>dotnet test</c> would run.</summary>
    private static bool IsTestProject(Project project)
        => project.MetadataReferences.OfType<PortableExecutableReference>()
            .Any(r => r.FilePath is { } path && TestFrameworkAssemblies.Contains(Path.GetFileNameWithoutExtension(path), StringComparer.OrdinalIgnoreCase));

    private static string? ProjectOf(string message)
        => Regex.Match(message, @"'([^']+\.[a-z]+proj)'", RegexOptions.IgnoreCase) is { Success: true } match ? Path.GetFullPath(match.Groups[1].Value) : null;

    private static string OneLine(string text)
        => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? text;
}
