using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Verify = AsyncPitfalls.Tests.CSharpAnalyzerVerifier<AsyncPitfalls.Analyzers.ASYNC003ASYNC008AsyncVoidAnalyzer>;

namespace AsyncPitfalls.Tests;

/// <summary>ASYNC008: async void that an API imposes, reported when an exception can escape it.</summary>
public class ASYNC008ImposedAsyncVoidTests
{
    private static Task VerifyAsync(string source) => Verify.VerifyAnalyzerAsync(ASYNC008Sources.Usings + source + ASYNC008Sources.Helpers);

    private static string Wired(string wiring, string handler = "async void {|ASYNC008:Handle|}(string s) { await Work.FailsAsync(); }") => $$"""
        class C
        {
            {{handler}}
            async void {|ASYNC008:HandleNothing|}() { await Work.FailsAsync(); }
            void Wire(Bus bus, CancellationToken ct) { {{wiring}} }
        }
        """;

    // ---- Positives: a handler that something calls later, and an exception that can escape ----

    [Theory]
    [InlineData("bus.Received += Handle; bus.RegisterCallback(HandleNothing);")]
    [InlineData("bus.Subscribe(Handle); ct.Register(HandleNothing);")]
    [InlineData("bus.OnMessage(Handle); bus.RegisterCallback(HandleNothing);")]
    [InlineData("bus.AddMessageHandler(Handle); bus.Watch(HandleNothing);")]
    [InlineData("bus.ListenFor(Handle); bus.RegisterCallback(HandleNothing);")]
    [InlineData("bus.Handlers += Handle; bus.Schedule(HandleNothing);")]
    [InlineData("bus.Callback = Handle; bus.Record(\"a\", HandleNothing);")]
    public Task Reports_MethodHandedToARegistration(string wiring) => VerifyAsync(Wired(wiring));

    // Issue 25: a virtual callee is judged by every implementation the assembly has, when none can come from outside.
    [Theory]
    [InlineData("Task.Delay(10)", false)]
    [InlineData("System.IO.File.WriteAllTextAsync(\"a\", \"b\")", true)]
    public Task Reports_OnlyWhenAnOverrideOfAVirtualCalleeInTheAssemblyCanFail(string secondOverride, bool reported) => Verify.VerifyAnalyzerAsync($$"""
        using System;
        using System.Threading.Tasks;
        abstract class Step { public abstract Task RunAsync(); }
        sealed class Save : Step { public override async Task RunAsync() { try { await System.IO.File.WriteAllTextAsync("a", "b"); } catch { } } }
        sealed class Wait : Step { public override Task RunAsync() => {{secondOverride}}; }
        class C
        {
            private readonly Step _step = new Save();
            async void {{(reported ? "{|ASYNC008:OnClick|}" : "OnClick")}}(object? sender, EventArgs e) { await _step.RunAsync(); }
        }
        """);

    [Theory]
    [InlineData("async void {|ASYNC008:OnClick|}(object? sender, EventArgs e) { await Work.FailsAsync(); }")]
    [InlineData("async void {|ASYNC008:OnClick|}(object? sender, EventArgs e) { await Task.Delay(1); throw new InvalidOperationException(); }")]
    [InlineData("async void {|ASYNC008:OnTick|}(object? state) { await Work.FailsAsync(); } void Start() { using var t = new System.Threading.Timer(OnTick); }")]
    [InlineData("async void {|ASYNC008:OnSignal|}(PosixSignalContext context) { await Work.FailsAsync(); } void Start() { using var r = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal); }")]
    [InlineData("public override async void {|ASYNC008:Refresh|}() { await Work.FailsAsync(); }")]
    [InlineData("async void {|ASYNC008:OnClick|}(object? sender, EventArgs e) { try { await Work.FailsAsync(); } catch (Exception) { } await Work.FailsAsync(); }")]
    [InlineData("async void {|ASYNC008:OnClick|}(object? sender, EventArgs e) { try { await Work.FailsAsync(); } catch (IOException) { } }")]
    [InlineData("async void {|ASYNC008:OnClick|}(object? sender, EventArgs e) { try { await Work.FailsAsync(); } catch (Exception) { throw; } }")]
    public Task Reports_HandlerWhoseVoidAnApiImposes(string members) => VerifyAsync($$"""
        abstract class View { public abstract void Refresh(); }
        class C : View
        {
            {{members}}
            {{(members.Contains("Refresh") ? "" : "public override void Refresh() { }")}}
        }
        """);

    [Theory]
    [InlineData("bus.Clicked += {|ASYNC008:async|} (s, e) => await Work.FailsAsync();")]
    [InlineData("bus.Subscribe({|ASYNC008:async|} s => await Work.FailsAsync());")]
    [InlineData("using var timer = new System.Threading.Timer({|ASYNC008:async|} _ => await Work.FailsAsync());")]
    public Task Reports_LambdaHandedToARegistration(string wiring) => VerifyAsync($$"""
        class C
        {
            void Wire(Bus bus) { {{wiring}} }
        }
        """);

    // ---- Negatives: nothing can escape, or the void was chosen (ASYNC003's) ----

