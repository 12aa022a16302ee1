using System.Buffers;
using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace Mimamori.Kernel.Text;

/// <summary>
/// Builds the variant-kanji map behind <see cref="VariantKanji"/> from the embedded tables. Separate from the public
/// type so the selection and cycle rules can be tested on small hand-made inputs.
/// </summary>
internal static class VariantKanjiTable
{
    internal const string MjResource = "Mimamori.Kernel.Itaiji.MjShrinkByUcs.tsv";
    internal const string GeoloniaResource = "Mimamori.Kernel.Itaiji.GeoloniaKyujiShinji.tsv";
    internal const string MozcResource = "Mimamori.Kernel.Itaiji.MozcVariantRule.txt";

    private const string FamilyRegister = "family-register-notice";
    private const string MojNotice = "moj-notice-582-appendix-4";

    /// <summary>
    /// Mozc types whose comment says the <c>original</c> column is the common form: fold target → original.
    /// </summary>
    private static readonly HashSet<string> MozcTowardsOriginal = ["異体字", "旧字体", "俗字", "印刷標準字体"];

    /// <summary>
    /// Mozc types whose comment says the <c>target</c> column is the common form: fold original → target. Taking the
    /// direction from each type's own comment is what makes the file consistent: 蝉/蟬 appear under both 印刷標準字体
    /// and 略字, and both entries then point at 蝉. 正字 and 別字 are left out: their pairs include different words
    /// (坡/陂, 藷/薯) rather than spellings of one character.
    /// </summary>
    private static readonly HashSet<string> MozcTowardsTarget = ["簡易慣用字体", "略字"];

    /// <summary>All edges from the embedded tables, most authoritative first.</summary>
    internal static IEnumerable<(int From, int To)> LoadEmbeddedEdges()
    {
        var edges = new List<(int From, int To)>();
        using (var mj = OpenResource(MjResource))
        {
            edges.AddRange(ReadMjShrinkMap(mj));
        }

        using (var geolonia = OpenResource(GeoloniaResource))
        {
            edges.AddRange(ReadGeolonia(geolonia));
        }

        using (var mozc = OpenResource(MozcResource))
        {
            edges.AddRange(ReadMozc(mozc));
        }

        return edges;
    }

    /// <summary>
    /// One edge per source from the MJ縮退マップ rows: a family-register-notice candidate with the fewest hops, else a
    /// 法務省告示582号別表第四 candidate with the best rank; rows on other bases only (dictionary, reading/shape analogy)
    /// are too loose for identity keys and are ignored. Ties go to the candidate the 告示 also ranks better, then to the
    /// lowest code point, so the result does not depend on row order. Self rows (already representable) are skipped.
    /// </summary>
    internal static IEnumerable<(int From, int To)> ReadMjShrinkMap(TextReader reader)
    {
        var best = new Dictionary<int, (int Tier, int Primary, int Secondary, int Target)>();
        string? line;
        var header = true;
        while ((line = reader.ReadLine()) is not null)
        {
            if (header)
            {
                header = false;
                continue;
            }

            var f = line.Split('\t');
            if (f.Length < 7)
            {
                continue;
            }

            var source = ParseCodePoint(f[1]);
            var target = ParseCodePoint(f[3]);
            if (source == target)
            {
                continue;
            }

            var register = f[4].Contains(FamilyRegister, StringComparison.Ordinal);
            var moj = f[4].Contains(MojNotice, StringComparison.Ordinal);
            if (!register && !moj)
            {
                continue;
            }

            var rank = ParseRankOrLast(f[5]);
            var hop = ParseRankOrLast(f[6]);
            var candidate = register ? (Tier: 0, Primary: hop, Secondary: moj ? rank : int.MaxValue, Target: target) : (Tier: 1, Primary: rank, Secondary: int.MaxValue, Target: target);
            if (!best.TryGetValue(source, out var current) || candidate.CompareTo(current) < 0)
            {
                best[source] = candidate;
            }
        }

        return best.OrderBy(kv => kv.Key).Select(kv => (kv.Key, kv.Value.Target)).ToList();
    }

