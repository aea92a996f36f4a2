using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using AsyncPitfalls.Analyzers;
using AsyncPitfalls.Generate;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AsyncPitfalls.Tests;

/// <summary>Repository-wide checks that keep every rule honest (STYLE.md section 7).</summary>
public class MetaTests
{
    /// <summary>
    /// IDs that ship without a code fix, on purpose. Each one's doc page says "Code fix | No" and explains what to do instead.
    /// </summary>
    private static readonly ImmutableHashSet<string> IdsWithoutCodeFix = ImmutableHashSet.Create<string>();

    /// <summary>Fix providers allowed to return no fix-all provider (none so far).</summary>
    private static readonly ImmutableHashSet<string> FixesWithoutFixAll = ImmutableHashSet.Create<string>();

    private static IEnumerable<Type> AnalyzerTypes => RuleCatalog.Analyzers.Select(a => a.GetType());

    private static IEnumerable<Type> SuppressorTypes => RuleCatalog.Suppressors.Select(s => s.GetType());

    private static IEnumerable<Type> CodeFixTypes => RuleCatalog.Fixers.Select(f => f.GetType());

    [Fact]
    public void Analyzers_AreSealedAndDeclaredForCSharp()
    {
        Assert.NotEmpty(AnalyzerTypes);
        foreach (var type in AnalyzerTypes.Concat(SuppressorTypes))
        {
            Assert.True(type.IsSealed, $"{type.Name} must be sealed");
            var attribute = type.GetCustomAttribute<DiagnosticAnalyzerAttribute>();
            Assert.True(attribute is not null, $"{type.Name} lacks [DiagnosticAnalyzer]");
            Assert.Equal(new[] { LanguageNames.CSharp }, attribute!.Languages);
        }
    }

    [Fact]
    public void Analyzers_AreNamedAfterEveryRuleTheyReport()
    {
        foreach (var analyzer in AnalyzerTypes)
        {
            // ASYNC020ASYNC021LostResultAnalyzer: every ID, in order, then the concept.
            var ids = ((DiagnosticAnalyzer)Activator.CreateInstance(analyzer)!).SupportedDiagnostics.Select(d => d.Id).Distinct().OrderBy(id => id, StringComparer.Ordinal);
            Assert.StartsWith(string.Concat(ids), analyzer.Name, StringComparison.Ordinal);
            Assert.True(File.Exists(TestDefaults.RepositoryFile("src", "AsyncPitfalls.Analyzers", "Rules", analyzer.Name + ".cs")), $"{analyzer.Name} is not in Rules/{analyzer.Name}.cs");
        }
    }

    [Fact]
    public void CodeFixesAndTests_AreNamedAfterTheirRule()
    {
        foreach (var type in CodeFixTypes)
        {
            var ids = ((CodeFixProvider)Activator.CreateInstance(type)!).FixableDiagnosticIds.Where(id => id.StartsWith("ASYNC", StringComparison.Ordinal)).ToList();
            Assert.True(ids.Count == 1, $"{type.Name} fixes {ids.Count} of our IDs; a fix serves one rule");
            Assert.StartsWith(ids[0], type.Name, StringComparison.Ordinal);
            Assert.True(File.Exists(TestDefaults.RepositoryFile("src", "AsyncPitfalls.CodeFixes", "Rules", type.Name + ".cs")), $"{type.Name} is not in Rules/{type.Name}.cs");
        }

        var testFiles = Directory.GetFiles(TestDefaults.RepositoryFile("tests", "AsyncPitfalls.Tests", "Rules"), "*.cs").Select(Path.GetFileName).ToList();
        foreach (var d in RuleCatalog.Rules)
        {
            Assert.True(testFiles.Any(f => f!.StartsWith(d.Id, StringComparison.Ordinal) && f.EndsWith("Tests.cs", StringComparison.Ordinal)), $"{d.Id} has no Rules/{d.Id}*Tests.cs");
        }
    }

    [Fact]
    public void Descriptors_HaveWellFormedUniqueIds()
    {
        var owners = new Dictionary<string, Type>();
        foreach (var (instance, descriptor) in RuleCatalog.Descriptors)
        {
            var analyzer = instance.GetType();
            Assert.Matches(new Regex(@"^ASYNC\d{3}$"), descriptor.Id);
            Assert.Contains(descriptor.Id, RuleCatalog.DeclaredIds);
            if (owners.TryGetValue(descriptor.Id, out var owner))
            {
                Assert.True(owner == analyzer, $"{descriptor.Id} is declared by both {owner.Name} and {analyzer.Name}");
            }

            owners[descriptor.Id] = analyzer;
        }

        foreach (var id in RuleCatalog.DeclaredIds.Where(id => id.StartsWith("ASYNC", StringComparison.Ordinal)))
        {
            Assert.True(owners.ContainsKey(id) || SuppressorTypes.Any(t => ((DiagnosticSuppressor)Activator.CreateInstance(t)!).SupportedSuppressions.Any(s => s.Id == id)),
                $"{id} is declared in DiagnosticIds but no analyzer or suppressor uses it");
        }
    }

