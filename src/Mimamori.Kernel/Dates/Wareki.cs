using System.Globalization;
using System.Text.RegularExpressions;
using Mimamori.Kernel.Text;

namespace Mimamori.Kernel.Dates;

/// <summary>
/// 和暦 (Japanese-era) dates: formatting for staff and letters, and strict parsing of what municipal systems export.
/// Parsing rejects dates outside their era (平成32年, 令和0年, 平成31年5月1日) and impossible days (2月30日) instead of
/// rolling them over, because a wrong birth date silently breaks identity matching.
/// </summary>
public static partial class Wareki
{
    /// <summary>令和7年11月28日 (元年 for the first year).</summary>
    public static string Format(DateOnly date)
    {
        var era = Era.Of(date);
        var year = era.YearOf(date);
        var yearText = year == 1 ? "元" : year.ToString(CultureInfo.InvariantCulture);
        return $"{era.Name}{yearText}年{date.Month}月{date.Day}日";
    }

    /// <summary>The compact legacy export form R07.11.28.</summary>
    public static string FormatCompact(DateOnly date)
    {
        var era = Era.Of(date);
        return string.Create(CultureInfo.InvariantCulture, $"{era.Letter}{era.YearOf(date):00}.{date.Month:00}.{date.Day:00}");
    }

    /// <summary>The 7-digit legacy code form 5071128 (era digit + yyMMdd).</summary>
    public static string FormatLegacyCode(DateOnly date)
    {
        var era = Era.Of(date);
        return string.Create(CultureInfo.InvariantCulture, $"{era.LegacyCode}{era.YearOf(date):00}{date.Month:00}{date.Day:00}");
    }

    /// <summary>Parses 令和7年11月28日, 令和元年5月1日, R07.11.28, R7/11/28, H31-04-30 or 5071128.</summary>
    public static bool TryParse(string? text, out DateOnly date, out string? error)
    {
        date = default;
        var s = JapaneseText.RemoveSpaces(JapaneseText.FoldWidth(text));
        if (s.Length == 0)
        {
            error = "empty";
            return false;
        }

        string eraToken;
        string yearToken;
        string monthToken;
        string dayToken;
        var m = KanjiForm().Match(s);
        if (m.Success)
        {
            (eraToken, yearToken, monthToken, dayToken) = (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value, m.Groups[4].Value);
        }
        else if ((m = LetterForm().Match(s)).Success)
        {
            (eraToken, yearToken, monthToken, dayToken) = (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value, m.Groups[4].Value);
        }
        else if ((m = CodeForm().Match(s)).Success)
        {
            (eraToken, yearToken, monthToken, dayToken) = (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value, m.Groups[4].Value);
        }
        else
        {
            error = "not a 和暦 date (expected e.g. 令和7年11月28日, R07.11.28 or 5071128)";
            return false;
        }

        var era = Era.Find(eraToken);
        if (era is null)
        {
            error = $"unknown era '{eraToken}'";
            return false;
        }

        var year = yearToken == "元" ? 1 : int.Parse(yearToken, CultureInfo.InvariantCulture);
        var month = int.Parse(monthToken, CultureInfo.InvariantCulture);
        var day = int.Parse(dayToken, CultureInfo.InvariantCulture);
        if (year < 1)
        {
            error = $"{era.Name}{year}年 does not exist (the first year is 元年)";
            return false;
        }

        var gregorianYear = era.Start.Year + year - 1;
        if (month is < 1 or > 12 || day < 1 || gregorianYear > 9999 || day > DateTime.DaysInMonth(gregorianYear, month))
        {
            error = $"{era.Name}{yearToken}年{month}月{day}日 is not a calendar date";
            return false;
        }

        var candidate = new DateOnly(gregorianYear, month, day);
        if (candidate < era.Start || Era.Of(candidate) != era)
        {
            error = $"{era.Name}{yearToken}年{month}月{day}日 is outside the {era.Name} era";
            return false;
        }

        date = candidate;
        error = null;
        return true;
    }

    [GeneratedRegex(@"^(明治|大正|昭和|平成|令和)(元|\d{1,2})年(\d{1,2})月(\d{1,2})日$")]
    private static partial Regex KanjiForm();

    [GeneratedRegex(@"^([MTSHRmtshr])(\d{1,2})[./\-](\d{1,2})[./\-](\d{1,2})$")]
    private static partial Regex LetterForm();

    [GeneratedRegex(@"^([1-5])(\d{2})(\d{2})(\d{2})$")]
    private static partial Regex CodeForm();
}
