using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;

namespace AsyncPitfalls.Tests;

[CollectionDefinition(Name)]
public sealed class EndToEndCollection : ICollectionFixture<PackageFixture>
{
    public const string Name = "End to end";
}

/// <summary>
/// Packs AsyncPitfalls.Analyzers once per test run into a temporary folder and makes consumer projects that
/// reference it by version, the way users do. Restores go to a private package folder, so a package from an
/// earlier run is never picked up from the machine-wide cache.
/// </summary>
public sealed class PackageFixture : IAsyncLifetime
{
    public const string PackageVersion = "0.1.0";

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "asyncpitfalls-e2e-" + Guid.NewGuid().ToString("N").Substring(0, 8));

    public string PackageDirectory => Path.Combine(Root, "feed");

    public string PackagesCache => Path.Combine(Root, "packages");

    public static string Configuration => AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Root);
        var pack = await DotnetCli.RunAsync(
            TestDefaults.RepositoryRoot,
            null,
            "pack", "src/AsyncPitfalls.Package", "-c", Configuration, "-o", PackageDirectory, "-p:Version=" + PackageVersion);
        if (pack.ExitCode != 0 || !File.Exists(Path.Combine(PackageDirectory, $"AsyncPitfalls.Analyzers.{PackageVersion}.nupkg")))
        {
            throw new InvalidOperationException("dotnet pack failed:\n" + pack);
        }

        var packTool = await DotnetCli.RunAsync(
            TestDefaults.RepositoryRoot,
            null,
            "pack", "src/AsyncPitfalls.Cli", "-c", Configuration, "-o", PackageDirectory, "-p:Version=" + PackageVersion);
        if (packTool.ExitCode != 0 || !File.Exists(Path.Combine(PackageDirectory, $"AsyncPitfalls.Cli.{PackageVersion}.nupkg")))
        {
            throw new InvalidOperationException("dotnet pack of the tool failed:\n" + packTool);
        }
    }

    /// <summary>
    /// A folder with the packed tool installed as a local tool (a tool manifest at its root, as a repository has), so
    /// that <c>dotnet asyncpitfalls</c> runs the package under test in it and below it.
    /// </summary>
    public async Task<string> CreateToolFolderAsync(string name)
    {
        var directory = Path.Combine(Root, name);
        Directory.CreateDirectory(directory);
        var manifest = await DotnetCli.RunAsync(directory, null, "new", "tool-manifest");
        Assert.True(manifest.ExitCode == 0, "dotnet new tool-manifest failed:\n" + manifest);
        var install = await DotnetCli.RunAsync(directory, null, "tool", "install", "AsyncPitfalls.Cli", "--local", "--add-source", PackageDirectory, "--version", PackageVersion);
        Assert.True(install.ExitCode == 0, "dotnet tool install failed:\n" + install);
        return directory;
    }

    /// <summary>A fresh, restored console project holding the pitfalls sample, plus any extra files.</summary>
    public async Task<string> CreateConsumerAsync(string name, IReadOnlyDictionary<string, string>? extraFiles = null, string projectProperties = "", string packageReferences = "")
    {
        var directory = Path.Combine(Root, name);
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="asyncpitfalls-under-test" value="{PackageDirectory}" />
              </packageSources>
            </configuration>
            """);
        await File.WriteAllTextAsync(Path.Combine(directory, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>disable</ImplicitUsings>
                <NoWarn>$(NoWarn);CS0649</NoWarn>
                <RestorePackagesPath>{PackagesCache}</RestorePackagesPath>
                {projectProperties}
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="AsyncPitfalls.Analyzers" Version="{PackageVersion}" />
                {packageReferences}
              </ItemGroup>
            </Project>
            """);
        File.Copy(TestDefaults.RepositoryFile("samples", "Spinner.Pitfalls", "Program.cs"), Path.Combine(directory, "Program.cs"), overwrite: true);
        if (extraFiles is not null)
        {
            foreach (var pair in extraFiles)
            {
                await File.WriteAllTextAsync(Path.Combine(directory, pair.Key), pair.Value);
            }
        }

        var restore = await DotnetCli.RunAsync(directory, null, "restore");
        Assert.True(restore.ExitCode == 0, "restore failed:\n" + restore);
        return directory;
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A build server may still hold a file; the folder is under the temp directory.
        }

        return Task.CompletedTask;
    }
}