    [Theory]
    [InlineData("async void OnClick(object? sender, EventArgs e) { await Task.Delay(1); }")]
    [InlineData("async void OnClick(object? sender, EventArgs e) { await Work.DoneAsync(); await Task.Yield(); }")]
    [InlineData("async void OnClick(object? sender, EventArgs e) { try { await Work.FailsAsync(); } catch (Exception ex) { Console.WriteLine(ex); } }")]
    [InlineData("async void OnClick(object? sender, EventArgs e) { ArgumentNullException.ThrowIfNull(sender); try { await Work.FailsAsync(); } catch { } }")]
    [InlineData("async void OnClick(object? sender, EventArgs e) { foreach (var i in new[] { 1, 2 }) { try { await Work.FailsAsync(); } catch (Exception ex) { Console.WriteLine(ex); } } }")]
    [InlineData("async void OnClick(object? sender, EventArgs e) { var n = 1; if (n > 0) { try { await Work.FailsAsync(); if (n > 1) throw new InvalidOperationException(); } catch { } } }")]
    public Task NoDiagnostic_NothingCanEscape(string member) => VerifyAsync($$"""
        class C
        {
            {{member}}
        }
        """);

    [Theory]
    [InlineData("Fire();")]
    [InlineData("bus.Each(Fire);")]
    [InlineData("Action a = Fire; a();")]
    public Task NoImposedDiagnostic_VoidThatWasChosen(string use) => VerifyAsync($$"""
        class C
        {
            async void {|ASYNC003:Fire|}() { await Work.FailsAsync(); }
            void Start(Bus bus) { {{use}} }
        }
        """);

    [Fact]
    public Task Reports_LocalFunctionHandedToACallbackParameter() => VerifyAsync("""
        class C
        {
            async Task RecordAsync(Bus bus)
            {
                async void {|ASYNC008:OnStarted|}() { await Work.FailsAsync(); }
                await bus.Record("a", OnStarted);
            }
        }
        """);

    [Fact]
    public Task Reports_LocalFunctionHandedToACallbackParameterOfACallThatDoesNotBind() => new Verify.Test
    {
        // An unresolved type (a fresh clone before restore) makes the call unbound: the parameter is found by position.
        CompilerDiagnostics = CompilerDiagnostics.None,
        TestCode = ASYNC008Sources.Usings + """
            class C
            {
                async Task RecordAsync(Bus bus, Missing missing)
                {
                    async void {|ASYNC008:OnStarted|}() { await Work.FailsAsync(); }
                    await bus.Record(missing.Path, OnStarted).ConfigureAwait(false);
                }
            }
            """ + ASYNC008Sources.Helpers,
    }.RunAsync();

    [Fact]
    public async Task Reports_HandlerSubscribedOnlyInAGeneratedDesignerFile()
    {
        var test = new Verify.Test();
        test.TestState.Sources.Add(("Form1.cs", ASYNC008Sources.Usings + """
            partial class Form1
            {
                async void {|ASYNC008:btnSave_Saved|}(string name) { await Work.FailsAsync(); }
                async void {|ASYNC003:Unused|}() { await Work.FailsAsync(); }
            }
            """ + ASYNC008Sources.Helpers));
        test.TestState.Sources.Add(("Form1.Designer.cs", """
            partial class Form1
            {
                private void InitializeComponent(Bus bus) { bus.Received += new System.Action<string>(this.btnSave_Saved); }
            }
            """));
        await test.RunAsync();
    }

    // ---- Known misses ----

    [Fact]
    public Task NoDiagnostic_HandlerThatThrowsFromASynchronousCall_FalseNegative() => VerifyAsync("""
        class C
        {
            async void OnClick(object? sender, EventArgs e) { await Task.Delay(1); File.Delete("a.txt"); }
        }
        """);
}

/// <summary>Sources that <see cref="ASYNC008ImposedAsyncVoidTests"/> and <see cref="ASYNC008ImposedAsyncVoidCodeFixTests"/> share.</summary>
internal static class ASYNC008Sources
{
    public const string Usings = """
        using System;
        using System.IO;
        using System.Runtime.InteropServices;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    /// <summary>A bus with the registration shapes, and calls that can or cannot fail.</summary>
    public const string Helpers = """

        class Bus
        {
            public event EventHandler? Clicked;
            public event Action<string>? Received;
            public void Subscribe(Action<string> handler) { }
            public void RegisterCallback(Action handler) { }
            public void OnMessage(Action<string> handler) { }
            public void AddMessageHandler(Action<string> handler) { }
            public void ListenFor(Action<string> handler) { }
            public IDisposable Watch(Action handler) => null!;
            public Action<string>? Callback { get; set; }
            public Action<string>? Handlers;
            public Task Record(string path, Action onStarted) => Task.CompletedTask;
            public void Schedule(Action callback) { }
            public void Each(Action action) { }
        }
        static class Work
        {
            public static Task FailsAsync() => File.WriteAllTextAsync("a.txt", "x");
            public static Task DoneAsync() => Task.CompletedTask;
        }
        """;
}
