using System.Globalization;
using Mimamori.Kernel.Dates;
using Mimamori.Kernel.Text;

namespace Mimamori.Ingestion.Validation;

/// <summary>
/// Shortcuts for the values that make up nearly every row: text that width folding (NFKC) would leave unchanged,
/// plain numbers, ISO dates and 和暦 in the usual kanji form. Each shortcut either gives exactly the answer of the
/// Kernel routine it stands in for, or declines, and the caller then asks the Kernel; so strictness and error texts
/// are the Kernel's, and only the common case is faster (NFKC and regular expressions dominated the parse time).
/// </summary>
internal static class FastText
{
    /// <summary>
    /// True when NFKC leaves every character as it is and none is touched by <see cref="JapaneseText.FoldWidth"/>'s own
    /// replacements: printable ASCII, precomposed hiragana and katakana, ー, ・, 々 and the CJK unified ideographs. No
    /// character of the set composes with another, so the whole string is stable when each character is.
    /// </summary>
    public static bool IsFoldStable(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!IsFoldStable(c))
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsFoldStable(char c) =>
        c is (>= ' ' and <= '~') or (>= '\u3041' and <= '\u3096') or (>= '\u30A1' and <= '\u30FC') or '\u3005' or (>= '\u4E00' and <= '\u9FFF');

    /// <summary><see cref="JapaneseText.FoldWidth"/> of an already trimmed value, without NFKC when it would change nothing.</summary>
    public static string FoldWidth(string trimmed) => IsFoldStable(trimmed) ? trimmed : JapaneseText.FoldWidth(trimmed);

    /// <summary>
    /// The answer of <c>IsKatakana(ToKatakana(value))</c> for a trimmed value made only of kana, ー, ・ and spaces;
    /// null when the value holds anything else (the Kernel then decides).
    /// </summary>
    public static bool? IsKana(string trimmed)
    {
        if (trimmed.Length == 0)
        {
            return null;
        }

        foreach (var c in trimmed)
        {
            // U+3000 folds to a space, which the Kernel accepts as well; the value is trimmed, so it cannot fold to empty.
            if (!(c is (>= '\u3041' and <= '\u3096') or (>= '\u30A1' and <= '\u30FC') or ' ' or '\u3000'))
            {
                return null;
            }
        }

        return true;
    }

    /// <summary>A date in a .NET pattern when the value is plain ASCII (where folding changes nothing); false declines.</summary>
    public static bool TryPattern(string trimmed, string format, out DateOnly date)
    {
        date = default;
        if (format == "yyyy-MM-dd")
        {
            return TryIso(trimmed, out date);
        }

        return IsAscii(trimmed) && DateOnly.TryParseExact(trimmed, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
    }

    /// <summary>yyyy-MM-dd to the character; anything else declines.</summary>
    public static bool TryIso(string s, out DateOnly date)
    {
        date = default;
        if (s.Length != 10 || s[4] != '-' || s[7] != '-')
        {
            return false;
        }

        var i = 0;
        if (!TryDigits(s, ref i, 4, out var year) || year < 1 || !TryDigits(s, ref i, 2, out var month) || !TryDigits(s, ref i, 2, out var day)
            || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        date = new DateOnly(year, month, day);
        return true;
    }

    /// <summary>The date as yyyy-MM-dd, without going through a format string.</summary>
    public static string Iso(DateOnly date) => string.Create(10, date, static (span, d) =>
    {
        var (y, m, day) = (d.Year, d.Month, d.Day);
        span[0] = (char)('0' + (y / 1000));
        span[1] = (char)('0' + (y / 100 % 10));
        span[2] = (char)('0' + (y / 10 % 10));
        span[3] = (char)('0' + (y % 10));
        span[4] = '-';
        span[5] = (char)('0' + (m / 10));
        span[6] = (char)('0' + (m % 10));
        span[7] = '-';
        span[8] = (char)('0' + (day / 10));
        span[9] = (char)('0' + (day % 10));
    });

    /// <summary>
    /// 和暦 of the form 令和7年11月28日 (元年 included) with ASCII digits, when it is a real date of that era; false declines
    /// (the Kernel then accepts the other forms or explains the error).
    /// </summary>
    public static bool TryWareki(string s, out DateOnly date)
    {
        date = default;
        if (s.Length < 8 || s.Length > 13)
        {
            return false;
        }

        var era = Era.Find(s[..2]);
        if (era is null || era.Name.Length != 2 || s[^1] != '日')
        {
            return false;
        }

        var i = 2;
        int year;
        if (s[i] == '元')
        {
            year = 1;
            i++;
        }
        else if (!TryDigits(s, ref i, out year) || year < 1)
        {
            return false;
        }

        if (s[i++] != '年' || !TryDigits(s, ref i, out var month) || s[i++] != '月' || !TryDigits(s, ref i, out var day) || i != s.Length - 1)
        {
            return false;
        }

        var gregorian = era.Start.Year + year - 1;
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(gregorian, month))
        {
            return false;
        }

        var candidate = new DateOnly(gregorian, month, day);
        if (candidate < era.Start || Era.Of(candidate) != era)
        {
            return false;
        }

        date = candidate;
        return true;
    }

    /// <summary>A whole number of plain ASCII digits (optional sign, thousands commas); false declines.</summary>
    public static bool TryLong(string trimmed, out long value)
    {
        value = 0;
        if (!IsAscii(trimmed))
        {
            return false;
        }

        Span<char> buffer = stackalloc char[32];
        scoped ReadOnlySpan<char> digits = trimmed;
        if (digits.Contains(','))
        {
            if (digits.Length > buffer.Length)
            {
                return false;
            }

            var n = 0;
            foreach (var c in digits)
            {
                if (c != ',')
                {
                    buffer[n++] = c;
                }
            }

            digits = buffer[..n];
        }

        return long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>
    /// True when <paramref name="text"/> is already the invariant text of <paramref name="value"/> as a double (no sign,
    /// zeros or commas to drop, and short enough that a double prints every digit rather than an exponent).
    /// </summary>
    public static bool IsCanonical(string text, long value) =>
        text.Length > 0 && text.Length <= 15 && (text == "0" || (text[0] is >= '1' and <= '9' && value > 0 && text.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0));

    private static bool IsAscii(string text) => System.Text.Ascii.IsValid(text) && text.AsSpan().IndexOfAnyInRange('\0', '\u001F') < 0;

    /// <summary>Exactly <paramref name="width"/> ASCII digits at <paramref name="i"/>, then skips one separator.</summary>
    private static bool TryDigits(string s, ref int i, int width, out int value)
    {
        value = 0;
        for (var k = 0; k < width; k++, i++)
        {
            if (s[i] is not (>= '0' and <= '9'))
            {
                return false;
            }

            value = (value * 10) + (s[i] - '0');
        }

        i++;
        return true;
    }

    private static bool TryDigits(string s, ref int i, out int value)
    {
        value = 0;
        var start = i;
        while (i < s.Length && i - start < 2 && s[i] is >= '0' and <= '9')
        {
            value = (value * 10) + (s[i] - '0');
            i++;
        }

        return i > start && i < s.Length;
    }
}
