using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace AsyncPitfalls.Cli.Loading;

/// <summary>What the user asked to analyze: a solution (<c>.sln</c>, <c>.slnx</c>) or a C# project, and the folder it is in.</summary>
internal sealed class Input
{
    private static readonly string[] Solutions = { ".sln", ".slnx" };

    private Input(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        Root = System.IO.Path.GetDirectoryName(Path)!;
    }

    /// <summary>The full path of the solution or project.</summary>
    public string Path { get; }

    /// <summary>The folder of the solution or project: paths in reports and in the baseline are relative to it.</summary>
    public string Root { get; }

    public bool IsSolution => Solutions.Contains(System.IO.Path.GetExtension(Path), StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The input for <paramref name="argument"/>: a <c>.sln</c>, <c>.slnx</c> or <c>.csproj</c>, or a directory that holds
    /// exactly one solution (or, without a solution, exactly one <c>.csproj</c>). Anything else is a
    /// <see cref="UsageException"/> that says what to pass instead.
    /// </summary>
    public static Input Resolve(string? argument)
    {
        var path = string.IsNullOrWhiteSpace(argument) ? Directory.GetCurrentDirectory() : argument!;
        if (Directory.Exists(path))
        {
            return FromDirectory(path);
        }

        if (!File.Exists(path))
        {
            throw new UsageException($"no such file or directory: {path}");
        }

        var extension = System.IO.Path.GetExtension(path);
        if (extension.Equals(".csproj", StringComparison.OrdinalIgnoreCase) || Solutions.Contains(extension, StringComparer.OrdinalIgnoreCase))
        {
            return new Input(path);
        }

        if (extension is ".fsproj" or ".vbproj")
        {
            throw new UsageException($"{System.IO.Path.GetFileName(path)} is not a C# project: the AsyncPitfalls rules analyze C# only");
        }

        throw new UsageException($"{System.IO.Path.GetFileName(path)} is not a solution (.sln, .slnx) or a C# project (.csproj)");
    }

    private static Input FromDirectory(string directory)
    {
        var solutions = Solutions.SelectMany(e => Directory.GetFiles(directory, "*" + e)).Where(f => Solutions.Contains(System.IO.Path.GetExtension(f), StringComparer.OrdinalIgnoreCase)).OrderBy(f => f, StringComparer.Ordinal).ToList();
        if (solutions.Count == 1)
        {
            return new Input(solutions[0]);
        }

        if (solutions.Count > 1)
        {
            throw new UsageException($"{directory} holds several solutions ({string.Join(", ", solutions.Select(System.IO.Path.GetFileName))}): pass the one to analyze");
        }

        var projects = Directory.GetFiles(directory, "*.csproj").OrderBy(f => f, StringComparer.Ordinal).ToList();
        return projects.Count switch
        {
            1 => new Input(projects[0]),
            0 when Directory.GetFiles(directory, "*.fsproj").Concat(Directory.GetFiles(directory, "*.vbproj")).Any()
                => throw new UsageException($"{directory} holds no C# project: the AsyncPitfalls rules analyze C# only"),
            0 => throw new UsageException($"{directory} holds no solution (.sln, .slnx) and no C# project (.csproj): pass one"),
            _ => throw new UsageException($"{directory} holds several projects ({string.Join(", ", projects.Select(System.IO.Path.GetFileName))}) and no solution: pass the one to analyze"),
        };
    }

    /// <summary>The projects the input names: the solution's project files, or the project itself.</summary>
    public IReadOnlyList<string> ProjectFiles()
    {
        var extension = System.IO.Path.GetExtension(Path);
        if (extension.Equals(".csproj", StringComparison.OrdinalIgnoreCase))
        {
            return new[] { Path };
        }

        IEnumerable<string> relative;
        if (extension.Equals(".slnx", StringComparison.OrdinalIgnoreCase))
        {
            relative = XDocument.Load(Path).Descendants("Project").Select(p => (string?)p.Attribute("Path")).Where(p => p is not null).Select(p => p!);
        }
        else
        {
            relative = Regex.Matches(File.ReadAllText(Path), "^Project\\(\"[^\"]*\"\\)\\s*=\\s*\"[^\"]*\",\\s*\"([^\"]+\\.[a-z]+proj)\"", RegexOptions.Multiline | RegexOptions.IgnoreCase)
                .Select(m => m.Groups[1].Value);
        }

        return relative
            .Select(r => System.IO.Path.GetFullPath(System.IO.Path.Combine(Root, r.Replace('\\', System.IO.Path.DirectorySeparatorChar))))
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }
}
