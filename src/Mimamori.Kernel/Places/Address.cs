using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Mimamori.Kernel.Text;

namespace Mimamori.Kernel.Places;

/// <summary>
/// A Japanese address split into its parts: 埼玉県戸田市上戸田一丁目２番３号　コーポ戸田１０１ gives prefecture 埼玉県,
/// city 戸田市, town 上戸田, chome 1, banchi 2, go 3, building コーポ戸田, room 101. Numbers are ASCII digits whatever
/// way they were written (１, 一, 1). Parts a source did not give are empty (or null for the numbers).
/// </summary>
/// <param name="Prefecture">都道府県 (empty when the text starts below it).</param>
/// <param name="City">市区町村, with 郡 or the ward of a 政令市 (戸田市, 福岡市中央区); empty when absent.</param>
/// <param name="Town">町域 without 丁目 (上戸田), width-folded but otherwise as written.</param>
/// <param name="Chome">丁目 number.</param>
/// <param name="Banchi">番 or 番地 (街区 or 地番), as digits.</param>
/// <param name="Go">号 (or the number after 番地の), as digits.</param>
/// <param name="Building">Building name.</param>
/// <param name="Room">Room number.</param>
public sealed partial record Address(string Prefecture, string City, string Town, int? Chome, string? Banchi, string? Go, string Building, string Room)
{
    private const string KanjiDigits = "〇一二三四五六七八九";

