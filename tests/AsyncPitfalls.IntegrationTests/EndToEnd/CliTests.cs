using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;

namespace AsyncPitfalls.Tests;

/// <summary>
/// The command-line tool as users get it: packed, installed as a local tool from the package, and run on a generated
/// legacy solution (a library, an app and a test project that reference the packed analyzer package). It covers the
/// baseline round trip end to end, the output formats, the fixes and the errors on bad input.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "EndToEnd")]
public class CliTests
{
    private readonly PackageFixture _fixture;

    public CliTests(PackageFixture fixture)
    {
        _fixture = fixture;
    }

    private const string Library = """
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        namespace Legacy.Library;

        public class Store
        {
            public Task SaveAsync(string path)
            {
                File.WriteAllTextAsync(path, "saved");
                return Task.CompletedTask;
            }

            public async Task<string> LoadAsync(string path)
            {
                var text = File.ReadAllTextAsync(path).Result;
                await Task.Yield();
                return text;
            }

            public async Task WaitAsync()
            {
                Thread.Sleep(10);
                await Task.Yield();
            }
        }
        """;

    private const string App = """
        using System;
        using System.Threading.Tasks;
        using Legacy.Library;

        namespace Legacy.App;

        public static class Program
        {
            public static async Task Main()
            {
                var store = new Store();
                await store.SaveAsync("out.txt");
                var resut = await store.LoadAsync("out.txt");
                string result = "";
                Console.WriteLine(result);
                Announce();
            }

            private static async void Announce()
            {
                await Task.Delay(1);
                Console.WriteLine("done");
            }
        }
        """;

    private const string Tests = """
        using System.Threading.Tasks;
        using Legacy.Library;
        using Xunit;

        namespace Legacy.Tests;

        public class StoreTests
        {
            [Fact]
            public async Task Saves()
            {
                var store = new Store();
                var pending = store.SaveAsync("test.txt");
                await Task.Yield();
                Assert.NotNull(store);
            }
        }
        """;

