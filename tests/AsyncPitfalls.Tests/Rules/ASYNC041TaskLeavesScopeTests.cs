using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Verify = AsyncPitfalls.Tests.CSharpAnalyzerVerifier<AsyncPitfalls.Analyzers.ASYNC041TaskLeavesScopeAnalyzer>;

namespace AsyncPitfalls.Tests;

/// <summary>What the ASYNC041 tests and fix tests share: a service with a semaphore, a counter, a lock and a connection.</summary>
internal static class ASYNC041Sources
{
    public static string InService(string members) => $$"""
        using System;
        using System.Diagnostics;
        using System.IO;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;

        class Service
        {
            private readonly SemaphoreSlim _gate = new(1);
            private readonly AsyncLock _lock = new();
            private int _active;
            private bool _busy;
            {{members}}
            private static Task WorkAsync() => File.WriteAllTextAsync("work.txt", "work");
            private static Task<int> CountAsync() => Task.Run(() => 42);
            private static void Validate(string value) { if (value.Length == 0) throw new ArgumentException("empty"); }
            private void Cleanup() => _active--;
            private void TakeLock(ref bool taken) => Monitor.Enter(this, ref taken);
            private void ReleaseLock(ref bool taken) { if (taken) { Monitor.Exit(this); taken = false; } }
            private async Task SlowAsync() { await _gate.WaitAsync(); try { await WorkAsync(); } finally { _gate.Release(); } }
        }

        sealed class AsyncLock
        {
            public Task<IDisposable> LockAsync() => Task.FromResult<IDisposable>(new MemoryStream());
            public IDisposable Lock() => new MemoryStream();
        }

        sealed class Connection : IDisposable
        {
            private bool _open = true;
            public Stream Open() => new MemoryStream();
            public Task<int> SendAsync(string text) => Task.Run(() => _open ? text.Length : 0);
            public void Dispose() { _open = false; }
        }

        sealed class NoOpHandler : IDisposable
        {
            public Task<int> ReadAsync() => Task.Run(() => 1);
            public void Dispose() { }
        }

        class OpenHandler : IDisposable
        {
            public Task<int> ReadAsync() => Task.Run(() => 1);
            public virtual void Dispose() { }
        }
        """;
}

/// <summary>ASYNC041: a task that leaves the using, finally or catch that should have waited for it.</summary>
public class ASYNC041TaskLeavesScopeTests
{
    private static Task VerifyAsync(string members, params DiagnosticResult[] expected) => Verify.VerifyAnalyzerAsync(ASYNC041Sources.InService(members), expected);

    // ---- Positives: returned from a scope ----

    [Fact]
    public Task Reports_AReturnInsideAUsingDeclaration_NamingTheResource() => VerifyAsync(
        "Task<string> GetAsync(string url) { using var http = new HttpClient(); return {|#0:http.GetStringAsync(url)|}; }",
        Verify.Diagnostic().WithLocation(0).WithArguments("GetStringAsync",
            "is returned without an await in the scope of 'using var http', which disposes it before the work ends"));

    [Theory]
    [InlineData("Task<int> ReadAsync(string path, byte[] buffer) { using (var stream = File.OpenRead(path)) { return [|stream.ReadAsync(buffer, 0, 10)|]; } }")]
    [InlineData("Task<string> ReadAsync(StreamReader reader) { using (reader) { return [|reader.ReadToEndAsync()|]; } }")]
    [InlineData("Task<int> ReadAsync(byte[] buffer) { using (var connection = new Connection()) { var stream = connection.Open(); return [|stream.ReadAsync(buffer, 0, 1)|]; } }")]
    [InlineData("Task<int> SendAsync(string text) { using var connection = new Connection(); return [|Task.Run(() => connection.SendAsync(text))|]; }")]
    [InlineData("Task<int> SendAsync(string text) => Send(text); Task<int> Send(string text) { using (var connection = new Connection()) return [|connection.SendAsync(text)|]; }")]
    public Task Reports_AReturnThatUsesTheResource(string member) => VerifyAsync(member);

    [Theory]
    [InlineData("_gate.Wait(); try { return [|WorkAsync()|]; } finally { _gate.Release(); }")]
    [InlineData("_active++; try { return [|WorkAsync()|]; } finally { _active--; }")]
    [InlineData("try { return [|WorkAsync()|]; } finally { Console.WriteLine(\"done\"); }")]
    [InlineData("var clock = Stopwatch.StartNew(); try { return [|WorkAsync()|]; } finally { Console.WriteLine(clock.ElapsedMilliseconds); }")]
    [InlineData("_busy = true; try { return [|WorkAsync()|]; } finally { _busy = false; }")]
    [InlineData("if (_busy) { return Task.CompletedTask; } try { return [|WorkAsync()|]; } finally { Interlocked.Exchange(ref _active, 0); }")]
    [InlineData("var got = _gate.Wait(0); try { if (got) { return [|WorkAsync()|]; } return Task.CompletedTask; } finally { if (got) { _gate.Release(); } }")]
    public Task Reports_AReturnInsideATryWhoseFinallyMatters(string body) => VerifyAsync("Task RunAsync() { " + body + " }");

    [Theory]
    [InlineData("try { return [|WorkAsync()|]; } catch (Exception e) { Console.WriteLine(e); return Task.CompletedTask; }")]
    [InlineData("try { return [|WorkAsync()|]; } catch (HttpRequestException) { return Task.CompletedTask; }")]
    [InlineData("try { return [|WorkAsync()|]; } catch (Exception) { Console.WriteLine(\"failed\"); throw new InvalidOperationException(\"wrapped\"); }")]
    [InlineData("try { return [|WorkAsync()|]; } catch (ObjectDisposedException) { return Task.CompletedTask; }")]
    public Task Reports_AReturnInsideATryWhoseCatchWouldHandleTheFailure(string body) => VerifyAsync("Task RunAsync() { " + body + " }");

