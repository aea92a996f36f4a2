using System;
using System.IO;
using System.Linq;
using AsyncPitfalls.Generate;

// dotnet run --project tools/AsyncPitfalls.Generate [-- --check] [--root DIR]
var check = args.Contains("--check");
var rootIndex = Array.IndexOf(args, "--root");
var root = rootIndex >= 0 && rootIndex + 1 < args.Length ? Path.GetFullPath(args[rootIndex + 1]) : Generator.FindRepositoryRoot(Environment.CurrentDirectory);
if (root is null)
{
    Console.Error.WriteLine("error: no Analyzers.sln here or above; pass --root DIR");
    return 2;
}

var stale = Generator.Plan(root).Where(f => !f.IsCurrent).ToList();
if (check)
{
    foreach (var file in stale)
    {
        Console.Error.WriteLine($"out of date: {Path.GetRelativePath(root, file.Path)}");
    }

    if (stale.Count > 0)
    {
        Console.Error.WriteLine("Run `dotnet run --project tools/AsyncPitfalls.Generate` and commit the result.");
        return 1;
    }

    Console.WriteLine("generated files are up to date");
    return 0;
}

foreach (var file in stale)
{
    File.WriteAllText(file.Path, file.Expected);
    Console.WriteLine($"wrote {Path.GetRelativePath(root, file.Path)}");
}

Console.WriteLine(stale.Count == 0 ? "nothing to write: every generated file is up to date" : $"{stale.Count} file(s) written");
return 0;
