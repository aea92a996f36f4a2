using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Verify = AsyncPitfalls.Tests.CSharpAnalyzerVerifier<AsyncPitfalls.Analyzers.ASYNC006LazyTaskQueryAnalyzer>;

namespace AsyncPitfalls.Tests;

/// <summary>ASYNC006: a lazy LINQ query of tasks, enumerated more than once or never.</summary>
public class ASYNC006LazyTaskQueryTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    private const string Work = """

        static class Work
        {
            public static Task UploadAsync(string f, CancellationToken ct) => Task.Delay(1, ct);
            public static Task<int> SizeAsync(string f) => Task.FromResult(f.Length);
            public static ValueTask SendAsync(int i) => default;
            public static void Log(object o) { }
            public static Task RunAll(IEnumerable<Task> tasks) { foreach (var t in tasks) { } return Task.CompletedTask; }
            public static Task Keep(IEnumerable<Task> tasks) => Task.CompletedTask;
        }
        """;

    private static Task VerifyAsync(string body, params DiagnosticResult[] expected) => Verify.VerifyAnalyzerAsync(Usings + $$"""
        class C
        {
            async Task M(string[] files, int[] items, Task<int>[] existing, TaskCompletionSource<int>[] sources, Func<string, Task> op, bool flag, CancellationToken ct)
            {
                {{body}}
            }
        }
        """ + Work, expected);

    private static DiagnosticResult Repeated(string name, int times) => Verify.Diagnostic(Analyzers.ASYNC006LazyTaskQueryAnalyzer.RepeatedRule).WithArguments(name, times);

    private static DiagnosticResult Never() => Verify.Diagnostic(Analyzers.ASYNC006LazyTaskQueryAnalyzer.NeverEnumeratedRule);

    // ---- (a) enumerated more than once ----

    [Fact]
    public Task Reports_TheIssueExample_WithEveryEnumerationAsAdditionalLocation() => VerifyAsync("""
        var {|#0:uploads = files.Select(f => Work.UploadAsync(f, ct))|};
                await Task.WhenAll({|#1:uploads|});
                foreach (var u in {|#2:uploads|}) Work.Log(u.Status);
        """, Repeated("uploads", 2).WithLocation(0).WithLocation(1).WithLocation(2));

    [Theory]
    [InlineData("var {|#0:q = files.Select(async f => await Work.UploadAsync(f, ct))|}; await Task.WhenAll(q); await Task.WhenAny(q);")]
    [InlineData("IEnumerable<Task<int>> {|#0:q = files.Select(Work.SizeAsync)|}; var n = q.Count(); var all = await Task.WhenAll(q);")]
    [InlineData("var {|#0:q = from f in files select Work.UploadAsync(f, ct)|}; await Task.WhenAll(q); var n = q.Count();")]
    [InlineData("var {|#0:q = files.Select(f => Work.UploadAsync(f, ct))|}; await Task.WhenAll(q); Work.Log(string.Join<Task>(\",\", q));")]
    [InlineData("var {|#0:q = files.Select(f => Task.Run(() => f.Length)).Where(t => t != null)|}; var list = q.ToList(); await Task.WhenAll(q);")]
    [InlineData("var {|#0:q = files.Select(f => op(f))|}; await Work.RunAll(q); await Task.WhenAll(q);")]
    [InlineData("var {|#0:q = files.SelectMany(f => items.Select(i => Work.UploadAsync(f + i, ct)))|}; await Task.WhenAll(q); if (q.Any()) Work.Log(1);")]
    [InlineData("var {|#0:q = files.Zip(items, (f, i) => Work.UploadAsync(f + i, ct))|}; foreach (var t in q) await t; await Task.WhenAll(q);")]
    [InlineData("var {|#0:q = items.Select(i => Work.SendAsync(i))|}; foreach (var t in q) await t; var first = q.First();")]
    [InlineData("var {|#0:q = files.Select(f => Work.UploadAsync(f, ct))|}; if (flag) { await Task.WhenAll(q); } var list = new List<Task>(q);")]
    public Task Reports_EnumeratedTwiceOnOnePath(string body) => VerifyAsync(body, Repeated("q", 2).WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations));

    // ---- (b) never enumerated ----

    [Theory]
    [InlineData("{|#0:items.Select(async i => await Work.SendAsync(i))|};")]
    [InlineData("_ = {|#0:files.Select(f => Work.UploadAsync(f, ct))|};")]
    [InlineData("var q = {|#0:files.Select(f => Work.UploadAsync(f, ct))|};")]
    [InlineData("var q = {|#0:files.Select(f => Work.UploadAsync(f, ct))|}; Work.Log(\"queued\");")]
    public Task Reports_NeverEnumerated(string body) => VerifyAsync(body, Never().WithLocation(0));

    // ---- Negatives ----

    [Theory]
    [InlineData("var q = files.Select(f => Work.UploadAsync(f, ct)).ToList(); await Task.WhenAll(q); foreach (var u in q) Work.Log(u.Status);")]
    [InlineData("var q = files.Select(f => Work.UploadAsync(f, ct)); await Task.WhenAll(q);")]
    [InlineData("var q = files.Select(f => Work.UploadAsync(f, ct)); var list = q.ToList(); await Task.WhenAll(list); foreach (var u in list) Work.Log(u.Status);")]
    [InlineData("var q = existing.Select(t => t.Result); var a = q.Count(); var b = q.Sum();")]
    [InlineData("var q = sources.Select(s => s.Task); await Task.WhenAll(q); await Task.WhenAll(q);")]
    [InlineData("var q = items.Select(Task.FromResult); await Task.WhenAll(q); await Task.WhenAll(q);")]
    [InlineData("var q = existing.Where(t => t.IsCompleted); await Task.WhenAll(q); await Task.WhenAll(q);")]
    [InlineData("List<Task> q = files.Select(f => Work.UploadAsync(f, ct)).ToList(); await Task.WhenAll(q); await Task.WhenAll(q);")]
    [InlineData("var q = files.Select(f => Work.UploadAsync(f, ct)); if (flag) await Task.WhenAll(q); else foreach (var t in q) await t;")]
    [InlineData("var q = files.Select(f => Work.UploadAsync(f, ct)); var w = flag ? Task.WhenAll(q) : Task.WhenAny(q); await w;")]
    [InlineData("var q = files.Select(f => Work.UploadAsync(f, ct)); if (flag) { await Task.WhenAll(q); return; } foreach (var t in q) await t;")]
    [InlineData("var q = files.Select(f => Work.UploadAsync(f, ct)); q = q.ToList(); await Task.WhenAll(q); await Task.WhenAll(q);")]
    [InlineData("var q = files.Select(f => Work.UploadAsync(f, ct)); await Work.Keep(q);")]
    [InlineData("var q = files.Select(f => Work.UploadAsync(f, ct)); Func<Task> later = () => Task.WhenAll(q); await later();")]
    [InlineData("var sizes = files.Select(f => f.Length); var a = sizes.Sum(); var b = sizes.Max();")]
    [InlineData("files.Select(f => f.Length);")]
    public Task NoDiagnostic_EnumeratedOnceMaterialisedOrNotStartingWork(string body) => VerifyAsync(body);

    [Fact]
    public Task NoDiagnostic_InAnIterator() => Verify.VerifyAnalyzerAsync(Usings + """
        class C
        {
            IEnumerable<Task> Uploads(string[] files)
            {
                foreach (var f in files) yield return Task.Delay(f.Length);
            }

            async Task M(string[] files)
            {
                var q = Uploads(files);
                await Task.WhenAll(q);
                await Task.WhenAll(q);
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_ReturnedToTheCaller() => Verify.VerifyAnalyzerAsync(Usings + """
        class C
        {
            IEnumerable<Task> M(string[] files)
            {
                var q = files.Select(f => Task.Delay(f.Length));
                return q;
            }
        }
        """);

    // ---- Known misses ----

    [Fact]
    public Task NoDiagnostic_PassedTwiceToAMethodOfAnotherAssembly_FalseNegative() => VerifyAsync("""
        var q = files.Select(f => Work.UploadAsync(f, ct));
                Parallel.ForEach(q, t => t.Wait());
                Parallel.ForEach(q, t => t.Wait());
        """);

    [Fact]
    public Task NoDiagnostic_QueryInAField_FalseNegative() => Verify.VerifyAnalyzerAsync(Usings + """
        class C
        {
            private readonly IEnumerable<Task> _q = new[] { "a" }.Select(f => Task.Delay(f.Length));
            async Task M() { await Task.WhenAll(_q); await Task.WhenAll(_q); }
        }
        """);

    [Fact]
    public Task NoDiagnostic_OneEnumerationInsideALoop_FalseNegative() => VerifyAsync("""
        var q = files.Select(f => Work.UploadAsync(f, ct));
                for (var i = 0; i < 3; i++) await Task.WhenAll(q);
        """);
}
