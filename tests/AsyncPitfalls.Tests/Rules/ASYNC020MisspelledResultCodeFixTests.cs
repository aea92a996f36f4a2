using System.Threading.Tasks;
using AsyncPitfalls.CodeFixes;
using Verify = AsyncPitfalls.Tests.CSharpCodeFixVerifier<AsyncPitfalls.Analyzers.ASYNC020ASYNC021LostResultAnalyzer, AsyncPitfalls.CodeFixes.ASYNC020MisspelledResultCodeFix>;

namespace AsyncPitfalls.Tests;

/// <summary>ASYNC020's fixes: use the intended variable, or read the misspelled local instead.</summary>
public class ASYNC020MisspelledResultCodeFixTests
{
    // "Use 'result'" writes the partner. When the partner is a field, a property or a captured local, that write reaches
    // shared state, so Fix All does not apply it and falls back on the diagnostic's bulk option: read the local.
    // Reading the local instead removes a private field that would be left unused; it is not applied in bulk when the
    // field is assigned and would be left with no read (CS0414).
    private static Task FixAsync(string source, string fixedSource, string key, string? batchFixedSource = null)
    {
        var test = new Verify.Test { TestCode = source, FixedCode = fixedSource, BatchFixedCode = batchFixedSource ?? fixedSource, CodeActionEquivalenceKey = key };
        test.BatchFixedState.MarkupHandling = Microsoft.CodeAnalysis.Testing.MarkupMode.Allow;
        return test.RunAsync();
    }

    [Fact]
    public Task Fix_UseTheIntendedField_OneAtATime() => FixAsync("""
        using System.Threading.Tasks;
        class Supervisor
        {
            private int result;
            async Task<int> RunAsync()
            {
                var {|ASYNC020:resut|} = await Work.HeavyAsync();
                return result;
            }
        }
        """ + ASYNC020Sources.Work, """
        using System.Threading.Tasks;
        class Supervisor
        {
            private int result;
            async Task<int> RunAsync()
            {
                result = await Work.HeavyAsync();
                return result;
            }
        }
        """ + ASYNC020Sources.Work, ASYNC020MisspelledResultCodeFix.UseKey, """
        using System.Threading.Tasks;
        class Supervisor
        {
            async Task<int> RunAsync()
            {
                var resut = await Work.HeavyAsync();
                return resut;
            }
        }
        """ + ASYNC020Sources.Work);

    [Fact]
    public Task Fix_UseAssignsTheFieldThatWasMeantToReceiveTheValue_OneAtATime() => FixAsync("""
        using System.Threading.Tasks;
        class Supervisor
        {
            private int result = 1;
            public int Last => result;
            async Task<int> RunAsync()
            {
                var {|ASYNC020:resut|} = await Work.HeavyAsync();
                return result + 1;
            }
        }
        """ + ASYNC020Sources.Work, """
        using System.Threading.Tasks;
        class Supervisor
        {
            private int result = 1;
            public int Last => result;
            async Task<int> RunAsync()
            {
                result = await Work.HeavyAsync();
                return result + 1;
            }
        }
        """ + ASYNC020Sources.Work, ASYNC020MisspelledResultCodeFix.UseKey, """
        using System.Threading.Tasks;
        class Supervisor
        {
            private int result = 1;
            public int Last => result;
            async Task<int> RunAsync()
            {
                var resut = await Work.HeavyAsync();
                return resut + 1;
            }
        }
        """ + ASYNC020Sources.Work);

    [Fact]
    public Task Fix_ReadTheLocalInstead_RemovesAFieldThatOnlyEverHeldItsDefault() => FixAsync("""
        using System.Threading.Tasks;
        class Supervisor
        {
            private readonly int result;

            async Task<int> RunAsync()
            {
                var {|ASYNC020:resut|} = await Work.HeavyAsync();
                return this.result + result;
            }
        }
        """ + ASYNC020Sources.Work, """
        using System.Threading.Tasks;
        class Supervisor
        {
            async Task<int> RunAsync()
            {
                var resut = await Work.HeavyAsync();
                return resut + resut;
            }
        }
        """ + ASYNC020Sources.Work, ASYNC020MisspelledResultCodeFix.ReadKey);

