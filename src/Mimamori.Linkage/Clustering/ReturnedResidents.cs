using Mimamori.Linkage.Records;
using Mimamori.Linkage.Scoring;

namespace Mimamori.Linkage.Clustering;

/// <summary>A later 宛名番号 joined to an earlier one: the same resident, who moved out and came back.</summary>
/// <param name="LaterAtena">The number issued on the return (its first movement is a 転入).</param>
/// <param name="EarlierAtena">The number that closed before (its last movement is a 転出 or 消除).</param>
/// <param name="LaterRecordId">The row of the later number that agrees best with one of the earlier number.</param>
/// <param name="EarlierRecordId">That row of the earlier number.</param>
/// <param name="Weight">The match weight of the two rows, the numbers left out.</param>
/// <param name="Explanation">Its waterfall, as every link carries one.</param>
public sealed record ReturnedMerge(string LaterAtena, string EarlierAtena, long LaterRecordId, long EarlierRecordId, double Weight, string Explanation);

/// <summary>The numbers the registry pass joins, the record that stands for each joined person, and the cases left to staff.</summary>
/// <param name="Merges">Each joined later number's merge, by the later number.</param>
/// <param name="RootOf">Each joined number (earlier and later) with the first number of its resident.</param>
/// <param name="Representatives">By first number: the record that stands for the joined person (the latest number's first row).</param>
/// <param name="Review">Returns that could not be decided: two candidates, a weight short of the link threshold.</param>
public sealed record ReturnedNumbers(
    IReadOnlyDictionary<string, ReturnedMerge> Merges, IReadOnlyDictionary<string, string> RootOf, IReadOnlyDictionary<string, LinkRecord> Representatives, IReadOnlyList<ReviewPair> Review)
{
    public static readonly ReturnedNumbers None = new(
        new Dictionary<string, ReturnedMerge>(), new Dictionary<string, string>(), new Dictionary<string, LinkRecord>(), []);

    /// <summary>The number a registry record's person is kept under: the first number of a joined resident, else its own.</summary>
    public string Root(string atena) => RootOf.TryGetValue(atena, out var root) ? root : atena;
}

/// <summary>
/// Residents who moved out (転出) and later back in (転入) get a new 宛名番号, as in real cities, so the registry
/// holds them as two numbers. A number whose history ends in 転出 or 消除 is joined with a later number whose history
/// begins with a 転入 after that day when their rows agree as strongly as any link (a weight above the link
/// threshold, the numbers left out), with the same birth date, and the twin guard objects to no pair of rows. Two numbers alive
/// at the same time are never joined: the later one opens after the earlier one closed, and two numbers the registry's
/// snapshot both holds are both alive.
/// When a later number matches more than one earlier resident, or an earlier one is matched by two later numbers
/// alive at the same time, nothing is joined and the pairs go to data staff; so does a pair whose weight falls between
/// the review and link thresholds.
/// </summary>
public static class ReturnedResidents
{
    /// <summary>The method of a link that joins a later number's registry rows to the resident's earlier number.</summary>
    public const string Method = "returned";

    /// <summary>The review reason of a return with more than one candidate.</summary>
    public const string AmbiguousReason = "returned under a new 宛名番号: more than one candidate";

    /// <summary>The review reason of a return whose weight lies between the review and link thresholds.</summary>
    public const string WeakReason = "returned under a new 宛名番号: weight between the review and link thresholds";

    /// <param name="registry">The registry records, each with its movement (<see cref="LinkRecord.Event"/>) where it is one.</param>
    /// <param name="twinConflict">The resolver's twin guard: true when two records are two people whatever their weight.</param>
    public static ReturnedNumbers Find(IReadOnlyList<LinkRecord> registry, PairScorer scorer, Func<LinkRecord, LinkKeys, LinkRecord, LinkKeys, bool> twinConflict)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentNullException.ThrowIfNull(twinConflict);
        var numbers = Numbers(registry);
        if (numbers.Count == 0)
        {
            return ReturnedNumbers.None;
        }

        // Closed numbers by birth date and given name (its loose reading, or its folded writing): a surname may change
        // while the resident is away, the given name rarely does; a city has a few closed numbers per birth date.
        var closedByKey = new Dictionary<(DateOnly, string), List<Number>>();
        foreach (var n in numbers.Values)
        {
            if (n.Closing is not null)
            {
                foreach (var key in n.Keys())
                {
                    Add(closedByKey, key, n);
                }
            }
        }

