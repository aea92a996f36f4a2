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

    public static async Task<CSharpCompilation> CompileAsync(params string[] sources)
    {
        var references = await References.Value;
        var trees = sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, new CSharpParseOptions(LanguageVersion.Latest), path: $"/src/File{i}.cs"));
        return CSharpCompilation.Create(
            "Probe",
            trees,
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    /// <summary>All diagnostics (compiler and analyzers, suppressed included), with analyzer exceptions surfaced as AD0001.</summary>
    public static async Task<ImmutableArray<Diagnostic>> RunAsync(Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        var exceptions = new List<Diagnostic>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: (ex, analyzer, diagnostic) => { lock (exceptions) { exceptions.Add(diagnostic); } },
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false,
            reportSuppressedDiagnostics: true);
        var withAnalyzers = compilation.WithAnalyzers(analyzers, options);
        var diagnostics = await withAnalyzers.GetAllDiagnosticsAsync();
        return diagnostics.AddRange(exceptions);
    }
}