    [Fact]
    public Task Fix_ReadTheLocalInstead_OneAtATime_WhenAnAssignedFieldWouldBeLeftUnread() => FixAsync("""
        using System.Threading.Tasks;
        class Supervisor
        {
            private readonly int quota;
            Supervisor(int initial) => quota = initial;
            async Task<int> RunAsync()
            {
                var {|ASYNC020:qouta|} = await Work.HeavyAsync();
                return quota;
            }
        }
        """ + ASYNC020Sources.Work, """
        using System.Threading.Tasks;
        class Supervisor
        {
            private readonly int quota;
            Supervisor(int initial) => quota = initial;
            async Task<int> RunAsync()
            {
                var qouta = await Work.HeavyAsync();
                return qouta;
            }
        }
        """ + ASYNC020Sources.Work, ASYNC020MisspelledResultCodeFix.ReadKey, """
        using System.Threading.Tasks;
        class Supervisor
        {
            private readonly int quota;
            Supervisor(int initial) => quota = initial;
            async Task<int> RunAsync()
            {
                var {|ASYNC020:qouta|} = await Work.HeavyAsync();
                return quota;
            }
        }
        """ + ASYNC020Sources.Work);

    [Fact]
    public Task Fix_ReadTheLocalInstead_InBulk_WhenTheFieldIsReadElsewhere() => FixAsync("""
        using System.Threading.Tasks;
        class Supervisor
        {
            private readonly int result;
            public int Current => result;
            async Task<int> RunAsync()
            {
                var {|ASYNC020:resut|} = await Work.HeavyAsync();
                return result;
            }
        }
        """ + ASYNC020Sources.Work, """
        using System.Threading.Tasks;
        class Supervisor
        {
            private readonly int result;
            public int Current => result;
            async Task<int> RunAsync()
            {
                var resut = await Work.HeavyAsync();
                return resut;
            }
        }
        """ + ASYNC020Sources.Work, ASYNC020MisspelledResultCodeFix.ReadKey);

    [Fact]
    public Task NoUseFix_WhenThePartnerCannotBeAssigned() => Verify.VerifyCodeFixAsync("""
        class C
        {
            private readonly int result;
            private const int Limit = 1;
            int M()
            {
                var {|ASYNC020:resut|} = Work.Compute();
                return result;
            }
            string N()
            {
                var {|ASYNC020:lenght|} = Work.Compute();
                return Length;
            }
            string Length => "x";
        }
        """ + ASYNC020Sources.Work, """
        class C
        {
            private readonly int result;
            private const int Limit = 1;
            int M()
            {
                var {|ASYNC020:resut|} = Work.Compute();
                return result;
            }
            string N()
            {
                var {|ASYNC020:lenght|} = Work.Compute();
                return Length;
            }
            string Length => "x";
        }
        """ + ASYNC020Sources.Work, ASYNC020MisspelledResultCodeFix.UseKey);

    [Fact]
    public async Task Fix_AllInDocumentAndAcrossDocuments_AssignsLocals_AndReadsTheLocalInsteadOfAField()
    {
        var test = new Verify.Test { CodeActionEquivalenceKey = ASYNC020MisspelledResultCodeFix.UseKey };
        test.TestState.Sources.Add("""
            class A
            {
                int result;
                int M()
                {
                    var {|ASYNC020:resut|} = Work.Compute();
                    return result;
                }
                int N(int total)
                {
                    var {|ASYNC020:totl|} = Work.Compute();
                    return total;
                }
            }
            """ + ASYNC020Sources.Work);
        test.TestState.Sources.Add("""
            class B
            {
                int O(int value)
                {
                    var {|ASYNC020:vaule|} = Work.Compute();
                    return value;
                }
            }
            """);
        test.FixedState.Sources.Add("""
            class A
            {
                int result;
                int M()
                {
                    result = Work.Compute();
                    return result;
                }
                int N(int total)
                {
                    total = Work.Compute();
                    return total;
                }
            }
            """ + ASYNC020Sources.Work);
        test.FixedState.Sources.Add("""
            class B
            {
                int O(int value)
                {
                    value = Work.Compute();
                    return value;
                }
            }
            """);
        test.BatchFixedState.Sources.Add("""
            class A
            {
                int M()
                {
                    var resut = Work.Compute();
                    return resut;
                }
                int N(int total)
                {
                    total = Work.Compute();
                    return total;
                }
            }
            """ + ASYNC020Sources.Work);
        test.BatchFixedState.Sources.Add(test.FixedState.Sources[1].content.ToString());
        await test.RunAsync();
    }
}
