using System.Text.RegularExpressions;
using Mimamori.Kernel.Text;
using Mimamori.Linkage.Records;

namespace Mimamori.Linkage.Comparisons;

/// <summary>
/// The municipality whose registry is the spine. Its own registry writes addresses below it (博多区石城町…, 上戸田…),
/// while a prefectural office writes the city too (福岡市博多区石城町…): the same address must not compare as
/// different for that. The name is learned from the data, as the municipality most department addresses that name
/// one start with, and kept in the model so that every later comparison under that model uses the same name.
/// </summary>
public static partial class OwnMunicipality
{
    /// <summary>
    /// The 市 most department addresses that start with a municipality name, when it is more than half of them and at
    /// least <paramref name="minimum"/> addresses; otherwise empty (nothing is stripped).
    /// </summary>
    public static string Of(IEnumerable<LinkRecord> records, int minimum = 5)
    {
        ArgumentNullException.ThrowIfNull(records);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var named = 0;
        foreach (var r in records)
        {
            // Each distinct address once: a pupil's monthly rows are one address.
            if (r.IsRegistry || string.IsNullOrEmpty(r.Address) || !seen.Add(r.Address))
            {
                continue;
            }

            var m = Leading().Match(JapaneseText.FoldWidth(r.Address));
            if (m.Success)
            {
                named++;
                var name = m.Groups["city"].Value;
                counts[name] = counts.GetValueOrDefault(name) + 1;
            }
        }

        if (counts.Count == 0)
        {
            return string.Empty;
        }

        var (top, count) = counts.MaxBy(kv => kv.Value);
        return count >= minimum && count * 2 > named ? top : string.Empty;
    }

    /// <summary>The address below <paramref name="municipality"/> when it starts with it (after a prefecture or not); otherwise the address.</summary>
    public static ReadOnlySpan<char> Below(string address, string municipality)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (string.IsNullOrEmpty(municipality))
        {
            return address;
        }

        var at = address.IndexOf(municipality, StringComparison.Ordinal);
        if (at == 0 || (at is >= 3 and <= 4 && address[at - 1] is '都' or '道' or '府' or '県'))
        {
            return address.AsSpan(at + municipality.Length);
        }

        return address;
    }

    // An optional prefecture, then a city name of one to four characters ending in 市.
    [GeneratedRegex(@"^(?:東京都|北海道|京都府|大阪府|\p{IsCJKUnifiedIdeographs}{2,3}県)?(?<city>\p{IsCJKUnifiedIdeographs}{1,4}市)")]
    private static partial Regex Leading();
}
