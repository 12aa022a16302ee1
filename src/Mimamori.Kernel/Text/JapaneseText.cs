using System.Globalization;
using System.Text;

namespace Mimamori.Kernel.Text;

/// <summary>
/// Normalisation of Japanese text for comparison. Every method returns a new string and never changes the original,
/// because originals are evidence and are stored untouched; match keys are derived from them.
/// </summary>
public static class JapaneseText
{
    private const char HiraganaFirst = '\u3041';
    private const char HiraganaLast = '\u3096';
    private const int KanaOffset = 0x60;

    /// <summary>NFKC width folding: half-width kana to full width, full-width ASCII to ASCII; trims.</summary>
    public static string FoldWidth(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        // Names and readings are nearly always plain kana, kanji and ASCII, which NFKC leaves as they are; skipping the
        // normaliser for them keeps key derivation cheap (it is called for every record of a city, several times).
        if (IsPlain(text))
        {
            return text.Trim();
        }

        // U+301C (WAVE DASH) is what Shift_JIS round trips give for 〜; unify with its full-width twin first.
        // The spacing (han)dakuten ゛゜ of legacy data (カ゛) become combining marks, so NFKC composes them (ガ) instead
        // of turning them into a space and a loose mark.
        return text.Replace('\u301C', '\uFF5E').Replace('\u309B', '\u3099').Replace('\u309C', '\u309A')
            .Normalize(NormalizationForm.FormKC).Trim();
    }

