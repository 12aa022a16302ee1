using System.Text;
using Mimamori.Kernel.Places;
using Mimamori.Kernel.Text;

namespace Mimamori.Kernel.Tests;

/// <summary>
/// Invariants checked on many generated strings. The generator is a seeded <see cref="Random"/>, so a failure names a
/// seed and an input that reproduce it.
/// </summary>
public class PropertyTests
{
    private const int Cases = 3000;

    /// <summary>Character pools weighted towards what name and kana fields contain, plus the awkward cases.</summary>
    private static readonly string[] Pools =
    [
        Range('\u3041', '\u3096'), // hiragana
        Range('\u30A1', '\u30FA') + "ー・", // katakana
        Range('\uFF61', '\uFF9F'), // half-width katakana and marks
        "\u3099\u309A\u309B\u309C", // combining and spacing (han)dakuten
        " \u3000\t", // spaces
        "abcXYZ019-", // ASCII
        Range('\uFF01', '\uFF5E'), // full-width ASCII
        "山田太郎花子高橋渡辺崎斎斉沢浜島徳吉髙﨑邉邊齋齊澤濱嶋德國廣蟬蝉祥\uFA1A\uFA30丁目番号之",
        "\U00020BB7\U00020B9F\U0002A6B2", // supplementary-plane kanji (surrogate pairs)
        "\uFE00\uFE0F\U000E0100\U000E01EF", // variation selectors
        "¨´①㈱〜\u301C㍻", // compatibility characters NFKC rewrites
        "一二三四五六七八九十〇‐－−─ｰ", // numerals and dashes for addresses
    ];

    private static string Range(char first, char last)
    {
        var sb = new StringBuilder();
        for (var c = first; c <= last; c++)
        {
            sb.Append(c);
        }

        return sb.ToString();
    }

    private static IEnumerable<string> Strings(int seed)
    {
        var random = new Random(seed);
        for (var n = 0; n < Cases; n++)
        {
            var length = random.Next(0, 12);
            var sb = new StringBuilder();
            for (var i = 0; i < length; i++)
            {
                var pool = Pools[random.Next(Pools.Length)];
                var at = random.Next(pool.Length);
                // Take a whole surrogate pair when landing on either half of one.
                if (char.IsLowSurrogate(pool[at]))
                {
                    at--;
                }

                sb.Append(pool, at, char.IsHighSurrogate(pool[at]) ? 2 : 1);
            }

            yield return sb.ToString();
        }
    }

    public static TheoryData<string, int> KeyFunctions()
    {
        var data = new TheoryData<string, int>();
        foreach (var name in KeyFunction.Keys)
        {
            data.Add(name, 20251128);
            data.Add(name, 7);
        }

        return data;
    }

    private static readonly Dictionary<string, Func<string, string>> KeyFunction = new()
    {
        ["FoldWidth"] = JapaneseText.FoldWidth,
        ["RemoveSpaces"] = JapaneseText.RemoveSpaces,
        ["ToKatakana"] = JapaneseText.ToKatakana,
        ["ToHiragana"] = JapaneseText.ToHiragana,
        ["ReadingKey"] = JapaneseText.ReadingKey,
        ["LooseReadingKey"] = JapaneseText.LooseReadingKey,
        ["NameKey"] = JapaneseText.NameKey,
        ["VariantKanji.Fold"] = VariantKanji.Fold,
        ["TownKey"] = AddressKey.TownKey,
    };

