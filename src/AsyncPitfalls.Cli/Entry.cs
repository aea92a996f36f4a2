using System;
using System.Threading.Tasks;
using AsyncPitfalls.Cli.Commands;
using Microsoft.Build.Locator;
using Spectre.Console;
using Spectre.Console.Cli;

namespace AsyncPitfalls.Cli;

/// <summary>The command line: <c>check</c>, <c>baseline</c> and <c>fix</c>, with the exit codes of <see cref="ExitCodes"/>.</summary>
internal static class Entry
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (!MSBuildLocator.IsRegistered)
        {
            var instances = MSBuildLocator.QueryVisualStudioInstances();
            if (!System.Linq.Enumerable.Any(instances))
            {
                Console.Error.WriteLine("error: no .NET SDK found; asyncpitfalls needs the .NET SDK that builds your projects (dotnet --list-sdks)");
                return ExitCodes.UnusableInput;
            }

            MSBuildLocator.RegisterDefaults();
        }

        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("asyncpitfalls");
            config.SetApplicationVersion(typeof(Entry).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
            config.PropagateExceptions();
            config.AddCommand<CheckCommand>("check")
                .WithDescription("Analyze a solution or project with the AsyncPitfalls rules and report what they find.")
                .WithExample("check")
                .WithExample("check", "MyApp.sln", "--sarif", "asyncpitfalls.sarif")
                .WithExample("check", "src/Api/Api.csproj", "--format", "tsv", "-p:Configuration=Release");
            config.AddCommand<BaselineCommand>("baseline")
                .WithDescription("Write asyncpitfalls.baseline.json next to the solution: the build then reports only new pitfalls.")
                .WithExample("baseline")
                .WithExample("baseline", "--prune");
            config.AddCommand<FixCommand>("fix")
                .WithDescription("Apply the fixes that are safe in bulk (the same as dotnet format analyzers).")
                .WithExample("fix", "--dry-run")
                .WithExample("fix", "MyApp.sln", "--rule", "ASYNC030");
        });

        try
        {
            return await app.RunAsync(MSBuildStyleProperties(args));
        }
        catch (UsageException ex)
        {
            Console.Error.WriteLine("error: " + ex.Message);
            return ExitCodes.UnusableInput;
        }
        catch (CommandParseException ex)
        {
            Console.Error.WriteLine("error: " + ex.Message);
            return ExitCodes.UnusableInput;
        }
        catch (CommandRuntimeException ex)
        {
            Console.Error.WriteLine("error: " + ex.Message);
            return ExitCodes.UnusableInput;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("error: cancelled");
            return ExitCodes.UnusableInput;
        }
    }

    /// <summary><c>-p:Name=Value</c>, <c>/p:Name=Value</c> and <c>--property:Name=Value</c>, as dotnet build takes them, become <c>--property Name=Value</c>.</summary>
    private static string[] MSBuildStyleProperties(string[] args)
        => System.Linq.Enumerable.ToArray(System.Linq.Enumerable.SelectMany(args, a =>
            System.Text.RegularExpressions.Regex.Match(a, "^(?:-p|/p|--property|-property):(.+)$", System.Text.RegularExpressions.RegexOptions.IgnoreCase) is { Success: true } match
                ? new[] { "--property", match.Groups[1].Value }
                : new[] { a }));
}

/// <summary>What the process returns.</summary>
internal static class ExitCodes
{
    /// <summary>Nothing at or above <c>--fail-on</c>; or, for <c>baseline</c> and <c>fix</c>, done.</summary>
    public const int Success = 0;

    /// <summary>At least one report at or above <c>--fail-on</c>.</summary>
    public const int ReportsFound = 1;

    /// <summary>The input cannot be used: a missing path, an ambiguous directory, no C# project, a restore that produced nothing.</summary>
    public const int UnusableInput = 2;
}

/// <summary>An input the tool cannot use, reported as one line with no stack trace.</summary>
internal sealed class UsageException : Exception
{
    public UsageException(string message)
        : base(message)
    {
    }
}

/// <summary>Where the console UI goes: standard output, or standard error when a machine format takes standard output.</summary>
internal static class Ui
{
    public static IAnsiConsole For(bool machineOutput)
        => machineOutput ? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }) : AnsiConsole.Console;
}