    /// <summary>A restored legacy solution: Legacy.sln with src/Library, src/App and tests/Library.Tests, all referencing the package.</summary>
    private async Task<string> CreateLegacySolutionAsync(string name)
    {
        var root = await _fixture.CreateToolFolderAsync(name);
        await File.WriteAllTextAsync(Path.Combine(root, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="asyncpitfalls-under-test" value="{_fixture.PackageDirectory}" />
              </packageSources>
            </configuration>
            """);
        await File.WriteAllTextAsync(Path.Combine(root, "Directory.Build.props"), $"""
            <Project>
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>disable</ImplicitUsings>
                <RestorePackagesPath>{_fixture.PackagesCache}</RestorePackagesPath>
                <NoWarn>$(NoWarn);CS0168;CS0219;xUnit1031</NoWarn>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="AsyncPitfalls.Analyzers" Version="{PackageFixture.PackageVersion}" PrivateAssets="all" />
              </ItemGroup>
            </Project>
            """);
        Write(root, "src/Library/Library.csproj", """<Project Sdk="Microsoft.NET.Sdk" />""");
        Write(root, "src/Library/Store.cs", Library);
        Write(root, "src/App/App.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><OutputType>Exe</OutputType></PropertyGroup>
              <ItemGroup><ProjectReference Include="../Library/Library.csproj" /></ItemGroup>
            </Project>
            """);
        Write(root, "src/App/Program.cs", App);
        Write(root, "tests/Library.Tests/Library.Tests.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><IsTestProject>true</IsTestProject></PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Microsoft.NET.Test.Sdk" Version="18.11.0" />
                <PackageReference Include="xunit" Version="2.9.3" />
              </ItemGroup>
              <ItemGroup><ProjectReference Include="../../src/Library/Library.csproj" /></ItemGroup>
            </Project>
            """);
        Write(root, "tests/Library.Tests/StoreTests.cs", Tests);
        foreach (var arguments in new[]
        {
            new[] { "new", "sln", "-n", "Legacy", "--format", "sln" },
            new[] { "sln", "Legacy.sln", "add", "src/Library/Library.csproj", "src/App/App.csproj", "tests/Library.Tests/Library.Tests.csproj" },
        })
        {
            var result = await DotnetCli.RunAsync(root, null, arguments);
            Assert.True(result.ExitCode == 0, string.Join(" ", arguments) + " failed:\n" + result);
        }

        return root;
    }

    private static void Write(string root, string relative, string text)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private static Task<DotnetCli.Result> ToolAsync(string directory, params string[] arguments)
        => DotnetCli.RunAsync(directory, null, new[] { "asyncpitfalls" }.Concat(arguments).ToArray());

    /// <summary>The ASYNC warnings a build prints, once each (the build prints them twice).</summary>
    private static List<string> BuildWarnings(DotnetCli.Result build)
        => Regex.Matches(build.Output, @"([^\s/]+\.cs)\((\d+),\d+\): warning (ASYNC\d{3})").Select(m => $"{m.Groups[3].Value} {m.Groups[1].Value}:{m.Groups[2].Value}").Distinct().OrderBy(w => w, StringComparer.Ordinal).ToList();

    private static List<JsonElement> Findings(DotnetCli.Result check)
        => JsonDocument.Parse(check.StandardOutput).RootElement.GetProperty("findings").EnumerateArray().ToList();

    [Fact]
    public async Task Baseline_RoundTrip_OnALegacySolution()
    {
        var root = await CreateLegacySolutionAsync("legacy");

        // Before the baseline: the check finds the old pitfalls, restoring first, in product and test code.
        var first = await ToolAsync(root, "check", "--format", "json");
        Assert.True(first.ExitCode == 1, first.ToString());
        var before = Findings(first);
        Assert.Contains(before, f => f.GetProperty("rule").GetString() == "ASYNC002" && f.GetProperty("testCode").GetBoolean());
        Assert.Contains(before, f => f.GetProperty("rule").GetString() == "ASYNC030" && !f.GetProperty("testCode").GetBoolean());
        Assert.Contains(before, f => f.GetProperty("rule").GetString() == "ASYNC003");

        // 1. The baseline is written, one entry per report.
        var baseline = await ToolAsync(root, "baseline");
        Assert.True(baseline.ExitCode == 0, baseline.ToString());
        var file = Path.Combine(root, "asyncpitfalls.baseline.json");
        var entries = JsonDocument.Parse(await File.ReadAllTextAsync(file)).RootElement.GetProperty("entries").GetArrayLength();
        Assert.Equal(before.Count, entries);

        // 2. The build shows no ASYNC warning, and the check passes.
        var build = await DotnetCli.RunAsync(root, null, "build", "Legacy.sln", "-nologo");
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Empty(BuildWarnings(build));
        var clean = await ToolAsync(root, "check");
        Assert.True(clean.ExitCode == 0, clean.ToString());

        // 3. A new pitfall: only it shows, in the build and in the check.
        var store = Path.Combine(root, "src", "Library", "Store.cs");
        await File.WriteAllTextAsync(store, (await File.ReadAllTextAsync(store)).Replace(
            "    public async Task WaitAsync()",
            "    public async Task PauseAsync()\n    {\n        Thread.Sleep(20);\n        await Task.Yield();\n    }\n\n    public async Task WaitAsync()",
            StringComparison.Ordinal));
        build = await DotnetCli.RunAsync(root, null, "build", "Legacy.sln", "-nologo");
        Assert.StartsWith("ASYNC030 Store.cs:", Assert.Single(BuildWarnings(build)), StringComparison.Ordinal);
        var withNew = await ToolAsync(root, "check", "--format", "json");
        Assert.True(withNew.ExitCode == 1, withNew.ToString());
        var failing = Findings(withNew).Where(f => !f.GetProperty("baselined").GetBoolean()).ToList();
        Assert.Single(failing);
        Assert.Equal("M:Legacy.Library.Store.PauseAsync", failing[0].GetProperty("member").GetString());

        // 4. An old one is fixed: the check lists one stale entry, and pruning removes it.
        var program = Path.Combine(root, "src", "App", "Program.cs");
        await File.WriteAllTextAsync(program, (await File.ReadAllTextAsync(program)).Replace("private static async void Announce()", "private static async Task Announce()", StringComparison.Ordinal)
            .Replace("        Announce();", "        await Announce();", StringComparison.Ordinal));
        var stale = await ToolAsync(root, "check", "--format", "json");
        var staleEntries = JsonDocument.Parse(stale.StandardOutput).RootElement.GetProperty("staleBaselineEntries").EnumerateArray().ToList();
        Assert.Single(staleEntries);
        Assert.Equal("ASYNC003", staleEntries[0].GetProperty("rule").GetString());
        var prune = await ToolAsync(root, "baseline", "--prune");
        Assert.True(prune.ExitCode == 0, prune.ToString());
        Assert.Equal(entries - 1, JsonDocument.Parse(await File.ReadAllTextAsync(file)).RootElement.GetProperty("entries").GetArrayLength());

        // 5. Reformatting and moving members changes nothing: still only the new pitfall.
        var text = await File.ReadAllTextAsync(store);
        var load = text.Substring(text.IndexOf("    public async Task<string> LoadAsync", StringComparison.Ordinal));
        load = load.Substring(0, load.IndexOf("    }\n", StringComparison.Ordinal) + 6);
        var reformatted = text.Replace(load, "", StringComparison.Ordinal)
            .Replace("    public Task SaveAsync(string path)", load.Replace("File.ReadAllTextAsync(path).Result;", "File.ReadAllTextAsync(\n            path).Result;", StringComparison.Ordinal) + "\n    // Saves the text.\n    public Task SaveAsync(string path)", StringComparison.Ordinal)
            .Replace("        File.WriteAllTextAsync(path, \"saved\");", "        File.WriteAllTextAsync(path,   \"saved\" );", StringComparison.Ordinal);
        Assert.NotEqual(text, reformatted);
        await File.WriteAllTextAsync(store, reformatted);
        build = await DotnetCli.RunAsync(root, null, "build", "Legacy.sln", "-nologo");
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Equal(new[] { "ASYNC030" }, BuildWarnings(build).Select(w => w.Split(' ')[0]));
        var afterMove = await ToolAsync(root, "check", "--format", "json");
        Assert.Single(Findings(afterMove), f => !f.GetProperty("baselined").GetBoolean());
    }

    [Fact]
    public async Task Check_WritesSarifAndTsv_AndHonoursFailOnAndEditorConfig()
    {
        var root = await CreateLegacySolutionAsync("formats");
        await File.WriteAllTextAsync(Path.Combine(root, ".editorconfig"), "root = true\n[*.cs]\ndotnet_diagnostic.ASYNC030.severity = none\n");
        var sarif = Path.Combine(root, "out.sarif");
        var check = await ToolAsync(root, "check", "Legacy.sln", "--sarif", sarif, "--format", "tsv");
        Assert.True(check.ExitCode == 1, check.ToString());
        var lines = check.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("rule\tseverity\tfile\tline\tcolumn\tframeworks\tproject\tcode\tbaselined\tmessage", lines[0]);
        Assert.DoesNotContain(lines, l => l.StartsWith("ASYNC030", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("ASYNC020\twarning\tsrc/App/Program.cs", StringComparison.Ordinal));

        var log = JsonDocument.Parse(await File.ReadAllTextAsync(sarif)).RootElement;
        Assert.Equal("2.1.0", log.GetProperty("version").GetString());
        var run = log.GetProperty("runs")[0];
        var rules = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().ToList();
        Assert.Contains(rules, r => r.GetProperty("id").GetString() == "ASYNC020" && r.GetProperty("helpUri").GetString()!.EndsWith("/docs/rules/ASYNC020.md", StringComparison.Ordinal));
        var results = run.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(lines.Length - 1, results.Count);
        Assert.All(results, r => Assert.Equal("SRCROOT", r.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uriBaseId").GetString()));

        var lenient = await ToolAsync(root, "check", "--fail-on", "error");
        Assert.True(lenient.ExitCode == 0, lenient.ToString());
    }

    [Fact]
    public async Task Fix_DryRunPrintsADiff_ThenApplies_AndTheBuildHasFewerWarnings()
    {
        var root = await CreateLegacySolutionAsync("fix");
        var before = BuildWarnings(await DotnetCli.RunAsync(root, null, "build", "Legacy.sln", "-nologo"));
        Assert.Contains(before, w => w.StartsWith("ASYNC030", StringComparison.Ordinal));

        var dryRun = await ToolAsync(root, "fix", "--dry-run", "--rule", "ASYNC030");
        Assert.True(dryRun.ExitCode == 0, dryRun.ToString());
        Assert.Contains("--- a/src/Library/Store.cs", dryRun.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("+        await Task.Delay(10);", dryRun.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Thread.Sleep(10);", await File.ReadAllTextAsync(Path.Combine(root, "src", "Library", "Store.cs")), StringComparison.Ordinal);

        var fix = await ToolAsync(root, "fix");
        Assert.True(fix.ExitCode == 0, fix.ToString());
        Assert.Contains("ASYNC030", fix.Output, StringComparison.Ordinal);
        var after = BuildWarnings(await DotnetCli.RunAsync(root, null, "build", "Legacy.sln", "-nologo"));
        Assert.DoesNotContain(after, w => w.StartsWith("ASYNC030", StringComparison.Ordinal));
        Assert.True(after.Count < before.Count, string.Join("\n", after));
    }

    [Fact]
    public async Task BadInput_GetsOneLineAndExitCode2_AndABrokenProjectDoesNotStopTheOthers()
    {
        var root = await _fixture.CreateToolFolderAsync("bad-input");

        var missing = await ToolAsync(root, "check", "no-such.sln");
        Assert.Equal(2, missing.ExitCode);
        Assert.Equal("error: no such file or directory: no-such.sln", missing.StandardError.Trim());

        Write(root, "two/A.sln", "");
        Write(root, "two/B.sln", "");
        var two = await ToolAsync(root, "check", "two");
        Assert.Equal(2, two.ExitCode);
        Assert.Contains("holds several solutions (A.sln, B.sln)", two.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", two.Output, StringComparison.Ordinal);

        Write(root, "fsharp/Lib.fsproj", """<Project Sdk="Microsoft.NET.Sdk" />""");
        var fsharp = await ToolAsync(root, "check", "fsharp/Lib.fsproj");
        Assert.Equal(2, fsharp.ExitCode);
        Assert.Contains("not a C# project", fsharp.StandardError, StringComparison.Ordinal);

        var unknownOption = await ToolAsync(root, "check", "--format", "xml");
        Assert.Equal(2, unknownOption.ExitCode);

        // A solution with a good project and a broken one: the good one is analyzed, the broken one is named.
        var mixed = Path.Combine(root, "mixed");
        Write(mixed, "Good/Good.csproj", """<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>""");
        Write(mixed, "Good/Worker.cs", "using System.Threading; using System.Threading.Tasks; public class Worker { public async Task RunAsync() { Thread.Sleep(1); await Task.Yield(); } }");
        Write(mixed, "Broken/Broken.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup>");
        var sln = await DotnetCli.RunAsync(mixed, null, "new", "sln", "-n", "Mixed", "--format", "sln");
        Assert.True(sln.ExitCode == 0, sln.ToString());
        await File.AppendAllTextAsync(Path.Combine(mixed, "Mixed.sln"), "");
        var addGood = await DotnetCli.RunAsync(mixed, null, "sln", "Mixed.sln", "add", "Good/Good.csproj");
        Assert.True(addGood.ExitCode == 0, addGood.ToString());
        var slnText = await File.ReadAllTextAsync(Path.Combine(mixed, "Mixed.sln"));
        await File.WriteAllTextAsync(Path.Combine(mixed, "Mixed.sln"), slnText.Replace(
            "Global\n", "Project(\"{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC}\") = \"Broken\", \"Broken\\Broken.csproj\", \"{11111111-2222-3333-4444-555555555555}\"\nEndProject\nGlobal\n", StringComparison.Ordinal));
        var partial = await ToolAsync(mixed, "check", "--format", "json");
        Assert.True(partial.ExitCode == 1, partial.ToString());
        var json = JsonDocument.Parse(partial.StandardOutput).RootElement;
        Assert.Contains(json.GetProperty("findings").EnumerateArray(), f => f.GetProperty("rule").GetString() == "ASYNC030");
        Assert.Contains(json.GetProperty("notLoaded").EnumerateArray(), p => p.GetProperty("project").GetString()!.Contains("Broken", StringComparison.Ordinal));
    }
}
