using System.Threading;
using System.Threading.Tasks;
using AsyncPitfalls.CodeFixes;
using Microsoft.CodeAnalysis.Testing;
using Verify = AsyncPitfalls.Tests.CSharpCodeFixVerifier<AsyncPitfalls.Analyzers.ASYNC009ArgsWrittenAfterAwaitAnalyzer, AsyncPitfalls.CodeFixes.ASYNC009ArgsWrittenAfterAwaitCodeFix>;

namespace AsyncPitfalls.Tests;

/// <summary>ASYNC009's fixes: decide before the first await (bulk), or cancel first and close again once decided (one at a time).</summary>
public class ASYNC009ArgsWrittenAfterAwaitCodeFixTests
{
    private const string NoClosingHandler = "private void OnFormClosing(object sender, FormClosingEventArgs e) { }";
    private const string NoKeyHandler = "private void OnKeyDown(object sender, KeyArgs e) { }";

    private static Task FixAsync(string members, string fixedMembers, string? key, string? batchFixedMembers = null)
    {
        var test = new Verify.Test
        {
            TestCode = ASYNC009Sources.InForm(members),
            FixedCode = ASYNC009Sources.InForm(fixedMembers),
            BatchFixedCode = ASYNC009Sources.InForm(batchFixedMembers ?? fixedMembers),
            CodeActionEquivalenceKey = key,
        };
        test.FixedState.MarkupHandling = MarkupMode.Allow;
        test.BatchFixedState.MarkupHandling = MarkupMode.Allow;
        return test.RunAsync(CancellationToken.None);
    }

    // ---- Decide before the first await ----

    [Fact]
    public Task Fix_MovesAConstantWriteBeforeTheFirstAwait() => FixAsync(NoClosingHandler + """

            private async void OnKeyDown(object sender, KeyArgs e)
            {
                Console.WriteLine("key");
                await Work.SaveAsync();
                Console.WriteLine("saved");
                [|e.Handled|] = true;
            }
        """, NoClosingHandler + """

            private async void OnKeyDown(object sender, KeyArgs e)
            {
                Console.WriteLine("key");
                e.Handled = true;
                await Work.SaveAsync();
                Console.WriteLine("saved");
            }
        """, ASYNC009ArgsWrittenAfterAwaitCodeFix.MoveKey);

    [Fact]
    public Task Fix_MovesAnAnsweringCallWithConstantArguments() => FixAsync(NoClosingHandler + """

            private async void OnKeyDown(object sender, KeyArgs e)
            {
                var text = await Work.AskAsync();
                Console.WriteLine(text);
                [|e.SetAnswer("later")|];
            }
        """, NoClosingHandler + """

            private async void OnKeyDown(object sender, KeyArgs e)
            {
                e.SetAnswer("later");
                var text = await Work.AskAsync();
                Console.WriteLine(text);
            }
        """, ASYNC009ArgsWrittenAfterAwaitCodeFix.MoveKey);

    [Theory]
    [InlineData("var answer = await Work.AskAsync(); [|e.SetAnswer(answer)|];")]
    [InlineData("await Work.SaveAsync(); if (sender is null) { return; } [|e.Handled|] = true;")]
    [InlineData("await Work.SaveAsync(); if (sender is not null) { [|e.Handled|] = true; }")]
    [InlineData("[|e.Handled|] = await Work.CanCloseAsync();")]
    [InlineData("await Work.SaveAsync(); [|e.Count|]++;")]
    public Task NoMoveFix_WhenTheValueOrThePathDependsOnTheAwait(string body)
    {
        var members = NoClosingHandler + "\nprivate async void OnKeyDown(object sender, KeyArgs e) { " + body + " }";
        return FixAsync(members, members, ASYNC009ArgsWrittenAfterAwaitCodeFix.MoveKey);
    }

    [Fact]
    public async Task FixAll_MovesEveryConstantWrite_InTheDocumentAndAcrossDocuments()
    {
        var test = new Verify.Test { CodeActionEquivalenceKey = ASYNC009ArgsWrittenAfterAwaitCodeFix.MoveKey };
        test.TestState.Sources.Add(ASYNC009Sources.InForm(NoClosingHandler + """

                private async void OnKeyDown(object sender, KeyArgs e)
                {
                    await Work.SaveAsync();
                    [|e.Handled|] = true;
                    [|e.Result|] = "done";
                }
            """));
        test.TestState.Sources.Add(ASYNC009Sources.Usings + """
            class Other
            {
                void Start()
                {
                    TaskScheduler.UnobservedTaskException += async (sender, e) =>
                    {
                        await Work.SaveAsync();
                        [|e.SetObserved()|];
                    };
                }
            }
            """);
        test.FixedState.Sources.Add(ASYNC009Sources.InForm(NoClosingHandler + """

                private async void OnKeyDown(object sender, KeyArgs e)
                {
                    e.Handled = true;
                    e.Result = "done";
                    await Work.SaveAsync();
                }
            """));
        test.FixedState.Sources.Add(ASYNC009Sources.Usings + """
            class Other
            {
                void Start()
                {
                    TaskScheduler.UnobservedTaskException += async (sender, e) =>
                    {
                        e.SetObserved();
                        await Work.SaveAsync();
                    };
                }
            }
            """);
        await test.RunAsync(CancellationToken.None);
    }

