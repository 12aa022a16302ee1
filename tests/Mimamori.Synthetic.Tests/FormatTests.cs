using ClosedXML.Excel;

namespace Mimamori.Synthetic.Tests;

public class FormatTests
{
    [Theory]
    [InlineData("feeds/jumin_legacy/", "宛名番号,世帯番号,氏名,氏名カナ,生年月日,性別,続柄,郵便番号,住所,住民となった日")]
    [InlineData("feeds/juminzei/", "宛名番号,氏名,生年月日,所得区分,非課税区分,年度")]
    [InlineData("feeds/jido_fuyo/", "受給者宛名番号,受給者氏名,受給者カナ,生年月日,認定日,支給区分,ひとり親医療証番号")]
    public void ShiftJisFeeds_DecodeWithCodePage932(string folder, string header)
    {
        var run = Runs.Small;
        var bytes = run.Files[run.PathIn(folder)];
        // The exception fallback makes any byte sequence that is not CP932 fail the test.
        var text = GeneratedRun.ShiftJis.GetString(bytes);
        Assert.StartsWith(header + "\r\n", text, StringComparison.Ordinal);
        Assert.Throws<System.Text.DecoderFallbackException>(() => new System.Text.UTF8Encoding(false, true).GetString(bytes));
    }

    [Fact]
    public void JuminKana_IsHalfWidth()
    {
        var rows = Runs.Small.Csv("feeds/jumin_legacy/");
        Assert.All(rows, r => Assert.All(r["氏名カナ"], c => Assert.True(c is ' ' or >= '\uFF61' and <= '\uFF9F', $"'{c}' in {r["氏名カナ"]}")));
        Assert.Contains(rows, r => r["氏名"].Contains('\u3000', StringComparison.Ordinal));
    }

    [Fact]
    public void JuminzeiBirthDates_AreCompactWareki()
    {
        var rows = Runs.Small.Csv("feeds/juminzei/");
        Assert.All(rows, r => Assert.Matches("^[MTSHR][0-9]{2}\\.[0-9]{2}\\.[0-9]{2}$", r["生年月日"]));
        Assert.All(rows, r => Assert.Contains(r["非課税区分"], new[] { "0", "1" }));
        Assert.All(rows, r => Assert.Equal("2025", r["年度"]));
    }

    [Fact]
    public void ShugakuWorkbook_OpensWithClosedXml_WithDateCellsAndTextNumbers()
    {
        var run = Runs.Small;
        using var workbook = new XLWorkbook(new MemoryStream(run.Files[run.PathIn("feeds/shugaku_enjo/")]));
        var sheet = Assert.Single(workbook.Worksheets);
        string[] headers = ["宛名番号", "児童氏名", "児童カナ", "生年月日", "学校名", "学年", "認定区分", "年度"];
        Assert.Equal(headers, Enumerable.Range(1, 8).Select(c => sheet.Cell(1, c).GetString()));
        var last = sheet.LastRowUsed().RowNumber();
        Assert.True(last > 2);
        for (var r = 2; r <= last; r++)
        {
            Assert.Equal(XLDataType.DateTime, sheet.Cell(r, 4).DataType);
            Assert.Equal(XLDataType.Text, sheet.Cell(r, 1).DataType);
            Assert.Contains(sheet.Cell(r, 1).GetString().Length, new[] { 0, 10 });
            Assert.Contains(sheet.Cell(r, 7).GetValue<int>(), new[] { 1, 2 });
        }
    }

    [Fact]
    public void Komu_HasNoAtena_AndElevenSchoolMonthsWithoutAugust()
    {
        var rows = Runs.Small.Csv("feeds/komu_attendance/");
        Assert.DoesNotContain(rows[0].Keys, k => k.Contains("宛名", StringComparison.Ordinal));
        var months = rows.Select(r => r["対象月"]).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["2025-04", "2025-05", "2025-06", "2025-07", "2025-09", "2025-10", "2025-11", "2025-12", "2026-01", "2026-02", "2026-03"], months);
        Assert.All(rows, r => Assert.InRange(int.Parse(r["欠席日数"], System.Globalization.CultureInfo.InvariantCulture), 0, int.Parse(r["授業日数"], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.All(rows, r => Assert.Matches("^[ぁ-ゖー 　]+$", r["ふりがな"]));
    }

    [Fact]
    public void Boshi_LeavesDateAndFindingBlankWhenNotAttended()
    {
        var rows = Runs.Small.Csv("feeds/boshi_kenshin/");
        Assert.All(rows.Where(r => r["受診状況"] == "未受診"), r => Assert.Equal(string.Empty, r["受診日"] + r["所見"]));
        Assert.All(rows.Where(r => r["受診状況"] == "受診"), r => Assert.Contains(r["所見"], new[] { "異常なし", "要経過観察", "要精密" }));
        Assert.Equal(["1歳6か月", "3歳", "4か月"], rows.Select(r => r["健診種別"]).Distinct().Order(StringComparer.Ordinal));
    }
}
