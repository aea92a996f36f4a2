using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AsyncPitfalls.Tests;

/// <summary>Our own code runs every rule and comes out clean: the analyzers, the fixes, the tools and the tests.</summary>
public class DogfoodTests
{
    [Theory]
    [InlineData("src/AsyncPitfalls.Analyzers")]
    [InlineData("src/AsyncPitfalls.CodeFixes")]
    [InlineData("src/AsyncPitfalls.Engine")]
    [InlineData("tools/AsyncPitfalls.Generate")]
    [InlineData("tests/AsyncPitfalls.TestKit")]
    [InlineData("tests/AsyncPitfalls.Tests")]
    [InlineData("tests/AsyncPitfalls.IntegrationTests")]
    public async Task OwnCode_HasNoDiagnosticFromAnyRule(string folder)
    {
        var root = TestDefaults.RepositoryRoot;
        var files = Directory.GetFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                // The Fix-All corpus is test data full of pitfalls on purpose, compiled one program at a time by its test.
                && !f.Contains($"{Path.DirectorySeparatorChar}Corpus{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(files);

        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = files.Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), parse, path: f)).ToList();

        // What the project file adds: its global usings, and whether it is a program.
        var assemblyName = Path.GetFileName(folder);
        var project = System.Xml.Linq.XDocument.Load(Path.Combine(root, folder, assemblyName + ".csproj"));
        var usings = project.Descendants("Using").Select(u => $"global using {u.Attribute("Include")!.Value};");
        trees.Add(CSharpSyntaxTree.ParseText(string.Join("\n", usings), parse, path: "GlobalUsings.cs"));
        var kind = project.Descendants("OutputType").Any(o => o.Value == "Exe") ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary;
        var compilation = CSharpCompilation.Create(
            assemblyName,
            trees,
            HostReferences(assemblyName),
            new CSharpCompilationOptions(kind, nullableContextOptions: NullableContextOptions.Enable));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Take(5).ToList();
        Assert.True(errors.Count == 0, "The dog-food compilation must bind, or the rules see nothing:\n" + string.Join("\n", errors));

        var diagnostics = await AnalyzerRunner.RunAsync(compilation, AnalyzerRunner.AllAnalyzers());
        var ours = diagnostics.Where(d => d.Id.StartsWith("ASYNC", StringComparison.Ordinal) && !d.IsSuppressed || d.Id == "AD0001").ToList();
        Assert.True(ours.Count == 0, string.Join("\n", ours));
    }

    /// <summary>The framework and every assembly next to the tests (Roslyn, xunit, the testing library).</summary>
    private static IEnumerable<MetadataReference> HostReferences(string compiledAssembly)
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var local = Directory.GetFiles(AppContext.BaseDirectory, "*.dll");
        return platform.Concat(local)
            .GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Select(g => g.First())
            .Where(p => !string.Equals(Path.GetFileNameWithoutExtension(p), compiledAssembly, StringComparison.OrdinalIgnoreCase))
            .Select(p => MetadataReference.CreateFromFile(p));
    }
}
