using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Verify = AsyncPitfalls.Tests.CSharpAnalyzerVerifier<AsyncPitfalls.Analyzers.ASYNC003ASYNC008AsyncVoidAnalyzer>;

namespace AsyncPitfalls.Tests;

public class ASYNC003AsyncVoidTests
{
    private static Task VerifyAsync(string source, params DiagnosticResult[] expected) => Verify.VerifyAnalyzerAsync(source, expected);

    /// <summary>A class with the members the single-statement shapes below use.</summary>
    private static string InMethod(string statement) => $$"""
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        delegate void Notify(int code);
        class Args : EventArgs { }
        class C
        {
            public event EventHandler? Clicked;
            public event EventHandler<Args>? Changed;
            static Task SaveAsync(int i) => Task.CompletedTask;
            void M(List<int> items)
            {
                {{statement}}
            }
        }
        """;

    // ---- Positives ----

    [Fact]
    public Task Reports_AsyncVoidMethod() => VerifyAsync("""
        using System.Threading.Tasks;
        class C
        {
            async void {|#0:Fire|}() { await Task.Delay(1); }
        }
        """,
        Verify.Diagnostic("ASYNC003").WithLocation(0).WithArguments("Method 'Fire'"));

    [Fact]
    public Task Reports_AsyncVoidLocalFunction() => VerifyAsync("""
        using System.Threading.Tasks;
        class C
        {
            void M()
            {
                async void {|#0:Local|}() => await Task.Delay(1);
                Local();
            }
        }
        """,
        Verify.Diagnostic("ASYNC003").WithLocation(0).WithArguments("Local function 'Local'"));

    [Theory]
    [InlineData("items.ForEach({|#0:async|} i => await SaveAsync(i));", "Async lambda converted to 'Action<int>'")]
    [InlineData("Action<string> a = {|#0:async|} s => await Task.Delay(1);", "Async lambda converted to 'Action<string>'")]
    [InlineData("var thread = new Thread({|#0:async|} () => await Task.Delay(1));", "Async lambda converted to 'ThreadStart'")]
    [InlineData("var task = new Task({|#0:async|} () => await Task.Delay(1)); task.Start();", "Async lambda converted to 'Action'")]
    [InlineData("var task = new Task({|#0:async|} () => await Task.Delay(1), CancellationToken.None); task.RunSynchronously();", "Async lambda converted to 'Action'")]
    [InlineData("Notify n = {|#0:async|} delegate (int code) { await Task.Delay(code); };", "Async anonymous method converted to 'Notify'")]
    public Task Reports_AsyncLambdaConvertedToAVoidDelegate(string statement, string display) => VerifyAsync(
        InMethod(statement),
        Verify.Diagnostic("ASYNC003").WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithArguments(display));

    [Theory]
    [InlineData("try { await Task.Delay(1); } catch (Exception) { Console.WriteLine(\"x\"); throw; }")]
    [InlineData("try { await Task.Delay(1); } catch (Exception e) when (e is TimeoutException) { }")]
    [InlineData("try { await Task.Delay(1); } catch (InvalidOperationException) { }")]
    [InlineData("await System.IO.File.ReadAllTextAsync(\"settings.json\"); try { await Task.Delay(1); } catch { }")]
    [InlineData("try { await Task.Delay(1); } catch { } finally { throw new InvalidOperationException(); }")]
    [InlineData("if (DateTime.Now.Ticks > 0) { try { await Task.Delay(1); } catch { } } Console.WriteLine(\"after\");")]
    [InlineData("await Task.Delay(1);")]
    public Task Reports_BodyThatCanStillThrow(string body) => VerifyAsync($$"""
        using System;
        using System.Threading.Tasks;
        class C
        {
            async void {|ASYNC003:Fire|}() { {{body}} }
        }
        """);

    // ---- Negatives ----

    // Issue 25: incomplete binding. The registration does not bind (its type is not restored yet): not seen, not a choice.
    [Fact]
    public Task NoDiagnostic_AHandlerWhoseRegistrationDoesNotBind() => VerifyAsync("""
        using System.Threading.Tasks;
        class C
        {
            void Wire({|CS0246:MessageBus|} bus) => bus.Received += OnReceived;
            async void OnReceived(string message) { await Task.Delay(1); }
        }
        """);