    // ---- Cancel first, then close again once decided ----

    [Fact]
    public Task Fix_CloseAgain_ForAnIfThatCancels() => FixAsync(NoKeyHandler + """

            private async void OnFormClosing(object sender, FormClosingEventArgs e)
            {
                Console.WriteLine("closing");
                if (await Work.HasUnsavedChangesAsync())
                    [|e.Cancel|] = true;
            }
        """, NoKeyHandler + """

            private bool _closeConfirmed;

            private async void OnFormClosing(object sender, FormClosingEventArgs e)
            {
                if (_closeConfirmed)
                {
                    return;
                }

                Console.WriteLine("closing");
                e.Cancel = true;
                if (!await Work.HasUnsavedChangesAsync())
                {
                    _closeConfirmed = true;
                    Close();
                }
            }
        """, ASYNC009ArgsWrittenAfterAwaitCodeFix.CloseAgainKey, batchFixedMembers: NoKeyHandler + """

            private async void OnFormClosing(object sender, FormClosingEventArgs e)
            {
                Console.WriteLine("closing");
                if (await Work.HasUnsavedChangesAsync())
                    [|e.Cancel|] = true;
            }
        """);

    [Fact]
    public Task Fix_CloseAgain_ForADecisionAssigned_AvoidingATakenName() => FixAsync(NoKeyHandler + """

            private int _closeConfirmed;
            private async void OnFormClosing(object sender, FormClosingEventArgs e)
            {
                await Work.SaveAsync();
                [|e.Cancel|] = !await Work.CanCloseAsync();
                Console.WriteLine(_closeConfirmed);
            }
        """, NoKeyHandler + """

            private int _closeConfirmed;
            private bool _closeConfirmed2;

            private async void OnFormClosing(object sender, FormClosingEventArgs e)
            {
                if (_closeConfirmed2)
                {
                    return;
                }

                e.Cancel = true;
                await Work.SaveAsync();
                if (await Work.CanCloseAsync())
                {
                    _closeConfirmed2 = true;
                    Close();
                }
                Console.WriteLine(_closeConfirmed);
            }
        """, ASYNC009ArgsWrittenAfterAwaitCodeFix.CloseAgainKey, batchFixedMembers: NoKeyHandler + """

            private int _closeConfirmed;
            private async void OnFormClosing(object sender, FormClosingEventArgs e)
            {
                await Work.SaveAsync();
                [|e.Cancel|] = !await Work.CanCloseAsync();
                Console.WriteLine(_closeConfirmed);
            }
        """);

    [Fact]
    public Task NoCloseAgainFix_WithoutACloseToCallAgain() => Verify.VerifyCodeFixAsync(ASYNC009Sources.Usings + """
        class Dialog
        {
            Dialog(Form form) => form.FormClosing += OnFormClosing;
            private async void OnFormClosing(object sender, FormClosingEventArgs e)
            {
                [|e.Cancel|] = await Work.HasUnsavedChangesAsync();
            }
        }
        """ + ASYNC009Sources.Types, ASYNC009Sources.Usings + """
        class Dialog
        {
            Dialog(Form form) => form.FormClosing += OnFormClosing;
            private async void OnFormClosing(object sender, FormClosingEventArgs e)
            {
                [|e.Cancel|] = await Work.HasUnsavedChangesAsync();
            }
        }
        """ + ASYNC009Sources.Types);

    [Fact]
    public Task NoCloseAgainFix_InAnOverrideThatCallsItsBase() => Verify.VerifyCodeFixAsync(ASYNC009Sources.Usings + """
        class Editor : Form
        {
            protected override async void OnClosing(CancelEventArgs e)
            {
                base.OnClosing(e);
                [|e.Cancel|] = await Work.HasUnsavedChangesAsync();
            }
        }
        """ + ASYNC009Sources.Types, ASYNC009Sources.Usings + """
        class Editor : Form
        {
            protected override async void OnClosing(CancelEventArgs e)
            {
                base.OnClosing(e);
                [|e.Cancel|] = await Work.HasUnsavedChangesAsync();
            }
        }
        """ + ASYNC009Sources.Types);

    [Fact]
    public Task NoCloseAgainFix_WhenAReturnComesBetweenTheAwaitAndTheDecision() => FixAsync(NoKeyHandler + """

            private async void OnFormClosing(object sender, FormClosingEventArgs e)
            {
                await Work.SaveAsync();
                if (sender is null) return;
                [|e.Cancel|] = await Work.HasUnsavedChangesAsync();
            }
        """, NoKeyHandler + """

            private async void OnFormClosing(object sender, FormClosingEventArgs e)
            {
                await Work.SaveAsync();
                if (sender is null) return;
                [|e.Cancel|] = await Work.HasUnsavedChangesAsync();
            }
        """, ASYNC009ArgsWrittenAfterAwaitCodeFix.CloseAgainKey);
}
