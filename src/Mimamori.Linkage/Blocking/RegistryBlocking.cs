using Mimamori.Linkage.Clustering;
using Mimamori.Linkage.Records;

namespace Mimamori.Linkage.Blocking;

/// <summary>
/// The blocking rules of the registry pipeline, over the spine (one person per registry 宛名番号): same 宛名番号; same
/// birth date and the same first letter of the family reading, of the given reading, of the family name or of the
/// given name; same reading and day of birth (month and day: the year is what 和暦 mix-ups and year slips change);
/// same reading for a record without a birth date; same loose reading and birth year; and two rules for a name written
/// family and given name the other way round: its reading equal to a person's reading given name first (without a birth
/// date), and its family reading's first letter equal to a person's given reading's first letter and the other way round
/// (with the same birth date). A block larger than <see cref="MaxBlock"/> is too
/// common to say anything (a frequent reading alone) and is not scored. Also counts the pairs per rule and measures or
/// estimates each rule's pair recall.
/// </summary>
/// <remarks>
/// The birth date alone made blocks that grow with the city (about 44 residents per day of birth in 福岡市, 115 million
/// pairs): a first letter cuts each block to a handful while a slip elsewhere in the name still meets its person,
/// and the four letters together miss a person only when all of them differ (a new family name after marriage and a
/// mistyped first kana and kanji of the given name). The reading alone did the same (frequent full names: 22 million
/// pairs at 福岡市); with the month and day it keeps what it found beyond the other rules, a wrong birth year.
/// A swapped name (メイ in the 氏 column) kept no key of the others: the readings differ, and each first letter is
/// compared with the same part on the other side. The swapped rules compare across: the spine is indexed by its
/// reading given name first and by its initials in the other order, so they stay as small as the reading's and the
/// birth date's blocks, and find only persons whose name the record holds the other way round (or whose two initials
/// are alike, which the other rules find already).
/// </remarks>
public sealed class RegistryBlocking
{
    /// <summary>Blocks larger than this are skipped.</summary>
    public const int MaxBlock = 400;

