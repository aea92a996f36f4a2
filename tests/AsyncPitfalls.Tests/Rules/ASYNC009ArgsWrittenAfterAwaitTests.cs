using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Verify = AsyncPitfalls.Tests.CSharpAnalyzerVerifier<AsyncPitfalls.Analyzers.ASYNC009ArgsWrittenAfterAwaitAnalyzer>;

namespace AsyncPitfalls.Tests;

/// <summary>The types the ASYNC009 tests and fix tests share: a form that closes, key and answer args, a deferral.</summary>
internal static class ASYNC009Sources
{
    public const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.ComponentModel;
        using System.Threading.Tasks;

        """;

    public const string Types = """

        class FormClosingEventArgs : CancelEventArgs { }
        delegate void FormClosingEventHandler(object sender, FormClosingEventArgs e);
        class Form
        {
            public event FormClosingEventHandler? FormClosing;
            public event EventHandler<KeyArgs>? KeyDown;
            public void Close() { }
            protected virtual void OnClosing(CancelEventArgs e) { }
            protected void Raise() { FormClosing?.Invoke(this, new FormClosingEventArgs()); KeyDown?.Invoke(this, new KeyArgs()); }
        }
        class KeyArgs : EventArgs
        {
            public bool Handled { get; set; }
            public int Count;
            public string? Result { get; set; }
            public Reply Response { get; } = new Reply();
            public Node Node { get; } = new Node();
            public Dictionary<string, string> Headers { get; } = new();
            public void Cancel() { }
            public void SetAnswer(string answer) { }
            public string Describe() => "key";
            public Task SetRemoteAsync() => Task.CompletedTask;
            public Deferral GetDeferral() => new Deferral();
        }
        class Reply { public int Status { get; set; } }
        class Node { public string Text { get; set; } = ""; }
        sealed class Deferral : IDisposable { public void Complete() { } public void Dispose() { } }
        class Message { public bool Acked { get; set; } }
        class Bus { public event Action<Bus, Message>? Received; public void Raise() => Received?.Invoke(this, new Message()); }
        static class Work
        {
            public static Task<bool> HasUnsavedChangesAsync() => Task.Run(() => true);
            public static Task<bool> CanCloseAsync() => Task.Run(() => true);
            public static Task SaveAsync() => Task.Delay(10);
            public static Task<string> AskAsync() => Task.Run(() => "yes");
            public static async IAsyncEnumerable<int> ItemsAsync() { await Task.Yield(); yield return 1; }
            public static void Answer(CancelEventArgs e) => e.Cancel = true;
        }
        """;

    /// <summary>A form whose members are <paramref name="members"/>, subscribed to its own events in the constructor.</summary>
    public static string InForm(string members) => Usings + $$"""
        class MainForm : Form
        {
            public MainForm()
            {
                FormClosing += OnFormClosing;
                KeyDown += OnKeyDown;
            }
            {{members}}
        }
        """ + Types;
}

/// <summary>ASYNC009: an async handler writes to its event args after an await, when the raiser has already read them.</summary>
public class ASYNC009ArgsWrittenAfterAwaitTests
{
    private static Task VerifyAsync(string members, params DiagnosticResult[] expected) => Verify.VerifyAnalyzerAsync(ASYNC009Sources.InForm(members), expected);

    private const string NoKeyHandler = "private void OnKeyDown(object sender, KeyArgs e) { }";

    /// <summary>The diagnostic at markup 0; its additional locations (what the fix needs) are checked in the tests that name them.</summary>
    private static DiagnosticResult At0(params object[] arguments)
        => Verify.Diagnostic().WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithArguments(arguments);

    // ---- Positives ----

    [Fact]
    public Task Reports_CancelDecidedByAnAwait_NamingTheEventAndTheAwaitsLine_WithTheStatementsTheFixNeeds() => VerifyAsync(NoKeyHandler + """

