using System.Text;
using Mimamori.Kernel.Text;

namespace Mimamori.Kernel.Places;

/// <summary>
/// A comparison key for addresses within one municipality: town|chome|banchi|go, e.g. 上戸田|1|2|3 for
/// 埼玉県戸田市上戸田一丁目２番３号　コーポ戸田１０１, 上戸田1-2-3 and 上戸田１丁目2番地3 alike.
/// </summary>
/// <remarks>
/// Prefecture and city are left out because sources give them inconsistently and Mimamori matches within one
/// municipality; building and room are left out because they are the part people write most freely (and a household
/// that moves flats within a building is still the same household for this purpose).
/// </remarks>
public static class AddressKey
{
    /// <summary>The key of an address string (parsed with <see cref="Address.Parse(string?)"/>).</summary>
    public static string Of(string? address) => Of(Address.Parse(address));

    /// <summary>The key of a parsed address.</summary>
    public static string Of(Address address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return string.Join('|', TownKey(address.Town), address.Chome?.ToString(JapaneseText.Invariant) ?? string.Empty,
            address.Banchi ?? string.Empty, address.Go ?? string.Empty);
    }

    /// <summary>
    /// The town name folded for comparison: <see cref="JapaneseText.NameKey(string?)"/> (width, spaces, variant
    /// kanji), a leading 大字 removed, and the small connecting kana between kanji unified (霞ヶ関 = 霞ケ関 = 霞が関,
    /// 一ノ瀬 = 一の瀬 = 一之瀬), as address registers spell them either way.
    /// </summary>
    public static string TownKey(string? town)
    {
        var key = JapaneseText.NameKey(town);
        if (key.StartsWith("大字", StringComparison.Ordinal) && key.Length > 2)
        {
            key = key[2..];
        }

        var sb = new StringBuilder(key.Length);
        for (var i = 0; i < key.Length; i++)
        {
            var c = key[i];
            var betweenKanji = i > 0 && i + 1 < key.Length && IsKanji(key[i - 1]) && IsKanji(key[i + 1]);
            if (betweenKanji && c is 'ヶ' or 'ヵ' or 'が' or 'ケ' or 'ガ')
            {
                sb.Append('ケ');
            }
            else if (betweenKanji && c is 'の' or 'ノ' or '之')
            {
                sb.Append('ノ');
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    // Surrogate halves count as kanji too: CJK extension B (𠮷) is written with them.
    private static bool IsKanji(char c) => c is (>= '\u4E00' and <= '\u9FFF') or (>= '\u3400' and <= '\u4DBF') or (>= '\uF900' and <= '\uFAFF') or '々' || char.IsSurrogate(c);
}