    private readonly IReadOnlyList<LinkRecord> spine;
    private readonly IReadOnlyList<LinkKeys> spineKeys;
    private readonly Dictionary<string, int> byAtena;
    private readonly Dictionary<long, List<int>> byBirthInitial = [];
    private readonly Dictionary<string, List<int>> byReading = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, int), List<int>> byReadingDay = [];
    private readonly Dictionary<(string, int), List<int>> byLoose = [];
    private readonly Dictionary<string, List<int>> bySwappedReading = new(StringComparer.Ordinal);
    private readonly Dictionary<long, List<int>> bySwappedInitials = [];

    private RegistryBlocking(IReadOnlyList<LinkRecord> spine, IReadOnlyList<LinkKeys> spineKeys, Dictionary<string, int> byAtena)
    {
        this.spine = spine;
        this.spineKeys = spineKeys;
        this.byAtena = byAtena;
    }

    /// <summary>The distinct identities of the department records and their keys, as the resolver compared them (null until it has).</summary>
    internal (LinkRecord[] Records, LinkKeys[] Keys)? Identities { get; set; }

    /// <summary>The rules in the order candidates are taken.</summary>
    public static IReadOnlyList<string> Rules { get; } = ["atena_no", "birth_date_family_reading", "birth_date_given_reading", "birth_date_family_name", "birth_date_given_name", "reading_month_day", "reading_without_birth_date", "loose_reading_year", "swapped_reading_without_birth_date", "birth_date_swapped_initials"];

    /// <summary>The first birth-date rule's index; the four of them follow one another.</summary>
    private const int FirstInitialRule = 1;

    private const int InitialRules = 4;

    private const int ReadingRule = FirstInitialRule + InitialRules;

    private const int NoBirthReadingRule = ReadingRule + 1;

    private const int LooseRule = NoBirthReadingRule + 1;

    private const int SwappedReadingRule = LooseRule + 1;

    private const int SwappedInitialsRule = SwappedReadingRule + 1;

    /// <summary>Indexes the spine persons (representative record and keys, by person index) and their 宛名番号.</summary>
    public static RegistryBlocking Of(IReadOnlyList<LinkRecord> spine, IReadOnlyList<LinkKeys> keys, Dictionary<string, int> byAtena)
    {
        ArgumentNullException.ThrowIfNull(spine);
        ArgumentNullException.ThrowIfNull(keys);
        var blocking = new RegistryBlocking(spine, [.. keys.Take(spine.Count)], byAtena);
        for (var p = 0; p < spine.Count; p++)
        {
            var k = keys[p];
            for (var kind = 0; kind < InitialRules; kind++)
            {
                if (BirthInitial(spine[p], k, kind) is { } key)
                {
                    Append(blocking.byBirthInitial, key, p);
                }
            }

            if (spine[p].BirthDate is { } d)
            {
                if (k.LooseReading.Length > 0)
                {
                    Append(blocking.byLoose, (k.LooseReading, d.Year), p);
                }
            }

            if (k.Reading.Length > 0)
            {
                Append(blocking.byReading, k.Reading, p);
                if (spine[p].BirthDate is { } birth)
                {
                    Append(blocking.byReadingDay, (k.Reading, DayOfYear(birth)), p);
                }
            }

            if (HasSwappedReading(k))
            {
                Append(blocking.bySwappedReading, k.SwappedReading, p);
            }

            if (Initials(spine[p], k, givenFirst: true) is { } swapped)
            {
                Append(blocking.bySwappedInitials, swapped, p);
            }
        }

        return blocking;
    }

    /// <summary>The spine persons the rules pair with a record, in rule order.</summary>
    public void Candidates(LinkRecord r, LinkKeys k, HashSet<int> into)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(k);
        ArgumentNullException.ThrowIfNull(into);
        into.Clear();
        for (var rule = 0; rule < Rules.Count; rule++)
        {
            foreach (var p in Block(rule, r, k))
            {
                into.Add(p);
            }
        }
    }

    /// <summary>The rules (bit per rule index) that put a record and a spine person in one scored block.</summary>
    public uint RulesPairing(LinkRecord r, LinkKeys k, int person)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(k);
        var p = spine[person];
        var kp = spineKeys[person];
        uint mask = 0;
        if (r.AtenaNo is { Length: > 0 } atena && byAtena.TryGetValue(atena, out var byNumber) && byNumber == person)
        {
            mask |= 1;
        }

        for (var kind = 0; kind < InitialRules; kind++)
        {
            if (BirthInitial(r, k, kind) is { } key && key == BirthInitial(p, kp, kind) && Small(byBirthInitial, key))
            {
                mask |= 1u << (FirstInitialRule + kind);
            }
        }

        if (k.Reading.Length > 0 && k.Reading == kp.Reading && r.BirthDate is { } rd && p.BirthDate is { } pd && DayOfYear(rd) == DayOfYear(pd) && Small(byReadingDay, (k.Reading, DayOfYear(rd))))
        {
            mask |= 1u << ReadingRule;
        }

        if (r.BirthDate is null && k.Reading.Length > 0 && k.Reading == kp.Reading && Small(byReading, k.Reading))
        {
            mask |= 1u << NoBirthReadingRule;
        }

        if (r.BirthDate is { } d2 && p.BirthDate is { } dp && d2.Year == dp.Year && k.LooseReading.Length > 0 && k.LooseReading == kp.LooseReading && Small(byLoose, (k.LooseReading, d2.Year)))
        {
            mask |= 1u << LooseRule;
        }

        if (r.BirthDate is null && k.Reading.Length > 0 && HasSwappedReading(kp) && k.Reading == kp.SwappedReading && Small(bySwappedReading, k.Reading))
        {
            mask |= 1u << SwappedReadingRule;
        }

        if (Initials(r, k, givenFirst: false) is { } initials && initials == Initials(p, kp, givenFirst: true) && Small(bySwappedInitials, initials))
        {
            mask |= 1u << SwappedInitialsRule;
        }

        return mask;
    }

    /// <summary>Candidate pairs per rule over the identities: found first by the rule (new) and in all (shared), and the oversized blocks met.</summary>
    public IReadOnlyList<RuleCount> Count(IReadOnlyList<LinkRecord> identities, IReadOnlyList<LinkKeys> keys)
    {
        ArgumentNullException.ThrowIfNull(identities);
        ArgumentNullException.ThrowIfNull(keys);
        var rules = Rules.Count;
        var added = new long[rules];
        var shared = new long[rules];
        var gate = new object();
        Parallel.For(
            0,
            identities.Count,
            () => (Seen: new HashSet<int>(), Added: new long[rules], Shared: new long[rules]),
            (i, _, local) =>
            {
                local.Seen.Clear();
                for (var rule = 0; rule < rules; rule++)
                {
                    foreach (var p in Block(rule, identities[i], keys[i]))
                    {
                        local.Shared[rule]++;
                        if (local.Seen.Add(p))
                        {
                            local.Added[rule]++;
                        }
                    }
                }

                return local;
            },
            local =>
            {
                lock (gate)
                {
                    for (var rule = 0; rule < rules; rule++)
                    {
                        added[rule] += local.Added[rule];
                        shared[rule] += local.Shared[rule];
                    }
                }
            });
        var oversized = new int[rules];
        foreach (var (key, block) in byBirthInitial)
        {
            if (block.Count > MaxBlock)
            {
                oversized[FirstInitialRule + (int)((key >> 16) & 0xF)]++;
            }
        }

        oversized[ReadingRule] = byReadingDay.Values.Count(b => b.Count > MaxBlock);
        oversized[NoBirthReadingRule] = byReading.Values.Count(b => b.Count > MaxBlock);
        oversized[LooseRule] = byLoose.Values.Count(b => b.Count > MaxBlock);
        oversized[SwappedReadingRule] = bySwappedReading.Values.Count(b => b.Count > MaxBlock);
        oversized[SwappedInitialsRule] = bySwappedInitials.Values.Count(b => b.Count > MaxBlock);
        return [.. Rules.Select((id, rule) => new RuleCount(id, added[rule], oversized[rule], shared[rule]))];
    }

    /// <summary>
    /// Pair recall per rule against the spine: of the pairs (distinct identity of a department record, registry person
    /// who is the same person), the share each rule blocks and the share any rule does. With <paramref name="truthOf"/>
    /// (record id → true person; null for a record without truth) the pairs are the true ones and recall is measured;
    /// without, they are the links the resolver made to the spine, and the figure (an estimate) is each rule's share of them.
    /// </summary>
    public RecallFigures Recall(IReadOnlyList<LinkRecord> records, LinkResult result, Func<long, string?>? truthOf)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(result);
        var (identities, keys) = Identities ?? (records.Where(r => !r.IsRegistry).DistinctBy(r => (r.AtenaNo, r.Name, r.BirthDate, r.Sex, r.Address)).ToArray(), Array.Empty<LinkKeys>());
        var target = new int[identities.Length];
        if (truthOf is null)
        {
            var linked = result.Assignments.Where(a => a.Method is "atena" or "probabilistic" && a.Person < spine.Count).ToDictionary(a => a.RecordId, a => a.Person);
            for (var i = 0; i < identities.Length; i++)
            {
                target[i] = linked.TryGetValue(identities[i].RecordId, out var p) ? p : -1;
            }
        }
        else
        {
            var spinePerson = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var p = 0; p < spine.Count; p++)
            {
                if (truthOf(spine[p].RecordId) is { } t)
                {
                    spinePerson.TryAdd(t, p);
                }
            }

            for (var i = 0; i < identities.Length; i++)
            {
                target[i] = truthOf(identities[i].RecordId) is { } t && spinePerson.TryGetValue(t, out var p) ? p : -1;
            }
        }

        var found = new long[Rules.Count];
        long pairs = 0, union = 0;
        var gate = new object();
        Parallel.For(
            0,
            identities.Length,
            () => (Found: new long[Rules.Count], Pairs: 0L, Union: 0L),
            (i, _, local) =>
            {
                if (target[i] < 0)
                {
                    return local;
                }

                var mask = RulesPairing(identities[i], keys.Length > 0 ? keys[i] : LinkKeys.Of(identities[i]), target[i]);
                for (var rule = 0; rule < Rules.Count; rule++)
                {
                    local.Found[rule] += (mask >> rule) & 1;
                }

                return (local.Found, local.Pairs + 1, local.Union + (mask != 0 ? 1 : 0));
            },
            local =>
            {
                lock (gate)
                {
                    pairs += local.Pairs;
                    union += local.Union;
                    for (var rule = 0; rule < Rules.Count; rule++)
                    {
                        found[rule] += local.Found[rule];
                    }
                }
            });
        double Share(long n) => pairs == 0 ? 1 : (double)n / pairs;
        return new RecallFigures(truthOf is null ? "estimated" : "measured", [.. found.Select(Share)], Share(union), pairs);
    }

    private List<int> Block(int rule, LinkRecord r, LinkKeys k)
    {
        switch (rule)
        {
            case 0 when r.AtenaNo is { Length: > 0 } atena && byAtena.TryGetValue(atena, out var byNumber):
                return [byNumber];
            case >= FirstInitialRule and < ReadingRule when BirthInitial(r, k, rule - FirstInitialRule) is { } key && byBirthInitial.TryGetValue(key, out var sameInitial) && sameInitial.Count <= MaxBlock:
                return sameInitial;
            case ReadingRule when k.Reading.Length > 0 && r.BirthDate is { } d2 && byReadingDay.TryGetValue((k.Reading, DayOfYear(d2)), out var sameDay) && sameDay.Count <= MaxBlock:
                return sameDay;
            case NoBirthReadingRule when k.Reading.Length > 0 && r.BirthDate is null && byReading.TryGetValue(k.Reading, out var sameReading) && sameReading.Count <= MaxBlock:
                return sameReading;
            case LooseRule when r.BirthDate is { } d3 && k.LooseReading.Length > 0 && byLoose.TryGetValue((k.LooseReading, d3.Year), out var sameLoose) && sameLoose.Count <= MaxBlock:
                return sameLoose;
            case SwappedReadingRule when k.Reading.Length > 0 && r.BirthDate is null && bySwappedReading.TryGetValue(k.Reading, out var swappedReading) && swappedReading.Count <= MaxBlock:
                return swappedReading;
            case SwappedInitialsRule when Initials(r, k, givenFirst: false) is { } initials && bySwappedInitials.TryGetValue(initials, out var swappedInitials) && swappedInitials.Count <= MaxBlock:
                return swappedInitials;
            default:
                return NoBlock;
        }
    }

    /// <summary>
    /// The key of a birth-date rule: the day, the rule (0 family reading, 1 given reading, 2 family name, 3 given name)
    /// and the first letter, packed in one number; null when the record lacks the date or that part of the name.
    /// Readings give the first letter of their loose form (ショウ and ジョウ, ユウ and ユー begin alike); names the
    /// first letter after width and 異体字 folding (髙橋 and 高橋).
    /// </summary>
    internal static long? BirthInitial(LinkRecord r, LinkKeys k, int kind)
    {
        if (r.BirthDate is not { } d)
        {
            return null;
        }

        var initial = kind switch
        {
            0 when r.Name.FamilyKana.Length > 0 && k.LooseReading.Length > 0 => k.LooseReading[0],
            1 when k.GivenLooseReading.Length > 0 => k.GivenLooseReading[0],
            2 when r.Name.Family.Length > 0 && k.Folded.Length > 0 => k.Folded[0],
            3 => k.GivenInitial,
            _ => '\0',
        };
        return initial == '\0' ? null : ((long)d.DayNumber << 20) | ((long)kind << 16) | initial;
    }

    /// <summary>
    /// The birth date and the first letters of the family and given readings (loose forms, as the reading rules take
    /// them), packed in one number: family letter first, or given letter first for the spine's index, so that a record
    /// whose name was written the other way round meets its person. Null without a birth date or either reading: a
    /// reading without a space between the names cannot be split, and the name rules are left for it.
    /// </summary>
    internal static long? Initials(LinkRecord r, LinkKeys k, bool givenFirst)
    {
        if (r.BirthDate is not { } d || r.Name.FamilyKana.Length == 0 || k.LooseReading.Length == 0 || k.GivenLooseReading.Length == 0)
        {
            return null;
        }

        var (first, second) = givenFirst ? (k.GivenLooseReading[0], k.LooseReading[0]) : (k.LooseReading[0], k.GivenLooseReading[0]);
        return ((long)d.DayNumber << 32) | ((long)first << 16) | second;
    }

    /// <summary>A reading given name first that is not the reading itself: both parts are there and differ in order.</summary>
    private static bool HasSwappedReading(LinkKeys k) => k.SwappedReading.Length > 0 && k.SwappedReading != k.Reading;

    /// <summary>Month and day as one number (0612): what a mistyped year or a 和暦 year mix-up leaves intact.</summary>
    private static int DayOfYear(DateOnly d) => (d.Month * 100) + d.Day;

    /// <summary>The empty block (never written to).</summary>
    private static readonly List<int> NoBlock = [];

    private static bool Small<TKey>(Dictionary<TKey, List<int>> index, TKey key)
        where TKey : notnull => index.TryGetValue(key, out var list) && list.Count <= MaxBlock;

    /// <summary>Adds a value to the list of a key.</summary>
    internal static void Append<TKey>(Dictionary<TKey, List<int>> index, TKey key, int value)
        where TKey : notnull
    {
        if (!index.TryGetValue(key, out var list))
        {
            list = [];
            index[key] = list;
        }

        list.Add(value);
    }
}