        // Every later number against the closed numbers born the same day that closed before it opened.
        var model = scorer.Model;
        var review = new List<ReviewPair>();
        var strong = new Dictionary<Number, List<Candidate>>();
        var strongOfEarlier = new Dictionary<Number, List<Number>>();
        var opened = numbers.Values.Where(n => n.Opening is not null).OrderBy(n => n.OpenedOn).ThenBy(n => n.Opening!.RecordId).ToList();
        var sameDay = new HashSet<Number>();
        foreach (var later in opened)
        {
            sameDay.Clear();
            foreach (var key in later.Keys())
            {
                if (closedByKey.TryGetValue(key, out var found))
                {
                    sameDay.UnionWith(found);
                }
            }

            foreach (var earlier in sameDay.OrderBy(n => n.First.RecordId))
            {
                if (earlier == later || earlier.ClosedOn >= later.OpenedOn || (earlier.InSnapshot && later.InSnapshot))
                {
                    continue;
                }

                if (Compare(later, earlier, scorer, twinConflict) is not { } best)
                {
                    continue;
                }

                if (best.Weight >= model.LinkThreshold && best.Later.BirthDate == best.Earlier.BirthDate)
                {
                    Add(strong, later, new Candidate(earlier, best.Weight, best.Later, best.Earlier));
                    Add(strongOfEarlier, earlier, later);
                }
                else if (best.Weight >= model.ReviewThreshold)
                {
                    review.Add(new ReviewPair(best.Later.RecordId, best.Earlier.RecordId, best.Weight, WeakReason));
                }
            }
        }

        // In the order the numbers opened, so that a resident who left and came back twice joins up link by link: the
        // third number meets the first two as one resident, whose latest number is the one that closed last.
        var latest = new Dictionary<Number, Number>();
        var rootOf = new Dictionary<Number, Number>();
        Number Root(Number n) => rootOf.TryGetValue(n, out var r) ? r : n;
        var merges = new Dictionary<string, ReturnedMerge>(StringComparer.Ordinal);
        foreach (var later in opened)
        {
            if (!strong.TryGetValue(later, out var candidates))
            {
                continue;
            }

            // An earlier number already joined by a later one stands for its resident no longer; that resident's
            // latest number does, when it closed too (it is among the candidates then).
            var open = candidates.Where(c => latest.GetValueOrDefault(Root(c.Earlier), Root(c.Earlier)) == c.Earlier).ToList();
            var rivals = open.Count == 1
                ? strongOfEarlier[open[0].Earlier].Where(other => other != later && AliveTogether(other, later)).ToList()
                : [];
            if (open.Count != 1 || rivals.Count > 0)
            {
                foreach (var c in open.Count == 0 ? candidates : open)
                {
                    review.Add(new ReviewPair(c.LaterRow.RecordId, c.EarlierRow.RecordId, c.Weight, AmbiguousReason));
                }

                continue;
            }

            var chosen = open[0];
            var joined = chosen.Earlier;
            var root = Root(joined);
            rootOf[later] = root;
            rootOf[joined] = root;
            latest[root] = later;
            var (x, y) = (chosen.LaterRow, chosen.EarlierRow);
            merges[later.Atena] = new ReturnedMerge(
                later.Atena, joined.Atena, x.RecordId, y.RecordId, chosen.Weight, scorer.ExplainJson(Unnumbered(x), LinkKeys.Cached(x), Unnumbered(y), LinkKeys.Cached(y)));
        }

