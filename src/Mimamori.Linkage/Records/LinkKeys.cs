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

    public static LinkKeys Of(LinkRecord r) => Of(r, null);

    /// <summary>The keys of a record, derived on the first call for this record object and remembered while it lives.</summary>
    public static LinkKeys Cached(LinkRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return Derived.GetValue(r, static record => Shared.Value is { } shared ? shared.Of(record) : Of(record, null));
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

    /// <summary>The derived texts by the texts they come from (the same values <see cref="Of(LinkRecord)"/> derives).</summary>
    private sealed class SharedTexts
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<(string, string), (string Original, string Folded, char GivenInitial)> names = new(SameStrings.Pairs);
        private readonly System.Collections.Concurrent.ConcurrentDictionary<(string, string), (string Reading, string Loose, string Swapped)> readings = new(SameStrings.Pairs);
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string Reading, string Loose)> given = new(SameStrings.One);
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> addresses = new(SameStrings.One);

        public LinkKeys Of(LinkRecord r)
        {
            var n = r.Name;
            var name = names.GetOrAdd((n.Family, n.Given), static k =>
            {
                var original = k.Item1 + k.Item2;
                return (original, VariantKanji.Fold(JapaneseText.RemoveSpaces(JapaneseText.FoldWidth(original))), Initial(k.Item2));
            });
            var reading = readings.GetOrAdd((n.FamilyKana, n.GivenKana), static k =>
            {
                var kana = k.Item1 + k.Item2;
                return (JapaneseText.ReadingKey(kana), JapaneseText.LooseReadingKey(kana), JapaneseText.ReadingKey(k.Item2 + k.Item1));
            });
            var part = given.GetOrAdd(n.GivenKana, static g => (JapaneseText.ReadingKey(g), JapaneseText.LooseReadingKey(g)));
            var address = addresses.GetOrAdd(r.Address ?? string.Empty, static a => JapaneseText.RemoveSpaces(JapaneseText.FoldWidth(a)));
            return new LinkKeys(name.Original, name.Folded, reading.Reading, reading.Loose, reading.Swapped, part.Reading, address) { GivenLooseReading = part.Loose, GivenInitial = name.GivenInitial };
        }
    }

    /// <summary>Strings compared by reference: hashing one is reading its object's hash, not its characters.</summary>
    private sealed class SameStrings : IEqualityComparer<string>, IEqualityComparer<(string, string)>
    {
        public static readonly SameStrings One = new();

        public static readonly SameStrings Pairs = One;

        public bool Equals(string? x, string? y) => ReferenceEquals(x, y);

        public int GetHashCode(string obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);

        public bool Equals((string, string) x, (string, string) y) => ReferenceEquals(x.Item1, y.Item1) && ReferenceEquals(x.Item2, y.Item2);

        public int GetHashCode((string, string) obj) => HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Item1), System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Item2));
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