    // ---- Positives: started in a using, and the task as the resource ----

    [Theory]
    [InlineData("void Fire(string url) { using var http = new HttpClient(); [|http.GetStringAsync(url)|]; }")]
    [InlineData("async Task<string> FetchAsync(string url) { Task<string> pending; using (var http = new HttpClient()) { pending = [|http.GetStringAsync(url)|]; } return await pending; }")]
    public Task Reports_ATaskStartedInsideAUsingThatLeavesItUnawaited(string member) => VerifyAsync(member);

    [Theory]
    [InlineData("async Task RunAsync() { using ([|_lock.LockAsync()|]) { await WorkAsync(); } }")]
    [InlineData("async Task RunAsync() { using var held = [|_lock.LockAsync()|]; await WorkAsync(); }")]
    public Task Reports_AUsingWhoseResourceIsATaskOfADisposable(string member) => VerifyAsync(member);

    // ---- Negatives ----

    [Theory]
    [InlineData("async Task<string> GetAsync(string url) { using var http = new HttpClient(); return await http.GetStringAsync(url); }")]
    [InlineData("Task RunAsync(string path) { using var log = File.AppendText(path); log.WriteLine(\"start\"); return WorkAsync(); }")]
    [InlineData("Task RunAsync() { try { return WorkAsync(); } finally { Console.WriteLine(\"started\"); } }")]
    [InlineData("Task RunAsync() { try { return Task.CompletedTask; } finally { _gate.Release(); } }")]
    [InlineData("Task<int> RunAsync() { try { return Task.FromResult(1); } catch (Exception) { return Task.FromResult(0); } }")]
    [InlineData("Task RunAsync(string value) { try { Validate(value); return WorkAsync(); } catch (ArgumentException) { return Task.CompletedTask; } }")]
    [InlineData("Task RunAsync() { try { Console.WriteLine(\"x\"); } finally { _gate.Release(); } return WorkAsync(); }")]
    [InlineData("async Task RunAsync(string url) { using (var http = new HttpClient()) { var pending = http.GetStringAsync(url); await pending; } }")]
    [InlineData("async Task RunAsync(string url) { using (var http = new HttpClient()) { http.GetStringAsync(url); } }")]
    [InlineData("void Run() { using (_lock.Lock()) { Console.WriteLine(_active); } }")]
    [InlineData("Func<Task> Later() { using var gate = new SemaphoreSlim(1); return () => Task.Delay(1); }")]
    [InlineData("void Fire(string url) { using (var http = new HttpClient()) { _ = http.GetStringAsync(url); } }")]
    [InlineData("Task RunAsync() { try { return WorkAsync(); } catch { Console.WriteLine(\"sync part failed\"); throw; } }")]
    [InlineData("Task RunAsync() { try { return WorkAsync(); } catch (Exception e) { return Task.FromException(e); } }")]
    [InlineData("Task RunAsync() { try { return WorkAsync(); } catch (Exception e) { return Task.FromException(new InvalidOperationException(\"wrapped\", e)); } }")]
    [InlineData("Task<int> RunAsync() { try { return CountAsync(); } catch (OperationCanceledException e) { return Task.FromCanceled<int>(e.CancellationToken); } }")]
    [InlineData("Task RunAsync(object gate) { var taken = false; try { Monitor.Enter(gate, ref taken); return WorkAsync(); } finally { if (taken) { Monitor.Exit(gate); } } }")]
    [InlineData("Task RunAsync() { var taken = false; try { TakeLock(ref taken); return WorkAsync(); } finally { ReleaseLock(ref taken); } }")]
    [InlineData("Task RunAsync() { var got = _gate.Wait(0); try { if (!got) { return SlowAsync(); } return Task.CompletedTask; } finally { if (got) { _gate.Release(); } } }")]
    public Task NoDiagnostic_AwaitedCompleteOrOutsideTheScope(string member) => VerifyAsync(member);

    // Real code (MySqlConnector): a resource whose Dispose is empty, and cannot be overridden, loses nothing when it is
    // disposed before the work ends; one whose empty Dispose is virtual may be a derived type's that does something.
    [Fact]
    public Task NoDiagnostic_AResourceWhoseDisposeDoesNothing_ButAVirtualOneCounts() => VerifyAsync(
        "Task<int> ReadAsync() { using var handler = new NoOpHandler(); return handler.ReadAsync(); } "
        + "Task<int> ReadOpenAsync(OpenHandler open) { using (open) { return {|#0:open.ReadAsync()|}; } }",
        Verify.Diagnostic().WithLocation(0).WithArguments("ReadAsync", "is returned without an await inside the 'using' of 'open', which disposes it before the work ends"));

    [Fact]
    public Task NoDiagnostic_InGeneratedCode() => Verify.VerifyAnalyzerAsync("// <auto-generated/>\n" + ASYNC041Sources.InService(
        "Task<string> GetAsync(string url) { using var http = new HttpClient(); return http.GetStringAsync(url); }"));

    // ---- Known misses ----

    [Fact]
    public Task NoDiagnostic_AFinallyThatCleansUpThroughAMethodOfAnotherName_FalseNegative() => VerifyAsync(
        "Task RunAsync() { _active++; try { return WorkAsync(); } finally { Cleanup(); } }");

    [Fact]
    public Task NoDiagnostic_AResourceTheWorkReachesThroughAField_FalseNegative() => VerifyAsync(
        "Connection? _current; Task<int> SendAsync(string text) { using var connection = new Connection(); _current = connection; return SendCurrentAsync(text); } Task<int> SendCurrentAsync(string text) => _current!.SendAsync(text);");
}
