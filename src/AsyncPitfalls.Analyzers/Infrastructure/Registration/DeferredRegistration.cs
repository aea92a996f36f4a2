using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AsyncPitfalls.Analyzers;

/// <summary>
/// Registers actions that receive the compilation's <see cref="CompilationFacts"/>, whose symbols are resolved by the
/// first action that runs, not at compilation start. An action runs only when <c>applies</c> holds for the
/// compilation's symbols, for example when it can express tasks at all.
/// </summary>
internal static class DeferredRegistration
{
    public static void RegisterOperationAction(this CompilationStartAnalysisContext start, Func<AsyncSymbols, bool> applies, Action<OperationAnalysisContext, CompilationFacts> action, params OperationKind[] kinds)
    {
        var facts = CompilationFacts.Of(start.Compilation);
        start.RegisterOperationAction(
            c =>
            {
                if (applies(facts.Symbols))
                {
                    action(c, facts);
                }
            },
            kinds);
    }

    public static void RegisterSymbolStartAction(this CompilationStartAnalysisContext start, Func<AsyncSymbols, bool> applies, Action<SymbolStartAnalysisContext, CompilationFacts> action, SymbolKind kind)
    {
        var facts = CompilationFacts.Of(start.Compilation);
        start.RegisterSymbolStartAction(
            s =>
            {
                if (applies(facts.Symbols))
                {
                    action(s, facts);
                }
            },
            kind);
    }
}