    [Fact]
    public void Descriptors_FollowTheTextConventions()
    {
        var categories = typeof(DiagnosticCategories).GetFields().Select(f => (string)f.GetRawConstantValue()!).ToHashSet();
        foreach (var d in RuleCatalog.Rules)
        {
            var title = d.Title.ToString();
            var message = d.MessageFormat.ToString();
            var description = d.Description.ToString();
            Assert.False(string.IsNullOrWhiteSpace(title), $"{d.Id}: empty title");
            Assert.False(title.EndsWith(".", StringComparison.Ordinal), $"{d.Id}: the title ends with a period");
            Assert.True(char.IsUpper(title[0]), $"{d.Id}: the title is not in sentence case");
            Assert.False(message.EndsWith(".", StringComparison.Ordinal), $"{d.Id}: the message ends with a period");
            Assert.False(string.IsNullOrWhiteSpace(description), $"{d.Id}: empty description");
            Assert.True(description.EndsWith(".", StringComparison.Ordinal), $"{d.Id}: the description is not a sentence");
            Assert.Contains(d.Category, categories);
            Assert.Equal(RuleFactory.HelpLink(d.Id), d.HelpLinkUri);
            Assert.EndsWith($"/docs/rules/{d.Id}.md", d.HelpLinkUri, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Docs_ExistAndStartWithTitleAndDescription()
    {
        foreach (var d in RuleCatalog.Rules)
        {
            var path = TestDefaults.RepositoryFile("docs", "rules", d.Id + ".md");
            Assert.True(File.Exists(path), $"docs/rules/{d.Id}.md is missing: `dotnet run --project tools/AsyncPitfalls.Generate` writes a stub to fill in");

            var lines = File.ReadAllLines(path);
            Assert.Equal($"# {d.Id}: {d.Title}", lines[0]);
            var firstParagraph = string.Join(" ", lines.Skip(1).SkipWhile(string.IsNullOrWhiteSpace).TakeWhile(l => !string.IsNullOrWhiteSpace(l)));
            Assert.Equal(d.Description.ToString(), firstParagraph);
            var text = File.ReadAllText(path);
            foreach (var section in new[] { "## Why", "## Bad", "## Good", "## When it does not fire", "## Options", "## How to suppress" })
            {
                Assert.True(text.Contains(section, StringComparison.Ordinal), $"docs/rules/{d.Id}.md lacks the section '{section}'");
            }

            Assert.Contains($"| Code fix | {(RuleCatalog.FixableIds.Contains(d.Id) ? "Yes" : "No")}", text, StringComparison.Ordinal);
            Assert.False(text.Contains("TODO", StringComparison.Ordinal), $"docs/rules/{d.Id}.md still has a TODO of the generated stub");
        }

        foreach (var type in SuppressorTypes)
        {
            foreach (var s in ((DiagnosticSuppressor)Activator.CreateInstance(type)!).SupportedSuppressions)
            {
                Assert.True(File.Exists(TestDefaults.RepositoryFile("docs", "rules", s.Id + ".md")), $"docs/rules/{s.Id}.md is missing");
            }
        }
    }

    [Fact]
    public void GeneratedFiles_AreUpToDate()
    {
        // The README tables, presets, configuration page, rule-page headers and bulk commands come from the descriptors.
        var stale = Generator.Plan(TestDefaults.RepositoryRoot).Where(f => !f.IsCurrent).Select(f => Path.GetRelativePath(TestDefaults.RepositoryRoot, f.Path)).ToList();
        Assert.True(stale.Count == 0, "out of date with the rule descriptors: " + string.Join(", ", stale) + ". Run `dotnet run --project tools/AsyncPitfalls.Generate` and review the result.");
    }

    [Fact]
    public void PackageReadme_HasNoRelativeLinks()
    {
        // The package page on nuget.org has no repository around it: every link must be absolute.
        var readme = File.ReadAllText(TestDefaults.RepositoryFile("src", "AsyncPitfalls.Package", "README.md"));
        var links = System.Text.RegularExpressions.Regex.Matches(readme, @"\]\(([^)]+)\)").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(links);
        Assert.All(links, link => Assert.True(link.StartsWith("https://", StringComparison.Ordinal), $"relative link in the package README: {link}"));
    }

    [Fact]
    public void ProjectUrl_IsTheSameInTheHelpLinksAndThePackageMetadata()
    {
        var project = System.Xml.Linq.XDocument.Load(TestDefaults.RepositoryFile("src", "AsyncPitfalls.Package", "AsyncPitfalls.Package.csproj"));
        string Property(string name) => project.Descendants(name).Single().Value;
        Assert.Equal(AsyncPitfalls.Analyzers.RuleFactory.ProjectUrl, Property("PackageProjectUrl"));
        Assert.Equal(AsyncPitfalls.Analyzers.RuleFactory.ProjectUrl, Property("RepositoryUrl"));
        Assert.All(RuleCatalog.Rules, d => Assert.Equal($"{AsyncPitfalls.Analyzers.RuleFactory.ProjectUrl}/blob/main/docs/rules/{d.Id}.md", d.HelpLinkUri));
    }

    [Fact]
    public void Options_AreDescribed()
    {
        Assert.Contains(RuleCatalog.Options(), o => o.Key == "ASYNC001.excluded_methods");
        Assert.All(RuleCatalog.Options(), o => Assert.False(string.IsNullOrWhiteSpace(o.Description), $"{o.Key} has no description"));
    }

    [Fact]
    public void Changelog_HasTheSectionThatBecomesTheReleaseNotes()
    {
        var changelog = File.ReadAllText(TestDefaults.RepositoryFile("CHANGELOG.md")).Replace("\r\n", "\n");
        Assert.Matches(new System.Text.RegularExpressions.Regex(@"\n## \[Unreleased\]\n\n### (Added|Changed|Fixed|Removed)"), changelog);
    }

    [Fact]
    public void ReleaseTracking_ListsEachIdOnceWithItsCategoryAndSeverity()
    {
        var entries = new List<(string Id, string Category, string Severity)>();
        foreach (var file in new[] { "AnalyzerReleases.Shipped.md", "AnalyzerReleases.Unshipped.md" })
        {
            foreach (var line in File.ReadAllLines(TestDefaults.RepositoryFile("src", "AsyncPitfalls.Analyzers", file)))
            {
                var cells = line.Split('|').Select(c => c.Trim()).ToArray();
                if (cells.Length >= 3 && Regex.IsMatch(cells[0], @"^ASYNC\d{3}$"))
                {
                    entries.Add((cells[0], cells[1], cells[2]));
                }
            }
        }

        foreach (var d in RuleCatalog.Rules)
        {
            var matching = entries.Where(e => e.Id == d.Id).ToList();
            Assert.True(matching.Count == 1, $"{d.Id} is listed {matching.Count} times in the release-tracking files");
            Assert.Equal(d.Category, matching[0].Category);
            Assert.Equal(d.DefaultSeverity.ToString(), matching[0].Severity);
        }
    }

    [Fact]
    public void CodeFixes_AreExportedSharedAndFixOurIds()
    {
        Assert.NotEmpty(CodeFixTypes);
        var ours = RuleCatalog.Rules.Select(d => d.Id).ToHashSet();
        foreach (var type in CodeFixTypes)
        {
            Assert.True(type.IsSealed, $"{type.Name} must be sealed");
            var export = type.GetCustomAttribute<ExportCodeFixProviderAttribute>();
            Assert.True(export is not null, $"{type.Name} lacks [ExportCodeFixProvider]");
            Assert.Equal(type.Name, export!.Name);
            Assert.Contains(LanguageNames.CSharp, export.Languages);
            Assert.True(type.GetCustomAttribute<SharedAttribute>() is not null, $"{type.Name} lacks [Shared]");
            var provider = (CodeFixProvider)Activator.CreateInstance(type)!;
            foreach (var id in provider.FixableDiagnosticIds)
            {
                Assert.True(ours.Contains(id) || id == DiagnosticIds.CompilerUnawaitedCall, $"{type.Name} fixes {id}, which is neither ours nor a compiler ID we fix on purpose");
            }

            Assert.True(provider.GetFixAllProvider() is not null || FixesWithoutFixAll.Contains(type.Name), $"{type.Name} has no fix-all provider");
        }
    }

    [Fact]
    public void CodeFixes_CoverEveryIdOrTheNoFixList()
    {
        foreach (var d in RuleCatalog.Rules)
        {
            Assert.True(RuleCatalog.FixableIds.Contains(d.Id) ^ IdsWithoutCodeFix.Contains(d.Id),
                $"{d.Id} needs either a code fix or an entry in the documented no-fix list (not both)");
        }
    }
}
