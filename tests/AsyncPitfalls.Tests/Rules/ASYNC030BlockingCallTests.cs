using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Verify = AsyncPitfalls.Tests.CSharpAnalyzerVerifier<AsyncPitfalls.Analyzers.ASYNC030BlockingCallAnalyzer>;

namespace AsyncPitfalls.Tests;

public class ASYNC030BlockingCallTests
{
    private static Task VerifyAsync(string source, params DiagnosticResult[] expected) => Verify.VerifyAnalyzerAsync(ASYNC030Sources.Usings + source, expected);

    /// <summary>An async method with the parameters the single-statement shapes below use.</summary>
    private static string InAsyncMethod(string statement) => $$"""
        class C
        {
            static Task<int> CountAsync() => Task.Run(() => 1);
            static ValueTask<int> ReadAsync() => new ValueTask<int>(Task.Run(() => 1));
            async Task M(Task t, Task<int> u, Task<int> v, Task<int> w, bool flag, Stream stream, StreamReader reader, TextWriter writer, SemaphoreSlim gate, Process process, HttpClient http, HttpRequestMessage request)
            {
                {{statement}}
                await Task.Yield();
            }
        }
        """;

    // ---- Positives ----

    [Fact]
    public Task Reports_ThreadSleepWithMessage() => VerifyAsync(
        InAsyncMethod("{|#0:Thread.Sleep(1000)|};"),
        Verify.Diagnostic().WithLocation(0).WithArguments("Thread.Sleep", "await Task.Delay"));

    [Theory]
    [InlineData("{|#0:t.Wait()|};", "Task.Wait", "await")]
    [InlineData("var a = {|#0:u.Result|};", "Task.Result", "await")]
    [InlineData("var b = {|#0:CountAsync().GetAwaiter().GetResult()|};", "GetAwaiter().GetResult()", "await")]
    [InlineData("{|#0:Task.WaitAll(t, u)|};", "Task.WaitAll", "await Task.WhenAll")]
    [InlineData("var i = {|#0:Task.WaitAny(t, u)|};", "Task.WaitAny", "await Task.WhenAny")]
    [InlineData("var c = {|#0:ReadAsync().Result|};", "ValueTask.Result", "await")]
    [InlineData("var d = {|#0:ReadAsync().GetAwaiter().GetResult()|};", "GetAwaiter().GetResult()", "await")]
    [InlineData("var e = {|#0:u.ConfigureAwait(false).GetAwaiter().GetResult()|};", "GetAwaiter().GetResult()", "await")]
    public Task Reports_BlockingOnATask(string statement, string blocking, string alternative) => VerifyAsync(
        InAsyncMethod(statement),
        Verify.Diagnostic().WithLocation(0).WithArguments(blocking, alternative));

    [Theory]
    [InlineData("{|#0:stream.Read(new byte[10], 0, 10)|};", "Read", "await ReadAsync")]
    [InlineData("var text = {|#0:File.ReadAllText(\"a.txt\")|};", "File.ReadAllText", "await File.ReadAllTextAsync")]
    [InlineData("var line = {|#0:reader.ReadLine()|};", "ReadLine", "await ReadLineAsync")]
    [InlineData("{|#0:writer.WriteLine(\"x\")|};", "WriteLine", "await WriteLineAsync")]
    [InlineData("{|#0:gate.Wait()|};", "Wait", "await WaitAsync")]
    [InlineData("{|#0:process.WaitForExit()|};", "WaitForExit", "await WaitForExitAsync")]
    [InlineData("{|#0:stream.Flush()|};", "Flush", "await FlushAsync")]
    [InlineData("using var response = {|#0:http.Send(request)|};", "Send", "await SendAsync")]
    public Task Reports_SyncIoWithAnAwaitableTwin(string statement, string blocking, string alternative) => VerifyAsync(
        InAsyncMethod(statement),
        Verify.Diagnostic().WithLocation(0).WithArguments(blocking, alternative));

    [Fact]
    public Task Reports_InAsyncLambda() => VerifyAsync("""
        class C
        {
            void M()
            {
                Func<Task> f = async () => { [|Thread.Sleep(1)|]; await Task.Yield(); };
            }
        }
        """);

    [Fact]
    public Task Reports_InAsyncLocalFunction() => VerifyAsync("""
        class C
        {
            void M()
            {
                async Task Local() { [|Thread.Sleep(1)|]; await Task.Yield(); }
                _ = Local();
            }
        }
        """);

