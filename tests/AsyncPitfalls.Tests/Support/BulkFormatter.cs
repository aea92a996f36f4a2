using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace AsyncPitfalls.Tests;

/// <summary>
/// Applies the package's fixes the way <c>dotnet format analyzers --severity warn</c> does, in process: for each rule,
/// the equivalence key of the first action offered for its first diagnostic, then Fix All at solution scope with
/// that key. The rules run in the order given, so a test can run them in two orders and compare.
/// </summary>
internal static class BulkFormatter
{
    private static readonly Lazy<Task<ImmutableArray<MetadataReference>>> References = new(
        () => TestDefaults.ReferenceAssemblies.ResolveAsync(LanguageNames.CSharp, CancellationToken.None));

    /// <summary>The fix providers of the package, by the rule IDs they fix.</summary>
    public static ImmutableArray<CodeFixProvider> Fixers { get; } = AnalyzerRunner.CodeFixAssembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t))
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!)
        .ToImmutableArray();

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
            metadataReferences: await References.Value));
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
    public static async Task<ImmutableArray<Diagnostic>> WarningsAsync(Project project, CancellationToken cancellationToken = default)
    {
        var compilation = (await project.GetCompilationAsync(cancellationToken))!;
        var diagnostics = await compilation.WithAnalyzers(AnalyzerRunner.AllAnalyzers()).GetAnalyzerDiagnosticsAsync(cancellationToken);
        return diagnostics
            .Where(d => d.Id.StartsWith("ASYNC", StringComparison.Ordinal) && d.Severity >= DiagnosticSeverity.Warning && !d.IsSuppressed)
            .OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ToImmutableArray();
    }

    /// <summary>One pass over the rules in <paramref name="ruleOrder"/>: each rule's Fix All, applied to the solution.</summary>
    public static async Task<Solution> FixAsync(Solution solution, ProjectId projectId, IEnumerable<string> ruleOrder, CancellationToken cancellationToken = default)
    {
        foreach (var id in ruleOrder)
        {
            var fixer = Fixers.FirstOrDefault(f => f.FixableDiagnosticIds.Contains(id));
            var project = solution.GetProject(projectId)!;
            var diagnostics = (await WarningsAsync(project, cancellationToken)).Where(d => d.Id == id).ToImmutableArray();
            if (fixer is null || diagnostics.IsEmpty)
            {
                continue;
            }

            // The first action offered for the first diagnostic gives the key, as dotnet format does.
            var first = diagnostics[0];
            var document = project.GetDocument(first.Location.SourceTree)!;
            var actions = new List<CodeAction>();
            await fixer.RegisterCodeFixesAsync(new CodeFixContext(document, first, (action, _) => actions.Add(action), cancellationToken));
            if (actions.Count == 0 || fixer.GetFixAllProvider() is not { } fixAll)
            {
                continue;
            }

            var context = new FixAllContext(document, fixer, FixAllScope.Solution, actions[0].EquivalenceKey, new[] { id }, new Provider(diagnostics), cancellationToken);
            if (await fixAll.GetFixAsync(context) is not { } action)
            {
                continue;
            }

            foreach (var operation in await action.GetOperationsAsync(cancellationToken))
            {
                if (operation is ApplyChangesOperation apply)
                {
                    solution = apply.ChangedSolution;
                }
            }
        }

        return solution;
    }

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

    private sealed class Provider : FixAllContext.DiagnosticProvider
    {
        private readonly ImmutableArray<Diagnostic> _diagnostics;

        public Provider(ImmutableArray<Diagnostic> diagnostics)
        {
            _diagnostics = diagnostics;
        }

        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => Task.FromResult<IEnumerable<Diagnostic>>(_diagnostics);

        public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
        {
            var tree = await document.GetSyntaxTreeAsync(cancellationToken);
            return _diagnostics.Where(d => d.Location.SourceTree?.FilePath == tree?.FilePath);
        }

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => Task.FromResult(Enumerable.Empty<Diagnostic>());
    }
}
