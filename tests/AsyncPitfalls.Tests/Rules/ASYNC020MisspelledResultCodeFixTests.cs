using System.Threading.Tasks;
using AsyncPitfalls.CodeFixes;
using Verify = AsyncPitfalls.Tests.CSharpCodeFixVerifier<AsyncPitfalls.Analyzers.ASYNC020ASYNC021LostResultAnalyzer, AsyncPitfalls.CodeFixes.ASYNC020MisspelledResultCodeFix>;

namespace AsyncPitfalls.Tests;

/// <summary>ASYNC020's fixes: use the intended variable, or read the misspelled local instead.</summary>
public class ASYNC020MisspelledResultCodeFixTests
{
    [Fact]
    public Task Fix_UseTheIntendedField() => Verify.VerifyCodeFixAsync("""
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
        """ + ASYNC020Sources.Work, ASYNC020MisspelledResultCodeFix.UseKey);

    [Fact]
    public Task Fix_UseAssignsTheFieldThatWasMeantToReceiveTheValue() => Verify.VerifyCodeFixAsync("""
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
        """ + ASYNC020Sources.Work, ASYNC020MisspelledResultCodeFix.UseKey);

    [Fact]
    public Task Fix_ReadTheLocalInstead() => Verify.VerifyCodeFixAsync("""
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
            private readonly int result;
            async Task<int> RunAsync()
            {
                var resut = await Work.HeavyAsync();
                return resut + resut;
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
    public async Task Fix_AllInDocumentAndAcrossDocuments()
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
        await test.RunAsync();
    }
}
