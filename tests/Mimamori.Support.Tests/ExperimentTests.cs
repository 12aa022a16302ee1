using Mimamori.Support.Outreach;

namespace Mimamori.Support.Tests;

public sealed class ExperimentTests
{
    private static readonly string[] Variants = ["plain", "easy", "deadline"];

    [Fact]
    public void Assignment_IsReproducibleFromTheSeedAndIndependentOfOrder()
    {
        var households = Enumerable.Range(1, 3000).Select(i => $"H{i:D6}").ToList();
        var first = households.ToDictionary(h => h, h => NudgeAssignment.Assign(42, h, Variants));
        var again = households.AsEnumerable().Reverse().ToDictionary(h => h, h => NudgeAssignment.Assign(42, h, Variants));
        Assert.Equal(first, again);

        var other = households.Count(h => NudgeAssignment.Assign(43, h, Variants) != first[h]);
        Assert.InRange(other, 1500, 2500); // a new seed re-draws about two thirds

        foreach (var group in first.Values.GroupBy(v => v))
        {
            Assert.InRange(group.Count(), 900, 1100);
        }
    }

    [Theory]
    [InlineData(0, 10, 0.0, 0.2775)]
    [InlineData(5, 10, 0.2366, 0.7634)]
    [InlineData(10, 10, 0.7225, 1.0)]
    [InlineData(81, 263, 0.2553, 0.3662)]
    public void Wilson_MatchesPublishedValues(long applied, long sent, double low, double high)
    {
        var uptake = Uptake.Of("plain", sent, applied);
        Assert.Equal(low, uptake.Low, 3);
        Assert.Equal(high, uptake.High, 3);
        Assert.InRange(uptake.Rate, uptake.Low, uptake.High);
    }

    [Fact]
    public void Wilson_WithNothingSent_IsTheWholeRange()
    {
        var uptake = Uptake.Of("plain", 0, 0);
        Assert.Equal((0.0, 1.0), (uptake.Low, uptake.High));
    }

    [Fact]
    public void AccessCode_IsRandomReadableAndHashedAsTyped()
    {
        var code = AccessCode.New();
        Assert.Matches("^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$", code);
        Assert.NotEqual(code, AccessCode.New());
        Assert.True(AccessCode.LooksValid(code));
        var typed = " " + code.Replace("-", " ", StringComparison.Ordinal).ToLowerInvariant() + " ";
        Assert.Equal(AccessCode.Hash(code), AccessCode.Hash(typed));
        var fullWidth = string.Concat(code.Select(c => c == '-' ? 'ー' : (char)(c + 0xFEE0)));
        Assert.Equal(AccessCode.Hash(code), AccessCode.Hash(fullWidth));
        Assert.False(AccessCode.LooksValid("ABCD-EFGH"));
        Assert.DoesNotContain(code.Replace("-", string.Empty, StringComparison.Ordinal), AccessCode.Hash(code), StringComparison.Ordinal);
    }
}
