using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;

namespace AsyncPitfalls.Tests;

/// <summary>
/// Every fix that writes an <c>await</c> goes through one helper (<c>AwaitStyle</c>), which must parenthesize where
/// precedence requires it. Generated programs put the awaited expression, and the place the await goes, in each kind of
/// expression context (<c>??</c>, <c>?:</c>, <c>is</c>/<c>as</c>, casts, member and conditional access, <c>!</c>, lambdas
/// and expression bodies, <c>switch</c> expressions, interpolated strings), with and without the file's
/// <c>ConfigureAwait(false)</c> convention, for <c>Task</c> and <c>ValueTask</c>. Each result must compile with no new
/// error or warning, lose the diagnostic, and, run, compute what the original computed.
/// </summary>
public class AwaitInsertionTests
{
    private const string Helpers = """

            private static bool Flag = true;
            private static Task Work(int ms) => Task.Delay(ms);
            private static Task<string?> Delayed(string? s) => Task.Delay(1).ContinueWith(_ => s);
            private static ValueTask<string?> Value(string? s) => new ValueTask<string?>(Delayed(s));
            private static async Task Convention() => await Task.Delay(1){{CONFIGURE}};
        """;

    /// <summary>Blocking calls replaced in place (ASYNC030): the hole is the body of <c>async Task&lt;string&gt; Run()</c>.</summary>
    public static IEnumerable<object[]> BlockingContexts()
    {
        var bodies = new[]
        {
            "var t = Delayed(\"text\"); return t.Result ?? \"none\";",
            "var t = Delayed(\"text\"); return (Flag ? t.Result : \"no\") ?? \"\";",
            "var t = Delayed(\"text\"); return t.Result is { Length: > 2 } s ? s : \"short\";",
            "var t = Delayed(\"text\"); return ((object?)t.Result)?.ToString() ?? \"\";",
            "var t = Delayed(\"text\"); return t.Result!.Length.ToString();",
            "var t = Delayed(\"text\"); return t.Result?.ToUpperInvariant() ?? \"\";",
            "var t = Delayed(\"text\"); return $\"<{t.Result}>\";",
            "var t = Delayed(\"text\"); return t.Result switch { \"text\" => \"matched\", _ => \"other\" };",
            "var t = Delayed(\"text\"); return (t.Result as string) ?? \"\";",
            "var t = Delayed(\"text\"); Func<Task<string>> f = async () => t.Result ?? \"\"; return await f().ConfigureAwait(false);",
            "var t = Delayed(\"text\"); return (Flag ? t : Delayed(\"other\")).Result ?? \"\";",
            "var t = Delayed(\"text\"); return t.GetAwaiter().GetResult() ?? \"\";",
            "var t = Delayed(\"text\"); return (t ?? Delayed(\"x\")).GetAwaiter().GetResult()!.Length.ToString();",
            "return Value(\"vt\").Result ?? \"\";",
            "return (Flag ? Value(\"a\") : Value(\"b\")).Result + \"!\";",
            "var t = Delayed(\"text\"); (Flag ? t : Delayed(\"x\")).Wait(); return \"waited\";",
            "var t = Delayed(\"text\"); return string.Concat(t.Result, \"-\", Delayed(\"two\").Result);",
        };
        foreach (var configure in new[] { false, true })
        {
            foreach (var body in bodies)
            {
                yield return new object[] { body, configure };
            }
        }
    }

    /// <summary>A dropped call makes a task-returning function async (ASYNC001), whose returns are then awaited.</summary>
    public static IEnumerable<object[]> ReturnContexts()
    {
        var members = new[]
        {
            "public static Task<string?> Run() { Work(1); return Delayed(\"a\") ?? Delayed(\"b\"); }",
            "public static Task<string?> Run() { Work(1); return Flag ? Delayed(\"a\") : Delayed(\"b\"); }",
            "public static Task<string?> Run() { Work(1); return (Task<string?>)Delayed(\"c\"); }",
            "public static Task<string?> Run() { Work(1); return Delayed(\"d\") as Task<string?> ?? Delayed(\"e\"); }",
            "public static Task<string?> Run() { Work(1); return Flag switch { true => Delayed(\"f\"), _ => Delayed(\"g\") }; }",
            "public static Task<string> Run() { Work(1); return Delayed(\"h\").ContinueWith(x => x.Result + \"!\"); }",
            "public static Task Run() { Work(1); Task? loop = null; return loop ?? Task.CompletedTask; }",
            "public static Task Run() { Work(1); return Flag ? Work(2) : Task.CompletedTask; }",
            "public static ValueTask<string?> Run() { Work(1); return Flag ? Value(\"a\") : Value(\"b\"); }",
            "public static Task<string?> Run() { Work(1); if (Flag) return Delayed(\"early\") ?? Delayed(\"x\"); return Delayed(\"late\"); }",
            "public static Task<string?> Run() { Func<Task<string?>> f = () => { Work(1); return Delayed(\"l\") ?? Delayed(\"m\"); }; return f(); }",
        };
        foreach (var configure in new[] { false, true })
        {
            foreach (var member in members)
            {
                yield return new object[] { member, configure };
            }
        }
    }