    [Theory]
    [InlineData("async void OnClick(object sender, EventArgs e) { await Task.Delay(1); }")]
    [InlineData("async void OnChanged(object? sender, Args e) { await Task.Delay(1); }")]
    public Task NoDiagnostic_EventHandlerMethod(string member) => VerifyAsync($$"""
        using System;
        using System.Threading.Tasks;
        class Args : EventArgs { }
        class C
        {
            {{member}}
        }
        """);

    [Theory]
    [InlineData("Clicked += async (s, e) => await Task.Delay(1);")]
    [InlineData("Changed += async delegate (object? s, Args e) { await Task.Delay(1); };")]
    [InlineData("EventHandler h = async (s, e) => await Task.Delay(1);")]
    public Task NoDiagnostic_EventHandlerLambda(string statement) => VerifyAsync(InMethod(statement));

    [Theory]
    [InlineData("public override async void Run() { await Task.Delay(1); }")]
    [InlineData("public async void Handle() { await Task.Delay(1); }")]
    [InlineData("async void IHandler.Handle() { await Task.Delay(1); }")]
    public Task NoDiagnostic_SignatureDictatedByABaseOrInterface(string member) => VerifyAsync($$"""
        using System.Threading.Tasks;
        interface IHandler { void Handle(); }
        abstract class Base { public virtual void Run() { } }
        class C : Base, IHandler
        {
            {{member}}
            {{(member.Contains("Handle") ? "" : "void IHandler.Handle() { }")}}
        }
        """);

    [Theory]
    [InlineData("try { await Task.Delay(1); } catch (Exception ex) { Console.WriteLine(ex); }")]
    [InlineData("try { await Task.Delay(1); } catch { } finally { Console.WriteLine(\"done\"); }")]
    [InlineData("try { await Task.Delay(1); } catch (System.Exception) { }")]
    public Task NoDiagnostic_BodyIsOneTryWithASilentCatchAll(string body) => VerifyAsync($$"""
        using System;
        using System.Threading.Tasks;
        class C
        {
            async void OnTick(object? state) { {{body}} }
        }
        """);

    // Issue 25: one step away from "one try with a catch-all", nothing can escape either.
    [Theory]
    [InlineData("var text = state as string; if (text is null) { return; } try { await Task.Delay(1); } catch (Exception ex) { Console.WriteLine(ex); }")]
    [InlineData("await Task.Delay(100); try { await System.IO.File.ReadAllTextAsync(\"a.txt\"); } catch { }")]
    [InlineData("if (state is string) { try { await System.IO.File.ReadAllTextAsync(\"a.txt\"); } catch { } }")]
    [InlineData("foreach (var name in new[] { \"a\", \"b\" }) { try { await System.IO.File.ReadAllTextAsync(name); } catch (Exception) { } }")]
    [InlineData("await Task.Yield(); try { await Task.Delay(1); } catch { }")]
    public Task NoDiagnostic_GuardedOneStepAwayFromASingleTry(string body) => VerifyAsync($$"""
        using System;
        using System.Threading.Tasks;
        class C
        {
            async void OnTick(object? state) { {{body}} }
        }
        """);

    [Theory]
    [InlineData("ArgumentNullException.ThrowIfNull(state);")]
    [InlineData("_ = state ?? throw new ArgumentNullException(nameof(state));")]
    [InlineData("if (state is null) throw new ArgumentNullException(nameof(state));")]
    [InlineData("if (state is not string) { throw new ArgumentException(\"text expected\", nameof(state)); } ArgumentNullException.ThrowIfNull(state);")]
    public Task NoDiagnostic_ArgumentGuardsBeforeASilentCatchAll(string guards) => VerifyAsync($$"""
        using System;
        using System.Threading.Tasks;
        class C
        {
            async void OnTick(object? state)
            {
                {{guards}}
                try { await Task.Delay(1); }
                catch (Exception ex) { Console.WriteLine(ex); }
            }
        }
        """);

