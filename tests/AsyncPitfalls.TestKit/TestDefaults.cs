using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis.Testing;

namespace AsyncPitfalls.Tests;

/// <summary>Settings every test shares: one reference-assembly set for the whole suite, and where the repository is.</summary>
public static class TestDefaults
{
    /// <summary>.NET 8 reference assemblies: the oldest supported target that has ConfigureAwaitOptions.</summary>
    public static readonly ReferenceAssemblies ReferenceAssemblies = Microsoft.CodeAnalysis.Testing.ReferenceAssemblies.Net.Net80;

    /// <summary>.NET 6 reference assemblies: a framework without <c>ConfigureAwaitOptions</c>.</summary>
    public static readonly ReferenceAssemblies Net60 = new("net6.0", new PackageIdentity("Microsoft.NETCore.App.Ref", "6.0.36"), Path.Combine("ref", "net6.0"));

    public static string GlobalConfig(string body) => "is_global = true" + System.Environment.NewLine + body;

    /// <summary>The repository root, found by walking up from the test binaries to <c>Analyzers.sln</c>.</summary>
    public static string RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(System.AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Analyzers.sln")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new DirectoryNotFoundException("Analyzers.sln not found above the test binaries.");
        }
    }

    /// <summary>A path below the repository root.</summary>
    public static string RepositoryFile(params string[] parts)
        => Path.Combine(new[] { RepositoryRoot }.Concat(parts).ToArray());
}
