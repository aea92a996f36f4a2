using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AsyncPitfalls.Benchmarks;

/// <summary>
/// A checked-out repository as compilations, without building it or changing a file: one compilation per project
/// (<c>*.csproj</c>) of its sources, in project-reference order, against the .NET and ASP.NET Core reference packs of
/// the SDK that runs this tool. Test and benchmark projects are left out. NuGet packages are not restored, so types
/// from them stay unresolved; <see cref="ProjectCompilation.FilesWithUnresolvedTypes"/> counts the files affected.
/// </summary>
internal sealed class RepositoryCorpus
{
    private static readonly string[] ImplicitUsings = { "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks" };

    private static readonly string[] WebImplicitUsings =
    {
        "System.Net.Http.Json", "Microsoft.AspNetCore.Builder", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Http", "Microsoft.AspNetCore.Routing",
        "Microsoft.Extensions.Configuration", "Microsoft.Extensions.DependencyInjection", "Microsoft.Extensions.Hosting", "Microsoft.Extensions.Logging",
    };

    private static readonly string[] WorkerImplicitUsings = { "Microsoft.Extensions.Configuration", "Microsoft.Extensions.DependencyInjection", "Microsoft.Extensions.Hosting", "Microsoft.Extensions.Logging" };

    /// <summary>The preprocessor symbols of a net10.0 build, so that code behind <c>#if NET8_0_OR_GREATER</c> is seen.</summary>
    private static readonly string[] PreprocessorSymbols = new[] { "NET", "NETCOREAPP", "NET10_0", "RELEASE", "TRACE" }
        .Concat(new[] { "NETCOREAPP1_0", "NETCOREAPP1_1", "NETCOREAPP2_0", "NETCOREAPP2_1", "NETCOREAPP2_2", "NETCOREAPP3_0", "NETCOREAPP3_1" }.Select(s => s + "_OR_GREATER"))
        .Concat(Enumerable.Range(5, 6).Select(v => $"NET{v}_0_OR_GREATER"))
        .ToArray();

    private RepositoryCorpus(string root, ImmutableArray<ProjectCompilation> projects)
    {
        Root = root;
        Projects = projects;
    }

    public string Root { get; }

    public string Name => Path.GetFileName(Root.TrimEnd(Path.DirectorySeparatorChar));

    public ImmutableArray<ProjectCompilation> Projects { get; }

    public int Files => Projects.Sum(p => p.Compilation.SyntaxTrees.Count());

    public int Lines => Projects.Sum(p => p.Lines);

    /// <summary>The reference assemblies of the running SDK: Microsoft.NETCore.App.Ref and Microsoft.AspNetCore.App.Ref.</summary>
    public static ImmutableArray<MetadataReference> FrameworkReferences()
    {
        var runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var version = Path.GetFileName(runtimeDirectory);
        var dotnetRoot = Path.GetFullPath(Path.Combine(runtimeDirectory, "..", "..", ".."));
        var references = new List<MetadataReference>();
        foreach (var pack in new[] { "Microsoft.NETCore.App.Ref", "Microsoft.AspNetCore.App.Ref" })
        {
            var packRoot = Path.Combine(dotnetRoot, "packs", pack);
            var versionDirectory = Directory.Exists(Path.Combine(packRoot, version))
                ? Path.Combine(packRoot, version)
                : Directory.GetDirectories(packRoot).OrderBy(d => d, StringComparer.Ordinal).Last();
            var refDirectory = Directory.GetDirectories(Path.Combine(versionDirectory, "ref")).Single();
            references.AddRange(Directory.GetFiles(refDirectory, "*.dll").Select(f => MetadataReference.CreateFromFile(f)));
        }

        return references.ToImmutableArray();
    }

