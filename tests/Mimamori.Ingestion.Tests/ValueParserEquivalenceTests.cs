using System.Globalization;
using System.Text;
using Mimamori.Ingestion.Specs;
using Mimamori.Ingestion.Validation;
using Mimamori.Kernel.Dates;
using Mimamori.Kernel.Text;

namespace Mimamori.Ingestion.Tests;

/// <summary>
/// The validator's shortcuts for common values must accept, reject and canonicalise exactly as the general path does:
/// every value here is checked against what the Kernel routines alone make of it.
/// </summary>
public sealed class ValueParserEquivalenceTests
{
    private static readonly string[] Pieces =
    [
        "0", "1", "2", "9", "12", "07", "31", "-", "+", ",", ".", "/", " ", "\u3000", "\t", "年", "月", "日", "元", "令和", "平成", "昭和", "大正", "明治",
        "R", "H", "ｈ", "１", "２", "０", "，", "ー", "・", "ｱ", "ｶﾞ", "カ", "\u309B", "が", "ガ", "ゔ", "ヴ", "ヷ", "ヿ", "ゟ", "山田", "髙", "﨑", "①", "㈱", "〜",
        "\u0000", "\uFEFF", "a", "Z", "true", "有", "無", "なし", "あり", "2025-01-31", "2019-04-30", "2019-05-01", "令和元年5月1日", "平成31年4月30日", "平成31年5月1日",
        "2024-02-29", "2023-02-29", "0000-01-01", "9999-12-31", "R07.11.28", "5071128", "20250131",
    ];

    public static TheoryData<string, string?> Columns() => new()
    {
        { "int", null }, { "decimal", null }, { "date", "yyyy-MM-dd" }, { "date", "wareki" }, { "date", "auto" }, { "date", "yyyy/M/d" },
        { "date", "excel" }, { "code", null }, { "bool", null }, { "kana", null }, { "text", null },
    };

    [Theory]
    [MemberData(nameof(Columns))]
    public void Shortcuts_AgreeWithTheGeneralPath(string type, string? format)
    {
        var columns = new[]
        {
            new ColumnSpec { Name = "c", Role = "record_id", Type = type, Format = format, Codes = type == "code" ? new() { ["1"] = "M", ["2"] = "F", ["有"] = "yes" } : null },
            new ColumnSpec { Name = "c", Role = "record_id", Type = type, Format = format, Required = true, Min = 0, Max = 31 },
        };
        var random = new Random(7);
        var values = Pieces.Concat(Pieces.SelectMany(a => Pieces.Select(b => a + b))).ToList();
        for (var i = 0; i < 20_000; i++)
        {
            var n = random.Next(1, 6);
            var text = new StringBuilder();
            for (var k = 0; k < n; k++)
            {
                text.Append(Pieces[random.Next(Pieces.Length)]);
            }

            values.Add(text.ToString());
        }

        foreach (var column in columns.Where(c => type != "code" || c.Codes is not null))
        {
            foreach (var value in values)
            {
                var expected = Reference(column, value);
                var parsed = ValueParser.Parse(column, value);
                var actual = (parsed.Ok, parsed.Text, parsed.Number, parsed.Date);
                Assert.True(expected == actual, $"{type}/{format} '{value}': expected {expected}, got {actual}");
            }
        }
    }

    /// <summary>What the Kernel routines alone make of a value: (accepted, canonical text, number, date).</summary>
    private static (bool Ok, string? Text, double? Number, DateOnly? Date) Reference(ColumnSpec column, string raw)
    {
        var value = raw.Trim();
        if (value.Length == 0 || value.Contains('\0', StringComparison.Ordinal))
        {
            return (!column.Required && value.Length == 0, null, null, null);
        }

        var folded = JapaneseText.FoldWidth(value);
        switch (column.Type)
        {
            case "int" or "decimal":
                double? number = column.Type == "int"
                    ? long.TryParse(folded.Replace(",", string.Empty, StringComparison.Ordinal), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? l : null
                    : double.TryParse(folded.Replace(",", string.Empty, StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;
                return number is null || number < column.Min || number > column.Max ? (false, null, null, null) : (true, number.Value.ToString(CultureInfo.InvariantCulture), number, null);
            case "date" when column.Format != "excel" || !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _):
                return DateText.TryParse(value, column.Format == "excel" ? "auto" : column.Format!, out var date, out _)
                    ? (true, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), null, date) : (false, null, null, null);
            case "code":
                return column.Codes!.TryGetValue(folded, out var code) || column.Codes.TryGetValue(value, out code) ? (true, code, null, null) : (false, null, null, null);
            case "bool":
                return folded.ToLowerInvariant() switch
                {
                    "1" or "true" or "yes" or "有" or "あり" => (true, "true", 1, null),
                    "0" or "false" or "no" or "無" or "なし" => (true, "false", 0, null),
                    _ => (false, null, null, null),
                };
            case "kana":
                return JapaneseText.IsKatakana(JapaneseText.ToKatakana(value)) ? (true, value, null, null) : (false, null, null, null);
            default:
                var parsed = ValueParser.Parse(column, raw);
                return (parsed.Ok, parsed.Text, parsed.Number, parsed.Date);
        }
    }
}