    /// <summary>Geolonia's 旧字体 → 新字体 pairs (header <c>src	dst</c>).</summary>
    internal static IEnumerable<(int From, int To)> ReadGeolonia(TextReader reader)
    {
        var edges = new List<(int From, int To)>();
        string? line;
        var header = true;
        while ((line = reader.ReadLine()) is not null)
        {
            if (header)
            {
                header = false;
                continue;
            }

            var f = line.Split('\t');
            if (f.Length >= 2 && TrySingleRune(f[0], out var from) && TrySingleRune(f[1], out var to))
            {
                edges.Add((from, to));
            }
        }

        return edges;
    }

    /// <summary>Mozc's variant_rule.txt: blocks of "type" then "target TAB original" lines; one direction per type.</summary>
    internal static IEnumerable<(int From, int To)> ReadMozc(TextReader reader)
    {
        var edges = new List<(int From, int To)>();
        string? type = null;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab < 0)
            {
                type = line.Trim();
                continue;
            }

            if (type is null || !TrySingleRune(line[..tab], out var target) || !TrySingleRune(line[(tab + 1)..].Trim(), out var original))
            {
                continue;
            }

            if (MozcTowardsOriginal.Contains(type))
            {
                edges.Add((target, original));
            }
            else if (MozcTowardsTarget.Contains(type))
            {
                edges.Add((original, target));
            }
        }

        return edges;
    }

    /// <summary>
    /// Builds the final map: each source keeps its first (most authoritative) edge, both ends are first reduced by NFKC
    /// (so U+FA1A 祥 and U+7965 祥 are one node), chains are followed to their end, and a cycle (the tables disagree on
    /// direction, e.g. 址/阯) collapses onto its lowest code point. CJK compatibility ideographs are then mapped
    /// to the representative of their NFKC form so that <see cref="VariantKanji.Fold(string)"/> agrees with NFKC.
    /// </summary>
    internal static FrozenDictionary<int, int> Build(IEnumerable<(int From, int To)> edges)
    {
        var next = new Dictionary<int, int>();
        foreach (var (from, to) in edges)
        {
            var a = Canonical(from);
            var b = Canonical(to);
            if (a != b)
            {
                next.TryAdd(a, b);
            }
        }

        var root = new Dictionary<int, int>();
        var path = new List<int>();
        foreach (var start in next.Keys)
        {
            path.Clear();
            var current = start;
            int representative;
            while (true)
            {
                if (root.TryGetValue(current, out representative))
                {
                    break;
                }

                if (!next.TryGetValue(current, out var following))
                {
                    representative = current;
                    break;
                }

                var seen = path.IndexOf(current);
                if (seen >= 0)
                {
                    representative = path.Skip(seen).Min();
                    break;
                }

                path.Add(current);
                current = following;
            }

            foreach (var node in path)
            {
                root[node] = representative;
            }

            root.TryAdd(representative, representative);
        }

        foreach (var (first, last) in CompatibilityBlocks)
        {
            for (var cp = first; cp <= last; cp++)
            {
                var canonical = Canonical(cp);
                if (canonical != cp)
                {
                    root[cp] = root.GetValueOrDefault(canonical, canonical);
                }
            }
        }

        return root.Where(kv => kv.Key != kv.Value).ToFrozenDictionary();
    }

    private static readonly (int First, int Last)[] CompatibilityBlocks = [(0xF900, 0xFAFF), (0x2F800, 0x2FA1F)];

    /// <summary>The NFKC form of a code point when that is a single code point, else the code point itself.</summary>
    internal static int Canonical(int codePoint)
    {
        if (!Rune.IsValid(codePoint))
        {
            return codePoint;
        }

        var normalized = new Rune(codePoint).ToString().Normalize(NormalizationForm.FormKC);
        return TrySingleRune(normalized, out var single) ? single : codePoint;
    }

    private static bool TrySingleRune(string text, out int codePoint)
    {
        codePoint = 0;
        if (text.Length == 0 || Rune.DecodeFromUtf16(text, out var rune, out var consumed) != OperationStatus.Done || consumed != text.Length)
        {
            return false;
        }

        codePoint = rune.Value;
        return true;
    }

    private static int ParseCodePoint(string text) =>
        int.Parse(text.AsSpan(text.StartsWith("U+", StringComparison.Ordinal) ? 2 : 0), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static int ParseRankOrLast(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : int.MaxValue;

    private static StreamReader OpenResource(string name)
    {
        var stream = typeof(VariantKanjiTable).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded resource '{name}' is missing from Mimamori.Kernel.");
        return new StreamReader(stream, Encoding.UTF8);
    }
}
