using Mimamori.Kernel.Text;

namespace Mimamori.Kernel.People;

/// <summary>
/// A person's name as a source recorded it: family and given name in kanji (or katakana/romaji for foreign residents)
/// with their kana readings. Values are kept exactly as received; comparison keys are derived on demand.
/// </summary>
public sealed record PersonName(string Family, string Given, string FamilyKana, string GivenKana)
{
    /// <summary>An empty name (a source that has none).</summary>
    public static PersonName Empty { get; } = new(string.Empty, string.Empty, string.Empty, string.Empty);

    /// <summary>Splits a full name on the first full- or half-width space (山田　太郎); without a space it is all family name.</summary>
    public static PersonName FromFull(string? fullName, string? fullKana)
    {
        var (family, given) = Split(fullName);
        var (familyKana, givenKana) = Split(fullKana);
        return new PersonName(family, given, familyKana, givenKana);
    }

    /// <summary>The name as shown to staff: 山田 太郎.</summary>
    public string Display => Given.Length == 0 ? Family : $"{Family} {Given}";

    /// <summary>The reading as shown to staff: ヤマダ タロウ.</summary>
    public string DisplayKana => GivenKana.Length == 0 ? FamilyKana : $"{FamilyKana} {GivenKana}";

    /// <summary>Full-name reading key (full-width katakana, no spaces).</summary>
    public string ReadingKey => JapaneseText.ReadingKey(FamilyKana + GivenKana);

    private static (string, string) Split(string? full)
    {
        var s = (full ?? string.Empty).Trim();
        var i = s.IndexOfAny([' ', '\u3000']);
        return i < 0 ? (s, string.Empty) : (s[..i], s[(i + 1)..].Trim());
    }
}
