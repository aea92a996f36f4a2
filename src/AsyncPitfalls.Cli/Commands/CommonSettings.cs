using System.ComponentModel;
using Spectre.Console.Cli;

namespace AsyncPitfalls.Cli.Commands;

/// <summary>What every command takes: the input, the MSBuild properties, the restore switch and the exclusions.</summary>
internal class CommonSettings : CommandSettings
{
    [CommandArgument(0, "[PATH]")]
    [Description("A .sln, .slnx or .csproj, or a directory that holds exactly one of them (default: the current directory).")]
    public string? Path { get; init; }

    [CommandOption("-p|--property <NAME=VALUE>")]
    [Description("An MSBuild property for loading the projects, as with dotnet build: -p:Configuration=Release, -p:TargetFramework=net8.0. Repeatable.")]
    public string[] Properties { get; init; } = System.Array.Empty<string>();

    [CommandOption("--no-restore")]
    [Description("Do not run dotnet restore for projects that have no assets file.")]
    public bool NoRestore { get; init; }

    [CommandOption("--exclude <GLOB>")]
    [Description("Leave out the projects whose path (relative to the solution) or name matches: --exclude \"samples/**\", --exclude \"*.Benchmarks\". Repeatable.")]
    public string[] Exclude { get; init; } = System.Array.Empty<string>();
}
