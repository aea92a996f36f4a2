using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using AsyncPitfalls.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AsyncPitfalls.Tests;

/// <summary>
/// The compiler's CS4014, ASYNC001 and ASYNC007 split dropped calls between them: every dropped awaitable below
/// (each can fail) gets exactly one of the three, and no call ever gets two.
/// </summary>
public class ASYNC001CompilerAgreementTests
{
    private const string Prelude = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        class Api
        {
            public static Task SendAsync() => System.IO.File.WriteAllTextAsync("api.txt", "sent");
            public static async Task DeclaredAsync() => await Task.Yield();
            public static ValueTask PingAsync() => new(Task.Run(() => { }));
            public Task DoAsync() => Task.Run(() => { });
        }
        """;

    [Theory]
    [InlineData("void M() { Api.SendAsync(); }")]
    [InlineData("void M() { Api.DeclaredAsync(); }")]
    [InlineData("async Task M() { Api.SendAsync(); await Task.Yield(); }")]
    [InlineData("async Task M() { Api.DeclaredAsync(); await Task.Yield(); }")]
    [InlineData("async void M() { Api.PingAsync(); await Task.Yield(); }")]
    [InlineData("void M() => Api.SendAsync();")]
    [InlineData("void M() => Api.DeclaredAsync();")]
    [InlineData("async void M() => Api.SendAsync();")]
    [InlineData("void M(List<int> l) { l.ForEach(i => Api.SendAsync()); }")]
    [InlineData("void M(List<int> l) { l.ForEach(i => Api.DeclaredAsync()); }")]
    [InlineData("void M(List<int> l) { l.ForEach(async i => Api.SendAsync()); }")]
    [InlineData("async Task M() { Action a = () => { Api.SendAsync(); }; await Task.Yield(); }")]
    [InlineData("async Task M() { Action a = () => Api.DeclaredAsync(); await Task.Yield(); }")]
    [InlineData("async Task M() { Func<Task> f = async () => { Api.SendAsync(); await Task.Yield(); }; await f(); }")]
    [InlineData("void M() { async Task Local() { Api.SendAsync(); await Task.Yield(); } _ = Local(); }")]
    [InlineData("void M() { void Local() { Api.SendAsync(); } Local(); }")]
    [InlineData("async Task M(Api a) { a?.DoAsync(); await Task.Yield(); }")]
    [InlineData("async Task M(object o) { lock (o) { Api.SendAsync(); } await Task.Yield(); }")]
    [InlineData("async Task M() { try { await Task.Yield(); } catch (Exception) when (Api.SendAsync() != null) { } }")]
    [InlineData("async Task M() { try { await Task.Yield(); } catch { Api.SendAsync(); } finally { Api.SendAsync(); } }")]
    [InlineData("async Task M(int[] xs) { var q = from x in xs select Fire(x); await Task.Yield(); } int Fire(int x) { Api.SendAsync(); return x; }")]
    [InlineData("async Task M() { Api.SendAsync().ConfigureAwait(false); await Task.Yield(); }")]
    [InlineData("void M() { Api.SendAsync().ConfigureAwait(false); }")]
    [InlineData("async Task M(Func<Task> f) { f(); await Task.Yield(); }")]
    [InlineData("async Task M() { Task.Run(() => Api.SendAsync()); await Task.Yield(); }")]
    [InlineData("void M() { Task.Run(async () => { Api.SendAsync(); await Task.Yield(); }); }")]
    public async Task NeverBothAndNeverNeither(string member)
    {
        var source = $$"""
            {{Prelude}}
            class C
            {
                {{member}}
            }
            """;
        var compilation = await AnalyzerRunner.CompileAsync(source);
        var diagnostics = await AnalyzerRunner.RunAsync(compilation, ImmutableArray.Create<DiagnosticAnalyzer>(new ASYNC001ASYNC007DroppedTaskAnalyzer()));
        Assert.DoesNotContain(diagnostics, d => d.Severity == DiagnosticSeverity.Error || d.Id == "AD0001");

        var compilerSpans = diagnostics.Where(d => d.Id == "CS4014").Select(d => d.Location.SourceSpan).ToList();
        var unawaitedSpans = diagnostics.Where(d => d.Id == DiagnosticIds.UnawaitedTask).Select(d => d.Location.SourceSpan).ToList();
        var fireAndForgetSpans = diagnostics.Where(d => d.Id == DiagnosticIds.FireAndForget).Select(d => d.Location.SourceSpan).ToList();
        Assert.Empty(compilerSpans.Intersect(unawaitedSpans));
        Assert.Empty(compilerSpans.Intersect(fireAndForgetSpans));
        Assert.Empty(unawaitedSpans.Intersect(fireAndForgetSpans));
        var ourSpans = unawaitedSpans.Concat(fireAndForgetSpans).ToList();

        // Each statement that drops an awaitable (counted from the syntax) is reported by exactly one of the two.
        var tree = compilation.SyntaxTrees.Single();
        var model = compilation.GetSemanticModel(tree);
        var cls = tree.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>().Single(c => c.Identifier.Text == "C");
        var dropped = cls.DescendantNodes()
            .Where(n => n is ExpressionStatementSyntax
                || (n is ExpressionSyntax e && e.Parent is ArrowExpressionClauseSyntax or LambdaExpressionSyntax))
            .Select(n => n is ExpressionStatementSyntax s ? s.Expression : (ExpressionSyntax)n)
            .Where(e => e is InvocationExpressionSyntax or ConditionalAccessExpressionSyntax)
            .Where(e => model.GetTypeInfo(e).Type is { } t && (t.Name is "Task" or "ValueTask" or "ConfiguredTaskAwaitable") && !IsConsumedByLambdaReturn(model, e))
            .Select(e => e.Span)
            .ToList();
        foreach (var span in dropped)
        {
            Assert.True(compilerSpans.Contains(span) ^ ourSpans.Contains(span), $"'{tree.GetText().ToString(span)}' should be reported by exactly one of CS4014, ASYNC001 and ASYNC007");
        }

        Assert.Equal(dropped.Count, compilerSpans.Count + ourSpans.Count);
    }

    private static bool IsConsumedByLambdaReturn(SemanticModel model, ExpressionSyntax expression)
    {
        if (expression.Parent is not LambdaExpressionSyntax lambda)
        {
            return false;
        }

        var symbol = model.GetSymbolInfo(lambda).Symbol as IMethodSymbol;
        return symbol is not null && !symbol.ReturnsVoid;
    }
}
