using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;

namespace AsyncPitfalls.Tests;

/// <summary>
/// Fix All over realistic programs (<c>Fixes/Corpus</c>), applied as <c>dotnet format analyzers --severity warn</c>
/// applies it: every rule, the first action's key, solution scope. For each program: no new compiler error or
/// warning, no warning left that had an action safe in bulk, the same result whichever order the rules run in, a
/// second pass that changes nothing, and a result equal to the approved snapshot beside it (<c>*.fixed.cs</c>), so
/// that every change of behaviour shows in review. <c>ASYNCPITFALLS_WRITE_GENERATED=1</c> rewrites the snapshots.
/// </summary>
public class FixAllCorpusTests
{
    /// <summary>What <c>dotnet format analyzers --severity warn</c> runs: every rule that warns by default.</summary>
    private static readonly string[] Rules = RuleCatalog.DistinctDescriptors
        .Where(d => d.DefaultSeverity == DiagnosticSeverity.Warning)
        .Select(d => d.Id)
        .ToArray();

    private static string CorpusDirectory => RuleCatalog.RepositoryFile("tests", "AsyncPitfalls.Tests", "Fixes", "Corpus");

    public static IEnumerable<object[]> Programs()
        => Directory.GetFiles(CorpusDirectory, "*.cs")
            .Where(f => !f.EndsWith(".fixed.cs", StringComparison.Ordinal))
            .Select(f => new object[] { Path.GetFileName(f) })
            .OrderBy(f => (string)f[0], StringComparer.Ordinal);

    [Fact]
    public void Corpus_HasAtLeastThirtyPrograms() => Assert.True(Programs().Count() >= 30);

    [Theory]
    [MemberData(nameof(Programs))]
    public async Task FixAll_IsSafeDeterministicIdempotentAndApproved(string name)
    {
        var source = await File.ReadAllTextAsync(Path.Combine(CorpusDirectory, name));
        var (solution, project) = await BulkFormatter.SolutionAsync((name, source));
        var before = await BulkFormatter.CompilerWarningsAsync(solution.GetProject(project)!);
        var errors = (await solution.GetProject(project)!.GetCompilationAsync())!.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, $"{name} does not compile: " + string.Join("; ", errors));

        var forward = await BulkFormatter.FixAsync(solution, project, Rules);
        var text = (await BulkFormatter.TextsAsync(forward, project))[name];

        // No new compiler error or warning.
        foreach (var pair in await BulkFormatter.CompilerWarningsAsync(forward.GetProject(project)!))
        {
            Assert.True(before.TryGetValue(pair.Key, out var count) && count >= pair.Value, $"{name}: the bulk fix added {pair.Key}\n{text}");
        }

        // The same result in the reverse order of rules.
        var backward = await BulkFormatter.FixAsync(solution, project, Rules.Reverse());
        Assert.Equal(text, (await BulkFormatter.TextsAsync(backward, project))[name]);

        // A second pass changes nothing.
        var again = await BulkFormatter.FixAsync(forward, project, Rules);
        Assert.Equal(text, (await BulkFormatter.TextsAsync(again, project))[name]);

        // No warning left that an action safe in bulk could fix.
        var fixedProject = forward.GetProject(project)!;
        foreach (var diagnostic in await BulkFormatter.WarningsAsync(fixedProject))
        {
            var fixer = BulkFormatter.Fixers.OfType<AsyncPitfalls.CodeFixes.AsyncPitfallsCodeFix>().FirstOrDefault(f => f.FixableDiagnosticIds.Contains(diagnostic.Id));
            var document = fixedProject.GetDocument(diagnostic.Location.SourceTree)!;
            foreach (var option in fixer is null ? Enumerable.Empty<AsyncPitfalls.CodeFixes.FixOption>() : (await fixer.OptionsAsync(document, diagnostic, default)).Where(o => o.Bulk))
            {
                Assert.Null(await fixer!.ApplyVerifiedAsync(document, diagnostic, option.Key, default));
            }
        }

        // The approved snapshot.
        var snapshot = Path.Combine(CorpusDirectory, Path.GetFileNameWithoutExtension(name) + ".fixed.cs");
        if (Environment.GetEnvironmentVariable("ASYNCPITFALLS_WRITE_GENERATED") == "1")
        {
            await File.WriteAllTextAsync(snapshot, text);
        }

        Assert.True(File.Exists(snapshot), $"no approved snapshot for {name}: run with ASYNCPITFALLS_WRITE_GENERATED=1 and review it");
        Assert.Equal((await File.ReadAllTextAsync(snapshot)).Replace("\r\n", "\n", StringComparison.Ordinal), text.Replace("\r\n", "\n", StringComparison.Ordinal));
    }
}
