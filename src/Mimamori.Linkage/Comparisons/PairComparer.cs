using Mimamori.Kernel.People;
using Mimamori.Linkage.Records;

namespace Mimamori.Linkage.Comparisons;

/// <summary>
/// Puts a pair of records on each comparison's level. Levels are ordered: the first that holds is taken, so a pair
/// whose names agree exactly is not also counted as agreeing on the reading.
/// </summary>
public static class PairComparer
{
    /// <summary>Name: exact original, exact after folding (width, spaces, 異体字), same reading, loose reading, swapped order, different.</summary>
    public static string Name(LinkKeys a, LinkKeys b)
    {
        var bothKanji = a.Folded.Length > 0 && b.Folded.Length > 0;
        var bothKana = a.Reading.Length > 0 && b.Reading.Length > 0;
        if (bothKanji && a.Original == b.Original)
        {
            // The same kanji with a reading written given name first (ﾐﾁﾎ ｺﾊﾞﾔｼ for 小林 みちほ) is the same name.
            return bothKana && a.Reading != b.Reading && a.LooseReading != b.LooseReading && a.SwappedReading != b.Reading && a.Reading != b.SwappedReading
                ? "different" : "exact";
        }

        if (bothKanji && a.Folded == b.Folded)
        {
            return "folded";
        }

        if (bothKana && a.Reading == b.Reading)
        {
            return "reading";
        }

        if (bothKana && a.LooseReading == b.LooseReading)
        {
            return "loose_reading";
        }

        if (bothKana && (a.SwappedReading == b.Reading || a.Reading == b.SwappedReading))
        {
            return "swapped";
        }

        if (!bothKanji && !bothKana)
        {
            return "missing";
        }

        return "different";
    }

    /// <summary>The level of a birth date that lies outside the other record's birth-date window; it weighs as <c>different</c>.</summary>
    public const string OutsideWindow = "outside_window";

    /// <summary>The model's level <see cref="OutsideWindow"/> is trained and weighed as: a birth date outside the window is a different one.</summary>
    public const string OutsideWindowWeighsAs = "different";

    /// <summary>
    /// Birth date of two records: as <see cref="BirthDate(DateOnly?, DateOnly?)"/>, except that a record without a
    /// birth date but with a window (<see cref="LinkRecord.BirthWindow"/>) puts a candidate born outside it on
    /// <see cref="OutsideWindow"/> rather than on <c>missing</c>.
    /// </summary>
    public static string BirthDate(LinkRecord a, LinkRecord b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.BirthDate is null && b.BirthDate is { } y && a.BirthWindow is { } wa && !wa.Contains(y))
        {
            return OutsideWindow;
        }

        if (b.BirthDate is null && a.BirthDate is { } x && b.BirthWindow is { } wb && !wb.Contains(x))
        {
            return OutsideWindow;
        }

        var level = BirthDate(a.BirthDate, b.BirthDate);
        return level == "different" && IsYearSlip(a.BirthDate!.Value, b.BirthDate!.Value) ? YearSlip : level;
    }

    /// <summary>
    /// The level of two birth dates one year apart on the same month and day (a year keyed wrong, or a 和暦 year
    /// converted one off) that are not already one digit apart.
    /// </summary>
    public const string YearSlip = "year_slip";

    private static bool IsYearSlip(DateOnly x, DateOnly y) => x.Month == y.Month && x.Day == y.Day && Math.Abs(x.Year - y.Year) == 1;

    /// <summary>Birth date: exact, one digit mistyped, day and month swapped, same year and month, different.</summary>
    public static string BirthDate(DateOnly? a, DateOnly? b)
    {
        if (a is not { } x || b is not { } y)
        {
            return "missing";
        }

        if (x == y)
        {
            return "exact";
        }

        // Digits of yyyyMMdd compared as numbers: this runs for millions of pairs, so no strings are made.
        var nx = (x.Year * 10000) + (x.Month * 100) + x.Day;
        var ny = (y.Year * 10000) + (y.Month * 100) + y.Day;
        var diff = 0;
        for (var i = 0; i < 8; i++)
        {
            if (nx % 10 != ny % 10)
            {
                diff++;
            }

            nx /= 10;
            ny /= 10;
        }

        if (diff == 1)
        {
            return "one_digit";
        }

        if (x.Year == y.Year && x.Month == y.Day && x.Day == y.Month)
        {
            return "day_month_swap";
        }

        return x.Year == y.Year && x.Month == y.Month ? "year_month" : "different";
    }

    /// <summary>Sex: agree, disagree, missing.</summary>
    public static string Sex(Sex a, Sex b) =>
        a == Kernel.People.Sex.Unknown || b == Kernel.People.Sex.Unknown ? "missing" : a == b ? "agree" : "disagree";

    /// <summary>Address: same normalised text, same start (same 町丁目), different, missing.</summary>
    public static string Address(LinkKeys a, LinkKeys b) => Address(a, b, string.Empty);

    /// <summary>
    /// Address, with the municipality's own name (<see cref="OwnMunicipality"/>) left out where one address writes it
    /// and the other does not: 福岡市博多区石城町25-5 is 博多区石城町25-5 in 福岡市's registry.
    /// </summary>
    public static string Address(LinkKeys a, LinkKeys b, string municipality)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Address.Length == 0 || b.Address.Length == 0)
        {
            return "missing";
        }

        if (a.Address == b.Address)
        {
            return "exact";
        }

        var x = OwnMunicipality.Below(a.Address, municipality);
        var y = OwnMunicipality.Below(b.Address, municipality);
        if (x.Length == 0 || y.Length == 0)
        {
            return "different";
        }

        if (x.SequenceEqual(y))
        {
            return "exact";
        }

        return x.CommonPrefixLength(y) >= 4 ? "same_area" : "different";
    }

    /// <summary>宛名番号: agree, disagree, missing (strong evidence, not the truth: numbers are reused and re-issued).</summary>
    public static string Identifier(string? a, string? b) =>
        string.IsNullOrEmpty(a) || string.IsNullOrEmpty(b) ? "missing" : a == b ? "agree" : "disagree";
}
