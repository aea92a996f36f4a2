using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AsyncPitfalls.Benchmarks;

/// <summary>What one analyzer registers: recorded by running its Initialize against a recording context.</summary>
internal sealed class Registrations
{
    public string Name { get; init; } = "";
    public bool Concurrent { get; set; }
    public GeneratedCodeAnalysisFlags GeneratedCode { get; set; } = GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics;
    public bool UsesCompilationStart { get; set; }
    public HashSet<OperationKind> Operations { get; } = new();
    public HashSet<SymbolKind> Symbols { get; } = new();
    public int OperationBlockActions { get; set; }

    /// <summary>Operation kinds registered inside an operation-block start action, and how many block-end actions.</summary>
    public HashSet<OperationKind> BlockOperations { get; } = new();
    public int BlockStartActions { get; set; }
    public int BlockEndActions { get; set; }

    /// <summary>Records the registrations of <paramref name="analyzer"/> for <paramref name="compilation"/>.</summary>
    public static Registrations Of(DiagnosticAnalyzer analyzer, Compilation compilation)
    {
        var registrations = new Registrations { Name = analyzer.GetType().Name };
        analyzer.Initialize(new RecordingContext(registrations, compilation));
        return registrations;
    }

    public override string ToString()
        => $"{Name}: start={UsesCompilationStart}, operations=[{string.Join(",", Operations)}], symbols=[{string.Join(",", Symbols)}], blocks={OperationBlockActions}, block starts={BlockStartActions} ([{string.Join(",", BlockOperations)}], ends={BlockEndActions})";

    private sealed class RecordingContext : AnalysisContext
    {
        private readonly Registrations _r;
        private readonly Compilation _compilation;

        public RecordingContext(Registrations registrations, Compilation compilation)
        {
            _r = registrations;
            _compilation = compilation;
        }

        public override void EnableConcurrentExecution() => _r.Concurrent = true;

        public override void ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags analysisMode) => _r.GeneratedCode = analysisMode;

        public override void RegisterCompilationStartAction(Action<CompilationStartAnalysisContext> action)
        {
            _r.UsesCompilationStart = true;
            action(new RecordingStartContext(_r, _compilation));
        }

        public override void RegisterOperationAction(Action<OperationAnalysisContext> action, ImmutableArray<OperationKind> operationKinds) => _r.Operations.UnionWith(operationKinds);

        public override void RegisterSymbolAction(Action<SymbolAnalysisContext> action, ImmutableArray<SymbolKind> symbolKinds) => _r.Symbols.UnionWith(symbolKinds);

        public override void RegisterOperationBlockAction(Action<OperationBlockAnalysisContext> action) => _r.OperationBlockActions++;

        public override void RegisterCompilationAction(Action<CompilationAnalysisContext> action) => throw Unmirrored();

        public override void RegisterSemanticModelAction(Action<SemanticModelAnalysisContext> action) => throw Unmirrored();

        public override void RegisterCodeBlockStartAction<TLanguageKindEnum>(Action<CodeBlockStartAnalysisContext<TLanguageKindEnum>> action) => throw Unmirrored();

        public override void RegisterCodeBlockAction(Action<CodeBlockAnalysisContext> action) => throw Unmirrored();

        public override void RegisterSyntaxTreeAction(Action<SyntaxTreeAnalysisContext> action) => throw Unmirrored();

        public override void RegisterSyntaxNodeAction<TLanguageKindEnum>(Action<SyntaxNodeAnalysisContext> action, ImmutableArray<TLanguageKindEnum> syntaxKinds) => throw Unmirrored();

        public override void RegisterOperationBlockStartAction(Action<OperationBlockStartAnalysisContext> action) => RecordBlockStart(_r, _compilation, action);
    }

    private static void RecordBlockStart(Registrations registrations, Compilation compilation, Action<OperationBlockStartAnalysisContext> action)
    {
        registrations.BlockStartActions++;
        // A real block of the compilation: the context constructor wants one, the recorded action ignores it.
        var method = compilation.SyntaxTrees.SelectMany(t => t.GetRoot().DescendantNodes())
            .OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>().First(m => m.Body is not null);
        var model = compilation.GetSemanticModel(method.SyntaxTree);
        var block = model.GetOperation(method.Body!)!;
        action(new RecordingBlockStartContext(registrations, block, model.GetDeclaredSymbol(method)!, compilation));
    }

    private sealed class RecordingBlockStartContext : OperationBlockStartAnalysisContext
    {
        private readonly Registrations _r;

#pragma warning disable CS0618 // The recorder only needs a context object to receive registrations, never a real block.
        public RecordingBlockStartContext(Registrations registrations, IOperation block, ISymbol owner, Compilation compilation)
            : base(ImmutableArray.Create(block), owner, compilation, new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), CancellationToken.None)
        {
            _r = registrations;
        }
