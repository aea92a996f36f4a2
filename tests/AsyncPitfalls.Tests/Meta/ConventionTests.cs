using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace AsyncPitfalls.Tests;

/// <summary>
/// The conventions that keep the code reviewable: one test convention for fixes, the typed analyzer→fix contracts,
/// and docs whose claims are derived from the code (the helper table of the architecture page, the corpus size, the
/// rule IDs of every <c>dotnet format</c> command).
/// </summary>
public class ConventionTests
{
    private static string RulesTests => TestDefaults.RepositoryFile("tests", "AsyncPitfalls.Tests", "Rules");

    [Fact]
    public void EveryFix_HasItsOwnCodeFixTestFile()
    {
        foreach (var fixer in RuleCatalog.Fixers)
        {
            var name = fixer.GetType().Name;
            Assert.True(File.Exists(Path.Combine(RulesTests, name + "Tests.cs")), $"{name} has no tests/AsyncPitfalls.Tests/Rules/{name}Tests.cs");
        }
    }

    [Fact]
    public void AnalyzerTestFiles_UseTheAnalyzerVerifier_AndFixTestFiles_TheFixVerifier()
    {
        foreach (var file in Directory.GetFiles(RulesTests, "*.cs"))
        {
            var name = Path.GetFileName(file);
            var text = File.ReadAllText(file);
            if (name.EndsWith("CodeFixTests.cs", StringComparison.Ordinal))
            {
                Assert.True(text.Contains("CSharpCodeFixVerifier<", StringComparison.Ordinal), $"{name} tests a fix without the fix verifier");
            }
            else
            {
                Assert.False(text.Contains("CSharpCodeFixVerifier<", StringComparison.Ordinal), $"{name} holds fix tests: they belong in the rule's *CodeFixTests.cs");
            }
        }
    }

    [Fact]
    public void TestMethods_AreNamedAfterWhatTheyPin()
    {
        var analyzerNames = new Regex(@"^(Reports_|NoDiagnostic_|No[A-Z]\w*Diagnostic_|Suppresses_|DoesNotSuppress_)|_FalseNegative$");
        var fixNames = new Regex(@"^(Fix_|FixAll_|NoFix_|No[A-Z]\w*Fix_)");
        var ruleClasses = typeof(ConventionTests).Assembly.GetTypes().Where(t => Regex.IsMatch(t.Name, @"^ASYNC\d{3}\w*Tests$"));
        foreach (var type in ruleClasses)
        {
            var isFixTests = type.Name.EndsWith("CodeFixTests", StringComparison.Ordinal);
            foreach (var method in type.GetMethods().Where(m => m.GetCustomAttributes().Any(a => a is FactAttribute)))
            {
                Assert.True((isFixTests ? fixNames : analyzerNames).IsMatch(method.Name), $"{type.Name}.{method.Name} does not follow the naming convention of {(isFixTests ? "fix" : "analyzer")} tests");
            }
        }
    }

    [Fact]
    public void EveryRule_HasAContract()
    {
        foreach (var rule in RuleCatalog.Rules)
        {
            var contract = RuleCatalog.AnalyzerAssembly.GetType("AsyncPitfalls.Analyzers." + rule.Id + "Data");
            Assert.True(contract is not null, $"{rule.Id} has no Contracts/{rule.Id}Data.cs");
            Assert.True(File.Exists(TestDefaults.RepositoryFile("src", "AsyncPitfalls.Analyzers", "Contracts", rule.Id + "Data.cs")), $"{rule.Id}Data is not in Contracts/{rule.Id}Data.cs");
            Assert.NotNull(contract!.GetMethod("ToProperties", BindingFlags.Public | BindingFlags.Instance));
            Assert.NotNull(contract.GetMethod("TryRead", BindingFlags.Public | BindingFlags.Static));
        }
    }

    [Fact]
    public void RulesAndFixes_UseTheContracts_NotHandBuiltProperties()
    {
        var files = Directory.GetFiles(TestDefaults.RepositoryFile("src", "AsyncPitfalls.Analyzers", "Rules"), "*.cs")
            .Concat(Directory.GetFiles(TestDefaults.RepositoryFile("src", "AsyncPitfalls.CodeFixes", "Rules"), "*.cs"));
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            Assert.False(text.Contains(".Properties", StringComparison.Ordinal) || text.Contains("ImmutableDictionary<string, string?>", StringComparison.Ordinal),
                $"{Path.GetFileName(file)} reads or builds Diagnostic.Properties by hand: go through the rule's ASYNCnnnData contract");
        }
    }

    [Fact]
    public void ArchitecturePage_NamesOnlyHelpersThatExist()
    {
        var page = File.ReadAllLines(TestDefaults.RepositoryFile("docs", "architecture.md"));
        var rows = page.SkipWhile(l => !l.StartsWith("## Which helper answers which question", StringComparison.Ordinal))
            .Where(l => l.StartsWith("| ", StringComparison.Ordinal) && !l.StartsWith("| Question", StringComparison.Ordinal))
            .Select(l => l.Split('|').Select(c => c.Trim()).ToArray())
            .TakeWhile(cells => cells.Length >= 4)
            .ToList();
        Assert.True(rows.Count > 20, "the helper table of docs/architecture.md was not found");

        var assemblies = new[] { RuleCatalog.AnalyzerAssembly, RuleCatalog.CodeFixAssembly, typeof(RuleCatalog).Assembly };
        var types = assemblies.SelectMany(a => a.GetTypes()).Select(t => Regex.Replace(t.Name, "`\\d+$", "")).ToHashSet(StringComparer.Ordinal);
        foreach (var cells in rows)
        {
            var helper = cells[2].Trim('`');
            var file = cells[3].Trim('`');
            Assert.True(types.Contains(helper), $"docs/architecture.md names {helper}, which does not exist");
            Assert.True(File.Exists(TestDefaults.RepositoryFile(file.Split('/'))), $"docs/architecture.md places {helper} in {file}, which does not exist");
            Assert.Equal(helper, Path.GetFileNameWithoutExtension(file));
        }
    }

    [Fact]
    public void Readme_CountsTheCorpusProgramsThereAre()
    {
        var corpus = Directory.GetFiles(TestDefaults.RepositoryFile("tests", "AsyncPitfalls.IntegrationTests", "Fixes", "Corpus"), "*.fixed.cs").Length;
        var readme = File.ReadAllText(TestDefaults.RepositoryFile("README.md"));
        var claims = Regex.Matches(readme, @"(\d+) realistic programs").Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.NotEmpty(claims);
        Assert.All(claims, claim => Assert.Equal(corpus, claim));
    }

    [Fact]
    public void DotnetFormatCommands_InTheDocs_NameRulesThatExist()
    {
        var fixable = RuleCatalog.FixableIds;
        var docs = Directory.GetFiles(TestDefaults.RepositoryRoot, "*.md", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        var commands = 0;
        foreach (var file in docs)
        {
            foreach (Match command in Regex.Matches(File.ReadAllText(file), @"dotnet format analyzers[^\n`]*?--diagnostics((?: (?:ASYNC|CS)\d+)+)"))
            {
                commands++;
                var ids = command.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                Assert.All(ids, id => Assert.True(fixable.Contains(id), $"{Path.GetFileName(file)}: `{command.Value}` names {id}, which no fix of the package fixes"));
                if (ids.Length > 1)
                {
                    Assert.Equal(RuleCatalog.BulkCommandIds, ids);
                }
            }
        }

        Assert.True(commands >= 3, "the docs show no dotnet format command");
    }
}
