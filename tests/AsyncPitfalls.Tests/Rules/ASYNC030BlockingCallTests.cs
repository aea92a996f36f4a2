using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Verify = AsyncPitfalls.Tests.CSharpCodeFixVerifier<AsyncPitfalls.Analyzers.ASYNC030BlockingCallAnalyzer, AsyncPitfalls.CodeFixes.ASYNC030BlockingCallCodeFix>;

namespace AsyncPitfalls.Tests;

public class ASYNC030BlockingCallTests
{
    private const string Usings = "using System;\nusing System.Diagnostics;\nusing System.IO;\nusing System.Linq;\nusing System.Net.Http;\nusing System.Threading;\nusing System.Threading.Tasks;\n";

    private static Task VerifyAsync(string source, params DiagnosticResult[] expected) => Verify.VerifyAnalyzerAsync(Usings + source, expected);

    private static Task FixAsync(string source, string fixedSource) => Verify.VerifyCodeFixAsync(Usings + source, Usings + fixedSource);

    [Fact]
    public Task Reports_ThreadSleepWithMessage() => VerifyAsync("""
        class C
        {
            async Task HeavyWorkAsync()
            {
                {|#0:Thread.Sleep(1000)|};
                await Task.Yield();
            }
        }
        """, Verify.Diagnostic().WithLocation(0).WithArguments("Thread.Sleep", "await Task.Delay"));