#pragma warning restore CS0618

        public override void RegisterOperationBlockEndAction(Action<OperationBlockAnalysisContext> action) => _r.BlockEndActions++;

        public override void RegisterOperationAction(Action<OperationAnalysisContext> action, ImmutableArray<OperationKind> operationKinds) => _r.BlockOperations.UnionWith(operationKinds);
    }

    private sealed class RecordingStartContext : CompilationStartAnalysisContext
    {
        private readonly Registrations _r;

        public RecordingStartContext(Registrations registrations, Compilation compilation)
            : base(compilation, new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), CancellationToken.None)
        {
            _r = registrations;
        }

        public override void RegisterOperationAction(Action<OperationAnalysisContext> action, ImmutableArray<OperationKind> operationKinds) => _r.Operations.UnionWith(operationKinds);

        public override void RegisterSymbolAction(Action<SymbolAnalysisContext> action, ImmutableArray<SymbolKind> symbolKinds) => _r.Symbols.UnionWith(symbolKinds);

        public override void RegisterOperationBlockAction(Action<OperationBlockAnalysisContext> action) => _r.OperationBlockActions++;

        public override void RegisterCompilationEndAction(Action<CompilationAnalysisContext> action) => throw Unmirrored();

        public override void RegisterSemanticModelAction(Action<SemanticModelAnalysisContext> action) => throw Unmirrored();

        public override void RegisterCodeBlockStartAction<TLanguageKindEnum>(Action<CodeBlockStartAnalysisContext<TLanguageKindEnum>> action) => throw Unmirrored();

        public override void RegisterCodeBlockAction(Action<CodeBlockAnalysisContext> action) => throw Unmirrored();

        public override void RegisterSyntaxTreeAction(Action<SyntaxTreeAnalysisContext> action) => throw Unmirrored();

        public override void RegisterSyntaxNodeAction<TLanguageKindEnum>(Action<SyntaxNodeAnalysisContext> action, ImmutableArray<TLanguageKindEnum> syntaxKinds) => throw Unmirrored();

        public override void RegisterOperationBlockStartAction(Action<OperationBlockStartAnalysisContext> action) => RecordBlockStart(_r, Compilation, action);
    }

    private static NotSupportedException Unmirrored()
        => new("This registration kind is not mirrored by the no-op floor yet; add it to Registrations and FloorAnalyzer.");
}

/// <summary>
/// The cost floor: registers exactly what one of our analyzers registers (recorded, not hand-copied) and does
/// nothing in the callbacks. No implementation of the same rules can cost less than this.
/// </summary>
internal sealed class FloorAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Placeholder = new("FLOOR000", "No-op floor", "No-op floor", "Benchmark", DiagnosticSeverity.Warning, isEnabledByDefault: true);
    private readonly Registrations _registrations;

    public FloorAnalyzer(Registrations registrations)
    {
        _registrations = registrations;
    }

    public string Mirrors => _registrations.Name;

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Placeholder);

    public override void Initialize(AnalysisContext context)
    {
        if (_registrations.Concurrent)
        {
            context.EnableConcurrentExecution();
        }

        context.ConfigureGeneratedCodeAnalysis(_registrations.GeneratedCode);
        if (_registrations.UsesCompilationStart)
        {
            context.RegisterCompilationStartAction(Register);
        }
        else
        {
            Register(context);
        }
    }

    private void Register(CompilationStartAnalysisContext start)
    {
        if (_registrations.Operations.Count > 0)
        {
            start.RegisterOperationAction(static _ => { }, _registrations.Operations.ToImmutableArray());
        }

        if (_registrations.Symbols.Count > 0)
        {
            start.RegisterSymbolAction(static _ => { }, _registrations.Symbols.ToImmutableArray());
        }

        for (var i = 0; i < _registrations.OperationBlockActions; i++)
        {
            start.RegisterOperationBlockAction(static _ => { });
        }

        for (var i = 0; i < _registrations.BlockStartActions; i++)
        {
            start.RegisterOperationBlockStartAction(RegisterBlock);
        }
    }

    private void RegisterBlock(OperationBlockStartAnalysisContext block)
    {
        if (_registrations.BlockOperations.Count > 0)
        {
            block.RegisterOperationAction(static _ => { }, _registrations.BlockOperations.ToImmutableArray());
        }

        for (var i = 0; i < _registrations.BlockEndActions; i++)
        {
            block.RegisterOperationBlockEndAction(static _ => { });
        }
    }

    private void Register(AnalysisContext context)
    {
        if (_registrations.Operations.Count > 0)
        {
            context.RegisterOperationAction(static _ => { }, _registrations.Operations.ToImmutableArray());
        }

        if (_registrations.Symbols.Count > 0)
        {
            context.RegisterSymbolAction(static _ => { }, _registrations.Symbols.ToImmutableArray());
        }

        for (var i = 0; i < _registrations.OperationBlockActions; i++)
        {
            context.RegisterOperationBlockAction(static _ => { });
        }

        for (var i = 0; i < _registrations.BlockStartActions; i++)
        {
            context.RegisterOperationBlockStartAction(RegisterBlock);
        }
    }
}