    [Fact]
    public Task Reports_GuardThatIsNotAnArgumentCheck() => VerifyAsync("""
        using System;
        using System.Threading.Tasks;
        class C
        {
            async void {|ASYNC003:OnTick|}(object? state)
            {
                if (state is null) throw new InvalidOperationException();
                try { await Task.Delay(1); }
                catch (Exception ex) { Console.WriteLine(ex); }
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_EventHandlerWhoseArgsTypeIsNotResolvedYet() => VerifyAsync("""
        using System.Threading.Tasks;
        class C
        {
            async void OnMessage(object sender, {|CS0246:MessageReceivedEventArgs|} e) { await Task.Delay(1); }
        }
        """);

    [Fact]
    public Task NoDiagnostic_TimerLambdaWithASilentCatchAll() => VerifyAsync(InMethod(
        "using var timer = new Timer(async _ => { try { await Task.Delay(1); } catch (System.Exception) { } }, null, 0, 1000);"));

    [Theory]
    [InlineData("Task.Run(async () => await Task.Delay(1));")]
    [InlineData("Func<Task> f = async () => await Task.Delay(1);")]
    [InlineData("Action sync = () => Console.WriteLine();")]
    public Task NoDiagnostic_TaskReturningOrSynchronousLambda(string statement) => VerifyAsync(InMethod(statement));

    [Fact]
    public Task NoDiagnostic_AsyncTaskMethod() => VerifyAsync("""
        using System.Threading.Tasks;
        class C
        {
            async Task M() { await Task.Delay(1); }
        }
        """);

    [Theory]
    [InlineData("async void {|ASYNC008:OnClick|}(object sender, EventArgs e) { await Task.Delay(1); throw new InvalidOperationException(); }")]
    [InlineData("public override async void {|ASYNC008:Run|}() { await Task.Delay(1); throw new InvalidOperationException(); }")]
    public Task Reports_AsImposed_EventHandlerOrOverrideThatCanThrow(string member) => VerifyAsync($$"""
        using System;
        using System.Threading.Tasks;
        abstract class Base { public abstract void Run(); }
        class C : Base
        {
            {{member}}
            {{(member.Contains("Run") ? "" : "public override void Run() { }")}}
        }
        """);

    [Theory]
    [InlineData("async void Tick() { await Task.Delay(1); } void Start() => Tick();")]
    [InlineData("async void Tick() { await Task.Delay(1); } void Start(System.Collections.Generic.List<int> items) => items.ForEach(_ => Tick());")]
    public Task Reports_MethodCalledDirectly(string members) => VerifyAsync($$"""
        using System.Threading.Tasks;
        class C
        {
            {{members.Replace("async void Tick()", "async void {|ASYNC003:Tick|}()")}}
        }
        """);

    [Theory]
    [InlineData("new System.Threading.Thread(Tick).Start();")]
    [InlineData("System.Threading.ThreadPool.QueueUserWorkItem(_ => Tick());")]
    [InlineData("Task.Factory.StartNew(Tick);")]
    [InlineData("System.Action later = Tick;")]
    public Task Reports_MethodGivenToAThreadOrAnImmediateRun(string statement) => VerifyAsync($$"""
        using System.Threading.Tasks;
        class C
        {
            async void {|ASYNC003:Tick|}() { await Task.Delay(1); }
            void Start() { {{statement}} }
        }
        """);

    [Fact]
    public Task NoChosenDiagnostic_MethodOnlySubscribedToAnEvent() => VerifyAsync("""
        using System;
        using System.Threading.Tasks;
        class Source { public event Action<int>? Changed; }
        class C
        {
            async void OnChanged(int value) { await Task.Delay(value); }
            void Wire(Source source) { source.Changed += OnChanged; }
        }
        """);

    // ---- Known misses: each exclusion on the rule page that gives up a true report ----

    [Fact]
    public Task NoDiagnostic_MethodCalledFromAnotherType_FalseNegative() => VerifyAsync("""
        using System;
        using System.Threading.Tasks;
        class Source { public event Action<int>? Changed; }
        class C
        {
            public async void OnChanged(int value) { await Task.Delay(value); }
            void Wire(Source source) { source.Changed += OnChanged; }
        }
        class Other
        {
            void Run(C c) { c.OnChanged(1); }
        }
        """);
}
