using System.Globalization;
using Mimamori.Kernel.Dates;

namespace Mimamori.Kernel.Tests;

public class WarekiTests
{
    private static DateOnly D(int y, int m, int d) => new(y, m, d);

    [Fact]
    public void Format_Reiwa7_IsWrittenInKanji() => Assert.Equal("令和7年11月28日", Wareki.Format(D(2025, 11, 28)));

    [Fact]
    public void Format_FirstYear_IsGannen() => Assert.Equal("令和元年5月1日", Wareki.Format(D(2019, 5, 1)));

    [Fact]
    public void FormatCompact_PadsYearMonthDay() => Assert.Equal("R07.11.28", Wareki.FormatCompact(D(2025, 11, 28)));

    [Fact]
    public void FormatLegacyCode_IsEraDigitAndYyMMdd() => Assert.Equal("5071128", Wareki.FormatLegacyCode(D(2025, 11, 28)));

    [Fact]
    public void Format_AgreesWithDotNetJapaneseCalendar()
    {
        var ja = new CultureInfo("ja-JP");
        ja.DateTimeFormat.Calendar = new JapaneseCalendar();
        for (var d = D(1989, 1, 1); d <= D(2030, 12, 31); d = d.AddDays(1))
        {
            var expected = d.ToDateTime(TimeOnly.MinValue).ToString("ggy年M月d日", ja);
            // Whether .NET writes the first year as 元年 depends on the ICU version; compare with 元年 spelt 1年.
            Assert.Equal(expected.Replace("元年", "1年", StringComparison.Ordinal), Wareki.Format(d).Replace("元年", "1年", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("明治45年7月29日", 1912, 7, 29)]
    [InlineData("大正元年7月30日", 1912, 7, 30)]
    [InlineData("大正15年12月24日", 1926, 12, 24)]
    [InlineData("昭和元年12月25日", 1926, 12, 25)]
    [InlineData("昭和64年1月7日", 1989, 1, 7)]
    [InlineData("平成元年1月8日", 1989, 1, 8)]
    [InlineData("平成31年4月30日", 2019, 4, 30)]
    [InlineData("令和元年5月1日", 2019, 5, 1)]
    [InlineData("令和1年5月1日", 2019, 5, 1)]
    [InlineData("令和7年11月28日", 2025, 11, 28)]
    [InlineData("R07.11.28", 2025, 11, 28)]
    [InlineData("r7/11/28", 2025, 11, 28)]
    [InlineData("H31-04-30", 2019, 4, 30)]
    [InlineData("5071128", 2025, 11, 28)]
    [InlineData("4310430", 2019, 4, 30)]
    [InlineData("令和７年１１月２８日", 2025, 11, 28)]
    [InlineData(" 令和 7年 11月 28日 ", 2025, 11, 28)]
    public void TryParse_ValidDate_IsAccepted(string text, int y, int m, int d)
    {
        Assert.True(Wareki.TryParse(text, out var date, out var error), error);
        Assert.Equal(D(y, m, d), date);
        Assert.Null(error);
    }

    [Fact]
    public void TryParse_Heisei31April30_IsAccepted() => Assert.True(Wareki.TryParse("平成31年4月30日", out _, out _));

    [Fact]
    public void TryParse_Heisei31May1_IsRejected() => AssertRejected("平成31年5月1日");

    [Fact]
    public void TryParse_Heisei32_IsRejected() => AssertRejected("平成32年1月1日");

    [Fact]
    public void TryParse_Reiwa0_IsRejected() => AssertRejected("令和0年5月1日");

    [Fact]
    public void TryParse_ReiwaGannenApril30_IsRejected() => AssertRejected("令和元年4月30日");

    [Fact]
    public void TryParse_Showa64January7_IsAccepted() => Assert.True(Wareki.TryParse("昭和64年1月7日", out _, out _));

    [Fact]
    public void TryParse_Showa64January8_IsRejected() => AssertRejected("昭和64年1月8日");

    [Fact]
    public void TryParse_HeiseiGannenJanuary7_IsRejected() => AssertRejected("平成元年1月7日");

    [Fact]
    public void TryParse_Taisho15December25_IsRejected() => AssertRejected("大正15年12月25日");

    [Fact]
    public void TryParse_Meiji45July30_IsRejected() => AssertRejected("明治45年7月30日");

    [Fact]
    public void TryParse_February30_IsRejected() => AssertRejected("令和6年2月30日");

    [Theory]
    [InlineData("令和2年2月29日", true)] // 2020
    [InlineData("令和6年2月29日", true)] // 2024
    [InlineData("平成12年2月29日", true)] // 2000: divisible by 400
    [InlineData("令和3年2月29日", false)] // 2021
    [InlineData("令和5年2月29日", false)] // 2023
    [InlineData("明治33年2月29日", false)] // 1900: divisible by 100, not 400
    public void TryParse_February29_FollowsLeapYears(string text, bool valid)
    {
        Assert.Equal(valid, Wareki.TryParse(text, out _, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("令和")]
    [InlineData("2025-11-28")]
    [InlineData("令和7年13月1日")]
    [InlineData("令和7年12月0日")]
    [InlineData("X07.11.28")]
    [InlineData("6071128")]
    [InlineData("R07.11")]
    public void TryParse_Garbage_IsRejectedWithAnError(string? text) => AssertRejected(text);

    [Fact]
    public void TryParse_OutsideEra_ErrorSaysSo()
    {
        Assert.False(Wareki.TryParse("平成31年5月1日", out _, out var error));
        Assert.Contains("outside", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AllFormats_RoundTripEveryDayFrom1900To2030()
    {
        for (var d = D(1900, 1, 1); d <= D(2030, 12, 31); d = d.AddDays(1))
        {
            Assert.True(Wareki.TryParse(Wareki.Format(d), out var a, out var e1), $"{d}: {e1}");
            Assert.Equal(d, a);
            Assert.True(Wareki.TryParse(Wareki.FormatCompact(d), out var b, out var e2), $"{d}: {e2}");
            Assert.Equal(d, b);
            Assert.True(Wareki.TryParse(Wareki.FormatLegacyCode(d), out var c, out var e3), $"{d}: {e3}");
            Assert.Equal(d, c);
        }
    }

    [Theory]
    [InlineData(1989, 1, 7, "昭和", 64)]
    [InlineData(1989, 1, 8, "平成", 1)]
    [InlineData(2019, 4, 30, "平成", 31)]
    [InlineData(2019, 5, 1, "令和", 1)]
    [InlineData(1926, 12, 24, "大正", 15)]
    [InlineData(1926, 12, 25, "昭和", 1)]
    [InlineData(1912, 7, 29, "明治", 45)]
    [InlineData(1912, 7, 30, "大正", 1)]
    public void EraOf_Boundaries_AreExact(int y, int m, int d, string era, int year)
    {
        var e = Era.Of(D(y, m, d));
        Assert.Equal(era, e.Name);
        Assert.Equal(year, e.YearOf(D(y, m, d)));
    }

    [Fact]
    public void EraOf_BeforeMeiji_Throws() => Assert.Throws<ArgumentOutOfRangeException>(() => Era.Of(D(1868, 1, 24)));

    [Theory]
    [InlineData("令和", "令和")]
    [InlineData("R", "令和")]
    [InlineData("h", "平成")]
    [InlineData("3", "昭和")]
    [InlineData("2", "大正")]
    [InlineData("M", "明治")]
    public void EraFind_AcceptsNameLetterOrCode(string token, string expected) => Assert.Equal(expected, Era.Find(token)?.Name);

    [Fact]
    public void EraFind_Unknown_IsNull() => Assert.Null(Era.Find("X"));

    private static void AssertRejected(string? text)
    {
        Assert.False(Wareki.TryParse(text, out var date, out var error));
        Assert.Equal(default, date);
        Assert.False(string.IsNullOrEmpty(error));
    }
}
