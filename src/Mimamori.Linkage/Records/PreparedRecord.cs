using Mimamori.Kernel.Places;
using Mimamori.Kernel.Text;

namespace Mimamori.Linkage.Records;

/// <summary>
/// The comparison keys of one <see cref="FieldRecord"/>, derived once: folded name tokens and keys, kana readings,
/// digits of postal code and phone, a normalised address and identifier. Empty strings stand for missing values.
/// </summary>
public sealed class PreparedRecord
{
    private PreparedRecord(int index, FieldRecord source)
    {
        Index = index;
        Source = source;
    }

    /// <summary>Position in the input (0-based over all files).</summary>
    public int Index { get; }

    public FieldRecord Source { get; }

    public int File => Source.File;

    /// <summary>Folded name tokens in the order written (family first for split names).</summary>
    public string[] NameTokens { get; private init; } = [];

    /// <summary>The folded full name without separators.</summary>
    public string Name { get; private init; } = string.Empty;

    /// <summary>The folded name tokens sorted: equal for "John Smith" and "Smith John".</summary>
    public string SortedName { get; private init; } = string.Empty;

    public string Family { get; private init; } = string.Empty;

    public string Given { get; private init; } = string.Empty;

    /// <summary>Full reading key (katakana, no spaces) and its loose form.</summary>
    public string Reading { get; private init; } = string.Empty;

    public string LooseReading { get; private init; } = string.Empty;

    public string FamilyReading { get; private init; } = string.Empty;

    public string GivenReading { get; private init; } = string.Empty;

    /// <summary>Loose forms of the family and given readings (オオタ = オータ).</summary>
    public string FamilyLooseReading { get; private init; } = string.Empty;

    public string GivenLooseReading { get; private init; } = string.Empty;

    /// <summary>
    /// The loose reading given name first, when the reading comes in two parts (family and given kana, or a full
    /// reading with a space between them); empty otherwise. A name written the other way round has this as its reading.
    /// </summary>
    public string SwappedLooseReading { get; private init; } = string.Empty;

    /// <summary>True when family and given name (or their readings) were given separately.</summary>
    public bool HasSplitName { get; private init; }

    public DateOnly? BirthDate => Source.BirthDate;

    /// <summary>'M', 'F' or '\0' when unknown.</summary>
    public char Sex { get; private init; }

    public string PostalCode { get; private init; } = string.Empty;

    public string Address { get; private init; } = string.Empty;

    public string Phone { get; private init; } = string.Empty;

    public string Identifier { get; private init; } = string.Empty;

    public string[] Other { get; private init; } = [];

    /// <summary>Derives the keys of a record.</summary>
    public static PreparedRecord Of(int index, FieldRecord r) => Of(index, r, null);

    /// <summary>
    /// Derives the keys of a record, taking each derived value from <paramref name="cache"/> when the same text was
    /// seen before: a list of a million people holds a few thousand distinct names and readings, and equal keys then
    /// share one string.
    /// </summary>
    public static PreparedRecord Of(int index, FieldRecord r, KeyCache? cache)
    {
        ArgumentNullException.ThrowIfNull(r);
        cache ??= KeyCache.None;
        var family = cache.Tokens(r.FamilyName);
        var given = cache.Tokens(r.GivenName);
        var tokens = family.Length + given.Length > 0 ? [.. family, .. given] : cache.Tokens(r.FullName);
        var familyReading = cache.Reading(r.FamilyKana);
        var givenReading = cache.Reading(r.GivenKana);
        var fullKana = r.FamilyKana.Length + r.GivenKana.Length > 0 ? r.FamilyKana + r.GivenKana : r.FullKana;
        var split = (family.Length > 0 && given.Length > 0) || (familyReading.Length > 0 && givenReading.Length > 0);
        return new PreparedRecord(index, r)
        {
            NameTokens = tokens,
            Name = cache.Intern(string.Concat(tokens)),
            SortedName = cache.Intern(tokens.Length < 2 ? string.Concat(tokens) : string.Join(' ', tokens.Order(StringComparer.Ordinal))),
            Family = family.Length == 1 ? family[0] : string.Concat(family),
            Given = given.Length == 1 ? given[0] : string.Concat(given),
            Reading = cache.Reading(fullKana),
            LooseReading = cache.LooseReading(fullKana),
            FamilyReading = familyReading,
            GivenReading = givenReading,
            FamilyLooseReading = cache.LooseReading(familyReading),
            GivenLooseReading = cache.LooseReading(givenReading),
            SwappedLooseReading = cache.LooseReading(SwappedKana(r)),
            HasSplitName = split,
            Sex = SexOf(r.Sex),
            PostalCode = cache.Derive(0, r.PostalCode, Digits),
            Address = cache.Derive(1, r.Address, AddressOf),
            Phone = PhoneOf(r.Phone),
            Identifier = JapaneseText.RemoveSpaces(JapaneseText.FoldWidth(r.Identifier)).ToUpperInvariant(),
            Other = [.. r.Other.Select(o => JapaneseText.RemoveSpaces(JapaneseText.FoldWidth(o)).ToUpperInvariant())],
        };
    }

