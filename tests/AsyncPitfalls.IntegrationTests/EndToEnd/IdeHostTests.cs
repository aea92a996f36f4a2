using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Build.Locator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.MSBuild;

namespace AsyncPitfalls.Tests;

/// <summary>
/// The editor path for quick fixes, the way Visual Studio and dotnet format load them: a Roslyn host opens the
/// restored consumer project with MSBuildWorkspace, loads the analyzers and code fixes from the package's DLLs
/// (not from this test's references), lists the fix titles offered for each ASYNC diagnostic, and applies one.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "EndToEnd")]
public class IdeHostTests
{
    private static readonly object LocatorGate = new();
    private readonly PackageFixture _fixture;

    public IdeHostTests(PackageFixture fixture)
    {
        _fixture = fixture;
    }

    /// <summary>The titles users see in the light bulb for each rule of the pitfalls sample.</summary>
    private static readonly IReadOnlyDictionary<string, string[]> ExpectedTitles = new Dictionary<string, string[]>
    {
        ["ASYNC001"] = new[] { "Await the call", "Fire and forget: discard the task" },
        ["ASYNC002"] = new[] { "Await 'spinner'" },
        ["ASYNC003"] = new[] { "Return Task instead of void" },
        ["ASYNC010"] = new[] { "Catch cancellation and leave the loop", "Don't throw on cancellation" },
        ["ASYNC011"] = new[] { "Stop the loop on cancellation", "Rethrow cancellation" },
        ["ASYNC020"] = new[] { "Use 'result' (writes shared state)", "Read 'resut' instead and remove the unused field 'result'" },
        ["ASYNC021"] = new[] { "Assign the outer 'elapsed' (writes shared state)" },
        ["ASYNC030"] = new[] { "Use 'await Task.Delay'" },
    };

    [Fact]
    public async Task PackageFixes_AreOfferedWithTheirTitles_AndApply()
    {
        lock (LocatorGate)
        {
            if (!MSBuildLocator.IsRegistered)
            {
                MSBuildLocator.RegisterDefaults();
            }
        }

        var project = await _fixture.CreateConsumerAsync("ide");
        var analyzerDirectory = Path.Combine(_fixture.PackagesCache, "asyncpitfalls.analyzers", PackageFixture.PackageVersion, "analyzers", "dotnet", "cs");
        var (analyzers, fixers) = LoadFromPackage(analyzerDirectory);
        Assert.NotEmpty(analyzers);
        Assert.NotEmpty(fixers);

        using var workspace = MSBuildWorkspace.Create();
        var opened = await workspace.OpenProjectAsync(Path.Combine(project, "Consumer.csproj"));
        var document = opened.Documents.Single(d => d.Name == "Program.cs");
        var compilation = await opened.GetCompilationAsync();
        Assert.NotNull(compilation);
        var diagnostics = (await compilation!.WithAnalyzers(analyzers, opened.AnalyzerOptions).GetAnalyzerDiagnosticsAsync())
            .Where(d => d.Id.StartsWith("ASYNC", StringComparison.Ordinal))
            .ToList();

        // Every pitfall of the sample, including one added later: a rule without expected titles fails here.
        foreach (var id in SampleExpectations.Pitfalls.Select(p => p.Id).Distinct())
        {
            Assert.True(ExpectedTitles.TryGetValue(id, out var titles), $"{id} is in the pitfalls sample: add the titles its light bulb must show");
            var diagnostic = diagnostics.FirstOrDefault(d => d.Id == id);
            Assert.True(diagnostic is not null, $"{id} was not reported in the IDE host");
            var offered = await OfferedTitlesAsync(document, diagnostic!, fixers);
            foreach (var title in titles!)
            {
                Assert.Contains(title, offered);
            }
        }

        // Apply one fix, as a click on the light bulb would: the misspelled result.
        var typo = diagnostics.Single(d => d.Id == "ASYNC020");
        var action = (await OfferedActionsAsync(document, typo, fixers)).Single(a => a.Title == "Use 'result' (writes shared state)");
        var operations = await action.GetOperationsAsync(CancellationToken.None);
        var applied = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution.GetDocument(document.Id)!;
        var text = (await applied.GetTextAsync()).ToString();
        Assert.Contains("result = await HeavyWorkAsync(seconds);", text, StringComparison.Ordinal);
        Assert.DoesNotContain("var resut", text, StringComparison.Ordinal);
    }

    private static (ImmutableArray<DiagnosticAnalyzer> Analyzers, ImmutableArray<CodeFixProvider> Fixers) LoadFromPackage(string directory)
    {
        var analyzers = ImmutableArray.CreateBuilder<DiagnosticAnalyzer>();
        var fixers = ImmutableArray.CreateBuilder<CodeFixProvider>();
        var loader = new IsolatedAnalyzerLoader(directory, "AsyncPitfalls package");
        foreach (var path in Directory.GetFiles(directory, "*.dll"))
        {
            var reference = new AnalyzerFileReference(path, loader);
            analyzers.AddRange(reference.GetAnalyzers(LanguageNames.CSharp));
            var assembly = reference.GetAssembly();
            Assert.Equal(Path.GetFullPath(path), Path.GetFullPath(assembly.Location));
            foreach (var type in assembly.GetTypes().Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t)
                && t.GetCustomAttribute<ExportCodeFixProviderAttribute>() is { } export && export.Languages.Contains(LanguageNames.CSharp)))
            {
                fixers.Add((CodeFixProvider)Activator.CreateInstance(type)!);
            }
        }

        return (analyzers.ToImmutable(), fixers.ToImmutable());
    }

    private static async Task<List<string>> OfferedTitlesAsync(Document document, Diagnostic diagnostic, ImmutableArray<CodeFixProvider> fixers)
        => (await OfferedActionsAsync(document, diagnostic, fixers)).Select(a => a.Title).ToList();

    private static async Task<List<CodeAction>> OfferedActionsAsync(Document document, Diagnostic diagnostic, ImmutableArray<CodeFixProvider> fixers)
    {
        var actions = new List<CodeAction>();
        foreach (var fixer in fixers.Where(f => f.FixableDiagnosticIds.Contains(diagnostic.Id)))
        {
            var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
            await fixer.RegisterCodeFixesAsync(context);
        }

        return actions;
    }
}
