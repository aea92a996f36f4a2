using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AsyncPitfalls.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace AsyncPitfalls.Tests;

/// <summary>
/// In-memory one-project solutions of test programs, fixed the way <c>dotnet format analyzers --severity warn</c> fixes
/// them (<see cref="BulkFixEngine"/>). The rules run in the order given, so a test can run them in two orders and compare.
/// </summary>
public static class CorpusWorkspace
{
    /// <summary>A one-project solution holding <paramref name="sources"/> (file name, text).</summary>
    public static async Task<(Solution Solution, ProjectId Project)> SolutionAsync(params (string Name, string Text)[] sources)
    {
        var workspace = new AdhocWorkspace();
        var project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(),
            VersionStamp.Default,
            "Corpus",
            "Corpus",
            LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(
                sources.Any(s => IsProgram(s.Text)) ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable),
            parseOptions: new CSharpParseOptions(LanguageVersion.Latest),
            metadataReferences: await AnalyzerRunner.FrameworkReferencesAsync()));
        var solution = project.Solution;
        foreach (var (name, text) in sources)
        {
            solution = solution.AddDocument(DocumentId.CreateNewId(project.Id), name, SourceText.From(text), filePath: "/corpus/" + name);
        }

        return (solution, project.Id);
    }

    private static bool IsProgram(string text)
        => CSharpSyntaxTree.ParseText(text).GetRoot().ChildNodes().Any(n => n is Microsoft.CodeAnalysis.CSharp.Syntax.GlobalStatementSyntax);

    /// <summary>The warnings the package reports (what <c>--severity warn</c> fixes), in file and position order.</summary>
    public static Task<ImmutableArray<Diagnostic>> WarningsAsync(Project project, CancellationToken cancellationToken = default)
        => BulkFixEngine.Package.DiagnosticsAsync(project, RuleCatalog.WarningRuleIds, DiagnosticSeverity.Warning, cancellationToken);

    /// <summary>One pass over the rules in <paramref name="ruleOrder"/>: each rule's Fix All, applied to the solution.</summary>
    public static async Task<Solution> FixAsync(Solution solution, ProjectId projectId, IEnumerable<string> ruleOrder, CancellationToken cancellationToken = default)
        => (await BulkFixEngine.Package.FixAsync(solution, new[] { projectId }, ruleOrder, DiagnosticSeverity.Warning, cancellationToken, maxPasses: BulkFixEngine.PassesToSettle)).Solution;

    /// <summary>The text of every document, by name.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> TextsAsync(Solution solution, ProjectId projectId)
    {
        var texts = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var document in solution.GetProject(projectId)!.Documents)
        {
            texts[document.Name] = (await document.GetTextAsync()).ToString();
        }

        return texts;
    }

    /// <summary>Compiler errors and warnings per ID.</summary>
    public static async Task<IReadOnlyDictionary<string, int>> CompilerWarningsAsync(Project project)
        => (await project.GetCompilationAsync())!.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .GroupBy(d => d.Id)
            .ToDictionary(g => g.Key, g => g.Count());
}