    [Fact]
    public Task Reports_WhenTheAwaitIsInsideACondition() => VerifyAsync(InAsyncMethod("""
        if (flag) { await u; }
                var a = [|u.Result|];
        """));

    [Fact]
    public Task Reports_WhenOnlyAnotherTaskWasAwaited() => VerifyAsync(InAsyncMethod("""
        await Task.WhenAll(Task.Delay(1));
                var a = [|u.Result|];
        """));

    [Fact]
    public async Task Reports_EveryTypeWhenTheOptionWidensTheTwinCheck()
    {
        var test = new Verify.Test
        {
            TestCode = ASYNC030Sources.Usings + """
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

    // ---- Negatives ----

    [Theory]
    [InlineData("await u; var a = u.Result;")]
    [InlineData("await u.ConfigureAwait(false); var a = u.Result;")]
    [InlineData("await Task.WhenAll(u, v); var b = u.Result + v.GetAwaiter().GetResult();")]
    [InlineData("if (w.IsCompleted) { var a = w.Result; }")]
    [InlineData("var c = w.IsCompletedSuccessfully ? w.Result : 0;")]
    [InlineData("var done = Task.FromResult(3); var d = done.Result;")]
    [InlineData("var completed = Task.CompletedTask; completed.Wait();")]
    [InlineData("var e = Task.FromResult(1).Result;")]
    [InlineData("var f = new ValueTask<int>(1).Result;")]
    public Task NoDiagnostic_ProvablyCompleteTask(string statements) => VerifyAsync(InAsyncMethod(statements));

    [Theory]
    [InlineData("if (u.IsFaulted) { u.GetAwaiter().GetResult(); }")]
    [InlineData("if (u.IsCanceled) { u.Wait(); }")]
    [InlineData("if (u.Status == TaskStatus.RanToCompletion) { var a = u.Result; }")]
    [InlineData("if (!u.IsCompleted) { await u; } else { var a = u.Result; }")]
    [InlineData("try { await u; } catch (Exception) { } var a = u.Result;")]
    [InlineData("try { await Task.WhenAll(u, v); var a = u.GetAwaiter().GetResult(); } catch (Exception) { }")]
    [InlineData("var done = await Task.WhenAny(u, v); var a = done.Result;")]
    [InlineData("var a = (await Task.WhenAny(u, v)).Result;")]
    [InlineData("await u.ContinueWith(async x => { await Task.Yield(); return x.Result; });")]
    [InlineData("await u.ContinueWith(async _ => { await Task.Yield(); return u.Result; });")]
    [InlineData("await u.ContinueWith(async t => { await Task.Yield(); t.GetAwaiter().GetResult(); });")]
    public Task NoDiagnostic_TaskKnownToBeComplete(string statements) => VerifyAsync(InAsyncMethod(statements));

    [Theory]
    [InlineData("await Task.WhenAll(list); var a = list[0].Result;")]
    [InlineData("await Task.WhenAll(array); var a = array[1].Result;")]
    [InlineData("await Task.WhenAll(array); for (var i = 1; i <= array.Length; i++) { var a = array[i - 1].Result; }")]
    [InlineData("await Task.WhenAll(array).ConfigureAwait(false); var last = array[array.Length - 1].Result;")]
    [InlineData("await Task.WhenAll(list); foreach (var t in list) { var a = t.Result; }")]
    [InlineData("await Task.WhenAll(list); var all = list.Select(t => t.Result).ToList();")]
    [InlineData("if (_source.Task.IsCompleted) { var a = _source.Task.Result; }")]
    [InlineData("await _source.Task; var a = _source.Task.Result;")]
    [InlineData("await _pending; var a = _pending.Result;")]
    public Task NoDiagnostic_ElementOrStableExpressionKnownToBeComplete(string statements) => VerifyAsync($$"""
        class C
        {
            private readonly TaskCompletionSource<int> _source = new();
            private Task<int> _pending = Task.Run(() => 1);
            async Task M(System.Collections.Generic.List<Task<int>> list, Task<int>[] array)
            {
                {{statements}}
                await Task.Yield();
            }
        }
        """);

    [Theory]
    [InlineData("var done = await Task.WhenAny(u, v); if (done == u) { var a = u.Result; }")]
    [InlineData("var done = await Task.WhenAny(u, v); if (done != u) { return; } var a = u.Result;")]
    [InlineData("var done = await Task.WhenAny(u, v).ConfigureAwait(false); if (done == v) return; var a = u.Result;")]
    [InlineData("if (await Task.WhenAny(u, v) == u) { var a = u.GetAwaiter().GetResult(); }")]
    [InlineData("Task any = u; await any; if (any is Task<int> typed) { var a = typed.Result; }")]
    [InlineData("Task<int>? success = null; if (u.IsCompletedSuccessfully) { success = u; } if (success != null) { var a = success.Result; }")]
    public Task NoDiagnostic_TaskThatWonOrIsKnownCompleteByAnotherName(string statements) => VerifyAsync(InAsyncMethod(statements));

    [Theory]
    [InlineData("await Task.WhenAll(list); var a = {|#0:array[array.Length - 1].Result|};")]
    [InlineData("if (array.Length > 0) { await Task.WhenAll(array); } var a = {|#0:array[array.Length - 1].Result|};")]
    public Task Reports_AnElementOfACollectionThatNoWhenAllCovers(string statements) => VerifyAsync($$"""
        class C
        {
            async Task M(System.Collections.Generic.List<Task<int>> list, Task<int>[] array)
            {
                {{statements}}
                await Task.Yield();
            }
        }
        """, Verify.Diagnostic().WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithArguments("Task.Result", "await"));

    [Fact]
    public Task Reports_TaskThatLostWhenAny() => VerifyAsync(InAsyncMethod(
        "if (await Task.WhenAny(u, v) == u) { var a = [|v.GetAwaiter().GetResult()|]; }"));

    [Fact]
    public Task NoDiagnostic_DictionaryValuesAwaitedByWhenAll() => VerifyAsync("""
        class C
        {
            async Task M(System.Collections.Generic.Dictionary<string, Task<int>> rates)
            {
                await Task.WhenAll(rates.Values);
                foreach (var pair in rates)
                {
                    var rate = pair.Value.Result;
                }
            }
        }
        """);

    [Theory]
    [InlineData("using var zip = new System.IO.Compression.DeflateStream(new MemoryStream(), System.IO.Compression.CompressionMode.Decompress); zip.CopyTo(stream);")]
    [InlineData("var memory = new MemoryStream(); using var reader = new StreamReader(memory); var text = reader.ReadToEnd();")]
    [InlineData("_decompressor.CopyTo(stream);")]
    [InlineData("var empty = reader2.IsDBNull(0);")]
    [InlineData("var schema = System.Data.Common.DbDataReaderExtensions.GetColumnSchema(reader2);")]
    [InlineData("var table = reader2.GetSchemaTable();")]
    public Task NoDiagnostic_InMemoryStreamsAndDataReaderRows(string statements) => VerifyAsync($$"""
        class C
        {
            private readonly MemoryStream _compressed = new();
            private System.IO.Compression.DeflateStream _decompressor;
            public C() => _decompressor = new System.IO.Compression.DeflateStream(_compressed, System.IO.Compression.CompressionMode.Decompress);
            async Task M(Stream stream, System.Data.Common.DbDataReader reader2)
            {
                {{statements}}
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Reports_StreamMadeOverAFileStream() => VerifyAsync("""
        class C
        {
            async Task M(string path, Stream destination)
            {
                using var zip = new System.IO.Compression.DeflateStream(File.OpenRead(path), System.IO.Compression.CompressionMode.Decompress);
                [|zip.CopyTo(destination)|];
                await Task.Yield();
            }
        }
        """);

    // Issue 25: completion established on every path of the control-flow graph, in shapes the syntax did not follow.
    [Theory]
    [InlineData("if (w.IsCompleted) { } else { return; } var a = w.Result;")]
    [InlineData("while (!w.IsCompleted) { await Task.Delay(10); } var a = w.Result;")]
    [InlineData("if (!w.IsCompleted) { Console.WriteLine(\"waiting\"); throw new TimeoutException(); } if (flag) { var a = w.Result; }")]
    [InlineData("if (w.IsFaulted || w.IsCanceled || w.IsCompletedSuccessfully) { var a = w.Result; }")]
    public Task NoDiagnostic_TaskCompleteOnEveryPathToTheUse(string statements) => VerifyAsync(InAsyncMethod(statements));

    [Theory]
    [InlineData("if (!w.IsCompleted) { Console.WriteLine(\"waiting\"); } var a = {|#0:w.Result|};")]
    [InlineData("while (!w.IsCompleted && flag) { await Task.Delay(10); } var a = {|#0:w.Result|};")]
    [InlineData("if (w.IsCompleted || flag) { var a = {|#0:w.Result|}; }")]
    public Task Reports_ACompletionCheckThatSomePathGoesAround(string statements) => VerifyAsync(InAsyncMethod(statements),
        Verify.Diagnostic().WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithArguments("Task.Result", "await"));

    // Issue 28: a bounded wait whose answer the code reads is a probe ("has it finished yet?"), not a blocked thread.
    [Theory]
    [InlineData("var done = u.Wait(50); Console.WriteLine(done);")]
    [InlineData("if (!t.Wait(TimeSpan.FromSeconds(1))) { throw new TimeoutException(); }")]
    [InlineData("var index = Task.WaitAny(new Task[] { t, u }, 100); Console.WriteLine(index);")]
    [InlineData("Console.WriteLine(Task.WaitAll(new Task[] { t }, 10));")]
    public Task NoDiagnostic_ATimedWaitWhoseAnswerIsRead(string statements) => VerifyAsync(InAsyncMethod(statements));

    [Theory]
    [InlineData("{|#0:u.Wait(50)|};")]
    [InlineData("var done = {|#0:u.Wait(-1)|};")]
    [InlineData("_ = {|#0:t.Wait(TimeSpan.FromSeconds(1))|};")]
    public Task Reports_ATimedWaitWhoseAnswerIsDropped(string statements) => VerifyAsync(InAsyncMethod(statements),
        Verify.Diagnostic().WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithArguments("Task.Wait", "await"));

    // Real code (quartznet, Polly): a zero timeout only asks; a semaphore's bounded wait whose answer is read is a probe too.
    [Theory]
    [InlineData("u.Wait(0);")]
    [InlineData("gate.Wait(0);")]
    [InlineData("gate.Wait(TimeSpan.Zero);")]
    [InlineData("if (gate.Wait(0)) { gate.Release(); }")]
    [InlineData("if (!gate.Wait(TimeSpan.FromSeconds(20))) { throw new TimeoutException(); }")]
    [InlineData("Console.WriteLine(gate.Wait(100, CancellationToken.None));")]
    public Task NoDiagnostic_AZeroTimeoutOrAProbeOfASemaphore(string statements) => VerifyAsync(InAsyncMethod(statements));

    [Theory]
    [InlineData("{|#0:gate.Wait(1)|};")]
    [InlineData("{|#0:gate.Wait(TimeSpan.FromSeconds(1))|};")]
    [InlineData("var ok = {|#0:gate.Wait(-1)|};")]
    public Task Reports_ASemaphoreWaitWithATimeoutWhoseAnswerIsDropped(string statements) => VerifyAsync(InAsyncMethod(statements),
        Verify.Diagnostic().WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithArguments("Wait", "await WaitAsync"));

    // Real code (StackExchange.Redis): the task is complete after a bounded wait said so, after a WhenAll over the list
    // it was added to, after a WaitAll helper given its array, and after a WhenAll awaited through a ConfigureAwait helper.
    [Theory]
    [InlineData("if (!u.Wait(1000)) { throw new TimeoutException(); } var a = u.Result;")]
    [InlineData("var list = new System.Collections.Generic.List<Task<int>>(); list.Add(u); await Task.WhenAll(list.ToArray()); var a = u.Result;")]
    [InlineData("var tasks = new[] { u, v }; Helpers.WaitAll(tasks); var a = tasks[0].Result;")]
    [InlineData("await Task.WhenAll(u, v).ForAwait(); var a = u.Result;")]
    [InlineData("await u.ForAwait(); var a = u.Result;")]
    public Task NoDiagnostic_TaskCompleteAfterABoundedWaitAListOrAHelper(string statements) => VerifyAsync(InAsyncMethod(statements) + Helpers);

    [Theory]
    [InlineData("if (!v.Wait(1000)) { throw new TimeoutException(); } var a = {|#0:u.Result|};")]
    [InlineData("var list = new System.Collections.Generic.List<Task<int>>(); list.Add(v); await Task.WhenAll(list.ToArray()); var a = {|#0:u.Result|};")]
    [InlineData("var tasks = new[] { v, w }; Helpers.WaitAll(tasks); var a = {|#0:u.Result|};")]
    [InlineData("await Task.WhenAll(v, w).ForAwait(); var a = {|#0:u.Result|};")]
    [InlineData("if (flag) { await u.ForAwait(); } var a = {|#0:u.Result|};")]
    public Task Reports_AnotherTaskWaitedByTheSameShapes(string statements) => VerifyAsync(InAsyncMethod(statements) + Helpers,
        Verify.Diagnostic().WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithArguments("Task.Result", "await"));

    private const string Helpers = """

        static class Helpers
        {
            public static System.Runtime.CompilerServices.ConfiguredTaskAwaitable ForAwait(this Task task) => task.ConfigureAwait(false);
            public static void WaitAll(Task[] tasks) { }
        }
        """;

    // Real code (quartznet): NUnit's TestContext.Out is the test's console.
    [Fact]
    public Task NoDiagnostic_ATestFrameworksStaticOutput() => VerifyAsync("""
        static class TestContext { public static TextWriter Out => Console.Out; public static TextWriter Error => Console.Error; }
        class C
        {
            async Task M()
            {
                TestContext.Out.WriteLine("step");
                TestContext.Error.Flush();
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Reports_AnInstanceWriterNamedOut() => VerifyAsync("""
        class Log { public TextWriter Out { get; } = new StreamWriter("log.txt"); }
        class C
        {
            async Task M(Log log)
            {
                {|#0:log.Out.WriteLine("step")|};
                await Task.Yield();
            }
        }
        """, Verify.Diagnostic().WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithArguments("WriteLine", "await WriteLineAsync"));

    // Real code (quartznet, npgsql): a fake connection or a nested reader that overrides Open/Read but inherits the base
    // class's OpenAsync/ReadAsync, which only calls the synchronous method: awaiting the twin gains nothing.
    [Theory]
    [InlineData("FakeConnection")]
    [InlineData("SealedFake")]
    public Task NoDiagnostic_TheReceiverOverridesTheSyncMethodButInheritsTheTwin(string type) => VerifyAsync(Connections + $$"""
        class C
        {
            async Task M({{type}} connection)
            {
                connection.Open();
                await Task.Yield();
            }
        }
        """);

    [Theory]
    [InlineData("RealConnection")]
    [InlineData("System.Data.Common.DbConnection")]
    [InlineData("DerivedFromReal")]
    public Task Reports_TheReceiverOverridesBoth_OrIsTheBaseClass(string type) => VerifyAsync(Connections + $$"""
        class C
        {
            async Task M({{type}} connection)
            {
                {|#0:connection.Open()|};
                await Task.Yield();
            }
        }
        """, Verify.Diagnostic().WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithArguments("Open", "await OpenAsync"));

    private const string Connections = """
        abstract class ConnectionBase : System.Data.Common.DbConnection
        {
            public override string ConnectionString { get; set; } = "";
            public override string Database => "";
            public override string DataSource => "";
            public override string ServerVersion => "";
            public override System.Data.ConnectionState State => System.Data.ConnectionState.Closed;
            public override void ChangeDatabase(string databaseName) { }
            public override void Close() { }
            protected override System.Data.Common.DbTransaction BeginDbTransaction(System.Data.IsolationLevel isolationLevel) => throw new NotSupportedException();
            protected override System.Data.Common.DbCommand CreateDbCommand() => throw new NotSupportedException();
        }
        class FakeConnection : ConnectionBase { public override void Open() { } }
        sealed class SealedFake : FakeConnection { }
        class RealConnection : ConnectionBase
        {
            public override void Open() { }
            public override Task OpenAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        }
        class DerivedFromReal : RealConnection { }

        """;

    // Real code (npgsql, MySqlConnector, quartznet): in tests, synchronous I/O blocks only the test's own thread, and a
    // driver's tests call the synchronous API on purpose. Blocking on a task or sleeping is still reported there.
    [Theory]
    [InlineData("[Fact]", "")]
    [InlineData("[Test]", "")]
    [InlineData("", "[Fact] public void Other() { }")]
    [InlineData("", "[TestMethod] public void Other() { }")]
    public Task NoDiagnostic_SyncIoInTestCode(string attribute, string otherMember) => VerifyAsync(TestMethod(attribute, otherMember, "stream.Read(buffer, 0, 4);"));

    [Theory]
    [InlineData("[Fact]", "", "var n = {|#0:Task.Run(() => 1).Result|};", "Task.Result", "await")]
    [InlineData("[Test]", "", "{|#0:Thread.Sleep(10)|};", "Thread.Sleep", "await Task.Delay")]
    [InlineData("[Fact]", "", "{|#0:new SemaphoreSlim(1).Wait()|};", "Wait", "await WaitAsync")]
    [InlineData("[Fact]", "", "{|#0:Process.Start(\"ls\")!.WaitForExit()|};", "WaitForExit", "await WaitForExitAsync")]
    [InlineData("", "", "{|#0:stream.Read(buffer, 0, 4)|};", "Read", "await ReadAsync")]
    [InlineData("[Obsolete]", "public void Other() { }", "{|#0:stream.Read(buffer, 0, 4)|};", "Read", "await ReadAsync")]
    public Task Reports_BlockingOnATaskInATest_AndSyncIoOutsideTests(string attribute, string otherMember, string statement, string blocking, string alternative)
        => VerifyAsync(TestMethod(attribute, otherMember, statement),
            Verify.Diagnostic().WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithArguments(blocking, alternative));

    [Fact]
    public async Task NoDiagnostic_SyncIoInAProjectThatIsATestProject()
    {
        var test = new Verify.Test { TestCode = ASYNC030Sources.Usings + TestMethod("", "", "stream.Read(buffer, 0, 4);") };
        test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", "is_global = true\nbuild_property.IsTestProject = true\n"));
        await test.RunAsync();
    }

    // Real code (Kavita, Ombi, btcpayserver's plugin packer): the program's Main has nothing else to do while it waits.
    [Theory]
    [InlineData("File.ReadAllText(\"token.txt\");")]
    [InlineData("Task.Run(() => 1).Wait();")]
    [InlineData("Thread.Sleep(10);")]
    public Task NoDiagnostic_BlockingInTheProgramsMain(string statement) => VerifyAsync($$"""
        static class Program
        {
            static async Task Main()
            {
                {{statement}}
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Reports_BlockingInALambdaOfMain_OrInAnotherStaticMethod() => VerifyAsync("""
        static class Program
        {
            static async Task Main()
            {
                Func<Task> handler = async () => { {|#0:Thread.Sleep(10)|}; await Task.Yield(); };
                await handler();
            }

            static async Task Run()
            {
                {|#1:Thread.Sleep(10)|};
                await Task.Yield();
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithArguments("Thread.Sleep", "await Task.Delay"),
        Verify.Diagnostic().WithLocation(1).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithArguments("Thread.Sleep", "await Task.Delay"));

    private static string TestMethod(string attribute, string otherMember, string statement) => $$"""
        class FactAttribute : Attribute { }
        class TestAttribute : Attribute { }
        class TestMethodAttribute : Attribute { }
        class C
        {
            {{attribute}}
            public async Task Check()
            {
                var stream = new FileStream("f", FileMode.Open);
                var buffer = new byte[4];
                {{statement}}
                await Task.Yield();
            }

            {{otherMember}}
        }
        """;

    [Fact]
    public Task NoDiagnostic_ValueTaskFastPathAfterAnEarlyReturn() => VerifyAsync("""
        class C
        {
            async ValueTask<int> M(ValueTask<int> pending)
            {
                if (!pending.IsCompleted)
                {
                    return await pending;
                }

                return pending.Result;
            }
        }
        """);

    [Theory]
    [InlineData("if (async) { await stream.FlushAsync(); } else { stream.Flush(); }")]
    [InlineData("if (!async) { stream.Flush(); } else { await stream.FlushAsync(); }")]
    [InlineData("var n = async ? await stream.ReadAsync(buffer, 0, 4) : stream.Read(buffer, 0, 4);")]
    [InlineData("while ((async ? await reader.ReadLineAsync() : reader.ReadLine()) is not null) { }")]
    [InlineData("var a = async ? await u : u.Result;")]
    [InlineData("if (_async) { await u; } else { u.Wait(); }")]
    [InlineData("if (IsAsync) { await stream.FlushAsync(); } else { stream.Flush(); }")]
    [InlineData("if (io == IOBehavior.Asynchronous) { await stream.FlushAsync(); } else { stream.Flush(); }")]
    [InlineData("var n = io != IOBehavior.Asynchronous ? stream.Read(buffer, 0, 4) : await stream.ReadAsync(buffer, 0, 4);")]
    public Task NoDiagnostic_SyncHalfOfADualModeMethod(string statement) => VerifyAsync($$"""
        enum IOBehavior { Synchronous, Asynchronous }
        class C
        {
            private bool _async;
            public bool IsAsync { get; set; }
            async Task M(bool async, IOBehavior io, Stream stream, StreamReader reader, Task<int> u)
            {
                var buffer = new byte[4];
                {{statement}}
                await Task.Yield();
            }
        }
        """);

    [Theory]
    [InlineData("if (stream.CanSeek) { await stream.FlushAsync(); } else { [|stream.Flush()|]; }")]
    [InlineData("if (async) { [|stream.Flush()|]; }")]
    [InlineData("if (async && stream.CanSeek) { await stream.FlushAsync(); } else { [|stream.Flush()|]; }")]
    public Task Reports_BranchThatIsNotTheSyncHalfOfADualModeMethod(string statement) => VerifyAsync($$"""
        class C
        {
            async Task M(bool async, Stream stream)
            {
                {{statement}}
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_PipeCompletionIsASignal() => VerifyAsync("""
        namespace System.IO.Pipelines
        {
            public abstract class PipeWriter
            {
                public abstract void Complete(Exception? exception = null);
                public virtual ValueTask CompleteAsync(Exception? exception = null) => default;
            }
        }
        class C
        {
            async Task M(System.IO.Pipelines.PipeWriter writer, Exception error)
            {
                writer.Complete(error);
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_SyncMethod() => VerifyAsync("""
        class C
        {
            void Sync(Task t) { Thread.Sleep(1); t.Wait(); }
            static void Main() { Task.Delay(1).Wait(); }
        }
        """);

    [Theory]
    [InlineData("lock (_gate) { Thread.Sleep(1); }")]
    [InlineData("var name = nameof(u.Result);")]
    [InlineData("Action a = () => u.Wait();")]
    [InlineData("try { } catch (Exception) when (u.Result > 0) { }")]
    public Task NoDiagnostic_WhereAwaitIsNotPossible(string statement) => VerifyAsync($$"""
        class C
        {
            private readonly object _gate = new();
            async Task M(Task<int> u)
            {
                {{statement}}
                await Task.Yield();
            }
        }
        """);

    [Theory]
    [InlineData("cts.Cancel();")]
    [InlineData("Assert.That(true);")]
    [InlineData("stream.Dispose();")]
    [InlineData("Console.Error.WriteLine(\"x\");")]
    [InlineData("Console.Out.Flush();")]
    [InlineData("using var memory = new MemoryStream(); memory.Write(new byte[1], 0, 1);")]
    [InlineData("new StringWriter().WriteLine(\"x\");")]
    public Task NoDiagnostic_NonBlockingSiblingsAndInMemoryIo(string statement) => VerifyAsync($$"""
        class Assert { public static void That(bool b) { } public static Task ThatAsync(bool b) => Task.CompletedTask; }
        class C
        {
            async Task M(CancellationTokenSource cts, Stream stream)
            {
                {{statement}}
                await Task.Yield();
            }
        }
        """);

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

    // ---- Known misses: each exclusion on the rule page that gives up a true report ----

    [Fact]
    public Task NoDiagnostic_BlockingInsideASyncLambdaOfAsyncCode_FalseNegative() => VerifyAsync(InAsyncMethod(
        "var n = await Task.Run(() => { Thread.Sleep(10); return u.Result; });"));

    [Fact]
    public Task NoDiagnostic_BlockingInALockBody_FalseNegative() => VerifyAsync("""
        class C
        {
            private readonly object _gate = new();
            async Task M(Stream stream)
            {
                lock (_gate) { stream.Flush(); }
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_TwinWithOtherParameterTypes_FalseNegative() => VerifyAsync(InAsyncMethod(
        "stream.Read(new byte[4].AsSpan());"));

    [Fact]
    public Task NoDiagnostic_OwnTypeWithAnAsyncTwin_FalseNegative() => VerifyAsync("""
        class Repository { public void Save() { } public Task SaveAsync() => Task.CompletedTask; }
        class C
        {
            async Task M(Repository repository)
            {
                repository.Save();
                await Task.Yield();
            }
        }
        """);
}

/// <summary>Sources that <see cref="ASYNC030BlockingCallTests"/> and <see cref="ASYNC030BlockingCallCodeFixTests"/> share.</summary>
internal static class ASYNC030Sources
{
    public const string Usings = """
        using System;
        using System.Diagnostics;
        using System.IO;
        using System.Linq;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;

        """;
}
