using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AsyncPitfalls.Analyzers;

/// <summary>
/// Registers actions whose symbol context (<see cref="AsyncSymbols"/>) is resolved by the first action that runs, not at
/// compilation start (see <see cref="AsyncSymbols.Deferred"/>). An action runs only when <c>applies</c> holds for the
/// compilation, for example when it can express tasks at all.
/// </summary>
internal static class DeferredRegistration
{
    public static void RegisterOperationAction(this CompilationStartAnalysisContext start, Func<AsyncSymbols, bool> applies, Action<OperationAnalysisContext, AsyncSymbols> action, params OperationKind[] kinds)
    {
        var symbols = AsyncSymbols.Deferred(start.Compilation);
        start.RegisterOperationAction(
            c =>
            {
                var resolved = symbols.Value;
                if (applies(resolved))
                {
                    action(c, resolved);
                }
            },
            kinds);
    }

    public static void RegisterSymbolStartAction(this CompilationStartAnalysisContext start, Func<AsyncSymbols, bool> applies, Action<SymbolStartAnalysisContext, AsyncSymbols> action, SymbolKind kind)
    {
        var symbols = AsyncSymbols.Deferred(start.Compilation);
        start.RegisterSymbolStartAction(
            s =>
            {
                var resolved = symbols.Value;
                if (applies(resolved))
                {
                    action(s, resolved);
                }
            },
            kind);
    }
}
