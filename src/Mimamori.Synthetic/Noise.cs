using System.Text;
using Mimamori.Kernel.Text;

namespace Mimamori.Synthetic;

/// <summary>Feed source numbers: they salt the per-person noise draws so each feed errs independently.</summary>
internal enum Source
{
    JuminLegacy = 1,
    Juminzei = 2,
    SeikatsuHogo = 3,
    JidoFuyo = 4,
    ShugakuEnjo = 5,
    KomuAttendance = 6,
    BoshiKenshin = 7,
    KateiSodan = 8,
    JuminIdou = 9,
    JidoTeate = 10,
    ShogaiFukushi = 11,
    Gakureibo = 12,
    GakuryokuChosa = 13,
    HininSurvey = 14,
    GakkoKenshin = 15,
    NinshinTodoke = 16,
    YoboSesshu = 17,
    Hoiku = 18,
    Yotaikyo = 19,
    Jisou = 20,
    NpoShokudo = 21,
    PaperSodan = 22,
}

/// <summary>
/// Recording noise of the non-registry feeds. Decisions that a mistyped master record would repeat on every row
/// (a variant kanji, a kana typo, a wrong birth date, an old surname) come from a stateless hash of person and feed;
/// row-level noise (spaces, width, blanks, duplicates) comes from the feed's own random stream.
/// </summary>
internal sealed class Noise(World world, Source source, Random rows)
{
    private static readonly System.Buffers.SearchValues<char> SmallKanaChars = System.Buffers.SearchValues.Create("ャュョッァィゥェォ");

    private readonly NoiseOptions _o = world.Noise;

    public Random Rows { get; } = rows;

    private double U(Person p, int salt) => Rand.Unit(world.Seed, p.Index, (int)source, salt);

    private bool UseOldSurname(Person p, bool allowOld) => allowOld && p.PreviousFamily is not null && U(p, 1) < _o.OldSurnameRate;

    /// <summary>The family name as this feed recorded it.</summary>
    public string Family(Person p, bool allowOld = false)
    {
        var family = UseOldSurname(p, allowOld) ? p.PreviousFamily! : p.Family;
        return p.RomajiName ? family : Variant(family, p);
    }

    public string FamilyKana(Person p, bool allowOld = false) => UseOldSurname(p, allowOld) ? p.PreviousFamilyKana! : p.FamilyKana;

    /// <summary>Full name in kanji (or katakana for romaji-registered residents when <paramref name="katakanaForRomaji"/>).</summary>
    public string FullName(Person p, bool allowOld = false, bool katakanaForRomaji = true)
    {
        if (p.RomajiName)
        {
            return katakanaForRomaji
                ? Join(KanaTypo(FamilyKana(p, allowOld), p, true), KanaTypo(p.GivenKana, p, false), '\u3000')
                : Join(Family(p, allowOld), p.Given, ' ');
        }

        return Join(Family(p, allowOld), Variant(p.Given, p), '\u3000');
    }

    /// <summary>Full reading in full-width katakana with the feed's typos.</summary>
    public string FullKana(Person p, bool allowOld = false, char space = '\u3000') =>
        Join(KanaTypo(FamilyKana(p, allowOld), p, true), KanaTypo(p.GivenKana, p, false), space);

    /// <summary>Joins family and given name; sometimes without the space or with a space of the other width.</summary>
    public string Join(string family, string given, char space)
    {
        if (Rows.Chance(_o.SpaceNoiseRate))
        {
            return Rows.Chance(0.5) ? family + given : family + (space == ' ' ? '\u3000' : ' ') + given;
        }

        return space == '\0' ? family + given : family + space + given;
    }

    /// <summary>Full-width kana switched to half width (or half to full) now and then, as clerks type it.</summary>
    public string MixWidth(string kana, bool toHalf) =>
        Rows.Chance(_o.WidthMixRate) ? (toHalf ? JapaneseText.ToHalfWidthKatakana(kana) : JapaneseText.FoldWidth(kana)) : kana;