            private async void OnFormClosing(object sender, FormClosingEventArgs e)
            {
                {|#1:if (await Work.HasUnsavedChangesAsync())
                    {|#0:e.Cancel|} = true;|}
            }
        """, Verify.Diagnostic().WithLocation(0).WithLocation(1).WithLocation(1).WithArguments("e.Cancel", "set", 15, "'FormClosing'"));

    [Theory]
    [InlineData("{|#0:e.Cancel|} = !await Work.CanCloseAsync();")]
    [InlineData("await Work.SaveAsync(); {|#0:e.Cancel|} = false;")]
    [InlineData("var unsaved = await Work.HasUnsavedChangesAsync(); {|#0:e.Cancel|} = unsaved;")]
    public Task Reports_EveryFormOfTheCancelWrite(string body) => VerifyAsync(
        NoKeyHandler + "\nprivate async void OnFormClosing(object sender, FormClosingEventArgs e) { " + body + " }",
        At0("e.Cancel", "set", 13, "'FormClosing'"));

    [Theory]
    [InlineData("{|#0:e.Handled|} = await Work.CanCloseAsync();", "e.Handled", "set")]
    [InlineData("await Work.SaveAsync(); {|#0:e.Result|} = \"saved\";", "e.Result", "set")]
    [InlineData("await Work.SaveAsync(); {|#0:e.Response.Status|} = 204;", "e.Response.Status", "set")]
    [InlineData("await Work.SaveAsync(); {|#0:e.Count|}++;", "e.Count", "set")]
    [InlineData("await Work.SaveAsync(); {|#0:e.Count|} += 2;", "e.Count", "set")]
    [InlineData("await Work.SaveAsync(); {|#0:e.Cancel()|};", "e.Cancel()", "called")]
    [InlineData("var answer = await Work.AskAsync(); {|#0:e.SetAnswer(answer)|};", "e.SetAnswer()", "called")]
    public Task Reports_EveryWriteForm(string body, string display, string verb) => VerifyAsync(
        "private void OnFormClosing(object sender, FormClosingEventArgs e) { }\nprivate async void OnKeyDown(object sender, KeyArgs e) { " + body + " }",
        At0(display, verb, 13, "'KeyDown'"));

    [Fact]
    public Task Reports_SetObservedInAnUnobservedTaskExceptionLambda() => Verify.VerifyAnalyzerAsync(ASYNC009Sources.Usings + """
        class App
        {
            void Start()
            {
                TaskScheduler.UnobservedTaskException += async (sender, e) =>
                {
                    await Work.SaveAsync();
                    {|#0:e.SetObserved()|};
                };
            }
        }
        """ + ASYNC009Sources.Types, At0("e.SetObserved()", "called", 11, "'UnobservedTaskException'"));

    [Fact]
    public Task Reports_AnAsyncOverrideOfOnClosing() => Verify.VerifyAnalyzerAsync(ASYNC009Sources.Usings + """
        class Editor : Form
        {
            protected override async void OnClosing(CancelEventArgs e)
            {
                {|#0:e.Cancel|} = await Work.HasUnsavedChangesAsync();
            }
        }
        """ + ASYNC009Sources.Types, At0("e.Cancel", "set", 9, "'Closing'"));

    [Fact]
    public Task Reports_AnAsyncLocalFunctionHandler_WithoutAKnownEvent() => Verify.VerifyAnalyzerAsync(ASYNC009Sources.Usings + """
        class Editor
        {
            EventHandler<KeyArgs> Make()
            {
                return Handle;
                async void Handle(object? sender, KeyArgs e)
                {
                    await Work.SaveAsync();
                    {|#0:e.Handled|} = true;
                }
            }
        }
        """ + ASYNC009Sources.Types, At0("e.Handled", "set", 12, "the event's raiser"));

    [Fact]
    public Task Reports_AWriteBeforeTheAwaitInALoop_OnTheSecondPass() => VerifyAsync(NoKeyHandler + """

            private async void OnFormClosing(object sender, FormClosingEventArgs e)
            {
                for (var i = 0; i < 3; i++)
                {
                    {|#0:e.Cancel|} = i == 0;
                    await Work.SaveAsync();
                }
            }
        """, At0("e.Cancel", "set", 18, "'FormClosing'"));

    [Fact]
    public Task Reports_AWriteInACatchAfterAnAwaitThatFails() => VerifyAsync(NoKeyHandler + """

            private async void OnFormClosing(object sender, FormClosingEventArgs e)
            {
                try
                {
                    await Work.SaveAsync();
                }
                catch (InvalidOperationException)
                {
                    {|#0:e.Cancel|} = true;
                }
            }
        """, At0("e.Cancel", "set", 17, "'FormClosing'"));

    [Fact]
    public Task Reports_AWriteInAFinally() => VerifyAsync(NoKeyHandler + """

            private async void OnFormClosing(object sender, FormClosingEventArgs e)
            {
                try { await Work.SaveAsync(); }
                finally { {|#0:e.Cancel|} = false; }
            }
        """, At0("e.Cancel", "set", 15, "'FormClosing'"));

    [Fact]
    public Task Reports_ADeferralTakenOnlyAfterTheAwait() => VerifyAsync("private void OnFormClosing(object sender, FormClosingEventArgs e) { }" + """

            private async void OnKeyDown(object sender, KeyArgs e)
            {
                await Work.SaveAsync();
                using (e.GetDeferral())
                {
                    {|#0:e.Handled|} = true;
                }
            }
        """, At0("e.Handled", "set", 15, "'KeyDown'"));

    [Fact]
    public Task Reports_AfterAnAwaitForeach() => VerifyAsync(NoKeyHandler + """

            private async void OnFormClosing(object sender, FormClosingEventArgs e)
            {
                await foreach (var item in Work.ItemsAsync())
                {
                }

                {|#0:e.Cancel|} = true;
            }
        """, At0("e.Cancel", "set", 15, "'FormClosing'"));

    [Fact]
    public Task Reports_ASenderArgsHandlerWhoseArgsAreNotEventArgs_WhenSubscribed() => Verify.VerifyAnalyzerAsync(ASYNC009Sources.Usings + """
        class Consumer
        {
            void Start(Bus bus) => bus.Received += OnReceived;
            private async void OnReceived(Bus sender, Message message)
            {
                await Work.SaveAsync();
                {|#0:message.Acked|} = true;
            }
        }
        """ + ASYNC009Sources.Types, At0("message.Acked", "set", 10, "'Received'"));

    [Fact]
    public Task Reports_ALambdaSubscribedWithItsOwnDelegateType() => VerifyAsync(NoKeyHandler + """

            private void OnFormClosing(object sender, FormClosingEventArgs e) { }
            void Wire()
            {
                FormClosing += async (sender, e) =>
                {
                    if (await Work.HasUnsavedChangesAsync())
                    {
                        {|#0:e.Cancel|} = true;
                    }
                };
            }
        """, At0("e.Cancel", "set", 18, "'FormClosing'"));

    // ---- Negatives ----

    [Theory]
    [InlineData("e.Cancel = true; await Work.SaveAsync();")]
    [InlineData("if (sender is null) { e.Cancel = true; } else { e.Cancel = false; } await Work.SaveAsync();")]
    [InlineData("var d = e.Cancel; await Work.SaveAsync(); if (e.Cancel || d) { Console.WriteLine(e.Cancel); }")]
    [InlineData("await Task.CompletedTask; e.Cancel = true;")]
    [InlineData("await Task.FromResult(1); e.Cancel = true;")]
    [InlineData("await Work.SaveAsync(); Action later = () => e.Cancel = true; Console.WriteLine(later);")]
    [InlineData("await Work.SaveAsync(); var args = new FormClosingEventArgs(); args.Cancel = true;")]
    public Task NoDiagnostic_TheWriteComesFirstOrIsNotAWriteToTheArgs(string body)
        => VerifyAsync(NoKeyHandler + "\nprivate async void OnFormClosing(object sender, FormClosingEventArgs e) { " + body + " }");

    [Theory]
    [InlineData("await Work.SaveAsync(); e.Node.Text = \"saved\";")]
    [InlineData("await Work.SaveAsync(); e.Headers[\"x\"] = \"y\";")]
    [InlineData("await Work.SaveAsync(); Console.WriteLine(e.Describe());")]
    [InlineData("await Work.SaveAsync(); await e.SetRemoteAsync();")]
    [InlineData("var d = e.GetDeferral(); await Work.SaveAsync(); e.Handled = true; d.Complete();")]
    [InlineData("using (e.GetDeferral()) { await Work.SaveAsync(); e.Handled = true; }")]
    [InlineData("using var deferral = e.GetDeferral(); await Work.SaveAsync(); e.Handled = true;")]
    public Task NoDiagnostic_SharedObjectsReadsAndDeferrals(string body) => VerifyAsync(
        "private void OnFormClosing(object sender, FormClosingEventArgs e) { }\nprivate async void OnKeyDown(object sender, KeyArgs e) { " + body + " }");

    [Fact]
    public Task NoDiagnostic_ASynchronousHandler() => VerifyAsync(NoKeyHandler + """

            private void OnFormClosing(object sender, FormClosingEventArgs e)
            {
                e.Cancel = Work.HasUnsavedChangesAsync().GetAwaiter().GetResult();
            }
        """);

    [Fact]
    public Task NoDiagnostic_AnAsyncTaskMethod_WhoseCallerCanAwaitIt() => VerifyAsync(NoKeyHandler + """

            private void OnFormClosing(object sender, FormClosingEventArgs e) { }
            private async Task DecideAsync(object sender, FormClosingEventArgs e)
            {
                e.Cancel = await Work.HasUnsavedChangesAsync();
            }
        """);

    [Fact]
    public Task NoDiagnostic_ASenderArgsMethodThatIsNotSubscribed() => Verify.VerifyAnalyzerAsync(ASYNC009Sources.Usings + """
        class Consumer
        {
            public async void Process(Bus bus, Message message)
            {
                await Work.SaveAsync();
                message.Acked = true;
            }
        }
        """ + ASYNC009Sources.Types);

    [Fact]
    public Task NoDiagnostic_ALambdaOfAnotherShape() => Verify.VerifyAnalyzerAsync(ASYNC009Sources.Usings + """
        class Consumer
        {
            void Start()
            {
                Action<Bus, Message> run = async (bus, message) =>
                {
                    await Work.SaveAsync();
                    message.Acked = true;
                };
                run(new Bus(), new Message());
            }
        }
        """ + ASYNC009Sources.Types);

    [Theory]
    [InlineData("KeyArgs")]
    [InlineData("System.EventArgs")]
    public async Task NoDiagnostic_ArgsWhoseRaiserAwaitsTheHandlers_ByOption(string listed)
    {
        var test = new Verify.Test
        {
            TestCode = ASYNC009Sources.InForm("private void OnFormClosing(object sender, FormClosingEventArgs e) { }\nprivate async void OnKeyDown(object sender, KeyArgs e) { await Work.SaveAsync(); e.Handled = true; }"),
        };
        test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", TestDefaults.GlobalConfig($"ASYNC009.awaited_args_types = Other.Args, {listed}")));
        await test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task NoDiagnostic_InGeneratedCode() => Verify.VerifyAnalyzerAsync("// <auto-generated/>\n" + ASYNC009Sources.InForm(NoKeyHandler + """

            private async void OnFormClosing(object sender, FormClosingEventArgs e)
            {
                e.Cancel = await Work.HasUnsavedChangesAsync();
            }
        """));

    [Fact]
    public Task NoDiagnostic_UnresolvedArgsType() => Verify.VerifyAnalyzerAsync(ASYNC009Sources.Usings + """
        class Broken : Form
        {
            private async void OnFormClosing(object sender, {|CS0246:MissingArgs|} e)
            {
                e.Cancel = await Work.HasUnsavedChangesAsync();
            }
        }
        """ + ASYNC009Sources.Types);

    // ---- Known misses ----

    [Fact]
    public Task NoDiagnostic_AWriteThroughAnotherMethodThatReceivesTheArgs_FalseNegative() => VerifyAsync(NoKeyHandler + """

            private async void OnFormClosing(object sender, FormClosingEventArgs e)
            {
                await Work.SaveAsync();
                Work.Answer(e);
            }
        """);

    [Fact]
    public Task NoDiagnostic_AWriteThroughAnAlias_FalseNegative() => VerifyAsync(NoKeyHandler + """

            private async void OnFormClosing(object sender, FormClosingEventArgs e)
            {
                var args = e;
                await Work.SaveAsync();
                args.Cancel = true;
            }
        """);

    [Fact]
    public Task NoDiagnostic_AWriteInALambdaRunAtOnce_FalseNegative() => VerifyAsync(NoKeyHandler + """

            private async void OnFormClosing(object sender, FormClosingEventArgs e)
            {
                await Work.SaveAsync();
                new List<int> { 1 }.ForEach(_ => e.Cancel = true);
            }
        """);
}
