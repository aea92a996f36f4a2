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
/// that every change of behaviour shows in review. A result that differs from its snapshot is written beside it as
/// <c>*.received.cs</c> and the test fails; the snapshot itself is never written by a test. Approving is a separate,
/// deliberate step: read the difference, then run <c>tools/approve-snapshots.sh</c> (see CONTRIBUTING.md).
/// </summary>
public class FixAllCorpusTests
{
    /// <summary>What <c>dotnet format analyzers --severity warn</c> runs: every rule that warns by default.</summary>
    private static readonly string[] Rules = RuleCatalog.Rules
        .Where(d => d.DefaultSeverity == DiagnosticSeverity.Warning)
        .Select(d => d.Id)
        .ToArray();

    private static string CorpusDirectory => TestDefaults.RepositoryFile("tests", "AsyncPitfalls.IntegrationTests", "Fixes", "Corpus");

    public static IEnumerable<object[]> Programs()
        => Directory.GetFiles(CorpusDirectory, "*.cs")
            .Where(f => !f.EndsWith(".fixed.cs", StringComparison.Ordinal) && !f.EndsWith(".received.cs", StringComparison.Ordinal))
            .Select(f => new object[] { Path.GetFileName(f) })
            .OrderBy(f => (string)f[0], StringComparer.Ordinal);

    [Fact]
    public void Corpus_HasAtLeastThirtyPrograms() => Assert.True(Programs().Count() >= 30);

    [Theory]
    [MemberData(nameof(Programs))]
    public async Task FixAll_IsSafeDeterministicIdempotentAndApproved(string name)
    {
        var source = await File.ReadAllTextAsync(Path.Combine(CorpusDirectory, name));
        var (solution, project) = await CorpusWorkspace.SolutionAsync((name, source));
        var before = await CorpusWorkspace.CompilerWarningsAsync(solution.GetProject(project)!);
        var errors = (await solution.GetProject(project)!.GetCompilationAsync())!.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, $"{name} does not compile: " + string.Join("; ", errors));

        var forward = await CorpusWorkspace.FixAsync(solution, project, Rules);
        var text = (await CorpusWorkspace.TextsAsync(forward, project))[name];

        // No new compiler error or warning.
        foreach (var pair in await CorpusWorkspace.CompilerWarningsAsync(forward.GetProject(project)!))
        {
            Assert.True(before.TryGetValue(pair.Key, out var count) && count >= pair.Value, $"{name}: the bulk fix added {pair.Key}\n{text}");
        }

        // The bulk contract: no new write to shared state, no public signature changed, no catch removed.
        var violations = await BulkContract.ViolationsAsync(solution.GetProject(project)!, forward.GetProject(project)!);
        Assert.True(violations.Count == 0, $"{name}: the bulk fix broke its contract: " + string.Join("; ", violations) + "\n" + text);

        // The same result in the reverse order of rules.
        var backward = await CorpusWorkspace.FixAsync(solution, project, Rules.Reverse());
        Assert.Equal(text, (await CorpusWorkspace.TextsAsync(backward, project))[name]);

        // A second pass changes nothing.
        var again = await CorpusWorkspace.FixAsync(forward, project, Rules);
        Assert.Equal(text, (await CorpusWorkspace.TextsAsync(again, project))[name]);

        // No warning left that an action safe in bulk could fix.
        var fixedProject = forward.GetProject(project)!;
        foreach (var diagnostic in await CorpusWorkspace.WarningsAsync(fixedProject))
        {
            var fixer = RuleCatalog.Fixers.OfType<AsyncPitfalls.CodeFixes.AsyncPitfallsCodeFix>().FirstOrDefault(f => f.FixableDiagnosticIds.Contains(diagnostic.Id));
            var document = fixedProject.GetDocument(diagnostic.Location.SourceTree)!;
            foreach (var option in fixer is null ? Enumerable.Empty<AsyncPitfalls.CodeFixes.FixOption>() : (await fixer.OptionsAsync(document, diagnostic, default)).Where(o => o.Bulk))
            {
                Assert.Null(await fixer!.ApplyVerifiedAsync(document, diagnostic, option.Key, default));
            }
        }

        // The approved snapshot. A difference is written beside it as *.received.cs, for a person to read and approve.
        var stem = Path.Combine(CorpusDirectory, Path.GetFileNameWithoutExtension(name));
        var snapshot = stem + ".fixed.cs";
        var received = stem + ".received.cs";
        var approved = File.Exists(snapshot) ? (await File.ReadAllTextAsync(snapshot)).Replace("\r\n", "\n", StringComparison.Ordinal) : null;
        var actual = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (approved == actual)
        {
            File.Delete(received);
            return;
        }

        await File.WriteAllTextAsync(received, actual);
        Assert.Fail(approved is null
            ? $"{name} has no approved snapshot. The result is in {Path.GetFileName(received)}: read it, then approve it with tools/approve-snapshots.sh."
            : $"{name} no longer gives its approved snapshot. The result is in {Path.GetFileName(received)}: compare it with {Path.GetFileName(snapshot)}, then fix the code or approve it with tools/approve-snapshots.sh.");
    }
}
