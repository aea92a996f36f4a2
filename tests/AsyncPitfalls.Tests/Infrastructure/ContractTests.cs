using System.Collections.Immutable;
using System.Linq;
using AsyncPitfalls.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace AsyncPitfalls.Tests;

/// <summary>
/// Each rule's <c>ASYNCnnnData</c> reads back what it wrote, refuses another rule's diagnostic, and refuses a
/// diagnostic whose properties are missing, so a fix never acts on a guess.
/// </summary>
public class ContractTests
{
    private static readonly SyntaxTree Tree = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText("class C { void M() { } }", path: "/0/Test0.cs");

    private static Location At(int start, int length) => Location.Create(Tree, new TextSpan(start, length));

    private static Diagnostic Create(string id, ImmutableDictionary<string, string?> properties, params Location[] additional)
    {
        var descriptor = RuleCatalog.Rules.Single(d => d.Id == id);
        return Diagnostic.Create(descriptor, At(0, 5), additional, properties);
    }

    [Theory]
    [InlineData(nameof(DropEvidence.AsyncFunction))]
    [InlineData(nameof(DropEvidence.LoopBody))]
    [InlineData(nameof(DropEvidence.FrameworkEntryPoint))]
    public void ASYNC001Data_RoundTrips(string name)
    {
        var evidence = System.Enum.Parse<DropEvidence>(name);
        Assert.True(ASYNC001Data.TryRead(Create("ASYNC001", new ASYNC001Data(evidence).ToProperties()), out var read));
        Assert.Equal(evidence, read.Evidence);
    }

