using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;

namespace AsyncPitfalls.Tests;

/// <summary>
/// The pitfalls sample's README, followed as written on a copy of the sample: its one bulk command loads the code
/// fixes from source (the sample references the analyzer and code-fix projects), applies every fix that is safe in
/// bulk, and the program then answers 42 with only the fix that needs a person left as a warning.
/// </summary>
[Trait("Category", "EndToEnd")]
public class SampleReadmeTests
{
    [Fact]
    public async Task TheReadmesBulkCommand_AppliesTheFixes_AndTheSampleAnswers42()
    {
        var root = Path.Combine(Path.GetTempPath(), "asyncpitfalls-sample-" + Guid.NewGuid().ToString("N")[..8]);
        var copy = Path.Combine(root, "samples", "Spinner.Pitfalls");
        Directory.CreateDirectory(copy);
        try
        {
            // The sample's props point at the repository's src folder: the copy points at it by its full path.
            var props = await File.ReadAllTextAsync(TestDefaults.RepositoryFile("samples", "Directory.Build.props"));
            await File.WriteAllTextAsync(Path.Combine(root, "samples", "Directory.Build.props"),
                props.Replace("$(MSBuildThisFileDirectory)../src/", TestDefaults.RepositoryFile("src") + "/", StringComparison.Ordinal));
            foreach (var file in new[] { "Program.cs", "Spinner.Pitfalls.csproj" })
            {
                File.Copy(TestDefaults.RepositoryFile("samples", "Spinner.Pitfalls", file), Path.Combine(copy, file));
            }

            var readme = await File.ReadAllTextAsync(TestDefaults.RepositoryFile("samples", "Spinner.Pitfalls", "README.md"));
            var line = Regex.Match(readme, @"^dotnet format analyzers [^\n]+$", RegexOptions.Multiline);
            Assert.True(line.Success, "the sample README shows no bulk command");
            var arguments = line.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToArray();
            Assert.Contains("samples/Spinner.Pitfalls", arguments);

            // As the README goes: the build comes first, and builds the analyzer and fix projects the command loads.
            var first = await DotnetCli.RunAsync(root, null, "build", "samples/Spinner.Pitfalls");
            Assert.True(first.ExitCode == 0, first.ToString());
            Assert.Contains("warning ASYNC020", first.Output, StringComparison.Ordinal);

            var format = await DotnetCli.RunAsync(root, null, arguments);
            Assert.True(format.ExitCode == 0, format.ToString());
            Assert.DoesNotContain("No associated code fix found", format.Output, StringComparison.Ordinal);
            var formatted = await File.ReadAllTextAsync(Path.Combine(copy, "Program.cs"));
            Assert.NotEqual(await File.ReadAllTextAsync(TestDefaults.RepositoryFile("samples", "Spinner.Pitfalls", "Program.cs")), formatted);

            var run = await DotnetCli.RunAsync(root, null, "run", "--project", "samples/Spinner.Pitfalls", "--", "--seconds", "0.3");
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Contains("answer: 42", run.Output, StringComparison.Ordinal);

            // The warnings the README says remain: the one whose fix writes shared state and so waits for a person.
            var build = await DotnetCli.RunAsync(root, null, "build", "samples/Spinner.Pitfalls", "--no-incremental");
            Assert.True(build.ExitCode == 0, build.ToString());
            var remaining = Regex.Matches(build.Output, @"warning (ASYNC\d{3}|CS\d{4})").Select(m => m.Groups[1].Value).Distinct().ToList();
            Assert.Equal(new[] { "ASYNC021" }, remaining);
            Assert.Contains("ASYNC021", readme[readme.IndexOf("After the fixes", StringComparison.Ordinal)..], StringComparison.Ordinal);

            // A second run changes nothing.
            var again = await DotnetCli.RunAsync(root, null, arguments);
            Assert.True(again.ExitCode == 0, again.ToString());
            Assert.Equal(formatted, await File.ReadAllTextAsync(Path.Combine(copy, "Program.cs")));
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
                // A build server may still hold a file; the folder is under the temp directory.
            }
        }
    }
}
