using System.Globalization;
using System.Reflection;
using System.Text;
using Mimamori.Kernel.Text;

namespace Mimamori.Synthetic;

/// <summary>A name (or town) with its reading in full-width katakana.</summary>
internal sealed record NameEntry(string Kanji, string Kana);

/// <summary>One 町丁目 of the reference address list.</summary>
internal sealed record TownRow(string City, string Town, string Base, string Kana, string PostalCode, bool IsOaza);

/// <summary>
/// The reference data embedded in the assembly (gimei names, IPADIC person names, 町丁目 lists). Loaded once;
/// entries that Shift_JIS (code page 932) cannot encode are dropped, because legacy feeds must be able to carry every name.
/// </summary>
internal sealed class ReferenceData
{
    private static readonly Lazy<ReferenceData> Shared = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    public static ReferenceData Instance => Shared.Value;

    /// <summary>gimei surnames, in their file order (roughly by frequency).</summary>
    public required NameEntry[] Surnames { get; init; }

    /// <summary>IPADIC surnames: the long tail of rarer family names.</summary>
    public required NameEntry[] RareSurnames { get; init; }

    public required NameEntry[] MaleGiven { get; init; }

    public required NameEntry[] FemaleGiven { get; init; }

    /// <summary>IPADIC given names ending in 子: typical of women born before about 1970.</summary>
    public required NameEntry[] OlderFemaleGiven { get; init; }

    /// <summary>IPADIC given names ending in 夫, 男, 雄, 郎 ...: typical of men born before about 1970.</summary>
    public required NameEntry[] OlderMaleGiven { get; init; }

    /// <summary>gimei town names, for municipalities without a real 町丁目 list.</summary>
    public required NameEntry[] GenericTowns { get; init; }

    public required TownRow[] Towns { get; init; }

    private static ReferenceData Load()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var sjis = Encoding.GetEncoding(932, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        bool Encodable(string s)
        {
            try
            {
                sjis.GetByteCount(s);
                return true;
            }
            catch (EncoderFallbackException)
            {
                return false;
            }
        }

        var names = ReadYaml("gimei/names.yml");
        var addresses = ReadYaml("gimei/addresses.yml");

        var rareSurnames = new List<NameEntry>();
        var olderFemale = new List<NameEntry>();
        var olderMale = new List<NameEntry>();
        foreach (var line in ReadLines("ipadic-person-names/ipadic_person_names.tsv").Skip(1))
        {
            var f = line.Split('\t');
            if (f.Length < 3)
            {
                continue;
            }

            var (kanji, kana, cls) = (f[0], f[1], f[2]);
            if (kanji.Length is < 1 or > 3 || kana.Length < 2 || !JapaneseText.IsKatakana(kana) || !IsKanjiOnly(kanji) || !Encodable(kanji))
            {
                continue;
            }

            var entry = new NameEntry(kanji, kana);
            if (cls == "surname")
            {
                rareSurnames.Add(entry);
            }
            else if (cls == "given" && kanji.EndsWith('子') && kana.EndsWith('コ'))
            {
                olderFemale.Add(entry);
            }
            else if (cls == "given" && kanji.Length >= 2 && "夫男雄郎治".Contains(kanji[^1], StringComparison.Ordinal))
            {
                olderMale.Add(entry);
            }
        }

        var towns = new List<TownRow>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in ReadLines("address-toda-fukuoka/chome_towns.tsv").Skip(1))
        {
            var f = line.Split('\t');
            if (f.Length < 7 || f[6].Length != 7 || f[5].Length == 0 || !seen.Add(f[0] + "|" + f[1]))
            {
                continue;
            }

            towns.Add(new TownRow(f[0], f[1], f[2], f[5], f[6], f[1].StartsWith("大字", StringComparison.Ordinal)));
        }

        NameEntry[] Section(Dictionary<string, List<NameEntry>> yaml, string key) =>
            [.. yaml[key].Where(e => Encodable(e.Kanji) && JapaneseText.IsKatakana(e.Kana))];

        return new ReferenceData
        {
            Surnames = Section(names, "last_name"),
            MaleGiven = Section(names, "first_name/male"),
            FemaleGiven = Section(names, "first_name/female"),
            RareSurnames = [.. rareSurnames],
            OlderFemaleGiven = [.. olderFemale],
            OlderMaleGiven = [.. olderMale],
            GenericTowns = [.. Section(addresses, "addresses/town").Where(t => IsKanjiOnly(t.Kanji) && t.Kanji.Length <= 4)],
            Towns = [.. towns],
        };
    }

    private static bool IsKanjiOnly(string s)
    {
        foreach (var c in s)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.OtherLetter || c is >= '\u3040' and <= '\u30FF' || c is >= '\uFF00' and <= '\uFFEF')
            {
                return false;
            }
        }

        return s.Length > 0;
    }

    /// <summary>
    /// Reads the list entries of gimei's YAML (<c>- ['漢字', 'かな', 'カナ', 'Romaji']</c>) keyed by their section path,
    /// e.g. <c>first_name/male</c>. The files use only this shape, so a full YAML parser is not needed.
    /// </summary>
    private static Dictionary<string, List<NameEntry>> ReadYaml(string resource)
    {
        var result = new Dictionary<string, List<NameEntry>>(StringComparer.Ordinal);
        var path = new List<string>();
        foreach (var raw in ReadLines(resource))
        {
            var line = raw.TrimEnd();
            var trimmed = line.TrimStart();
            if (trimmed.Length == 0)
            {
                continue;
            }

            var indent = (line.Length - trimmed.Length) / 2;
            if (trimmed.StartsWith("- [", StringComparison.Ordinal))
            {
                var parts = trimmed[3..].TrimEnd(']').Split(',');
                if (parts.Length >= 3)
                {
                    var key = string.Join('/', path);
                    if (!result.TryGetValue(key, out var list))
                    {
                        list = [];
                        result[key] = list;
                    }

                    list.Add(new NameEntry(parts[0].Trim().Trim('\''), parts[2].Trim().Trim('\'')));
                }
            }
            else if (trimmed.EndsWith(':'))
            {
                while (path.Count > indent)
                {
                    path.RemoveAt(path.Count - 1);
                }

                path.Add(trimmed.TrimEnd(':'));
            }
        }

        return result;
    }

    private static IEnumerable<string> ReadLines(string resource)
    {
        using var stream = typeof(ReferenceData).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded resource {resource} is missing from {Assembly.GetExecutingAssembly().GetName().Name}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (reader.ReadLine() is { } line)
        {
            yield return line;
        }
    }
}