    [Fact]
    public void ASYNC002Data_RoundTripsWithAndWithoutTheCancel()
    {
        var with = new ASYNC002Data(At(10, 3));
        Assert.True(ASYNC002Data.TryRead(Create("ASYNC002", with.ToProperties(), with.AdditionalLocations.ToArray()), out var read));
        Assert.Equal(At(10, 3), read.Cancel);

        var without = new ASYNC002Data(null);
        Assert.True(ASYNC002Data.TryRead(Create("ASYNC002", without.ToProperties()), out read));
        Assert.Null(read.Cancel);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void LambdaFlags_RoundTrip(bool isLambda)
    {
        Assert.True(ASYNC003Data.TryRead(Create("ASYNC003", new ASYNC003Data(isLambda).ToProperties()), out var a003));
        Assert.Equal(isLambda, a003.IsLambda);
        Assert.True(ASYNC004Data.TryRead(Create("ASYNC004", new ASYNC004Data(isLambda).ToProperties()), out var a004));
        Assert.Equal(isLambda, a004.IsLambda);
        Assert.True(ASYNC008Data.TryRead(Create("ASYNC008", new ASYNC008Data(isLambda).ToProperties()), out var a008));
        Assert.Equal(isLambda, a008.IsLambda);
    }

    [Theory]
    [InlineData(nameof(StopAnchor.AfterCancel))]
    [InlineData(nameof(StopAnchor.EndOfMethod))]
    [InlineData(nameof(StopAnchor.None))]
    public void ASYNC005Data_KeepsTheAnchorApartFromTheStarts(string name)
    {
        var stop = System.Enum.Parse<StopAnchor>(name);
        var data = new ASYNC005Data(stop, stop == StopAnchor.None ? null : At(1, 2), ImmutableArray.Create(At(3, 4), At(5, 6)));
        Assert.True(ASYNC005Data.TryRead(Create("ASYNC005", data.ToProperties(), data.AdditionalLocations.ToArray()), out var read));
        Assert.Equal(stop, read.Stop);
        Assert.Equal(stop == StopAnchor.None ? null : At(1, 2), read.Anchor);
        Assert.Equal(new[] { At(3, 4), At(5, 6) }, read.Starts);
    }

    [Theory]
    [InlineData(nameof(QueryShape.Repeated), true)]
    [InlineData(nameof(QueryShape.Statement), false)]
    [InlineData(nameof(QueryShape.UnusedLocal), false)]
    public void ASYNC006Data_RoundTrips(string name, bool onlyCombinators)
    {
        var shape = System.Enum.Parse<QueryShape>(name);
        Assert.True(ASYNC006Data.TryRead(Create("ASYNC006", new ASYNC006Data(shape, onlyCombinators).ToProperties()), out var read));
        Assert.Equal((shape, onlyCombinators), (read.Shape, read.OnlyCombinators));
    }

    [Fact]
    public void ASYNC007Data_IsReadForItsOwnRuleOnly()
    {
        Assert.True(ASYNC007Data.TryRead(Create("ASYNC007", new ASYNC007Data().ToProperties()), out _));
        Assert.False(ASYNC007Data.TryRead(Create("ASYNC001", new ASYNC007Data().ToProperties()), out _));
    }

    [Fact]
    public void ASYNC010Data_PutsTheTokenFirst()
    {
        var data = new ASYNC010Data(At(1, 2), ImmutableArray.Create(At(3, 4)), canSuppressThrowing: true);
        Assert.True(ASYNC010Data.TryRead(Create("ASYNC010", data.ToProperties(), data.AdditionalLocations.ToArray()), out var read));
        Assert.Equal(At(1, 2), read.Token);
        Assert.Equal(new[] { At(3, 4) }, read.Awaits);
        Assert.True(read.CanSuppressThrowing);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void ASYNC009Data_CarriesTheFirstAwaitAndTheDecisionToRetry(bool move, bool closeAgain)
    {
        var data = new ASYNC009Data(At(3, 4), move, closeAgain ? At(5, 6) : null);
        Assert.True(ASYNC009Data.TryRead(Create("ASYNC009", data.ToProperties(), data.AdditionalLocations.ToArray()), out var read));
        Assert.Equal((At(3, 4), move, closeAgain), (read.FirstAwait, read.CanMoveBeforeTheAwait, read.CloseAgain));
        Assert.Equal(closeAgain ? At(5, 6) : null, read.CancelStatement);
    }

    [Fact]
    public void ASYNC003Data_CarriesTheStartStatementOfANewTask()
    {
        var data = new ASYNC003Data(isLambda: true, At(9, 2));
        Assert.True(ASYNC003Data.TryRead(Create("ASYNC003", data.ToProperties(), data.AdditionalLocations.ToArray()), out var read));
        Assert.Equal((true, At(9, 2)), (read.IsLambda, read.StartStatement));
    }

    [Theory]
    [InlineData(nameof(OuterTaskUse.Awaited), true, nameof(RunEquivalence.Same))]
    [InlineData(nameof(OuterTaskUse.Stored), true, nameof(RunEquivalence.None))]
    [InlineData(nameof(OuterTaskUse.Combined), false, nameof(RunEquivalence.ChangesTheScheduler))]
    public void ASYNC040Data_KeepsTheUnwrapPlaceApartFromTheStartNew(string use, bool unwrap, string run)
    {
        var data = new ASYNC040Data(System.Enum.Parse<OuterTaskUse>(use), unwrap ? At(2, 3) : null, System.Enum.Parse<RunEquivalence>(run), At(4, 5));
        Assert.True(ASYNC040Data.TryRead(Create("ASYNC040", data.ToProperties(), data.AdditionalLocations.ToArray()), out var read));
        Assert.Equal((data.Use, data.UnwrapAt, data.Run, data.StartNew), (read.Use, read.UnwrapAt, read.Run, read.StartNew));
        Assert.Equal(run == nameof(RunEquivalence.None) ? null : At(4, 5), read.StartNew);
    }

    [Theory]
    [InlineData(nameof(ScopeLeft.ReturnedFromUsing), true)]
    [InlineData(nameof(ScopeLeft.ReturnedFromCatch), true)]
    [InlineData(nameof(ScopeLeft.DisposesTheTask), false)]
    [InlineData(nameof(ScopeLeft.StartedInUsing), false)]
    public void ASYNC041Data_RoundTripsItsShape(string shape, bool isReturn)
    {
        var data = new ASYNC041Data(System.Enum.Parse<ScopeLeft>(shape));
        Assert.True(ASYNC041Data.TryRead(Create("ASYNC041", data.ToProperties()), out var read));
        Assert.Equal((data.Shape, isReturn), (read.Shape, read.IsReturn));
    }

    [Fact]
    public void ASYNC011Data_RoundTrips()
    {
        var data = new ASYNC011Data(canBreak: false, At(7, 2));
        Assert.True(ASYNC011Data.TryRead(Create("ASYNC011", data.ToProperties(), data.AdditionalLocations.ToArray()), out var read));
        Assert.False(read.CanBreak);
        Assert.Equal(At(7, 2), read.StopToken);
    }

    [Fact]
    public void ASYNC020And021Data_CarryThePartnerAsALocation()
    {
        var misspelled = new ASYNC020Data("result", At(4, 6), partnerIsShared: true, ReadInsteadLeaves.AnUnusedField);
        Assert.True(ASYNC020Data.TryRead(Create("ASYNC020", misspelled.ToProperties(), misspelled.AdditionalLocations.ToArray()), out var read020));
        Assert.Equal(("result", At(4, 6), true, ReadInsteadLeaves.AnUnusedField), (read020.PartnerName, read020.PartnerRead, read020.PartnerIsShared, read020.ReadInsteadLeaves));

        var shadowed = new ASYNC021Data("total", At(8, 5), runsMoreThanOnce: true);
        Assert.True(ASYNC021Data.TryRead(Create("ASYNC021", shadowed.ToProperties(), shadowed.AdditionalLocations.ToArray()), out var read021));
        Assert.Equal(("total", At(8, 5), true), (read021.PartnerName, read021.PartnerRead, read021.RunsMoreThanOnce));
    }

    [Theory]
    [InlineData(nameof(BlockingKind.Twin), "ReadAsync", true, false)]
    [InlineData(nameof(BlockingKind.Sleep), null, true, true)]
    [InlineData(nameof(BlockingKind.Result), null, false, false)]
    public void ASYNC030Data_RoundTrips(string name, string? twin, bool takesToken, bool passesModeOn)
    {
        var kind = System.Enum.Parse<BlockingKind>(name);
        Assert.True(ASYNC030Data.TryRead(Create("ASYNC030", new ASYNC030Data(kind, twin, takesToken, passesModeOn).ToProperties()), out var read));
        Assert.Equal((kind, twin, takesToken, passesModeOn), (read.Kind, read.Twin, read.TakesToken, read.PassesModeOn));
    }

    [Fact]
    public void Contracts_RefuseADiagnosticWithoutTheirProperties()
    {
        var empty = ImmutableDictionary<string, string?>.Empty;
        Assert.False(ASYNC001Data.TryRead(Create("ASYNC001", empty), out _));
        Assert.False(ASYNC005Data.TryRead(Create("ASYNC005", empty), out _));
        Assert.False(ASYNC040Data.TryRead(Create("ASYNC040", new ASYNC040Data(OuterTaskUse.Awaited, At(1, 1), RunEquivalence.None, null).ToProperties()), out _));
        Assert.False(ASYNC041Data.TryRead(Create("ASYNC041", empty), out _));
        Assert.False(ASYNC009Data.TryRead(Create("ASYNC009", new ASYNC009Data(At(1, 1), false, At(2, 2)).ToProperties(), At(1, 1)), out _));
        Assert.False(ASYNC010Data.TryRead(Create("ASYNC010", new ASYNC010Data(At(1, 1), ImmutableArray<Location>.Empty, false).ToProperties()), out _));
        Assert.False(ASYNC030Data.TryRead(Create("ASYNC030", new ASYNC030Data(BlockingKind.Twin, null, false, false).ToProperties()), out _));
        Assert.False(ASYNC020Data.TryRead(Create("ASYNC021", new ASYNC020Data("x", At(1, 1), partnerIsShared: false, ReadInsteadLeaves.Nothing).ToProperties(), At(1, 1)), out _));
    }
}
