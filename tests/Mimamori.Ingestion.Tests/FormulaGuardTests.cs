using Mimamori.Ingestion.Validation;

namespace Mimamori.Ingestion.Tests;

public sealed class FormulaGuardTests
{
    [Theory]
    [InlineData("=cmd|' /C calc'!A0")]
    [InlineData("=HYPERLINK(\"http://x\",\"click\")")]
    [InlineData("+1+cmd|' /C calc'!A0")]
    [InlineData("-2+3")]
    [InlineData("@SUM(A1:A2)")]
    [InlineData("\t=1+1")]
    [InlineData("\r=1+1")]
    [InlineData("＝1+1")]
    public void FormulaLikeValues_AreRisky_AndNeutralisedWithAnApostrophe(string value)
    {
        Assert.True(FormulaGuard.IsRisky(value));
        Assert.Equal("'" + value, FormulaGuard.Neutralise(value));
    }

    [Theory]
    [InlineData("山田　太郎")]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("-5")]
    [InlineData("+81.5")]
    [InlineData("048-441-0000")]
    [InlineData("a=b")]
    [InlineData("")]
    public void OrdinaryValues_AreLeftAsTheyAre(string value)
    {
        Assert.False(FormulaGuard.IsRisky(value));
        Assert.Equal(value, FormulaGuard.Neutralise(value));
    }

    [Fact]
    public void Null_BecomesAnEmptyCell() => Assert.Equal(string.Empty, FormulaGuard.Neutralise(null));
}
