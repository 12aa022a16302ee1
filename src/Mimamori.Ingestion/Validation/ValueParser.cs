using System.Globalization;
using Mimamori.Ingestion.Specs;
using Mimamori.Kernel.Dates;
using Mimamori.Kernel.Text;

namespace Mimamori.Ingestion.Validation;

/// <summary>A value checked against its column spec: either its canonical text (and number or date) or what was expected.</summary>
public readonly record struct ParsedValue(bool Ok, string? Text, double? Number, DateOnly? Date, string? Expected)
{
    public static ParsedValue Empty { get; } = new(true, null, null, null, null);
}

/// <summary>Checks one raw value against its column's type, format, code list and range.</summary>
public static class ValueParser
{
    public static ParsedValue Parse(ColumnSpec column, string raw)
    {
        var value = raw.Trim();
        if (value.Length == 0)
        {
            return column.Required ? new ParsedValue(false, null, null, null, "a value (required)") : ParsedValue.Empty;
        }

        if (value.Contains('\0', StringComparison.Ordinal))
        {
            return new ParsedValue(false, null, null, null, "text without NUL characters");
        }

        switch (column.Type)
        {
            case "int":
            case "decimal":
                {
                    if (column.Type == "int" && FastText.TryLong(value, out var whole))
                    {
                        if ((column.Min is { } low && whole < low) || (column.Max is { } high && whole > high))
                        {
                            return OutOfRange(column);
                        }

                        // The number is kept as a double, and its text is the double's (1E+15 from sixteen digits on).
                        return new ParsedValue(true, FastText.IsCanonical(value, whole) ? value : ((double)whole).ToString(CultureInfo.InvariantCulture), whole, null, null);
                    }

                    var folded = FastText.FoldWidth(value).Replace(",", string.Empty, StringComparison.Ordinal);
                    var ok = column.Type == "int"
                        ? long.TryParse(folded, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? (double?)l : null
                        : double.TryParse(folded, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;
                    if (ok is null)
                    {
                        return new ParsedValue(false, null, null, null, column.Type == "int" ? "a whole number" : "a number");
                    }

                    if ((column.Min is { } min && ok < min) || (column.Max is { } max && ok > max))
                    {
                        return OutOfRange(column);
                    }

                    return new ParsedValue(true, ok.Value.ToString(CultureInfo.InvariantCulture), ok, null, null);
                }

            case "date":
                {
                    var format = column.Format ?? "auto";
                    if (format == "excel")
                    {
                        // Spreadsheet readers give ISO text for date cells; a serial number means the cell was typed as a number.
                        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial) && serial is > 0 and < 2958466)
                        {
                            var fromSerial = DateOnly.FromDateTime(DateTime.FromOADate(serial));
                            return new ParsedValue(true, fromSerial.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), null, fromSerial, null);
                        }

                        format = "auto";
                    }

                    if (string.Equals(format, "wareki", StringComparison.OrdinalIgnoreCase) ? FastText.TryWareki(value, out var quick)
                        : !string.Equals(format, "auto", StringComparison.OrdinalIgnoreCase) && FastText.TryPattern(value, format, out quick))
                    {
                        // An ISO value is already its canonical text.
                        var text = format == "yyyy-MM-dd" ? value : FastText.Iso(quick);
                        return new ParsedValue(true, text, null, quick, null);
                    }

                    if (DateText.TryParse(value, format, out var date, out var error))
                    {
                        return new ParsedValue(true, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), null, date, null);
                    }

                    return new ParsedValue(false, null, null, null, error ?? $"a date as {format}");
                }

            case "code":
            case "bool":
                {
                    if (column.Codes is { Count: > 0 } codes)
                    {
                        var key = FastText.FoldWidth(value);
                        if (codes.TryGetValue(key, out var canonical) || codes.TryGetValue(value, out canonical))
                        {
                            return new ParsedValue(true, canonical, column.Type == "bool" ? (canonical == "true" ? 1 : 0) : null, null, null);
                        }

                        return new ParsedValue(false, null, null, null, $"one of {string.Join(", ", codes.Keys)}");
                    }

                    var lowered = FastText.FoldWidth(value).ToLowerInvariant();
                    return lowered switch
                    {
                        "1" or "true" or "yes" or "有" or "あり" => new ParsedValue(true, "true", 1, null, null),
                        "0" or "false" or "no" or "無" or "なし" => new ParsedValue(true, "false", 0, null, null),
                        _ => new ParsedValue(false, null, null, null, "true/false (1/0, 有/無)"),
                    };
                }

            case "kana":
                return (FastText.IsKana(value) ?? JapaneseText.IsKatakana(JapaneseText.ToKatakana(value)))
                    ? new ParsedValue(true, value, null, null, null)
                    : new ParsedValue(false, null, null, null, "kana (katakana or hiragana)");

            default:
                return new ParsedValue(true, value, null, null, null);
        }
    }

    private static ParsedValue OutOfRange(ColumnSpec column) =>
        new(false, null, null, null, $"a number from {column.Min?.ToString(CultureInfo.InvariantCulture) ?? "-∞"} to {column.Max?.ToString(CultureInfo.InvariantCulture) ?? "∞"}");
}
