using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;

namespace AsyncPitfalls.Tests;

/// <summary>How users meet the package on the command line: build warnings, -warnaserror, .editorconfig, SARIF, bulk fixes.</summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "EndToEnd")]
public class PackageConsumerTests
{
    private readonly PackageFixture _fixture;

    public PackageConsumerTests(PackageFixture fixture)
    {
        _fixture = fixture;
    }

    private static IEnumerable<(string Id, int Line)> ExpectedWarnings()
    {
        var lines = File.ReadAllLines(TestDefaults.RepositoryFile("samples", "Spinner.Pitfalls", "Program.cs"));
        return SampleExpectations.Warnings.Select(e => (e.Id, Array.FindIndex(lines, l => l.Contains(e.LineFragment, StringComparison.Ordinal)) + 1));
    }

    [Fact]
    public async Task Build_PrintsEachWarningWithFileAndLine_AndWarnAsErrorFails()
    {
        var project = await _fixture.CreateConsumerAsync("build");
        var build = await DotnetCli.RunAsync(project, null, "build", "--no-restore");
        Assert.True(build.ExitCode == 0, build.ToString());
        foreach (var (id, line) in ExpectedWarnings())
        {
            Assert.Matches(new Regex($@"Program\.cs\({line},\d+\): warning {id}:"), build.Output);
        }

        var strict = await DotnetCli.RunAsync(project, null, "build", "--no-restore", "-warnaserror", "--no-incremental");
        Assert.NotEqual(0, strict.ExitCode);
        foreach (var (id, line) in ExpectedWarnings())
        {
            Assert.Matches(new Regex($@"Program\.cs\({line},\d+\): error {id}:"), strict.Output);
        }
    }

    [Fact]
    public async Task EditorConfig_SilencesOneRule()
    {
        var silenced = SampleExpectations.Pitfalls.Any(e => e.Id == "ASYNC020") ? "ASYNC020" : "ASYNC001";
        var project = await _fixture.CreateConsumerAsync("editorconfig", new Dictionary<string, string>
        {
            [".editorconfig"] = $"root = true\n\n[*.cs]\ndotnet_diagnostic.{silenced}.severity = none\n",
        });
        var build = await DotnetCli.RunAsync(project, null, "build", "--no-restore");
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.DoesNotContain($"warning {silenced}:", build.Output, StringComparison.Ordinal);
        foreach (var (id, _) in ExpectedWarnings().Where(e => e.Id != silenced))
        {
            Assert.Contains($"warning {id}:", build.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ErrorLog_WritesSarifWithHelpUris()
    {
        var project = await _fixture.CreateConsumerAsync("sarif");
        var build = await DotnetCli.RunAsync(project, null, "build", "--no-restore", "-p:ErrorLog=out.sarif");
        Assert.True(build.ExitCode == 0, build.ToString());
        using var sarif = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(project, "out.sarif")));
        var helpUris = new Dictionary<string, string>();
        Collect(sarif.RootElement, helpUris);
        foreach (var (id, _) in ExpectedWarnings())
        {
            Assert.True(helpUris.TryGetValue(id, out var uri), $"SARIF has no rule entry with a help URI for {id}");
            Assert.EndsWith($"/docs/rules/{id}.md", uri, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Format_AppliesEveryBulkFix_ThenTheProjectAnswers42_AndOnlyTheReviewedFixIsLeft()
    {
        var project = await _fixture.CreateConsumerAsync("format");
        var before = await DotnetCli.RunAsync(project, null, "run", "--no-restore", "--", "--seconds", "0.3");
        Assert.True(before.ExitCode == 0, before.ToString());
        Assert.Contains("answer: 0", before.Output, StringComparison.Ordinal);

        // The README's command, as written there; it names every warning rule of the package.
        var command = ReadmeBulkCommand();
        Assert.Equal(new[] { "format", "analyzers" }, command.Take(2));
        foreach (var id in RuleCatalog.Rules.Where(d => d.DefaultSeverity == Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).Select(d => d.Id))
        {
            Assert.Contains(id, command);
        }

        var format = await DotnetCli.RunAsync(project, null, command);
        Assert.True(format.ExitCode == 0, format.ToString());
        var formatted = await File.ReadAllTextAsync(Path.Combine(project, "Program.cs"));

        // What remains is what the bulk contract leaves for a person: the shadowed 'elapsed', whose fix writes the outer
        // variable from a lambda (shared state), is offered in the editor and never applied unreviewed.
        var build = await DotnetCli.RunAsync(project, null, "build", "--no-restore");
        Assert.True(build.ExitCode == 0, build.ToString());
        var remaining = Regex.Matches(build.Output, @"warning (ASYNC\d{3}|CS\d{4})").Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.Equal(new[] { "ASYNC021" }, remaining);
        Assert.NotEqual(await File.ReadAllTextAsync(TestDefaults.RepositoryFile("samples", "Spinner.Pitfalls", "Program.cs")), formatted);

        // A second run changes nothing.
        var again = await DotnetCli.RunAsync(project, null, command);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(formatted, await File.ReadAllTextAsync(Path.Combine(project, "Program.cs")));

        var after = await DotnetCli.RunAsync(project, null, "run", "--no-build", "--", "--seconds", "0.3");
        Assert.True(after.ExitCode == 0, after.ToString());
        Assert.Contains("answer: 42", after.Output, StringComparison.Ordinal);
    }

    /// <summary>The arguments of the <c>dotnet</c> command in the README's "Fix in bulk" section.</summary>
    private static string[] ReadmeBulkCommand()
    {
        var readme = File.ReadAllText(TestDefaults.RepositoryFile("README.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var section = readme.Substring(readme.IndexOf("## Fix in bulk", StringComparison.Ordinal));
        var start = section.IndexOf("```shell\n", StringComparison.Ordinal) + "```shell\n".Length;
        var block = section.Substring(start, section.IndexOf("```", start, StringComparison.Ordinal) - start);
        var words = block.Replace("\\\n", " ", StringComparison.Ordinal).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("dotnet", words[0]);
        return words.Skip(1).ToArray();
    }

    /// <summary>Finds rule entries in SARIF 1.0 (runs[].rules as an object) or 2.1 (runs[].tool.driver.rules as an array).</summary>
    private static void Collect(JsonElement element, Dictionary<string, string> helpUris)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                if (element.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                    && element.TryGetProperty("helpUri", out var uri) && uri.ValueKind == JsonValueKind.String)
                {
                    helpUris[id.GetString()!] = uri.GetString()!;
                }

                foreach (var property in element.EnumerateObject())
                {
                    Collect(property.Value, helpUris);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, helpUris);
                }

                break;
        }
    }
}