        var roots = rootOf.ToDictionary(kv => kv.Key.Atena, kv => kv.Value.Atena, StringComparer.Ordinal);
        var representatives = latest.ToDictionary(kv => kv.Key.Atena, kv => kv.Value.First, StringComparer.Ordinal);
        return new ReturnedNumbers(merges, roots, representatives, review);
    }

    /// <summary>The registry records by 宛名番号, with the movements that open and close each number.</summary>
    private static Dictionary<string, Number> Numbers(IReadOnlyList<LinkRecord> registry)
    {
        var numbers = new Dictionary<string, Number>(StringComparer.Ordinal);
        if (!registry.Any(r => r.Event is not null))
        {
            return numbers;
        }

        foreach (var r in registry.OrderBy(r => r.RecordId))
        {
            if (r.AtenaNo is not { Length: > 0 } atena)
            {
                continue;
            }

            if (!numbers.TryGetValue(atena, out var n))
            {
                n = new Number(atena, r);
                numbers[atena] = n;
            }

            n.Add(r);
        }

        return numbers;
    }

    /// <summary>
    /// The best-agreeing pair of a row of the later number and a row of the earlier one, or null when any pair is
    /// twins. Every row counts, not only the 転入 and the 転出: a registry that writes a surname changed while away on
    /// one row and the old one on another still shows the resident on both numbers.
    /// </summary>
    private static (double Weight, LinkRecord Later, LinkRecord Earlier)? Compare(Number later, Number earlier, PairScorer scorer, Func<LinkRecord, LinkKeys, LinkRecord, LinkKeys, bool> twinConflict)
    {
        (double Weight, LinkRecord Later, LinkRecord Earlier)? best = null;
        foreach (var a in later.Records)
        {
            foreach (var b in earlier.Records)
            {
                var (x, y) = (Unnumbered(a), Unnumbered(b));
                var (kx, ky) = (LinkKeys.Cached(a), LinkKeys.Cached(b));
                if (twinConflict(x, kx, y, ky))
                {
                    return null;
                }

                var weight = scorer.Score(x, kx, y, ky);
                if (best is not { } b0 || weight > b0.Weight)
                {
                    best = (weight, a, b);
                }
            }
        }

        return best;
    }

    private static bool AliveTogether(Number a, Number b) =>
        a.OpenedOn <= (b.ClosedOn ?? DateOnly.MaxValue) && b.OpenedOn <= (a.ClosedOn ?? DateOnly.MaxValue);

    // A returning resident's two numbers never agree, by construction; the comparison of the rows leaves them out.
    private static LinkRecord Unnumbered(LinkRecord r) => r with { AtenaNo = null };

    private static void Add<TKey, TValue>(Dictionary<TKey, List<TValue>> index, TKey key, TValue value)
        where TKey : notnull
    {
        if (!index.TryGetValue(key, out var list))
        {
            list = [];
            index[key] = list;
        }

        list.Add(value);
    }

    /// <summary>A closed number a later one matches strongly, with the weight and the two rows that agree best.</summary>
    private sealed record Candidate(Number Earlier, double Weight, LinkRecord LaterRow, LinkRecord EarlierRow);

    /// <summary>One 宛名番号: its records, whether the snapshot holds it, and its first and last movements that open or close it.</summary>
    private sealed class Number(string atena, LinkRecord first)
    {
        private LinkRecord? firstMove;
        private LinkRecord? lastMove;

        public string Atena => atena;

        public LinkRecord First => first;

        public List<LinkRecord> Records { get; } = [];

        /// <summary>Blocking keys of the number's rows: birth date with the given name's loose reading, and with its folded writing.</summary>
        public HashSet<(DateOnly, string)> Keys()
        {
            var keys = new HashSet<(DateOnly, string)>();
            foreach (var r in Records)
            {
                if (r.BirthDate is not { } birth)
                {
                    continue;
                }

                var reading = LinkKeys.Cached(r).GivenLooseReading;
                if (reading.Length > 0)
                {
                    keys.Add((birth, "r:" + reading));
                }

                var written = Kernel.Text.JapaneseText.NameKey(r.Name.Given);
                if (written.Length > 0)
                {
                    keys.Add((birth, "w:" + written));
                }
            }

            return keys;
        }

        public bool InSnapshot { get; private set; }

        /// <summary>The 転入 row the number's history begins with, when it does.</summary>
        public LinkRecord? Opening => firstMove?.Event is { Kind: RegistryEvent.MoveIn } ? firstMove : null;

        /// <summary>The 転出 or 消除 row the number's history ends with, when it does.</summary>
        public LinkRecord? Closing => lastMove?.Event is { Closes: true } ? lastMove : null;

        public DateOnly OpenedOn => Opening?.Event?.Date ?? DateOnly.MinValue;

        public DateOnly? ClosedOn => Closing?.Event?.Date;

        public void Add(LinkRecord r)
        {
            Records.Add(r);
            if (r.Event is not { ChangesResidence: true } e)
            {
                InSnapshot |= r.Event is null;
                return;
            }

            if (firstMove?.Event is not { } f || e.Date < f.Date)
            {
                firstMove = r;
            }

            if (lastMove?.Event is not { } l || e.Date >= l.Date)
            {
                lastMove = r;
            }
        }
    }
}
