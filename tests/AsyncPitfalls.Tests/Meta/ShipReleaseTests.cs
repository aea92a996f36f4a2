using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;

namespace AsyncPitfalls.Tests;

/// <summary>The release ship step, run on a copy of the release-tracking files and the changelog.</summary>
public class ShipReleaseTests
{
    [Fact]
    public async Task ShipRelease_MovesTheRulesToShippedUnderTheVersion_AndDatesTheChangelog()
    {
        var root = Path.Combine(Path.GetTempPath(), "asyncpitfalls-ship-" + Guid.NewGuid().ToString("N"));
        var analyzers = Path.Combine(root, "src", "AsyncPitfalls.Analyzers");
        Directory.CreateDirectory(analyzers);
        try
        {
            foreach (var file in new[] { "AnalyzerReleases.Shipped.md", "AnalyzerReleases.Unshipped.md" })
            {
                File.Copy(TestDefaults.RepositoryFile("src", "AsyncPitfalls.Analyzers", file), Path.Combine(analyzers, file));
            }

            File.Copy(TestDefaults.RepositoryFile("CHANGELOG.md"), Path.Combine(root, "CHANGELOG.md"));
            await File.WriteAllTextAsync(Path.Combine(root, "Directory.Build.props"), "<Project><PropertyGroup><Version>9.8.7</Version></PropertyGroup></Project>");

            var start = new ProcessStartInfo("bash", new[] { TestDefaults.RepositoryFile("src", "AsyncPitfalls.Package", "ship-release.sh"), root, "2030-01-02" })
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, output);

            var shipped = await File.ReadAllTextAsync(Path.Combine(analyzers, "AnalyzerReleases.Shipped.md"));
            var unshipped = await File.ReadAllTextAsync(Path.Combine(analyzers, "AnalyzerReleases.Unshipped.md"));
            Assert.Contains("## Release 9.8.7", shipped, StringComparison.Ordinal);
            Assert.Contains("ASYNC001 | Reliability | Warning", shipped, StringComparison.Ordinal);
            Assert.DoesNotContain("ASYNC001", unshipped, StringComparison.Ordinal);
            Assert.Contains("## [9.8.7] - 2030-01-02", await File.ReadAllTextAsync(Path.Combine(root, "CHANGELOG.md")), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