    public static RepositoryCorpus Load(string root, ImmutableArray<MetadataReference> framework)
    {
        root = Path.GetFullPath(root);
        var allProjectFiles = Directory.GetFiles(root, "*.csproj", SearchOption.AllDirectories);

        // Every project's folder, excluded ones too, so that no project sweeps up another one's files.
        var projectDirectories = allProjectFiles.Select(Path.GetDirectoryName).ToHashSet(StringComparer.Ordinal);
        var projectFiles = allProjectFiles
            .Where(p => !IsExcluded(Path.GetRelativePath(root, p)))
            .OrderBy(p => p, StringComparer.Ordinal)
            .ToList();
        var byPath = projectFiles.ToDictionary(p => p, p => ProjectFile.Read(p, root), StringComparer.Ordinal);

        var compiled = new Dictionary<string, ProjectCompilation>(StringComparer.Ordinal);
        var visiting = new HashSet<string>(StringComparer.Ordinal);
        ProjectCompilation? Compile(string path)
        {
            if (compiled.TryGetValue(path, out var done))
            {
                return done;
            }

            if (!byPath.TryGetValue(path, out var project) || !visiting.Add(path))
            {
                return null;
            }

            var references = framework.ToList();
            foreach (var reference in project.ProjectReferences)
            {
                if (Compile(reference) is { } dependency)
                {
                    references.Add(dependency.Compilation.ToMetadataReference());
                }
            }

            var result = project.Compile(projectDirectories, references);
            compiled[path] = result;
            return result;
        }

        foreach (var path in projectFiles)
        {
            Compile(path);
        }

        return new RepositoryCorpus(root, compiled.Values.Where(p => p.Compilation.SyntaxTrees.Any()).OrderBy(p => p.Name, StringComparer.Ordinal).ToImmutableArray());
    }

    /// <summary>Tests, benchmarks and build tooling are not the product code that users ship.</summary>
    private static bool IsExcluded(string relativePath)
        => Regex.IsMatch(relativePath, @"(^|[\\/.])(tests?|benchmarks?|unittests?|integrationtests?|fuzz\w*)([\\/.]|$)", RegexOptions.IgnoreCase)
            || Regex.IsMatch(Path.GetFileNameWithoutExtension(relativePath), @"Tests?$|Benchmarks?$", RegexOptions.IgnoreCase);

    /// <summary>What this tool reads from a project file: its name, SDK, usings and project references.</summary>
    private sealed class ProjectFile
    {
        private ProjectFile(string path, string assemblyName, bool implicitUsings, string sdk, List<string> usings, List<string> projectReferences)
        {
            Path = path;
            AssemblyName = assemblyName;
            UsesImplicitUsings = implicitUsings;
            Sdk = sdk;
            Usings = usings;
            ProjectReferences = projectReferences;
        }

        public string Path { get; }
        public string AssemblyName { get; }
        public bool UsesImplicitUsings { get; }
        public string Sdk { get; }
        public List<string> Usings { get; }
        public List<string> ProjectReferences { get; }

        public static ProjectFile Read(string path, string root)
        {
            var text = File.ReadAllText(path);

            // Directory.Build.props files between the project and the repository root may set ImplicitUsings or Using items.
            var inherited = new List<string>();
            for (var directory = System.IO.Path.GetDirectoryName(path); directory is not null && directory.Length >= root.Length; directory = System.IO.Path.GetDirectoryName(directory))
            {
                var props = System.IO.Path.Combine(directory, "Directory.Build.props");
                if (File.Exists(props))
                {
                    inherited.Add(File.ReadAllText(props));
                }
            }

            var all = string.Join("\n", inherited.Prepend(text));
            var implicitUsings = Regex.IsMatch(all, @"<ImplicitUsings>\s*(enable|true)\s*</ImplicitUsings>", RegexOptions.IgnoreCase);
            var sdk = Regex.Match(text, "<Project\\s+Sdk=\"([^\"]+)\"").Groups[1].Value;
            var usings = Regex.Matches(all, "<Using\\s+Include=\"([^\"]+)\"\\s*/>").Select(m => m.Groups[1].Value).ToList();
            var assemblyName = Regex.Match(text, "<AssemblyName>([^<$]+)</AssemblyName>") is { Success: true } name
                ? name.Groups[1].Value.Trim()
                : System.IO.Path.GetFileNameWithoutExtension(path);
            var directoryOfProject = System.IO.Path.GetDirectoryName(path)!;
            var references = Regex.Matches(text, "<ProjectReference\\s+Include=\"([^\"]+)\"")
                .Select(m => System.IO.Path.GetFullPath(System.IO.Path.Combine(directoryOfProject, m.Groups[1].Value.Replace('\\', System.IO.Path.DirectorySeparatorChar))))
                .ToList();
            return new ProjectFile(path, assemblyName, implicitUsings, sdk, usings, references);
        }

