using System.Globalization;

namespace Mimamori.Kernel.Dates;

/// <summary>Parsing of dates in the forms feeds declare: a .NET pattern (yyyyMMdd, yyyy/MM/dd ...), <c>wareki</c> or <c>auto</c>.</summary>
public static class DateText
{
    /// <summary>The formats <c>auto</c> tries after 和暦.</summary>
    private static readonly string[] AutoFormats = ["yyyy-MM-dd", "yyyy/MM/dd", "yyyy/M/d", "yyyyMMdd", "yyyy.MM.dd", "yyyy年M月d日", "yyyy-MM"];

    /// <summary>Parses <paramref name="text"/> in <paramref name="format"/>; the error says what was expected.</summary>
    public static bool TryParse(string? text, string format, out DateOnly date, out string? error)
    {
        date = default;
        var s = Text.JapaneseText.FoldWidth(text);
        if (s.Length == 0)
        {
            error = "empty";
            return false;
        }

        if (string.Equals(format, "wareki", StringComparison.OrdinalIgnoreCase))
        {
            return Wareki.TryParse(s, out date, out error);
        }

        if (string.Equals(format, "auto", StringComparison.OrdinalIgnoreCase))
        {
            if (Wareki.TryParse(s, out date, out _))
            {
                error = null;
                return true;
            }

            if (DateOnly.TryParseExact(s, AutoFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
            {
                error = null;
                return true;
            }

            error = "a date in 西暦 (yyyy-MM-dd, yyyyMMdd, yyyy/MM/dd) or 和暦";
            return false;
        }

        if (DateOnly.TryParseExact(s, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
        {
            error = null;
            return true;
        }

        error = $"a date as {format}";
        return false;
    }
}
