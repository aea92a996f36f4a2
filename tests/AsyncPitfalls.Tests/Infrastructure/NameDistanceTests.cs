using AsyncPitfalls.Analyzers;

namespace AsyncPitfalls.Tests;

/// <summary>The string algorithm behind ASYNC020, on its own.</summary>
public class NameDistanceTests
{
    [Theory]
    [InlineData("result", "result")]
    [InlineData("_result", "result")]
    [InlineData("m_Result", "result")]
    [InlineData("__count", "count")]
    [InlineData("m_", "m_")]
    public void Normalize_LowersAndDropsFieldPrefixes(string name, string expected)
        => Assert.Equal(expected, NameDistance.Normalize(name));

    [Theory]
    [InlineData("result", "resut", 2, 1)]
    [InlineData("result", "reslut", 2, 1)]
    [InlineData("result", "result", 2, 0)]
    [InlineData("average", "avrage", 2, 1)]
    [InlineData("response", "resopnse", 2, 1)]
    [InlineData("response", "reponses", 2, 2)]
    [InlineData("elapsed", "total", 1, 2)]
    [InlineData("abc", "abcdef", 2, 3)]
    public void Distance_IsTheOptimalStringAlignmentDistanceCappedAtLimitPlusOne(string a, string b, int limit, int expected)
        => Assert.Equal(expected, NameDistance.Distance(a, b, limit));

    [Theory]
    [InlineData(3, 2, -1)]
    [InlineData(4, 2, 1)]
    [InlineData(7, 2, 1)]
    [InlineData(8, 2, 2)]
    [InlineData(8, 1, 1)]
    [InlineData(12, 0, 0)]
    public void Allowed_GrowsWithLengthUpToTheCap(int length, int cap, int expected)
        => Assert.Equal(expected, NameDistance.Allowed(length, cap));

    [Theory]
    [InlineData("item1", "item2", true)]
    [InlineData("item", "item2", true)]
    [InlineData("x1", "x12", true)]
    [InlineData("item", "items", false)]
    [InlineData("item1", "itemA", false)]
    public void DifferOnlyByTrailingDigits(string a, string b, bool expected)
        => Assert.Equal(expected, NameDistance.DifferOnlyByTrailingDigits(a, b));
}