    [Fact]
    public Task Reports_TaskWaitResultGetResultWaitAllWaitAny() => VerifyAsync("""
        class C
        {
            static Task<int> CountAsync() => Task.Run(() => 1);
            static ValueTask<int> ReadAsync() => new ValueTask<int>(Task.Run(() => 1));
            async Task M(Task t, Task<int> u)
            {
                {|#0:t.Wait()|};
                var a = {|#1:u.Result|};
                var b = {|#2:CountAsync().GetAwaiter().GetResult()|};
                {|#3:Task.WaitAll(t, u)|};
                var i = {|#4:Task.WaitAny(t, u)|};
                var c = {|#5:ReadAsync().Result|};
                var d = {|#6:ReadAsync().GetAwaiter().GetResult()|};
                var e = {|#7:u.ConfigureAwait(false).GetAwaiter().GetResult()|};
                await Task.Yield();
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("Task.Wait", "await"),
        Verify.Diagnostic().WithLocation(1).WithArguments("Task.Result", "await"),
        Verify.Diagnostic().WithLocation(2).WithArguments("GetAwaiter().GetResult()", "await"),
        Verify.Diagnostic().WithLocation(3).WithArguments("Task.WaitAll", "await Task.WhenAll"),
        Verify.Diagnostic().WithLocation(4).WithArguments("Task.WaitAny", "await Task.WhenAny"),
        Verify.Diagnostic().WithLocation(5).WithArguments("ValueTask.Result", "await"),
        Verify.Diagnostic().WithLocation(6).WithArguments("GetAwaiter().GetResult()", "await"),
        Verify.Diagnostic().WithLocation(7).WithArguments("GetAwaiter().GetResult()", "await"));

    [Fact]
    public Task Reports_SyncIoWithAwaitableTwins() => VerifyAsync("""
        class C
        {
            async Task M(Stream stream, StreamReader reader, TextWriter writer, SemaphoreSlim gate, Process process, HttpClient http, HttpRequestMessage request)
            {
                var buffer = new byte[10];
                {|#0:stream.Read(buffer, 0, 10)|};
                var text = {|#1:File.ReadAllText("a.txt")|};
                var line = {|#2:reader.ReadLine()|};
                {|#3:writer.WriteLine("x")|};
                {|#4:gate.Wait()|};
                {|#5:process.WaitForExit()|};
                {|#6:stream.Flush()|};
                using var response = {|#7:http.Send(request)|};
                await Task.Yield();
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("Read", "await ReadAsync"),
        Verify.Diagnostic().WithLocation(1).WithArguments("File.ReadAllText", "await File.ReadAllTextAsync"),
        Verify.Diagnostic().WithLocation(2).WithArguments("ReadLine", "await ReadLineAsync"),
        Verify.Diagnostic().WithLocation(3).WithArguments("WriteLine", "await WriteLineAsync"),
        Verify.Diagnostic().WithLocation(4).WithArguments("Wait", "await WaitAsync"),
        Verify.Diagnostic().WithLocation(5).WithArguments("WaitForExit", "await WaitForExitAsync"),
        Verify.Diagnostic().WithLocation(6).WithArguments("Flush", "await FlushAsync"),
        Verify.Diagnostic().WithLocation(7).WithArguments("Send", "await SendAsync"));

    [Fact]
    public Task Reports_InAsyncLambdaAndLocalFunction() => VerifyAsync("""
        class C
        {
            void M()
            {
                Func<Task> f = async () => { [|Thread.Sleep(1)|]; await Task.Yield(); };
                async Task Local() { [|Thread.Sleep(1)|]; await Task.Yield(); }
                _ = Local();
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_ProvablyCompleteTasks() => VerifyAsync("""
        class C
        {
            async Task<int> M(Task<int> t, Task<int> u, Task<int> v, Task<int> w)
            {
                await t;
                var a = t.Result;
                await Task.WhenAll(u, v);
                var b = u.Result + v.GetAwaiter().GetResult();
                if (w.IsCompleted) { a += w.Result; }
                var c = w.IsCompletedSuccessfully ? w.Result : 0;
                var done = Task.FromResult(3);
                var d = done.Result;
                var completed = Task.CompletedTask;
                completed.Wait();
                var e = Task.FromResult(1).Result;
                await t.ConfigureAwait(false);
                return a + b + c + d + e + t.Result;
            }
        }
        """);

    [Fact]
    public Task Reports_WhenTheAwaitDoesNotCoverEveryPath() => VerifyAsync("""
        class C
        {
            async Task<int> M(Task<int> t, bool flag)
            {
                if (flag) { await t; }
                var a = [|t.Result|];
                await Task.WhenAll(Task.Delay(1));
                return a + [|t.Result|];
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_SyncCodeLocksNameofAndSyncLambdas() => VerifyAsync("""
        class C
        {
            private readonly object _gate = new();
            void Sync(Task t) { Thread.Sleep(1); t.Wait(); }
            static void Main() { Task.Delay(1).Wait(); }
            async Task M(Task<int> t)
            {
                lock (_gate) { Thread.Sleep(1); }
                var name = nameof(t.Result);
                await Task.Run(() => { Thread.Sleep(10); return t.Result; });
                Action a = () => t.Wait();
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_CancelAndSiblingsOfNonIoTypes() => VerifyAsync("""
        class Assert { public static void That(bool b) { } public static Task ThatAsync(bool b) => Task.CompletedTask; }
        class C
        {
            async Task M(CancellationTokenSource cts, Stream stream)
            {
                cts.Cancel();
                Assert.That(true);
                stream.Dispose();
                var span = new byte[4].AsSpan();
                stream.Read(span);
                Console.Error.WriteLine("x");
                Console.Out.Flush();
                using var memory = new MemoryStream();
                memory.Write(new byte[1], 0, 1);
                new StringWriter().WriteLine("x");
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public async Task Reports_EveryTypeWhenTheOptionWidensTheTwinCheck()
    {
        var test = new Verify.Test
        {
            TestCode = Usings + """
                class Assert { public static void That(bool b) { } public static Task ThatAsync(bool b) => Task.CompletedTask; }
                class C
                {
                    async Task M(CancellationTokenSource cts)
                    {
                        cts.Cancel();
                        [|Assert.That(true)|];
                        await Task.Yield();
                    }
                }
                """,
        };
        test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", TestDefaults.GlobalConfig("ASYNC030.check_all_types = true")));
        await test.RunAsync();
    }

    [Fact]
    public Task NoDiagnostic_ObsoleteTwin() => VerifyAsync("""
        class Legacy : Stream
        {
            public override bool CanRead => true; public override bool CanSeek => false; public override bool CanWrite => false;
            public override long Length => 0; public override long Position { get; set; }
            public override void Flush() { }
            public override int Read(byte[] buffer, int offset, int count) => 0;
            public override long Seek(long offset, SeekOrigin origin) => 0;
            public override void SetLength(long value) { }
            public override void Write(byte[] buffer, int offset, int count) { }
            public void Rewind() { }
            [Obsolete] public Task RewindAsync() => Task.CompletedTask;
        }
        class C
        {
            async Task M(Legacy legacy)
            {
                legacy.Rewind();
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Fix_SleepBecomesDelayWithTheToken() => FixAsync("""
        class C
        {
            async Task M(CancellationToken token)
            {
                [|Thread.Sleep(100)|];
                await Task.Yield();
            }
        }
        """, """
        class C
        {
            async Task M(CancellationToken token)
            {
                await Task.Delay(100, token);
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Fix_WaitResultGetResultWaitAllWaitAny() => FixAsync("""
        class C
        {
            async Task<int> M(Task t, Task<int> u, Task<int> v, Task<int> w)
            {
                [|t.Wait()|];
                var a = [|u.Result|] + 1;
                var s = [|v.Result|].ToString();
                var b = [|w.GetAwaiter().GetResult()|];
                [|Task.WaitAll(t, u)|];
                [|Task.WaitAny(t, u)|];
                await Task.Yield();
                return a + b + s.Length;
            }
        }
        """, """
        class C
        {
            async Task<int> M(Task t, Task<int> u, Task<int> v, Task<int> w)
            {
                await t;
                var a = await u + 1;
                var s = (await v).ToString();
                var b = await w;
                await Task.WhenAll(t, u);
                await Task.WhenAny(t, u);
                await Task.Yield();
                return a + b + s.Length;
            }
        }
        """);

    [Fact]
    public Task Fix_SyncIoBecomesTheTwinWithTheToken() => FixAsync("""
        class C
        {
            async Task<string> M(string path, CancellationToken ct)
            {
                var text = [|File.ReadAllText(path)|];
                await Task.Yield();
                return text;
            }
        }
        """, """
        class C
        {
            async Task<string> M(string path, CancellationToken ct)
            {
                var text = await File.ReadAllTextAsync(path, ct);
                await Task.Yield();
                return text;
            }
        }
        """);

    [Fact]
    public Task NoFix_WaitAnyResultUsed() => FixAsync("""
        class C
        {
            async Task<int> M(Task t, Task u)
            {
                var i = [|Task.WaitAny(t, u)|];
                await Task.Yield();
                return i;
            }
        }
        """, """
        class C
        {
            async Task<int> M(Task t, Task u)
            {
                var i = [|Task.WaitAny(t, u)|];
                await Task.Yield();
                return i;
            }
        }
        """);

    [Fact]
    public async Task Fix_AllInDocumentAndAcrossDocuments()
    {
        var test = new Verify.Test();
        test.TestState.Sources.Add(Usings + "class A\n{\n    async Task M(Task t)\n    {\n        [|Thread.Sleep(1)|];\n        [|t.Wait()|];\n        await Task.Yield();\n    }\n}\n");
        test.TestState.Sources.Add(Usings + "class B\n{\n    async Task<int> N(Task<int> u)\n    {\n        await Task.Yield();\n        return [|u.Result|];\n    }\n}\n");
        test.FixedState.Sources.Add(Usings + "class A\n{\n    async Task M(Task t)\n    {\n        await Task.Delay(1);\n        await t;\n        await Task.Yield();\n    }\n}\n");
        test.FixedState.Sources.Add(Usings + "class B\n{\n    async Task<int> N(Task<int> u)\n    {\n        await Task.Yield();\n        return await u;\n    }\n}\n");
        await test.RunAsync();
    }
}