    public DateOnly Birth(Person p)
    {
        if (U(p, 8) >= _o.BirthDateTypoRate)
        {
            return p.Birth;
        }

        var b = p.Birth;
        var kind = U(p, 9);
        if (kind < 0.4 && b.Day <= 12 && b.Day != b.Month)
        {
            return new DateOnly(b.Year, b.Day, b.Month);
        }

        // One digit off: the last digit of the day, else of the year.
        var delta = U(p, 10) < 0.5 ? 1 : -1;
        var day = b.Day + delta;
        if (kind < 0.7 && day >= 1 && day <= DateTime.DaysInMonth(b.Year, b.Month))
        {
            return new DateOnly(b.Year, b.Month, day);
        }

        var year = b.Year + delta;
        return new DateOnly(year, b.Month, Math.Min(b.Day, DateTime.DaysInMonth(year, b.Month)));
    }

    public string Atena(Person p, double rate) => Rows.Chance(rate) ? string.Empty : p.AtenaText;

    /// <summary>
    /// The 宛名番号 this department holds: blank now and then, and rarely the number of someone who left, which the
    /// department re-issued (per person and feed, so every row of the person carries it).
    /// </summary>
    public string AtenaMaybeReused(Person p, double missingRate)
    {
        if (world.Former.Count > 0 && U(p, 40) < _o.AtenaReuseRate)
        {
            var other = world.Former[(int)(U(p, 41) * world.Former.Count)];
            if (other.Atena != p.Atena)
            {
                return other.AtenaText;
            }
        }

        return Atena(p, missingRate);
    }

    /// <summary>The given name as this feed recorded it (variants as for the family name).</summary>
    public string Given(Person p) => p.RomajiName ? p.Given : Variant(p.Given, p);

    public string FamilyKanaTypo(Person p, bool allowOld = false) => KanaTypo(FamilyKana(p, allowOld), p, true);

    public string GivenKanaTypo(Person p) => KanaTypo(p.GivenKana, p, false);

    /// <summary>Full reading, sometimes given name first (per row).</summary>
    public string FullKanaMaybeSwapped(Person p, double swapRate, char space = '\u3000')
    {
        if (Rows.Chance(swapRate))
        {
            return Join(GivenKanaTypo(p), FamilyKanaTypo(p), space);
        }

        return FullKana(p, space: space);
    }

    /// <summary>
    /// Whether this feed holds the person with family and given name the other way round in both the written name and
    /// the reading (メイ in the 氏 box of a registration form), per person and feed: every row of the person repeats it.
    /// </summary>
    public bool SwapsOrder(Person p, double rate) => U(p, 43) < rate;

    /// <summary>The address this department holds: after a move within the city some still hold the old one.</summary>
    public string Address(Person p)
    {
        var h = p.Household;
        return h.PreviousAddress is { } old && U(p, 42) < _o.StaleAddressRate ? old : h.Address;
    }

    /// <summary>A compact 和暦 birth date (R07.11.28), now and then with the wrong era letter (only birth dates: a wrong era on an event date would move it years away).</summary>
    public string WarekiCompact(DateOnly date)
    {
        var text = Mimamori.Kernel.Dates.Wareki.FormatCompact(date);
        if (!Rows.Chance(_o.WarekiEraErrorRate))
        {
            return text;
        }

        // The neighbouring era's letter: 令和 typed as 平成 and back, 平成 as 昭和.
        var wrong = text[0] switch { 'R' => 'H', 'H' => Rows.Chance(0.5) ? 'R' : 'S', 'S' => 'H', _ => text[0] };
        return wrong + text[1..];
    }

    public bool Duplicate() => Rows.Chance(_o.DuplicateRowRate);