    /// <summary>Full- and half-width spaces and middle dots removed (they separate family and given names inconsistently).</summary>
    public static string RemoveSpaces(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (!char.IsWhiteSpace(c) && c != '\u3000' && c != '・' && c != '･')
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    /// <summary>Hiragana to katakana (ゔ to ヴ included); other characters unchanged.</summary>
    public static string ToKatakana(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        return string.Create(text.Length, text, static (span, src) =>
        {
            for (var i = 0; i < src.Length; i++)
            {
                var c = src[i];
                span[i] = c is >= HiraganaFirst and <= HiraganaLast ? (char)(c + KanaOffset) : c;
            }
        });
    }

    /// <summary>Katakana to hiragana; other characters unchanged.</summary>
    public static string ToHiragana(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        return string.Create(text.Length, text, static (span, src) =>
        {
            for (var i = 0; i < src.Length; i++)
            {
                var c = src[i];
                span[i] = c is >= (char)(HiraganaFirst + KanaOffset) and <= (char)(HiraganaLast + KanaOffset) ? (char)(c - KanaOffset) : c;
            }
        });
    }

    /// <summary>
    /// The reading as full-width katakana without spaces: the "same reading" comparison level.
    /// ｻﾄｳ ﾀﾛｳ, さとう たろう and サトウ　タロウ all give サトウタロウ.
    /// </summary>
    public static string ReadingKey(string? kana) => Recompose(RemoveSpaces(ToKatakana(FoldWidth(kana))));

    /// <summary>
    /// The "exact after folding" key for names: width-folded (NFKC), spaces and middle dots removed, variant kanji
    /// folded (髙橋 and 高橋, 渡邉 and 渡辺 give the same key) and variation selectors dropped.
    /// </summary>
    public static string NameKey(string? name) => Recompose(VariantKanji.Fold(RemoveSpaces(FoldWidth(name))));

    /// <summary>
    /// NFKC again after characters were removed: a dropped space or selector can leave a combining mark next to a
    /// character it composes with, and a key must not change when it is computed from itself.
    /// </summary>
    private static string Recompose(string text) =>
        IsPlain(text) || text.IsNormalized(NormalizationForm.FormKC) ? text : text.Normalize(NormalizationForm.FormKC);

    /// <summary>
    /// True when every character is one NFKC neither changes nor composes with its neighbour: printable ASCII,
    /// hiragana, katakana (ヴ, ヷ to ヺ included), the prolonged sound mark and the CJK unified ideographs (base block
    /// and extension A). Such a text is its own NFKC form; anything else (half-width kana, full-width ASCII,
    /// compatibility ideographs, combining or spacing voicing marks, ideographic space, surrogates) takes the normaliser.
    /// </summary>
    internal static bool IsPlain(string text)
    {
        foreach (var c in text)
        {
            if (!IsPlain(c))
            {
                return false;
            }
        }

        return true;
    }

    internal static bool IsPlain(char c) =>
        c is (>= ' ' and <= '~') or (>= '\u3041' and <= '\u3096') or (>= '\u30A1' and <= '\u30FA') or '\u30FC' or (>= '\u3400' and <= '\u4DBF') or (>= '\u4E00' and <= '\u9FFF');

    /// <summary>
    /// A coarser reading key for the "fuzzy reading" level: small kana made large, voicing marks dropped, long vowels
    /// and the vowel that lengthens the one before removed (オオタ, オータ and オウタ all give オタ).
    /// </summary>
    public static string LooseReadingKey(string? kana)
    {
        var key = ReadingKey(kana);
        var sb = new StringBuilder(key.Length);
        char previousVowel = '\0';
        foreach (var original in key)
        {
            var c = Unvoice(Enlarge(original));
            // A voicing mark left uncomposed (ア゙) is dropped like every other voicing mark.
            if (c is 'ー' or '\u3099' or '\u309A')
            {
                continue;
            }

            var vowel = VowelOf(c);
            // ウ after an o- or u- row kana and イ after an e- or i- row kana lengthen the vowel (オウ, エイ).
            if ((c == 'ウ' && previousVowel is 'オ' or 'ウ') || (c == 'イ' && previousVowel is 'エ' or 'イ') || (c == 'オ' && previousVowel == 'オ') ||
                (c == 'ア' && previousVowel == 'ア'))
            {
                continue;
            }

            sb.Append(c);
            previousVowel = vowel;
        }

        return sb.ToString();
    }

    /// <summary>Half-width katakana as legacy systems export it (ｻﾄｳ ﾀﾛｳ). Characters without a half-width form stay.</summary>
    public static string ToHalfWidthKatakana(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var sb = new StringBuilder(text.Length * 2);
        foreach (var c in ToKatakana(text))
        {
            if (HalfWidth.TryGetValue(c, out var half))
            {
                sb.Append(half);
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    /// <summary>True when every character is katakana, a prolonged sound mark, a space or a middle dot (after width folding).</summary>
    public static bool IsKatakana(string? text)
    {
        var folded = FoldWidth(text);
        if (folded.Length == 0)
        {
            return false;
        }

        foreach (var c in folded)
        {
            if (!(c is >= '\u30A1' and <= '\u30FA' || c == 'ー' || c == '・' || c == ' ' || c == '\u3000'))
            {
                return false;
            }
        }

        return true;
    }

    private static char Enlarge(char c) => c switch
    {
        'ァ' => 'ア',
        'ィ' => 'イ',
        'ゥ' => 'ウ',
        'ェ' => 'エ',
        'ォ' => 'オ',
        'ッ' => 'ツ',
        'ャ' => 'ヤ',
        'ュ' => 'ユ',
        'ョ' => 'ヨ',
        'ヮ' => 'ワ',
        'ヵ' => 'カ',
        'ヶ' => 'ケ',
        _ => c,
    };

    private static char Unvoice(char c)
    {
        // The decomposed form of a voiced kana is the base kana followed by a combining (han)dakuten.
        if (c == 'ヴ')
        {
            return 'ウ';
        }

        // Only kana carry voicing marks; checking first also keeps the halves of a surrogate pair (𠮷) away from
        // Normalize, which throws on a lone surrogate.
        if (c is < '\u3041' or > '\u30FA')
        {
            return c;
        }

        return Unvoiced[c - '\u3041'];
    }

    /// <summary>
    /// Each kana (U+3041 to U+30FA) without its voicing mark, worked out once from its canonical decomposition: the
    /// loose reading looks at every kana of every record.
    /// </summary>
    private static readonly char[] Unvoiced = BuildUnvoiced();

    private static char[] BuildUnvoiced()
    {
        var table = new char[0x30FA - 0x3041 + 1];
        for (var i = 0; i < table.Length; i++)
        {
            var c = (char)('\u3041' + i);
            var decomposed = c.ToString().Normalize(NormalizationForm.FormD);
            table[i] = decomposed.Length == 2 && decomposed[1] is '\u3099' or '\u309A' ? decomposed[0] : c;
        }

        return table;
    }

    private static char VowelOf(char c)
    {
        const string a = "アカサタナハマヤラワガザダバパ";
        const string i = "イキシチニヒミリギジヂビピ";
        const string u = "ウクスツヌフムユルグズヅブプ";
        const string e = "エケセテネヘメレゲゼデベペ";
        const string o = "オコソトノホモヨロヲゴゾドボポ";
        if (a.Contains(c, StringComparison.Ordinal))
        {
            return 'ア';
        }

        if (i.Contains(c, StringComparison.Ordinal))
        {
            return 'イ';
        }

        if (u.Contains(c, StringComparison.Ordinal))
        {
            return 'ウ';
        }

        if (e.Contains(c, StringComparison.Ordinal))
        {
            return 'エ';
        }

        return o.Contains(c, StringComparison.Ordinal) ? 'オ' : '\0';
    }

    private static readonly Dictionary<char, string> HalfWidth = BuildHalfWidth();

    private static Dictionary<char, string> BuildHalfWidth()
    {
        var map = new Dictionary<char, string>();
        // Walk the half-width block and record what NFKC makes of each character (and of each with a voicing mark).
        for (var c = '\uFF66'; c <= '\uFF9D'; c++)
        {
            var full = c.ToString().Normalize(NormalizationForm.FormKC);
            if (full.Length == 1)
            {
                map.TryAdd(full[0], c.ToString());
            }

            foreach (var mark in new[] { '\uFF9E', '\uFF9F' })
            {
                var voiced = string.Concat(c, mark).Normalize(NormalizationForm.FormKC);
                if (voiced.Length == 1)
                {
                    map.TryAdd(voiced[0], string.Concat(c, mark));
                }
            }
        }

        map['ー'] = "ｰ";
        map['\u3000'] = " ";
        map['・'] = "･";
        return map;
    }

    /// <summary>Invariant culture, for machine-read output.</summary>
    public static CultureInfo Invariant => CultureInfo.InvariantCulture;
}
