using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AsyncPitfalls.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AsyncPitfalls.Tests;

/// <summary>Runs every analyzer of the package over plain compilations, outside the verifier.</summary>
public static class AnalyzerRunner
{
    private static readonly Lazy<Task<ImmutableArray<MetadataReference>>> References = new(
        () => TestDefaults.ReferenceAssemblies.ResolveAsync(LanguageNames.CSharp, CancellationToken.None));

    /// <summary>The framework references of every in-memory compilation of the tests.</summary>
    public static Task<ImmutableArray<MetadataReference>> FrameworkReferencesAsync() => References.Value;

    /// <summary>Every <see cref="DiagnosticAnalyzer"/> (suppressors included) the analyzer assembly exports.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> AllAnalyzers() => RuleCatalog.AnalyzersAndSuppressors;

    public static Task<CSharpCompilation> CompileAsync(params string[] sources)
        => CompileAtAsync(sources.Select((s, i) => ($"/src/File{i}.cs", s)).ToArray());

    /// <summary>A library compilation of <paramref name="sources"/> (path, text).</summary>
    public static async Task<CSharpCompilation> CompileAtAsync(params (string Path, string Text)[] sources)
    {
        var references = await References.Value;
        var trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, new CSharpParseOptions(LanguageVersion.Latest), path: s.Path));
        return CSharpCompilation.Create(
            "Probe",
            trees,
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    /// <summary>All diagnostics (compiler and analyzers, suppressed included), with analyzer exceptions surfaced as AD0001.</summary>
    public static async Task<ImmutableArray<Diagnostic>> RunAsync(Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers, params AdditionalText[] additionalFiles)
    {
        var exceptions = new List<Diagnostic>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(additionalFiles.ToImmutableArray()),
            onAnalyzerException: (ex, analyzer, diagnostic) => { lock (exceptions) { exceptions.Add(diagnostic); } },
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false,
            reportSuppressedDiagnostics: true);
        var withAnalyzers = compilation.WithAnalyzers(analyzers, options);
        var diagnostics = await withAnalyzers.GetAllDiagnosticsAsync();
        return diagnostics.AddRange(exceptions);
    }

    /// <summary>An additional file given to the analyzers, as MSBuild's AdditionalFiles items are.</summary>
    public sealed class InMemoryAdditionalText : AdditionalText
    {
        private readonly string _text;

        public InMemoryAdditionalText(string path, string text)
        {
            Path = path;
            _text = text;
        }

        public override string Path { get; }

        public override Microsoft.CodeAnalysis.Text.SourceText GetText(CancellationToken cancellationToken = default) => Microsoft.CodeAnalysis.Text.SourceText.From(_text);
    }
}
