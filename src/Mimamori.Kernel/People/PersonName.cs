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

    /// <summary>
    /// Full-name key at the "exact after folding" level: width, spaces and variant kanji folded, so 髙橋 太郎 and
    /// 高橋太郎 give the same key (see <see cref="JapaneseText.NameKey(string?)"/>).
    /// </summary>
    public string NameKey => JapaneseText.NameKey(Family + Given);

    /// <summary>Full-name reading key at the "fuzzy reading" level (オオタ = オータ = オウタ; see <see cref="JapaneseText.LooseReadingKey(string?)"/>).</summary>
    public string LooseReadingKey => JapaneseText.LooseReadingKey(FamilyKana + GivenKana);

    /// <summary>
    /// The reading key with given name first: equal to another record's <see cref="ReadingKey"/> when one source put the
    /// names in the wrong order (タロウ ヤマダ for ヤマダ タロウ), as happens with foreign residents' names and with
    /// hand-keyed forms. Equal to <see cref="ReadingKey"/> when there is no given name to swap.
    /// </summary>
    public string SwappedReadingKey => JapaneseText.ReadingKey(GivenKana + FamilyKana);

    /// <summary>The <see cref="NameKey"/> with given name first, for the same wrong-order case.</summary>
    public string SwappedNameKey => JapaneseText.NameKey(Given + Family);

    /// <summary>
    /// True when the two names are the same person's name with family and given name exchanged, by reading or by name.
    /// Names that read the same either way round (no given name, or a palindrome of parts) are not reported as swapped.
    /// </summary>
    public bool IsSwappedOf(PersonName other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var byReading = SwappedReadingKey.Length > 0 && SwappedReadingKey == other.ReadingKey && ReadingKey != other.ReadingKey;
        var byName = SwappedNameKey.Length > 0 && SwappedNameKey == other.NameKey && NameKey != other.NameKey;
        return byReading || byName;
    }

    private static (string, string) Split(string? full)
    {
        var s = (full ?? string.Empty).Trim();
        var i = s.IndexOfAny([' ', '\u3000']);
        return i < 0 ? (s, string.Empty) : (s[..i], s[(i + 1)..].Trim());
    }
}
