using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;

namespace AsyncPitfalls.Engine;

/// <summary>
/// Loads analyzer DLLs from one folder in their own load context, as the compiler server and the IDE do, so their
/// types come from that folder (a package's <c>analyzers/dotnet/cs</c>) and not from the host's references. Roslyn
/// itself is shared with the host.
/// </summary>
public sealed class IsolatedAnalyzerLoader : AssemblyLoadContext, IAnalyzerAssemblyLoader
{
    private readonly string _directory;

    public IsolatedAnalyzerLoader(string directory, string name)
        : base(name, isCollectible: false)
    {
        _directory = directory;
    }

    public void AddDependencyLocation(string fullPath)
    {
    }

    public Assembly LoadFromPath(string fullPath)
        => Assemblies.FirstOrDefault(a => string.Equals(a.Location, fullPath, StringComparison.Ordinal)) ?? LoadFromAssemblyPath(fullPath);

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var candidate = Path.Combine(_directory, assemblyName.Name + ".dll");
        return File.Exists(candidate) ? LoadFromPath(candidate) : null;
    }
}
