using System.Globalization;
using Mimamori.Linkage.Records;

namespace Mimamori.Linkage.Blocking;

/// <summary>
/// A blocking rule: records that share one of its keys become a candidate pair. A record may have several keys for a
/// rule (each word of a name with the initial of another) or none (the value is missing).
/// </summary>
public sealed record BlockingRule(string Id, Func<PreparedRecord, IEnumerable<string>> Keys)
{
    /// <summary>
    /// The rules of the generic file linkage, most specific first. Together they let a duplicate through when any one
    /// strong field survived intact: the birth date, the (sorted) name, the reading, family name with the given
    /// initial, postal code with the name's first letter, the phone number or the identifier. A name written given name
    /// first (in the family-name column, or first in a full name) meets its duplicate on all of the name rules: the
    /// name is sorted, the initials are taken in either order, and a split reading is keyed in both orders.
    /// </summary>
    public static IReadOnlyList<BlockingRule> ForFiles { get; } =
    [
        new("identifier", r => One(r.Identifier)),
        new("birth_date", r => r.BirthDate is { } d ? [d.ToString("yyyyMMdd", CultureInfo.InvariantCulture)] : []),
        new("name", r => One(r.SortedName)),
        new("reading", Readings),
        new("name_initial", NameWithInitials),
        new("postal_initial", PostalWithInitials),
        new("phone", r => One(r.Phone)),
    ];

    private static string[] One(string key) => key.Length == 0 ? [] : [key];

    /// <summary>
    /// The loose reading, and for a reading in two parts also given name first: サトウ ハナコ meets ハナコ サトウ
    /// written in the family and given columns, with a space, or as one word without a space (which cannot be split).
    /// </summary>
    private static string[] Readings(PreparedRecord r)
    {
        if (r.LooseReading.Length == 0)
        {
            return [];
        }

        var swapped = r.SwappedLooseReading;
        return swapped.Length == 0 || swapped == r.LooseReading ? [r.LooseReading] : [r.LooseReading, swapped];
    }

    /// <summary>
    /// Postal code with the first letter of the first two name words (佐藤 花子 in 335-0022 → 3350022|佐花): one
    /// letter alone makes blocks that grow with the square of the list (a million records give tens of millions of
    /// pairs), two keep them small while a typo in the rest of either word still meets its duplicate. The two letters
    /// are taken in code order, so 花子 佐藤 written given name first gives the same key.
    /// </summary>
    private static string[] PostalWithInitials(PreparedRecord r)
    {
        if (r.PostalCode.Length == 0 || r.NameTokens.Length == 0)
        {
            return [];
        }

        var words = r.NameTokens;
        if (words.Length == 1)
        {
            return [$"{r.PostalCode}|{words[0][0]}"];
        }

        var (a, b) = words[0][0] <= words[1][0] ? (words[0][0], words[1][0]) : (words[1][0], words[0][0]);
        return [$"{r.PostalCode}|{a}{b}"];
    }

    /// <summary>Each word of two or more letters with the first letter of every other word (smith|j, 佐藤|花).</summary>
    private static IEnumerable<string> NameWithInitials(PreparedRecord r)
    {
        var words = r.NameTokens;
        if (words.Length < 2)
        {
            yield break;
        }

        for (var i = 0; i < words.Length; i++)
        {
            if (words[i].Length < 2)
            {
                continue;
            }

            for (var j = 0; j < words.Length; j++)
            {
                if (j != i)
                {
                    yield return $"{words[i]}|{words[j][0]}";
                }
            }
        }
    }
}
