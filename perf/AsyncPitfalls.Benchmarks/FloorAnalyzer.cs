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

    /// <summary>Symbol-start actions by kind, the operation kinds they register, and how many symbol-end actions.</summary>
    public HashSet<SymbolKind> SymbolStarts { get; } = new();
    public HashSet<OperationKind> SymbolStartOperations { get; } = new();
    public int SymbolEndActions { get; set; }

    /// <summary>Records the registrations of <paramref name="analyzer"/> for <paramref name="compilation"/>.</summary>
    public static Registrations Of(DiagnosticAnalyzer analyzer, Compilation compilation)
    {
        var registrations = new Registrations { Name = analyzer.GetType().Name };
        analyzer.Initialize(new RecordingContext(registrations, compilation));
        return registrations;
    }

    public override string ToString()
        => $"{Name}: start={UsesCompilationStart}, operations=[{string.Join(",", Operations)}], symbols=[{string.Join(",", Symbols)}], blocks={OperationBlockActions}, block starts={BlockStartActions} ([{string.Join(",", BlockOperations)}], ends={BlockEndActions}), symbol starts=[{string.Join(",", SymbolStarts)}] ([{string.Join(",", SymbolStartOperations)}], ends={SymbolEndActions})";

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

        public override void RegisterSymbolStartAction(Action<SymbolStartAnalysisContext> action, SymbolKind symbolKind) => RecordSymbolStart(_r, _compilation, action, symbolKind);
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

        public override void RegisterSymbolStartAction(Action<SymbolStartAnalysisContext> action, SymbolKind symbolKind) => RecordSymbolStart(_r, Compilation, action, symbolKind);
    }

    /// <summary>
    /// Runs a symbol-start action on the compilation's types until one registers something: an analyzer may register
    /// only for the types it cares about (those with an async void method, say), so one arbitrary type is not enough.
    /// </summary>
    private static void RecordSymbolStart(Registrations registrations, Compilation compilation, Action<SymbolStartAnalysisContext> action, SymbolKind symbolKind)
    {
        registrations.SymbolStarts.Add(symbolKind);
        if (symbolKind != SymbolKind.NamedType)
        {
            throw Unmirrored();
        }

        foreach (var tree in compilation.SyntaxTrees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var declaration in tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax>())
            {
                if (model.GetDeclaredSymbol(declaration) is INamedTypeSymbol type)
                {
                    action(new RecordingSymbolStartContext(registrations, type, compilation));
                    if (registrations.SymbolStartOperations.Count > 0 || registrations.SymbolEndActions > 0)
                    {
                        return;
                    }
                }
            }
        }
    }

    private sealed class RecordingSymbolStartContext : SymbolStartAnalysisContext
    {
        private readonly Registrations _r;

#pragma warning disable CS0618 // The recorder only needs a context object to receive registrations.
        public RecordingSymbolStartContext(Registrations registrations, ISymbol symbol, Compilation compilation)
            : base(symbol, compilation, new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), CancellationToken.None)
        {
            _r = registrations;
        }
#pragma warning restore CS0618

        public override void RegisterOperationAction(Action<OperationAnalysisContext> action, ImmutableArray<OperationKind> operationKinds) => _r.SymbolStartOperations.UnionWith(operationKinds);

        public override void RegisterSymbolEndAction(Action<SymbolAnalysisContext> action) => _r.SymbolEndActions++;

        public override void RegisterCodeBlockAction(Action<CodeBlockAnalysisContext> action) => throw Unmirrored();

        public override void RegisterCodeBlockStartAction<TLanguageKindEnum>(Action<CodeBlockStartAnalysisContext<TLanguageKindEnum>> action) => throw Unmirrored();

        public override void RegisterOperationBlockAction(Action<OperationBlockAnalysisContext> action) => throw Unmirrored();

        public override void RegisterOperationBlockStartAction(Action<OperationBlockStartAnalysisContext> action) => throw Unmirrored();

        public override void RegisterSyntaxNodeAction<TLanguageKindEnum>(Action<SyntaxNodeAnalysisContext> action, ImmutableArray<TLanguageKindEnum> syntaxKinds) => throw Unmirrored();
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

        foreach (var kind in _registrations.SymbolStarts)
        {
            start.RegisterSymbolStartAction(RegisterSymbol, kind);
        }
    }

    private void RegisterSymbol(SymbolStartAnalysisContext symbol)
    {
        if (_registrations.SymbolStartOperations.Count > 0)
        {
            symbol.RegisterOperationAction(static _ => { }, _registrations.SymbolStartOperations.ToImmutableArray());
        }

        for (var i = 0; i < _registrations.SymbolEndActions; i++)
        {
            symbol.RegisterSymbolEndAction(static _ => { });
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

        foreach (var kind in _registrations.SymbolStarts)
        {
            context.RegisterSymbolStartAction(RegisterSymbol, kind);
        }
    }
}