    [Theory]
    [MemberData(nameof(KeyFunctions))]
    public void KeyFunction_IsIdempotent(string name, int seed)
    {
        var key = KeyFunction[name];
        foreach (var x in Strings(seed))
        {
            var once = key(x);
            Assert.True(once == key(once), $"{name} not idempotent (seed {seed}) on {Escape(x)}: {Escape(once)} then {Escape(key(once))}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ReadingKey_IgnoresHiraganaOrKatakana(int seed)
    {
        foreach (var x in Strings(seed))
        {
            var viaHiragana = JapaneseText.ReadingKey(JapaneseText.ToHiragana(x));
            var viaKatakana = JapaneseText.ReadingKey(JapaneseText.ToKatakana(x));
            Assert.True(viaHiragana == viaKatakana, $"seed {seed}, {Escape(x)}: {Escape(viaHiragana)} vs {Escape(viaKatakana)}");
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void ReadingKey_IgnoresHalfWidthForm(int seed)
    {
        foreach (var x in Strings(seed))
        {
            var half = JapaneseText.ReadingKey(JapaneseText.ToHalfWidthKatakana(x));
            var full = JapaneseText.ReadingKey(x);
            Assert.True(half == full, $"seed {seed}, {Escape(x)}: {Escape(half)} vs {Escape(full)}");
        }
    }

    [Theory]
    [InlineData(5)]
    public void LooseReadingKey_IsCoarserThanReadingKey(int seed)
    {
        // Equal reading keys must give equal loose keys: the loose level only ever joins more names.
        var strings = Strings(seed).ToList();
        foreach (var x in strings)
        {
            var twin = JapaneseText.ToHalfWidthKatakana(JapaneseText.ToHiragana(x));
            Assert.Equal(JapaneseText.ReadingKey(x), JapaneseText.ReadingKey(twin));
            Assert.Equal(JapaneseText.LooseReadingKey(x), JapaneseText.LooseReadingKey(twin));
        }
    }

    [Theory]
    [InlineData(6)]
    public void NameKey_IsAFunctionOfTheFoldedText(int seed)
    {
        // Inserting spaces or variation selectors, or writing full width, never changes the name key.
        var random = new Random(seed);
        foreach (var x in Strings(seed))
        {
            var noisy = new StringBuilder();
            foreach (var rune in x.EnumerateRunes())
            {
                noisy.Append(rune.ToString());
                if (random.Next(4) == 0)
                {
                    noisy.Append(random.Next(2) == 0 ? "\u3000" : " ");
                }
            }

            Assert.True(JapaneseText.NameKey(x) == JapaneseText.NameKey(noisy.ToString()), $"seed {seed}, {Escape(x)} vs {Escape(noisy.ToString())}");
        }
    }

    [Theory]
    [InlineData(8)]
    public void AddressKey_WrittenFormsOfOneAddress_AreEqual(int seed)
    {
        var random = new Random(seed);
        string[] towns = ["上戸田", "天神", "美女木", "新曽南", "博多駅前", "霞ヶ関"];
        string[] kanji = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
        for (var n = 0; n < Cases; n++)
        {
            var town = towns[random.Next(towns.Length)];
            var chome = random.Next(1, 100);
            var ban = random.Next(1, 60);
            var go = random.Next(1, 40);
            var expected = $"{AddressKey.TownKey(town)}|{chome}|{ban}|{go}";
            var kanjiChome = (chome >= 20 ? kanji[chome / 10] : string.Empty) + (chome >= 10 ? "十" : string.Empty) + (chome % 10 == 0 ? string.Empty : kanji[chome % 10]);
            var dash = new[] { "-", "－", "‐", "ー", "−", "─" }[random.Next(6)];
            var forms = new[]
            {
                $"{town}{chome}{dash}{ban}{dash}{go}",
                $"{town}{kanjiChome}丁目{ban}番{go}号",
                $"{town}{ToFullWidth(chome)}丁目{ToFullWidth(ban)}番地{ToFullWidth(go)}",
                $"埼玉県戸田市{town}{chome}丁目{ban}-{go}　コーポ{town}{random.Next(100, 999)}",
            };
            foreach (var form in forms)
            {
                Assert.True(AddressKey.Of(form) == expected, $"seed {seed}: {form} gave {AddressKey.Of(form)}, expected {expected}");
            }
        }
    }

    [Theory]
    [InlineData(9)]
    public void Parsers_NeverThrowOnArbitraryText(int seed)
    {
        foreach (var x in Strings(seed))
        {
            _ = Address.Parse(x);
            _ = Mimamori.Kernel.Dates.Wareki.TryParse(x, out _, out _);
            _ = Mimamori.Kernel.Dates.DateText.TryParse(x, "auto", out _, out _);
            _ = Mimamori.Kernel.People.PersonName.FromFull(x, x).SwappedReadingKey;
        }
    }

    private static string ToFullWidth(int value)
    {
        var sb = new StringBuilder();
        foreach (var c in value.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            sb.Append((char)(c - '0' + '０'));
        }

        return sb.ToString();
    }

    private static string Escape(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (var rune in s.EnumerateRunes())
        {
            sb.Append(rune.Value < 0x3000 || rune.Value is >= 0xFE00 and <= 0xFE0F || rune.Value >= 0xE0100 ? $"\\u{rune.Value:X4}" : rune.ToString());
        }

        return sb.Append('"').ToString();
    }
}