    /// <summary>The kana given name first: from the two kana columns, else from a full reading split at its first space.</summary>
    private static string SwappedKana(FieldRecord r)
    {
        if (r.FamilyKana.Length > 0 || r.GivenKana.Length > 0)
        {
            return r.FamilyKana.Length > 0 && r.GivenKana.Length > 0 ? r.GivenKana + r.FamilyKana : string.Empty;
        }

        var full = r.FullKana.AsSpan().Trim(" \u3000");
        var space = full.IndexOfAny(' ', '\u3000');
        if (space < 0)
        {
            return string.Empty;
        }

        var given = full[(space + 1)..].Trim(" \u3000");
        return given.IsEmpty ? string.Empty : string.Concat(given, full[..space]);
    }

    private static char SexOf(string text) => JapaneseText.FoldWidth(text).ToUpperInvariant() switch
    {
        "M" or "MALE" or "男" or "男性" or "1" => 'M',
        "F" or "FEMALE" or "女" or "女性" or "2" => 'F',
        _ => '\0',
    };

    private static string Digits(string text) => string.Concat(JapaneseText.FoldWidth(text).Where(char.IsAsciiDigit));

    /// <summary>Digits only, with a +81 country prefix turned into the domestic leading 0.</summary>
    private static string PhoneOf(string text)
    {
        var digits = Digits(text);
        return digits.StartsWith("81", StringComparison.Ordinal) && digits.Length >= 11 ? "0" + digits[2..] : digits;
    }

    /// <summary>Japanese addresses by their town|丁目|番|号 key; others folded to lower-case words.</summary>
    private static string AddressOf(string text)
    {
        var folded = JapaneseText.FoldWidth(text);
        if (folded.Length == 0)
        {
            return string.Empty;
        }

        return folded.Any(c => c > '\u2E80') ? AddressKey.Of(folded) : string.Join(' ', NameText.Tokens(folded));
    }

    /// <summary>Derived keys by the text they came from, shared by the threads preparing one list.</summary>
    public sealed class KeyCache
    {
        private readonly bool enabled;
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string[]> tokens = new(StringComparer.Ordinal);
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> readings = new(StringComparer.Ordinal);
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> loose = new(StringComparer.Ordinal);
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string>[] derived = [new(StringComparer.Ordinal), new(StringComparer.Ordinal), new(StringComparer.Ordinal), new(StringComparer.Ordinal)];
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> interned = new(StringComparer.Ordinal);

        public KeyCache()
            : this(true)
        {
        }

        private KeyCache(bool enabled) => this.enabled = enabled;

        /// <summary>No caching: every value derived afresh.</summary>
        internal static KeyCache None { get; } = new(false);

        /// <summary>Name tokens; callers must not change the array, which is shared.</summary>
        internal string[] Tokens(string text) =>
            !enabled ? NameText.Tokens(text) : text.Length == 0 ? [] : tokens.TryGetValue(text, out var hit) ? hit : tokens.GetOrAdd(text, [.. NameText.Tokens(text).Select(Intern)]);

        internal string Reading(string kana) =>
            !enabled ? JapaneseText.ReadingKey(kana) : kana.Length == 0 ? string.Empty : readings.TryGetValue(kana, out var hit) ? hit : readings.GetOrAdd(kana, Intern(JapaneseText.ReadingKey(kana)));

        internal string LooseReading(string kana) =>
            !enabled ? JapaneseText.LooseReadingKey(kana) : kana.Length == 0 ? string.Empty : loose.TryGetValue(kana, out var hit) ? hit : loose.GetOrAdd(kana, Intern(JapaneseText.LooseReadingKey(kana)));

        /// <summary>A value derived from one field (slot 0 a postal code's digits, 1 an address key, 2 a folded name, 3 a folded address), by the field's text.</summary>
        internal string Derive(int slot, string text, Func<string, string> derive) =>
            !enabled ? derive(text) : text.Length == 0 ? string.Empty : derived[slot].TryGetValue(text, out var hit) ? hit : derived[slot].GetOrAdd(text, derive(text));

        internal string Intern(string text) => !enabled || text.Length == 0 ? text : interned.TryGetValue(text, out var hit) ? hit : interned.GetOrAdd(text, text);
    }
}
