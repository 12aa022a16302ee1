using System.Buffers;
using System.Collections.Frozen;
using System.Text;

namespace Mimamori.Kernel.Text;

/// <summary>
/// Folding of variant kanji (異体字) to one representative per group, for the "exact after folding" comparison level:
/// 髙→高, 﨑→崎, 邉/邊→辺, 齋→斎, 齊→斉, 澤→沢, 濱→浜, 嶋→島, 德→徳, 𠮷→吉. Variation selectors are removed.
/// </summary>
/// <remarks>
/// <para>
/// The map is built once from three embedded tables, in this order of authority: the MJ縮退マップ (the map 戸籍/住基
/// systems use), Geolonia's 旧字体→新字体 list and Mozc's single-kanji variant rules. A later table only adds characters
/// an earlier one does not map, so the family-register basis always wins.
/// </para>
/// <para>
/// 斎 and 斉 stay distinct: the family-register notices fold 齋 to 斎 and 齊 to 斉 and never join the two, and they
/// are different surnames in practice. The same holds for any pair the tables do not link.
/// </para>
/// <para>
/// Every representative is a fixed point, so <see cref="Fold(string)"/> is idempotent, and none is a CJK compatibility
/// ideograph with a canonical decomposition, so NFKC after folding changes nothing.
/// </para>
/// </remarks>
public static class VariantKanji
{
    private static readonly Lazy<FrozenDictionary<int, int>> LazyMap = new(
        () => VariantKanjiTable.Build(VariantKanjiTable.LoadEmbeddedEdges()),
        LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>How many code points fold to another one (a diagnostic for tests and start-up logs).</summary>
    public static int MappedCount => LazyMap.Value.Count;

    /// <summary>
    /// Every variant kanji replaced by its representative and every variation selector removed; other characters
    /// (including unpaired surrogates) are copied unchanged. Null gives an empty string.
    /// </summary>
    public static string Fold(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var map = LazyMap.Value;
        StringBuilder? sb = null;
        var i = 0;
        while (i < text.Length)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var consumed) != OperationStatus.Done)
            {
                // An unpaired surrogate is kept as it is: a key must not invent characters the source did not have.
                sb?.Append(text[i]);
                i++;
                continue;
            }

            var replaced = IsVariationSelector(rune) || map.ContainsKey(rune.Value);
            if (replaced && sb is null)
            {
                sb = new StringBuilder(text.Length);
                sb.Append(text, 0, i);
            }

            if (sb is not null && !IsVariationSelector(rune))
            {
                sb.Append(map.TryGetValue(rune.Value, out var target) ? new Rune(target) : rune);
            }

            i += consumed;
        }

        return sb?.ToString() ?? text;
    }

    /// <summary>The representative of one character (itself when it is not a known variant).</summary>
    public static Rune Fold(Rune rune) => LazyMap.Value.TryGetValue(rune.Value, out var target) ? new Rune(target) : rune;

    /// <summary>True for the variation selectors VS1–VS16 (U+FE00–FE0F) and VS17–VS256 (U+E0100–E01EF, used by IVS).</summary>
    public static bool IsVariationSelector(Rune rune) => rune.Value is (>= 0xFE00 and <= 0xFE0F) or (>= 0xE0100 and <= 0xE01EF);
}
