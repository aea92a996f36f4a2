using System;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace AsyncPitfalls.Analyzers;

/// <summary>
/// Everything the rules know about one compilation, built once and shared by every analyzer, the suppressor and the
/// fixes: the symbols, the awaitable twins of synchronous methods, the fault analysis, the framework entry points and
/// which code is a test.
/// Each part is built on first use. Creating the facts costs nothing, so a rule asks for them at compilation start
/// (see <see cref="DeferredRegistration"/>) and its first action, not the compilation start, pays for the symbols: by
/// then the compiler has bound the references itself, and the analyzer that happens to run first is not charged for it.
/// </summary>
internal sealed class CompilationFacts
{
    private static readonly ConditionalWeakTable<Compilation, CompilationFacts> ByCompilation = new();

    private readonly Lazy<AsyncSymbols> _symbols;
    private readonly Lazy<AsyncTwins> _twins;
    private readonly Lazy<ExceptionEscape> _faults;
    private readonly Lazy<FrameworkEntryPoints> _entryPoints;
    private readonly Lazy<TestCode> _tests = new(() => new TestCode());

    private CompilationFacts(Compilation compilation)
    {
        _symbols = new Lazy<AsyncSymbols>(() => new AsyncSymbols(compilation));
        _twins = new Lazy<AsyncTwins>(() => new AsyncTwins(Symbols));
        _faults = new Lazy<ExceptionEscape>(() => new ExceptionEscape(compilation, Symbols));
        _entryPoints = new Lazy<FrameworkEntryPoints>(() => new FrameworkEntryPoints(Symbols));
    }

    /// <summary>The facts of <paramref name="compilation"/>, shared by every analysis of it (in an editor, every pass).</summary>
    public static CompilationFacts Of(Compilation compilation) => ByCompilation.GetValue(compilation, c => new CompilationFacts(c));

    public AsyncSymbols Symbols => _symbols.Value;

    public AsyncTwins Twins => _twins.Value;

    public ExceptionEscape Escape => _faults.Value;

    public FrameworkEntryPoints EntryPoints => _entryPoints.Value;

    public TestCode Tests => _tests.Value;
}