    private string Variant(string kanji, Person p)
    {
        if (_o.VariantRate <= 0 && _o.VariantFoldRate <= 0)
        {
            return kanji;
        }

        StringBuilder? sb = null;
        for (var i = 0; i < kanji.Length; i++)
        {
            var c = kanji[i];
            foreach (var (common, variants) in PopulationBuilder.KanjiVariants)
            {
                char? replacement = null;
                if (c == common && U(p, 20 + i) < _o.VariantRate)
                {
                    replacement = variants[(int)(U(p, 30 + i) * variants.Length)];
                }
                else if (Array.IndexOf(variants, c) >= 0 && U(p, 20 + i) < _o.VariantFoldRate)
                {
                    // Many systems cannot hold 髙 or 﨑 (not in JIS X 0208) or were keyed with the everyday form.
                    replacement = common;
                }

                if (replacement is { } r)
                {
                    sb ??= new StringBuilder(kanji);
                    sb[i] = r;
                }
            }
        }

        return sb?.ToString() ?? kanji;
    }

    private string KanaTypo(string kana, Person p, bool family)
    {
        if (U(p, 5) >= _o.KanaTypoRate || (U(p, 7) < 0.5) != family)
        {
            return kana;
        }

        var first = (int)(U(p, 6) * 3);
        for (var k = 0; k < 3; k++)
        {
            var result = ((first + k) % 3) switch
            {
                0 => LongVowel(kana),
                1 => SmallKana(kana),
                _ => Voicing(kana, U(p, 11)),
            };
            if (result is not null)
            {
                return result;
            }
        }

        return kana;
    }

    /// <summary>オオタ → オータ, ユウキ → ユーキ, or the reverse ー → ウ.</summary>
    private static string? LongVowel(string s)
    {
        var i = s.IndexOf("オオ", StringComparison.Ordinal);
        if (i >= 0)
        {
            return string.Concat(s.AsSpan(0, i + 1), "ー", s.AsSpan(i + 2));
        }

        for (i = 1; i < s.Length; i++)
        {
            if (s[i] == 'ウ' && "オコソトノホモヨロゴゾドボポョュウクスツヌフムユルグズヅブプ".Contains(s[i - 1], StringComparison.Ordinal))
            {
                return string.Concat(s.AsSpan(0, i), "ー", s.AsSpan(i + 1));
            }

            if (s[i] == 'ー')
            {
                return string.Concat(s.AsSpan(0, i), "ウ", s.AsSpan(i + 1));
            }
        }

        return null;
    }

    /// <summary>A small kana written large (ショウ → シヨウ, キッカ → キツカ).</summary>
    private static string? SmallKana(string s)
    {
        const string small = "ャュョッァィゥェォ";
        const string large = "ヤユヨツアイウエオ";
        var i = s.AsSpan().IndexOfAny(SmallKanaChars);
        if (i < 0)
        {
            return null;
        }

        var chars = s.ToCharArray();
        chars[i] = large[small.IndexOf(s[i], StringComparison.Ordinal)];
        return new string(chars);
    }

    /// <summary>A voicing mark added or dropped on one kana (サキ → サギ, ダイ → タイ).</summary>
    private static string? Voicing(string s, double u)
    {
        var start = (int)(u * s.Length);
        for (var k = 0; k < s.Length; k++)
        {
            var i = (start + k) % s.Length;
            var c = s[i];
            var decomposed = c.ToString().Normalize(NormalizationForm.FormD);
            string? replaced = null;
            if (decomposed.Length == 2 && decomposed[1] == '\u3099')
            {
                replaced = decomposed[0].ToString();
            }
            else if (decomposed.Length == 1 && i > 0)
            {
                var voiced = (c + "\u3099").Normalize(NormalizationForm.FormC);
                if (voiced.Length == 1)
                {
                    replaced = voiced;
                }
            }

            if (replaced is not null)
            {
                return string.Concat(s.AsSpan(0, i), replaced, s.AsSpan(i + 1));
            }
        }

        return null;
    }
}