    [Theory]
    [MemberData(nameof(BlockingContexts))]
    public Task BlockingCallReplacedInPlace_CompilesAndComputesTheSame(string body, bool configure)
        => CheckAsync("ASYNC030", "public static async Task<string> Run() { " + body + " }", configure);

    [Theory]
    [MemberData(nameof(ReturnContexts))]
    public Task ReturnAwaitedInAFunctionMadeAsync_CompilesAndComputesTheSame(string member, bool configure)
        => CheckAsync("ASYNC001", member, configure);

    private static async Task CheckAsync(string rule, string member, bool configure)
    {
        // Entry awaits Run and reports what it produced: its result, or "done" for a task without one.
        // With the convention on, every await of the file configures, as in a library that follows it.
        var configured = configure ? ".ConfigureAwait(false)" : "";
        var entry = member.StartsWith("public static Task Run", StringComparison.Ordinal)
            ? $"await Run(){configured}; return \"done\";"
            : $"return (await Run(){configured})?.ToString() ?? \"null\";";
        var source = "using System;\nusing System.Threading.Tasks;\npublic static class Probe\n{\n    " + member + "\n"
            + Helpers.Replace("{{CONFIGURE}}", configured, StringComparison.Ordinal)
            + "\n    public static async Task<string> Entry() { " + entry + " }\n}\n";
        var (solution, project) = await CorpusWorkspace.SolutionAsync(("Probe.cs", source));
        var original = solution.GetProject(project)!;
        var before = await CorpusWorkspace.WarningsAsync(original);
        Assert.True(before.Any(d => d.Id == rule), $"{rule} is not reported on:\n{source}");
        var beforeCompiler = await CorpusWorkspace.CompilerWarningsAsync(original);

        var fixedSolution = await CorpusWorkspace.FixAsync(solution, project, new[] { rule });
        var fixedProject = fixedSolution.GetProject(project)!;
        var text = (await CorpusWorkspace.TextsAsync(fixedSolution, project))["Probe.cs"];
        var compilation = (await fixedProject.GetCompilationAsync())!;
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors) + "\n" + text);
        foreach (var pair in await CorpusWorkspace.CompilerWarningsAsync(fixedProject))
        {
            Assert.True(beforeCompiler.TryGetValue(pair.Key, out var count) && count >= pair.Value, $"the fix added {pair.Key}:\n{text}");
        }

        var left = (await CorpusWorkspace.WarningsAsync(fixedProject)).Where(d => d.Id == rule).ToList();
        Assert.True(left.Count == 0, $"{rule} is still reported ({string.Join("; ", left)}) on:\n{text}");
        if (configure)
        {
            Assert.True(text[..text.IndexOf("private static bool Flag", StringComparison.Ordinal)].Contains(".ConfigureAwait(false)", StringComparison.Ordinal),
                $"the inserted await does not follow the file's ConfigureAwait(false):\n{text}");
        }

        Assert.Equal(await RunAsync((await original.GetCompilationAsync())!), await RunAsync(compilation));
    }

    /// <summary>Emits the program into a collectible load context and runs <c>Probe.Entry()</c>.</summary>
    private static async Task<string> RunAsync(Compilation compilation)
    {
        using var stream = new MemoryStream();
        var emit = compilation.Emit(stream);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
        stream.Position = 0;
        var context = new AssemblyLoadContext("probe", isCollectible: true);
        try
        {
            var assembly = context.LoadFromStream(stream);
            var entry = assembly.GetType("Probe")!.GetMethod("Entry", BindingFlags.Public | BindingFlags.Static)!;
            return await (Task<string>)entry.Invoke(null, null)!;
        }
        finally
        {
            context.Unload();
        }
    }
}
