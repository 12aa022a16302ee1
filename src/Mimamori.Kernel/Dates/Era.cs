namespace Mimamori.Kernel.Dates;

/// <summary>A Japanese era (元号) with the first day it was in force.</summary>
/// <param name="Name">The era name as written, e.g. 令和.</param>
/// <param name="Letter">The one-letter code legacy systems export (R, H, S, T, M).</param>
/// <param name="LegacyCode">The digit many 住民記録 systems use in front of a yyMMdd date (5 = 令和, 4 = 平成 ...).</param>
/// <param name="Start">The first day of the era.</param>
public sealed record Era(string Name, char Letter, int LegacyCode, DateOnly Start)
{
    /// <summary>Eras from 明治 to 令和, newest first.</summary>
    public static IReadOnlyList<Era> All { get; } =
    [
        new("令和", 'R', 5, new DateOnly(2019, 5, 1)),
        new("平成", 'H', 4, new DateOnly(1989, 1, 8)),
        new("昭和", 'S', 3, new DateOnly(1926, 12, 25)),
        new("大正", 'T', 2, new DateOnly(1912, 7, 30)),
        new("明治", 'M', 1, new DateOnly(1868, 1, 25)),
    ];

    /// <summary>The era in force on a date.</summary>
    public static Era Of(DateOnly date)
    {
        foreach (var era in All)
        {
            if (date >= era.Start)
            {
                return era;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(date), date, "Dates before 明治 are not supported.");
    }

    /// <summary>The era with this name, letter or legacy code, or null.</summary>
    public static Era? Find(string token)
    {
        foreach (var era in All)
        {
            if (token == era.Name || (token.Length == 1 && (char.ToUpperInvariant(token[0]) == era.Letter || token[0] == (char)('0' + era.LegacyCode))))
            {
                return era;
            }
        }

        return null;
    }

    /// <summary>The year of this era that a Gregorian year falls in (元年 = 1).</summary>
    public int YearOf(DateOnly date) => date.Year - Start.Year + 1;
}
