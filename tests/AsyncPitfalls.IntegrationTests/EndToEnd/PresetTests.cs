using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;

namespace AsyncPitfalls.Tests;

/// <summary>
/// The presets (AsyncPitfallsAnalysisMode) and the overlap switch (AsyncPitfallsReplaceOverlappingRules), on a
/// consumer project built against the packed package: what a user sets is what the compiler gets.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "EndToEnd")]
public class PresetTests
{
    private readonly PackageFixture _fixture;

    public PresetTests(PackageFixture fixture)
    {
        _fixture = fixture;
    }

    private static IEnumerable<string> WarningRules => SampleExpectations.Warnings.Select(e => e.Id).Distinct();

    private static bool Reports(string output, string severity, string id) => Regex.IsMatch(output, $@"Program\.cs\(\d+,\d+\): {severity} {id}:");

    [Fact]
    public async Task Strict_InTheProjectFile_TurnsEachWarningIntoAnError()
    {
        var project = await _fixture.CreateConsumerAsync("strict", projectProperties: "<AsyncPitfallsAnalysisMode>strict</AsyncPitfallsAnalysisMode>");
        var build = await DotnetCli.RunAsync(project, null, "build", "--no-restore", "--no-incremental");
        Assert.NotEqual(0, build.ExitCode);
        foreach (var id in WarningRules)
        {
            Assert.True(Reports(build.Output, "error", id), $"{id} is not an error under strict:\n{build.Output}");
        }
    }

    [Fact]
    public async Task None_OnTheCommandLine_SilencesEveryRule_AndAPerRuleLineStillWins()
    {
        var project = await _fixture.CreateConsumerAsync("none", new Dictionary<string, string>
        {
            [".editorconfig"] = "root = true\n\n[*.cs]\ndotnet_diagnostic.ASYNC030.severity = warning\n",
        });
        var build = await DotnetCli.RunAsync(project, null, "build", "--no-restore", "--no-incremental", "-p:AsyncPitfallsAnalysisMode=none");
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.True(Reports(build.Output, "warning", "ASYNC030"), build.Output);
        foreach (var id in WarningRules.Where(id => id != "ASYNC030"))
        {
            Assert.False(Reports(build.Output, "warning", id), $"{id} still reports under none:\n{build.Output}");
        }
    }

    [Fact]
    public async Task Strict_APerRuleEditorConfigLineWins()
    {
        var project = await _fixture.CreateConsumerAsync("strict-editorconfig", new Dictionary<string, string>
        {
            [".editorconfig"] = "root = true\n\n[*.cs]\ndotnet_diagnostic.ASYNC020.severity = none\n",
        });
        var build = await DotnetCli.RunAsync(project, null, "build", "--no-restore", "--no-incremental", "-p:AsyncPitfallsAnalysisMode=Strict");
        Assert.False(Reports(build.Output, "error", "ASYNC020") || Reports(build.Output, "warning", "ASYNC020"), build.Output);
        Assert.True(Reports(build.Output, "error", "ASYNC030"), build.Output);
    }

    [Fact]
    public async Task NoMode_ACategoryLevelSettingIsHonoured()
    {
        var project = await _fixture.CreateConsumerAsync("category", new Dictionary<string, string>
        {
            [".editorconfig"] = "root = true\n\n[*.cs]\ndotnet_analyzer_diagnostic.category-Reliability.severity = none\n",
        });
        var build = await DotnetCli.RunAsync(project, null, "build", "--no-restore", "--no-incremental");
        Assert.True(build.ExitCode == 0, build.ToString());
        var descriptors = RuleCatalog.Rules.ToDictionary(d => d.Id);
        foreach (var id in WarningRules)
        {
            var expected = descriptors[id].Category != "Reliability";
            Assert.True(expected == Reports(build.Output, "warning", id), $"{id} ({descriptors[id].Category}):\n{build.Output}");
        }
    }

    [Fact]
    public async Task UnknownMode_Warns()
    {
        var project = await _fixture.CreateConsumerAsync("unknown", projectProperties: "<AsyncPitfallsAnalysisMode>loud</AsyncPitfallsAnalysisMode>");
        var build = await DotnetCli.RunAsync(project, null, "build", "--no-restore", "--no-incremental");
        Assert.Contains("warning ASYNCPKG01", build.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplaceOverlappingRules_TurnsOffThePeerRulesThatOursCover()
    {
        const string peer = """<PackageReference Include="Microsoft.VisualStudio.Threading.Analyzers" Version="18.12.1" PrivateAssets="all" />""";
        var both = await _fixture.CreateConsumerAsync("peer", packageReferences: peer);
        var plain = await DotnetCli.RunAsync(both, null, "build", "--no-restore", "--no-incremental");
        Assert.True(plain.ExitCode == 0, plain.ToString());
        Assert.Matches(new Regex(@"warning VSTHRD100:"), plain.Output);
        Assert.True(Reports(plain.Output, "warning", "ASYNC003"), plain.Output);

        var replaced = await DotnetCli.RunAsync(both, null, "build", "--no-restore", "--no-incremental", "-p:AsyncPitfallsReplaceOverlappingRules=true");
        Assert.True(replaced.ExitCode == 0, replaced.ToString());
        Assert.DoesNotMatch(new Regex(@"warning VSTHRD100:"), replaced.Output);
        Assert.True(Reports(replaced.Output, "warning", "ASYNC003"), replaced.Output);
    }
}
