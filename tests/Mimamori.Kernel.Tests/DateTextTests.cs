using Mimamori.Kernel.Dates;

namespace Mimamori.Kernel.Tests;

public class DateTextTests
{
    [Theory]
    [InlineData("20251128", "yyyyMMdd")]
    [InlineData("2025/11/28", "yyyy/MM/dd")]
    [InlineData("2025-11-28", "yyyy-MM-dd")]
    [InlineData("２０２５１１２８", "yyyyMMdd")]
    [InlineData("令和7年11月28日", "wareki")]
    [InlineData("R07.11.28", "WAREKI")]
    [InlineData("5071128", "wareki")]
    [InlineData("2025-11-28", "auto")]
    [InlineData("20251128", "auto")]
    [InlineData("2025/11/28", "auto")]
    [InlineData("2025.11.28", "auto")]
    [InlineData("2025年11月28日", "auto")]
    [InlineData("令和7年11月28日", "auto")]
    [InlineData("R07.11.28", "auto")]
    public void TryParse_DeclaredFormat_Parses(string text, string format)
    {
        Assert.True(DateText.TryParse(text, format, out var date, out var error), error);
        Assert.Equal(new DateOnly(2025, 11, 28), date);
        Assert.Null(error);
    }

    [Fact]
    public void TryParse_Auto_SevenDigitsAreWareki()
    {
        // 5071128 is a legacy 和暦 code, not a truncated 西暦 date.
        Assert.True(DateText.TryParse("4310430", "auto", out var date, out _));
        Assert.Equal(new DateOnly(2019, 4, 30), date);
    }

    [Theory]
    [InlineData("2025/11/28", "yyyyMMdd")]
    [InlineData("20250230", "yyyyMMdd")]
    [InlineData("平成32年1月1日", "wareki")]
    [InlineData("2025-13-01", "auto")]
    [InlineData("令和0年5月1日", "auto")]
    [InlineData("tomorrow", "auto")]
    public void TryParse_WrongOrImpossible_IsRejectedWithAnError(string text, string format)
    {
        Assert.False(DateText.TryParse(text, format, out var date, out var error));
        Assert.Equal(default, date);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("　")]
    public void TryParse_Empty_SaysEmpty(string? text)
    {
        Assert.False(DateText.TryParse(text, "auto", out _, out var error));
        Assert.Equal("empty", error);
    }

    [Fact]
    public void TryParse_PatternError_NamesTheExpectedFormat()
    {
        Assert.False(DateText.TryParse("28/11/2025", "yyyy/MM/dd", out _, out var error));
        Assert.Contains("yyyy/MM/dd", error, StringComparison.Ordinal);
    }
}
