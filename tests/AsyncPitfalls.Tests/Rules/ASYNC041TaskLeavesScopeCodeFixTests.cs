using System.Threading;
using System.Threading.Tasks;
using AsyncPitfalls.CodeFixes;
using Microsoft.CodeAnalysis.Testing;
using Verify = AsyncPitfalls.Tests.CSharpCodeFixVerifier<AsyncPitfalls.Analyzers.ASYNC041TaskLeavesScopeAnalyzer, AsyncPitfalls.CodeFixes.ASYNC041TaskLeavesScopeCodeFix>;

namespace AsyncPitfalls.Tests;

/// <summary>ASYNC041's fixes: await inside the scope, and await the lock.</summary>
public class ASYNC041TaskLeavesScopeCodeFixTests
{
    private static Task FixAsync(string member, string fixedMember, string key)
    {
        var test = new Verify.Test
        {
            TestCode = ASYNC041Sources.InService(member),
            FixedCode = ASYNC041Sources.InService(fixedMember),
            CodeActionEquivalenceKey = key,
        };
        test.FixedState.MarkupHandling = MarkupMode.Allow;
        return test.RunAsync(CancellationToken.None);
    }

    [Theory]
    [InlineData(
        "Task<string> GetAsync(string url) { using var http = new HttpClient(); return [|http.GetStringAsync(url)|]; }",
        "async Task<string> GetAsync(string url) { using var http = new HttpClient(); return await http.GetStringAsync(url); }")]
    [InlineData(
        "Task<int> ReadAsync(string path, byte[] buffer) { using (var stream = File.OpenRead(path)) { return [|stream.ReadAsync(buffer, 0, 10)|]; } }",
        "async Task<int> ReadAsync(string path, byte[] buffer) { using (var stream = File.OpenRead(path)) { return await stream.ReadAsync(buffer, 0, 10); } }")]
    [InlineData(
        "Task<int> CountLockedAsync() { _gate.Wait(); try { return [|CountAsync()|]; } finally { _gate.Release(); } }",
        "async Task<int> CountLockedAsync() { _gate.Wait(); try { return await CountAsync(); } finally { _gate.Release(); } }")]
    public Task Fix_AwaitInsideTheScope(string member, string fixedMember) => FixAsync(member, fixedMember, ASYNC041TaskLeavesScopeCodeFix.AwaitInsideKey);

    [Fact]
    public Task Fix_AwaitInsideTheScope_ATaskWithoutAResult() => FixAsync("""
        Task RunAsync()
            {
                _active++;
                try
                {
                    return [|WorkAsync()|];
                }
                finally
                {
                    _active--;
                }
            }
        """, """
        async Task RunAsync()
            {
                _active++;
                try
                {
                    await WorkAsync();
                    return;
                }
                finally
                {
                    _active--;
                }
            }
        """, ASYNC041TaskLeavesScopeCodeFix.AwaitInsideKey);

    [Theory]
    [InlineData(
        "async Task RunAsync() { using ([|_lock.LockAsync()|]) { await WorkAsync(); } }",
        "async Task RunAsync() { using (await _lock.LockAsync()) { await WorkAsync(); } }")]
    [InlineData(
        "async Task RunAsync() { using var held = [|_lock.LockAsync()|]; await WorkAsync(); }",
        "async Task RunAsync() { using var held = await _lock.LockAsync(); await WorkAsync(); }")]
    public Task Fix_AwaitTheLock(string member, string fixedMember) => FixAsync(member, fixedMember, ASYNC041TaskLeavesScopeCodeFix.AwaitLockKey);

    [Fact]
    public Task Fix_AwaitTheLock_InATaskReturningMethod_AwaitsItsReturnsToo() => FixAsync("""
        Task RunAsync()
            {
                using ([|_lock.LockAsync()|])
                {
                    return WorkAsync();
                }
            }
        """, """
        async Task RunAsync()
            {
                using (await _lock.LockAsync())
                {
                    await WorkAsync();
                    return;
                }
            }
        """, ASYNC041TaskLeavesScopeCodeFix.AwaitLockKey);

    [Fact]
    public Task NoFix_ForATaskStartedInsideAUsingAndAwaitedAfterIt()
    {
        const string member = "async Task<string> FetchAsync(string url) { Task<string> pending; using (var http = new HttpClient()) { pending = [|http.GetStringAsync(url)|]; } return await pending; }";
        return FixAsync(member, member, ASYNC041TaskLeavesScopeCodeFix.AwaitInsideKey);
    }

    [Fact]
    public async Task FixAll_AwaitsInsideEveryScope_InTheDocumentAndAcrossDocuments()
    {
        var test = new Verify.Test { CodeActionEquivalenceKey = ASYNC041TaskLeavesScopeCodeFix.AwaitInsideKey };
        test.TestState.Sources.Add(ASYNC041Sources.InService("""
            Task<string> GetAsync(string url) { using var http = new HttpClient(); return [|http.GetStringAsync(url)|]; }
                Task<int> CountLockedAsync() { _gate.Wait(); try { return [|CountAsync()|]; } finally { _gate.Release(); } }
            """));
        test.TestState.Sources.Add("""
            using System.IO;
            using System.Threading.Tasks;
            static class Reader
            {
                public static Task<string> ReadAsync(string path) { using var reader = File.OpenText(path); return [|reader.ReadToEndAsync()|]; }
            }
            """);
        test.FixedState.Sources.Add(ASYNC041Sources.InService("""
            async Task<string> GetAsync(string url) { using var http = new HttpClient(); return await http.GetStringAsync(url); }
                async Task<int> CountLockedAsync() { _gate.Wait(); try { return await CountAsync(); } finally { _gate.Release(); } }
            """));
        test.FixedState.Sources.Add("""
            using System.IO;
            using System.Threading.Tasks;
            static class Reader
            {
                public static async Task<string> ReadAsync(string path) { using var reader = File.OpenText(path); return await reader.ReadToEndAsync(); }
            }
            """);
        await test.RunAsync(CancellationToken.None);
    }
}
