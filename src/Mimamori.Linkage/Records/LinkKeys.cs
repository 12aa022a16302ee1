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

    /// <summary>The derivations <see cref="Cached"/> shares within a <see cref="ShareTexts"/> scope (null outside one).</summary>
    private static readonly AsyncLocal<SharedTexts?> Shared = new();

    /// <summary>The keys of a record, derived afresh.</summary>
    public static LinkKeys Of(LinkRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var n = r.Name;
        return Compose(NameOf(n.Family, n.Given), ReadingsOf(n.FamilyKana, n.GivenKana), GivenOf(n.GivenKana), AddressOf(r.Address ?? string.Empty));
    }

    /// <summary>The keys of a record, derived on the first call for this record object and remembered while it lives.</summary>
    public static LinkKeys Cached(LinkRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return Derived.GetValue(r, static record => Shared.Value is { } shared ? shared.Of(record) : Of(record));
    }

    /// <summary>
    /// Until the returned scope is disposed, keys that <see cref="Cached"/> derives on this flow (and in the parallel
    /// loops it starts) share what equal names and addresses give. A city's records repeat few of them (a given name's
    /// reading recurs thousands of times, a household's address once per member, a person's name once per record), so
    /// a link over millions of records then derives and holds each once. The texts are recognised by reference: the
    /// link's load keeps each distinct text as one string, and a text seen twice as two strings is only derived twice.
    /// </summary>
    public static IDisposable ShareTexts()
    {
        var scope = new TextScope(Shared.Value);
        Shared.Value = new SharedTexts();
        return scope;
    }

    private sealed class TextScope(SharedTexts? previous) : IDisposable
    {
        public void Dispose() => Shared.Value = previous;
    }

    /// <summary>The derived texts by the texts they come from, derived as <see cref="Of(LinkRecord)"/> derives them.</summary>
    private sealed class SharedTexts
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<(string, string), (string Original, string Folded, char GivenInitial)> names = new(SameStrings.Instance);
        private readonly System.Collections.Concurrent.ConcurrentDictionary<(string, string), (string Reading, string Loose, string Swapped)> readings = new(SameStrings.Instance);
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string Reading, string Loose)> given = new(SameStrings.Instance);
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> addresses = new(SameStrings.Instance);

        public LinkKeys Of(LinkRecord r)
        {
            var n = r.Name;
            return Compose(
                names.GetOrAdd((n.Family, n.Given), static k => NameOf(k.Item1, k.Item2)),
                readings.GetOrAdd((n.FamilyKana, n.GivenKana), static k => ReadingsOf(k.Item1, k.Item2)),
                given.GetOrAdd(n.GivenKana, GivenOf),
                addresses.GetOrAdd(r.Address ?? string.Empty, AddressOf));
        }
    }

    /// <summary>Strings compared by reference: hashing one is reading its object's hash, not its characters.</summary>
    private sealed class SameStrings : IEqualityComparer<string>, IEqualityComparer<(string, string)>
    {
        public static readonly SameStrings Instance = new();

        public bool Equals(string? x, string? y) => ReferenceEquals(x, y);

        public int GetHashCode(string obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);

        public bool Equals((string, string) x, (string, string) y) => ReferenceEquals(x.Item1, y.Item1) && ReferenceEquals(x.Item2, y.Item2);

        public int GetHashCode((string, string) obj) => HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Item1), System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Item2));
    }

    private static LinkKeys Compose((string Original, string Folded, char GivenInitial) name, (string Reading, string Loose, string Swapped) readings, (string Reading, string Loose) given, string address) =>
        new(name.Original, name.Folded, readings.Reading, readings.Loose, readings.Swapped, given.Reading, address) { GivenLooseReading = given.Loose, GivenInitial = name.GivenInitial };

    /// <summary>The name as written, folded for width, spaces and 異体字, and the given name's first letter.</summary>
    private static (string Original, string Folded, char GivenInitial) NameOf(string family, string given)
    {
        var original = family + given;
        return (original, VariantKanji.Fold(JapaneseText.RemoveSpaces(JapaneseText.FoldWidth(original))), Initial(given));
    }

    /// <summary>The reading, its loose form, and the reading given name first.</summary>
    private static (string Reading, string Loose, string Swapped) ReadingsOf(string familyKana, string givenKana)
    {
        var kana = familyKana + givenKana;
        return (JapaneseText.ReadingKey(kana), JapaneseText.LooseReadingKey(kana), JapaneseText.ReadingKey(givenKana + familyKana));
    }

    private static (string Reading, string Loose) GivenOf(string givenKana) => (JapaneseText.ReadingKey(givenKana), JapaneseText.LooseReadingKey(givenKana));

    private static string AddressOf(string address) => JapaneseText.RemoveSpaces(JapaneseText.FoldWidth(address));

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