        public ProjectCompilation Compile(HashSet<string?> projectDirectories, List<MetadataReference> references)
        {
            var directory = System.IO.Path.GetDirectoryName(Path)!;
            var parse = new CSharpParseOptions(LanguageVersion.Latest, preprocessorSymbols: PreprocessorSymbols);
            var trees = new List<SyntaxTree>();
            foreach (var file in SourceFiles(directory, projectDirectories))
            {
                trees.Add(CSharpSyntaxTree.ParseText(File.ReadAllText(file), parse, path: file));
            }

            var globalUsings = new List<string>(Usings);
            if (UsesImplicitUsings)
            {
                globalUsings.AddRange(ImplicitUsings);
                globalUsings.AddRange(Sdk.EndsWith(".Web", StringComparison.OrdinalIgnoreCase) ? WebImplicitUsings : Sdk.EndsWith(".Worker", StringComparison.OrdinalIgnoreCase) ? WorkerImplicitUsings : Array.Empty<string>());
            }

            if (globalUsings.Count > 0 && trees.Count > 0)
            {
                trees.Add(CSharpSyntaxTree.ParseText(string.Concat(globalUsings.Distinct().Select(u => $"global using global::{u};\n")), parse, path: System.IO.Path.Combine(directory, "obj", "GlobalUsings.g.cs")));
            }

            var compilation = CSharpCompilation.Create(
                AssemblyName,
                trees,
                references,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true, concurrentBuild: false));
            return new ProjectCompilation(System.IO.Path.GetFileNameWithoutExtension(Path), compilation);
        }

        /// <summary>The project's .cs files: below its folder, but not below another project's folder, bin or obj.</summary>
        private static IEnumerable<string> SourceFiles(string directory, HashSet<string?> projectDirectories)
        {
            var pending = new Stack<string>();
            pending.Push(directory);
            while (pending.Count > 0)
            {
                var current = pending.Pop();
                foreach (var file in Directory.GetFiles(current, "*.cs").OrderBy(f => f, StringComparer.Ordinal))
                {
                    yield return file;
                }

                foreach (var child in Directory.GetDirectories(current))
                {
                    var name = System.IO.Path.GetFileName(child);
                    if (name is "bin" or "obj" || name.StartsWith('.') || projectDirectories.Contains(child))
                    {
                        continue;
                    }

                    pending.Push(child);
                }
            }
        }
    }
}

/// <summary>One project of a repository, compiled.</summary>
internal sealed class ProjectCompilation
{
    private static readonly ImmutableHashSet<string> UnresolvedTypeErrors = ImmutableHashSet.Create("CS0246", "CS0234", "CS0400", "CS0012", "CS1061", "CS0103", "CS0117");

    public ProjectCompilation(string name, CSharpCompilation compilation)
    {
        Name = name;
        Compilation = compilation;
        Lines = compilation.SyntaxTrees.Sum(t => t.GetText().Lines.Count);
    }

    public string Name { get; }

    public CSharpCompilation Compilation { get; }

    public int Lines { get; }

    /// <summary>Source files with an error that says a type, namespace or member could not be resolved.</summary>
    public int FilesWithUnresolvedTypes()
        => Compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error && UnresolvedTypeErrors.Contains(d.Id) && d.Location.SourceTree is not null)
            .Select(d => d.Location.SourceTree!.FilePath)
            .Distinct(StringComparer.Ordinal)
            .Count();
}
