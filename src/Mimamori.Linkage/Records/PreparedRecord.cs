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
    public static PreparedRecord Of(int index, FieldRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var family = NameText.Tokens(r.FamilyName);
        var given = NameText.Tokens(r.GivenName);
        var tokens = family.Length + given.Length > 0 ? [.. family, .. given] : NameText.Tokens(r.FullName);
        var familyReading = JapaneseText.ReadingKey(r.FamilyKana);
        var givenReading = JapaneseText.ReadingKey(r.GivenKana);
        var fullKana = r.FamilyKana.Length + r.GivenKana.Length > 0 ? r.FamilyKana + r.GivenKana : r.FullKana;
        var split = (family.Length > 0 && given.Length > 0) || (familyReading.Length > 0 && givenReading.Length > 0);
        return new PreparedRecord(index, r)
        {
            NameTokens = tokens,
            Name = string.Concat(tokens),
            SortedName = string.Join(' ', tokens.Order(StringComparer.Ordinal)),
            Family = string.Concat(family),
            Given = string.Concat(given),
            Reading = JapaneseText.ReadingKey(fullKana),
            LooseReading = JapaneseText.LooseReadingKey(fullKana),
            FamilyReading = familyReading,
            GivenReading = givenReading,
            FamilyLooseReading = JapaneseText.LooseReadingKey(familyReading),
            GivenLooseReading = JapaneseText.LooseReadingKey(givenReading),
            HasSplitName = split,
            Sex = SexOf(r.Sex),
            PostalCode = Digits(r.PostalCode),
            Address = AddressOf(r.Address),
            Phone = PhoneOf(r.Phone),
            Identifier = JapaneseText.RemoveSpaces(JapaneseText.FoldWidth(r.Identifier)).ToUpperInvariant(),
            Other = [.. r.Other.Select(o => JapaneseText.RemoveSpaces(JapaneseText.FoldWidth(o)).ToUpperInvariant())],
        };
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
}