    /// <summary>
    /// Splits an address. Prefecture and city are optional; the number part may be written as 一丁目２番３号,
    /// 1丁目2番地3, 1-2-3 (chome-banchi-go) or 123-4 (banchi-go, where there is no 丁目). Never throws.
    /// </summary>
    /// <remarks>
    /// Without a prefecture a leading 市区町村 is only recognised when it ends in 市 or 区 (or is a 郡's 町村), because
    /// town names such as 元町通 or 本町 also end in 町. A 市 followed by 場 or 市 does not end a city (十日市場町 is a
    /// town, 四日市市 a city).
    /// </remarks>
    public static Address Parse(string? text)
    {
        var s = UnifyHyphens(JapaneseText.FoldWidth(text));
        var prefecture = string.Empty;
        var m = PrefectureRegex().Match(s);
        if (m.Success)
        {
            prefecture = m.Value;
            s = s[m.Length..];
        }

        var city = string.Empty;
        foreach (var candidate in CityCandidates(s, prefecture.Length > 0))
        {
            if (LooksLikeTown(s[candidate.Length..].TrimStart()))
            {
                city = candidate;
                s = s[candidate.Length..].TrimStart();
                break;
            }
        }

        var townEnd = FindTownEnd(s);
        if (townEnd < 0)
        {
            return new Address(prefecture, city, s.Trim(), null, null, null, string.Empty, string.Empty);
        }

        var town = s[..townEnd].Trim();
        var numbers = ReadNumbers(s, townEnd, out var rest);
        int? chome = null;
        var index = 0;
        var marked = numbers.Any(n => n.Suffix is NumberSuffix.Ban or NumberSuffix.Go);
        if (numbers[0].Suffix == NumberSuffix.Chome || (!marked && numbers.Count >= 3))
        {
            // A 丁目 too large for an int is nonsense input; it is dropped rather than thrown on.
            chome = int.TryParse(numbers[0].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
            index = 1;
        }

        var banchi = index < numbers.Count ? numbers[index].Value : null;
        var go = index + 1 < numbers.Count ? numbers[index + 1].Value : null;
        var extraRoom = index + 2 < numbers.Count ? numbers[index + 2].Value : null;
        var (building, room) = SplitBuilding(rest);
        if (room.Length == 0 && extraRoom is not null)
        {
            room = extraRoom;
        }

        return new Address(prefecture, city, town, chome, banchi, go, building, room);
    }

    /// <summary>The key that compares spellings of the same place equal (see <see cref="AddressKey"/>).</summary>
    public string Key => AddressKey.Of(this);

    private enum NumberSuffix
    {
        None,
        Chome,
        Ban,
        Go,
    }

    private readonly record struct Number(string Value, NumberSuffix Suffix);

    /// <summary>
    /// The index where the town name ends and the number part begins: the first numeral (after at least one character
    /// of town) that is followed by 丁目, 番 (not 番町/番丁, which are town names), 号, a hyphen, の + numeral, a space or
    /// the end. -1 when there is no number part.
    /// </summary>
    private static int FindTownEnd(string s)
    {
        for (var i = 1; i < s.Length; i++)
        {
            if (!IsNumeral(s[i]) || IsNumeral(s[i - 1]))
            {
                continue;
            }

            var j = i;
            while (j < s.Length && IsNumeral(s[j]))
            {
                j++;
            }

            var isAsciiRun = char.IsAsciiDigit(s[i]);
            if (j == s.Length || s[j] == ' ')
            {
                // A bare kanji numeral at the end is part of the name far more often than a number (三田, 五反田一).
                if (isAsciiRun)
                {
                    return i;
                }

                continue;
            }

            var after = s[j..];
            if (after.StartsWith("丁目", StringComparison.Ordinal) || after.StartsWith('号') ||
                (after.StartsWith('番') && !after.StartsWith("番町", StringComparison.Ordinal) && !after.StartsWith("番丁", StringComparison.Ordinal)) ||
                (after.StartsWith('-') && (isAsciiRun || (after.Length > 1 && IsNumeral(after[1])))) ||
                (after.StartsWith('の') && after.Length > 1 && IsNumeral(after[1])))
            {
                return i;
            }

            if (isAsciiRun)
            {
                // ASCII digits straight after the town and before a building name (上戸田1コーポ) still start the numbers.
                return i;
            }
        }

        return -1;
    }

    /// <summary>True when what follows a candidate 市区町村 can be a town: not empty and not already the numbers.</summary>
    private static bool LooksLikeTown(string rest) =>
        rest.Length > 0 && !char.IsAsciiDigit(rest[0]) && rest[0] != '-' && FindTownEnd("x" + rest) != 1;

    private static List<Number> ReadNumbers(string s, int start, out string rest)
    {
        var numbers = new List<Number>();
        var i = start;
        while (i < s.Length && IsNumeral(s[i]))
        {
            var j = i;
            while (j < s.Length && IsNumeral(s[j]))
            {
                j++;
            }

            var value = NumeralValue(s[i..j]);
            var suffix = NumberSuffix.None;
            var after = s[j..];
            if (after.StartsWith("丁目", StringComparison.Ordinal))
            {
                suffix = NumberSuffix.Chome;
                j += 2;
            }
            else if (after.StartsWith("番地", StringComparison.Ordinal))
            {
                suffix = NumberSuffix.Ban;
                j += 2;
            }
            else if (after.StartsWith('番'))
            {
                suffix = NumberSuffix.Ban;
                j += 1;
            }
            else if (after.StartsWith("号室", StringComparison.Ordinal))
            {
                // 101号室 straight after the numbers is a room, not a 号.
                break;
            }
            else if (after.StartsWith('号'))
            {
                suffix = NumberSuffix.Go;
                j += 1;
            }

            numbers.Add(new Number(value, suffix));
            if (suffix is NumberSuffix.Chome or NumberSuffix.Ban)
            {
                // 一丁目 ２番 ３号: spaces between marked parts do not end the number part.
                while (j + 1 < s.Length && s[j] == ' ' && IsNumeral(s[j + 1]))
                {
                    j++;
                }
            }

            var separated = j < s.Length && (s[j] == '-' || s[j] == 'の');
            if (separated && j + 1 < s.Length && IsNumeral(s[j + 1]))
            {
                j++;
            }
            else if (suffix == NumberSuffix.None || suffix == NumberSuffix.Go)
            {
                i = j;
                break;
            }

            i = j;
        }

        rest = s[i..].TrimStart(' ', '-');
        return numbers;
    }

    private static (string Building, string Room) SplitBuilding(string rest)
    {
        rest = rest.Trim();
        if (rest.Length == 0)
        {
            return (string.Empty, string.Empty);
        }

        var m = RoomRegex().Match(rest);
        return m.Success ? (m.Groups["building"].Value.Trim(), m.Groups["room"].Value) : (rest, string.Empty);
    }

    private static IEnumerable<string> CityCandidates(string s, bool afterPrefecture)
    {
        var m = GunRegex().Match(s);
        if (m.Success)
        {
            yield return m.Value;
        }

        m = WardRegex().Match(s);
        if (m.Success)
        {
            yield return m.Value;
        }

        m = (afterPrefecture ? MunicipalityRegex() : CityOrWardRegex()).Match(s);
        if (m.Success)
        {
            yield return m.Value;
        }
    }

    private static bool IsNumeral(char c) => char.IsAsciiDigit(c) || KanjiDigits.Contains(c, StringComparison.Ordinal) || c is '十' or '百';

    /// <summary>ASCII digits (leading zeros dropped) for a numeral written in digits or kanji (十二, 二十, 一〇一, 百五).</summary>
    internal static string NumeralValue(string numeral)
    {
        if (numeral.All(char.IsAsciiDigit))
        {
            var trimmed = numeral.TrimStart('0');
            return trimmed.Length == 0 ? "0" : trimmed;
        }

        if (!numeral.Contains('十', StringComparison.Ordinal) && !numeral.Contains('百', StringComparison.Ordinal))
        {
            // Positional kanji digits (一〇一 = 101), as used in room and lot numbers.
            var sb = new StringBuilder(numeral.Length);
            foreach (var c in numeral)
            {
                sb.Append(char.IsAsciiDigit(c) ? c : (char)('0' + KanjiDigits.IndexOf(c, StringComparison.Ordinal)));
            }

            return NumeralValue(sb.ToString());
        }

        var total = 0;
        var digit = -1;
        foreach (var c in numeral)
        {
            if (c == '百' || c == '十')
            {
                total += (digit < 0 ? 1 : digit) * (c == '百' ? 100 : 10);
                digit = -1;
            }
            else
            {
                var d = char.IsAsciiDigit(c) ? c - '0' : KanjiDigits.IndexOf(c, StringComparison.Ordinal);
                digit = digit < 0 ? d : (digit * 10) + d;
            }
        }

        total += digit < 0 ? 0 : digit;
        return total.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Every dash that data entry produces (‐ ‑ ‒ – — ― − ─ ━ ﹣) becomes '-'; the long-vowel mark ー (and ｰ) only
    /// between numerals, because it belongs in building names such as コーポ.
    /// </summary>
    private static string UnifyHyphens(string s)
    {
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c is '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u2015' or '\u2212' or '\u2500' or '\u2501' or '\uFE63' or '\uFF0D')
            {
                sb.Append('-');
            }
            else if (c is 'ー' or 'ｰ' && i > 0 && i + 1 < s.Length && IsNumeral(s[i - 1]) && IsNumeral(s[i + 1]))
            {
                sb.Append('-');
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    [GeneratedRegex(@"^(東京都|北海道|京都府|大阪府|\p{IsCJKUnifiedIdeographs}{2,3}県)")]
    private static partial Regex PrefectureRegex();

    [GeneratedRegex(@"^[^\s\d-]+?郡[^\s\d-]+?[町村]")]
    private static partial Regex GunRegex();

    [GeneratedRegex(@"^[^\s\d-]+?市(?![場市])[^\s\d-]+?区")]
    private static partial Regex WardRegex();

    [GeneratedRegex(@"^[^\s\d-]+?(市(?![場市])|[区町村])")]
    private static partial Regex MunicipalityRegex();

    [GeneratedRegex(@"^[^\s\d-]+?(市(?![場市])|区)")]
    private static partial Regex CityOrWardRegex();

    [GeneratedRegex(@"^(?<building>.*?)\s*(?<room>[0-9]+[A-Za-z]?|[A-Za-z]-?[0-9]+)(号室|号)?$")]
    private static partial Regex RoomRegex();
}
