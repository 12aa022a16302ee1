using Mimamori.Kernel.Text;

namespace Mimamori.Linkage.Records;

/// <summary>
/// Comparison keys derived once per record: the original name, the name after width/space/variant folding, the
/// reading, a loose reading and a family/given-swapped reading. Originals stay in <see cref="LinkRecord"/>.
/// </summary>
public sealed record LinkKeys(string Original, string Folded, string Reading, string LooseReading, string SwappedReading, string GivenReading, string Address)
{
    private string? givenLooseReading;

    /// <summary>The loose form of the given name's reading (ユウタ = ユータ), which the twin guard compares; derived on first use unless given.</summary>
    public string GivenLooseReading
    {
        get => givenLooseReading ??= JapaneseText.LooseReadingKey(GivenReading);
        init => givenLooseReading = value;
    }

    /// <summary>The first letter of the given name after width and 異体字 folding ('\0' when there is no given name), a blocking key.</summary>
    public char GivenInitial { get; init; }

    /// <summary>Keys already derived, per record object: training and resolution look at the same records, and deriving readings is most of their work.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<LinkRecord, LinkKeys> Derived = [];

    public static LinkKeys Of(LinkRecord r) => Of(r, null);

    /// <summary>The keys of a record, derived on the first call for this record object and remembered while it lives.</summary>
    public static LinkKeys Cached(LinkRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return Derived.GetValue(r, static record => Of(record, null));
    }

    /// <summary>The keys of a record, each derived value taken from <paramref name="cache"/> when its text was seen before.</summary>
    public static LinkKeys Of(LinkRecord r, PreparedRecord.KeyCache? cache)
    {
        ArgumentNullException.ThrowIfNull(r);
        cache ??= PreparedRecord.KeyCache.None;
        var original = cache.Intern(r.Name.Family + r.Name.Given);
        var folded = cache.Derive(2, original, o => VariantKanji.Fold(JapaneseText.RemoveSpaces(JapaneseText.FoldWidth(o))));
        var kana = r.Name.FamilyKana + r.Name.GivenKana;
        var reading = cache.Reading(kana);
        var loose = cache.LooseReading(kana);
        var swapped = cache.Reading(r.Name.GivenKana + r.Name.FamilyKana);
        var given = cache.Reading(r.Name.GivenKana);
        var address = cache.Derive(3, r.Address ?? string.Empty, a => JapaneseText.RemoveSpaces(JapaneseText.FoldWidth(a)));
        return new LinkKeys(original, folded, reading, loose, swapped, given, address) { GivenLooseReading = cache.LooseReading(r.Name.GivenKana), GivenInitial = Initial(r.Name.Given) };
    }

    /// <summary>The first letter of a name part after width and 異体字 folding; a letter outside the basic plane gives its first half.</summary>
    private static char Initial(string part)
    {
        var trimmed = part.AsSpan().TrimStart(" \u3000");
        if (trimmed.IsEmpty)
        {
            return '\0';
        }

        var first = char.IsHighSurrogate(trimmed[0]) && trimmed.Length > 1 ? trimmed[..2].ToString() : trimmed[..1].ToString();
        var folded = VariantKanji.Fold(JapaneseText.FoldWidth(first));
        return folded.Length > 0 ? folded[0] : '\0';
    }
}
