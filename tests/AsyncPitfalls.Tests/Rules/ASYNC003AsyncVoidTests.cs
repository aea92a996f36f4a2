using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Verify = AsyncPitfalls.Tests.CSharpCodeFixVerifier<AsyncPitfalls.Analyzers.ASYNC003AsyncVoidAnalyzer, AsyncPitfalls.CodeFixes.ASYNC003AsyncVoidCodeFix>;

namespace AsyncPitfalls.Tests;

public class ASYNC003AsyncVoidTests
{
    private static Task VerifyAsync(string source, params DiagnosticResult[] expected) => Verify.VerifyAnalyzerAsync(source, expected);

    [Fact]
    public Task Reports_AsyncVoidMethodAndLocalFunction() => VerifyAsync("""
        using System.Threading.Tasks;
        class C
        {
            async void {|#0:Fire|}() { await Task.Delay(1); }
            void M()
            {
                async void {|#1:Local|}() => await Task.Delay(1);
                Local();
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("Method 'Fire'"),
        Verify.Diagnostic().WithLocation(1).WithArguments("Local function 'Local'"));

    [Fact]
    public Task Reports_AsyncLambdasConvertedToVoidDelegates() => VerifyAsync("""
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        delegate void Notify(int code);
        class C
        {
            static Task SaveAsync(int i) => Task.CompletedTask;
            void M(List<int> items)
            {
                items.ForEach({|#0:async|} i => await SaveAsync(i));
                Action<string> a = {|#1:async|} s => await Task.Delay(1);
                var thread = new Thread({|#2:async|} () => await Task.Delay(1));
                using var timer = new Timer({|#3:async|} _ => await Task.Delay(1), null, 0, 1000);
                Notify n = {|#4:async|} delegate (int code) { await Task.Delay(code); };
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("Async lambda converted to 'Action<int>'"),
        Verify.Diagnostic().WithLocation(1).WithArguments("Async lambda converted to 'Action<string>'"),
        Verify.Diagnostic().WithLocation(2).WithArguments("Async lambda converted to 'ThreadStart'"),
        Verify.Diagnostic().WithLocation(3).WithArguments("Async lambda converted to 'TimerCallback'"),
        Verify.Diagnostic().WithLocation(4).WithArguments("Async anonymous method converted to 'Notify'"));

    [Fact]
    public Task Reports_CatchAllThatRethrowsOrFilters() => VerifyAsync("""
        using System;
        using System.Threading.Tasks;
        class C
        {
            async void [|Rethrows|]() { try { await Task.Delay(1); } catch (Exception) { Console.WriteLine("x"); throw; } }
            async void [|Filtered|]() { try { await Task.Delay(1); } catch (Exception e) when (e is TimeoutException) { } }
            async void [|Narrow|]() { try { await Task.Delay(1); } catch (InvalidOperationException) { } }
            async void [|MoreStatements|]() { await Task.Yield(); try { await Task.Delay(1); } catch { } }
        }
        """);

    [Fact]
    public Task NoDiagnostic_EventHandlers() => VerifyAsync("""
        using System;
        using System.Threading.Tasks;
        class Args : EventArgs { }
        class C
        {
            public event EventHandler? Clicked;
            public event EventHandler<Args>? Changed;
            async void OnClick(object sender, EventArgs e) { await Task.Delay(1); }
            async void OnChanged(object? sender, Args e) { await Task.Delay(1); }
            void Wire()
            {
                Clicked += async (s, e) => await Task.Delay(1);
                Changed += async delegate (object? s, Args e) { await Task.Delay(1); };
                EventHandler h = async (s, e) => await Task.Delay(1);
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_OverridesAndInterfaceImplementations() => VerifyAsync("""
        using System.Threading.Tasks;
        interface IHandler { void Handle(); }
        abstract class Base { public abstract void Run(); }
        class C : Base, IHandler
        {
            public override async void Run() { await Task.Delay(1); }
            public async void Handle() { await Task.Delay(1); }
        }
        class D : IHandler
        {
            async void IHandler.Handle() { await Task.Delay(1); }
        }
        """);

    [Fact]
    public Task NoDiagnostic_BodyIsOneTryWithASilentCatchAll() => VerifyAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            async void OnTick(object? state)
            {
                try { await Task.Delay(1); }
                catch (Exception ex) { Console.WriteLine(ex); }
            }
            async void Bare() { try { await Task.Delay(1); } catch { } finally { Console.WriteLine("done"); } }
            void M()
            {
                using var timer = new Timer(async _ => { try { await Task.Delay(1); } catch (System.Exception) { } }, null, 0, 1000);
            }
        }
        """);

    [Fact]
    public Task NoDiagnostic_TaskReturningAsyncAndFuncLambdas() => VerifyAsync("""
        using System;
        using System.Threading.Tasks;
        class C
        {
            async Task M() { await Task.Delay(1); }
            void N()
            {
                Task.Run(async () => await Task.Delay(1));
                Func<Task> f = async () => await Task.Delay(1);
                Action sync = () => Console.WriteLine();
            }
        }
        """);

    [Fact]
    public Task Fix_ReturnTaskInsteadOfVoid() => Verify.VerifyCodeFixAsync("""
        using System.Threading.Tasks;
        class C
        {
            private async void [|FireAsync|]()
            {
                await Task.Delay(1);
            }

            void M()
            {
                async void [|Local|]() => await Task.Delay(1);
            }
        }
        """, """
        using System.Threading.Tasks;
        class C
        {
            private async Task FireAsync()
            {
                await Task.Delay(1);
            }

            void M()
            {
                async Task Local() => await Task.Delay(1);
            }
        }
        """);

    [Fact]
    public Task NoFix_MethodGroupUseOrLambda() => Verify.VerifyCodeFixAsync("""
        using System;
        using System.Threading.Tasks;
        class C
        {
            async void [|Fire|]() { await Task.Delay(1); }
            void M()
            {
                Action a = Fire;
                Action b = [|async|] () => await Task.Delay(1);
            }
        }
        """, """
        using System;
        using System.Threading.Tasks;
        class C
        {
            async void [|Fire|]() { await Task.Delay(1); }
            void M()
            {
                Action a = Fire;
                Action b = [|async|] () => await Task.Delay(1);
            }
        }
        """);

    [Fact]
    public async Task Fix_AllInDocumentAndAcrossDocuments()
    {
        var test = new Verify.Test();
        test.TestState.Sources.Add("using System.Threading.Tasks;\nclass A\n{\n    async void [|X|]() => await Task.Yield();\n    async void [|Y|]() => await Task.Yield();\n}\n");
        test.TestState.Sources.Add("using System.Threading.Tasks;\nclass B\n{\n    async void [|Z|]() => await Task.Yield();\n    void Caller() { Z(); }\n}\n");
        test.FixedState.Sources.Add("using System.Threading.Tasks;\nclass A\n{\n    async Task X() => await Task.Yield();\n    async Task Y() => await Task.Yield();\n}\n");
        test.FixedState.Sources.Add("using System.Threading.Tasks;\nclass B\n{\n    async Task Z() => await Task.Yield();\n    void Caller() { Z(); }\n}\n");
        await test.RunAsync();
    }
}
