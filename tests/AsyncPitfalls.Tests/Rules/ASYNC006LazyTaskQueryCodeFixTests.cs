using System.Threading;
using System.Threading.Tasks;
using AsyncPitfalls.CodeFixes;
using Microsoft.CodeAnalysis.Testing;
using Verify = AsyncPitfalls.Tests.CSharpCodeFixVerifier<AsyncPitfalls.Analyzers.ASYNC006LazyTaskQueryAnalyzer, AsyncPitfalls.CodeFixes.ASYNC006LazyTaskQueryCodeFix>;

namespace AsyncPitfalls.Tests;

/// <summary>ASYNC006's fixes: start the work once, await all, start the work now.</summary>
public class ASYNC006LazyTaskQueryCodeFixTests
{
    private const string Work = """

        static class Work
        {
            public static Task UploadAsync(string f) => Task.Delay(f.Length);
            public static ValueTask SendAsync(int i) => default;
            public static void Log(object o) { }
        }
        """;

    private static string In(string modifiers, string body) => $$"""
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;

        class C
        {
            {{modifiers}} M(string[] files, int[] items)
            {
                {{body}}
            }
        }
        """ + Work;

    private static Task FixAsync(string modifiers, string body, string fixedBody, string? key = null, string? batchFixedBody = null)
    {
        // ASYNC006 has two descriptors (two messages); markup names the ID, so the first stands for both.
        var test = new Verify.Test
        {
            TestCode = In(modifiers, body),
            FixedCode = In(modifiers, fixedBody),
            CodeActionEquivalenceKey = key,
            MarkupOptions = MarkupOptions.UseFirstDescriptor,
        };
        if (batchFixedBody is not null)
        {
            test.BatchFixedCode = In(modifiers, batchFixedBody);
            test.BatchFixedState.MarkupHandling = MarkupMode.Allow;
        }

        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task Fix_StartOnce_AddsToList() => FixAsync("async Task", """
        var {|ASYNC006:uploads = files.Select(f => Work.UploadAsync(f))|};
                await Task.WhenAll(uploads);
                foreach (var u in uploads) Work.Log(u.Status);
        """, """
        var uploads = files.Select(f => Work.UploadAsync(f)).ToList();
                await Task.WhenAll(uploads);
                foreach (var u in uploads) Work.Log(u.Status);
        """);

    [Fact]
    public Task Fix_StartOnce_UsesToArrayWhenOnlyCombinatorsReadIt_AndParenthesisesAQueryExpression() => FixAsync("async Task", """
        var {|ASYNC006:uploads = from f in files select Work.UploadAsync(f)|};
                await Task.WhenAny(uploads);
                await Task.WhenAll(uploads);
        """, """
        var uploads = (from f in files select Work.UploadAsync(f)).ToArray();
                await Task.WhenAny(uploads);
                await Task.WhenAll(uploads);
        """);

    [Fact]
    public Task Fix_AwaitAll_ReplacesTheDroppedStatement() => FixAsync("async Task", """
        {|ASYNC006:files.Select(async f => await Work.UploadAsync(f))|};
        """, """
        await Task.WhenAll(files.Select(async f => await Work.UploadAsync(f)));
        """);

    [Fact]
    public Task Fix_AwaitAll_AfterANeverEnumeratedLocal() => FixAsync("async Task", """
        var uploads = {|ASYNC006:files.Select(f => Work.UploadAsync(f))|};
                Work.Log("queued");
        """, """
        var uploads = files.Select(f => Work.UploadAsync(f));
                await Task.WhenAll(uploads);
                Work.Log("queued");
        """);

    [Fact]
    public Task Fix_StartNow_IsOfferedAnywhere_ButNeverInBulk() => FixAsync("void", """
        {|ASYNC006:files.Select(f => Work.UploadAsync(f))|};
        """, """
        _ = files.Select(f => Work.UploadAsync(f)).ToList();
        """, ASYNC006LazyTaskQueryCodeFix.StartNowKey, batchFixedBody: """
        {|ASYNC006:files.Select(f => Work.UploadAsync(f))|};
        """);

    [Fact]
    public Task Fix_StartNow_OnALocal() => FixAsync("void", """
        var uploads = {|ASYNC006:files.Select(f => Work.UploadAsync(f))|};
        """, """
        var uploads = files.Select(f => Work.UploadAsync(f)).ToList();
        """, ASYNC006LazyTaskQueryCodeFix.StartNowKey, batchFixedBody: """
        var uploads = {|ASYNC006:files.Select(f => Work.UploadAsync(f))|};
        """);

    [Fact]
    public Task NoAwaitAllFix_ForValueTasks() => FixAsync("async Task", """
        {|ASYNC006:items.Select(i => Work.SendAsync(i))|};
        """, """
        {|ASYNC006:items.Select(i => Work.SendAsync(i))|};
        """, ASYNC006LazyTaskQueryCodeFix.AwaitAllKey);

    [Fact]
    public Task FixAll_StartsOnceAndAwaitsAll() => FixAsync("async Task", """
        var {|ASYNC006:a = files.Select(f => Work.UploadAsync(f))|};
                await Task.WhenAll(a);
                Work.Log(a.Count());
                {|ASYNC006:files.Select(f => Work.UploadAsync(f + "!"))|};
        """, """
        var a = files.Select(f => Work.UploadAsync(f)).ToList();
                await Task.WhenAll(a);
                Work.Log(a.Count());
                await Task.WhenAll(files.Select(f => Work.UploadAsync(f + "!")));
        """);
}
