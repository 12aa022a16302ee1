using Mimamori.Linkage.Blocking;
using Mimamori.Linkage.Comparisons;
using Mimamori.Linkage.Records;
using Mimamori.Linkage.Scoring;

namespace Mimamori.Linkage.Clustering;

/// <summary>
/// Resolves records to persons. The resident registry is the spine: each registry 宛名番号 is one person. Every other
/// record is compared with the spine candidates its blocking keys find (same 宛名番号, same birth date, same reading,
/// same loose reading and birth year) and linked to the best one whose total weight passes the model's threshold;
/// records that match nobody are clustered among themselves (people not registered here, 住登外者) and become new
/// persons.
/// </summary>
/// <remarks>
/// Keys are derived once per record object (<see cref="LinkKeys.Cached"/>), so training and resolution share them;
/// there is no cache by text: full readings are nearly unique per person, so it would mostly grow rather than hit. The spine does not change while records are resolved, so each distinct identity is scored against its spine
/// candidates in parallel; only the few new persons, which earlier records create and later ones may join, are
/// compared in a second, ordered pass. The outcome is the same as comparing every record in order.
/// </remarks>
public static class IdentityResolver
{
    /// <summary>The review reason of a record whose 宛名番号 belongs to somebody else.</summary>
    public const string NumberConflictReason = "same 宛名番号, different person";

    public static LinkResult Resolve(IReadOnlyList<LinkRecord> records, LinkageModel model) => Resolve(records, model, null);

    /// <param name="onBlocked">Called once the candidate pairs are counted per blocking rule, before any scoring.</param>
    public static LinkResult Resolve(IReadOnlyList<LinkRecord> records, LinkageModel model, Action<IReadOnlyList<RuleCount>>? onBlocked)
    {
        ArgumentNullException.ThrowIfNull(records);
        var scorer = new PairScorer(model);
        var persons = new List<ResolvedPerson>();
        var personKeys = new List<LinkKeys>();
        var assignments = new List<LinkAssignment>(records.Count);
        var review = new List<ReviewPair>();
        var byAtena = new Dictionary<string, int>(StringComparer.Ordinal);

        // 1. The spine: one person per registry 宛名番号, and one for the numbers of a resident who moved out and came back.
        var registry = records.Where(r => r.IsRegistry).OrderBy(r => r.RecordId).ToArray();
        var registryKeys = new LinkKeys[registry.Length];
        Parallel.For(0, registry.Length, i => registryKeys[i] = LinkKeys.Cached(registry[i]));
        var returned = ReturnedResidents.Find(registry, scorer, IsTwinConflict);
        review.AddRange(returned.Review);
        for (var i = 0; i < registry.Length; i++)
        {
            var r = registry[i];
            var merge = r.AtenaNo is { Length: > 0 } number ? returned.Merges.GetValueOrDefault(number) : null;
            var assignment = merge is null
                ? new LinkAssignment(r.RecordId, -1, "registry", 0, "{}")
                : new LinkAssignment(r.RecordId, -1, ReturnedResidents.Method, merge.Weight, merge.Explanation);
            var root = r.AtenaNo is { Length: > 0 } atena ? returned.Root(atena) : null;
            if (root is not null && byAtena.TryGetValue(root, out var existing))
            {
                byAtena.TryAdd(r.AtenaNo!, existing);
                assignments.Add(assignment with { Person = existing });
                continue;
            }

            // A joined resident is represented by the first row of their latest number: the registry as it holds them now.
            var index = persons.Count;
            var representative = root is not null && returned.Representatives.TryGetValue(root, out var latest) ? latest : r;
            persons.Add(new ResolvedPerson(index, representative));
            personKeys.Add(ReferenceEquals(representative, r) ? registryKeys[i] : LinkKeys.Cached(representative));
            if (root is not null)
            {
                byAtena[root] = index;
                byAtena.TryAdd(r.AtenaNo!, index);
            }

            assignments.Add(assignment with { Person = index });
        }

        var spineCount = persons.Count;

        // A record carrying an earlier (or later) number of a joined resident meets the person as if the person bore
        // that number: the number agrees, as it did before the numbers were joined.
        var numbered = new Dictionary<string, LinkRecord>(StringComparer.Ordinal);
        if (returned.Merges.Count > 0)
        {
            foreach (var (number, person) in byAtena)
            {
                if (persons[person].Representative is { } held && held.AtenaNo != number)
                {
                    numbered[number] = held with { AtenaNo = number };
                }
            }
        }

        LinkRecord RepresentativeFor(LinkRecord r, int person) =>
            numbered.Count > 0 && r.AtenaNo is { Length: > 0 } a && numbered.TryGetValue(a, out var held) && byAtena[a] == person ? held : persons[person].Representative;
        var spine = RegistryBlocking.Of(persons.Select(p => p.Representative).ToList(), personKeys, byAtena);

        // 2. Other records, scored once per distinct identity (a pupil's twelve monthly rows are one comparison).
        var groups = records.Where(r => !r.IsRegistry)
            .GroupBy(r => (r.AtenaNo, r.Name, r.BirthDate, r.BirthWindow, r.Sex, r.Address))
            .OrderBy(g => g.Min(r => r.RecordId))
            .Select(g => g.ToArray())
            .ToArray();
        var keys = new LinkKeys[groups.Length];
        Parallel.For(0, groups.Length, g => keys[g] = LinkKeys.Cached(groups[g][0]));

        // Candidate pairs per rule, counted before anything is scored.
        var identities = groups.Select(g => g[0]).ToArray();
        spine.Identities = (identities, keys);
        var perRule = spine.Count(identities, keys);
        onBlocked?.Invoke(perRule);

        // Spine candidates, in parallel: best and second-best weight per identity.
        var best = new int[groups.Length];
        var bestScore = new double[groups.Length];
        var second = new double[groups.Length];
        var pairCounts = new int[groups.Length];
        var conflict = new int[groups.Length];
        Parallel.For(
            0,
            groups.Length,
            () => new HashSet<int>(),
            (g, _, candidates) =>
            {
                var r = groups[g][0];
                spine.Candidates(r, keys[g], candidates);
                (best[g], bestScore[g], second[g], conflict[g]) = Best(scorer, r, keys[g], candidates, RepresentativeFor, personKeys, double.NegativeInfinity, double.NegativeInfinity, -1);
                pairCounts[g] = candidates.Count;
                return candidates;
            },
            _ => { });

        // New persons, in order: an identity may join one an earlier identity created.
        var created = new NewPersonIndex();
        var method = new string[groups.Length];
        var newCandidates = new HashSet<int>();
        long pairs = pairCounts.Sum(c => (long)c);
        int atenaLinks = 0, probabilistic = 0, createdCount = 0;
        var personOfGroup = new int[groups.Length];
        for (var g = 0; g < groups.Length; g++)
        {
            var r = groups[g][0];
            var k = keys[g];
            created.Candidates(r, k, newCandidates);
            pairs += newCandidates.Count;
            (best[g], bestScore[g], second[g], _) = Best(scorer, r, k, newCandidates, RepresentativeFor, personKeys, bestScore[g], second[g], best[g]);
            if (best[g] >= 0 && bestScore[g] >= model.LinkThreshold && bestScore[g] - second[g] >= 3)
            {
                personOfGroup[g] = best[g];
                var rep = RepresentativeFor(r, best[g]);
                var atenaAgrees = !string.IsNullOrEmpty(r.AtenaNo) && r.AtenaNo == rep.AtenaNo;
                method[g] = atenaAgrees ? "atena" : "probabilistic";
                if (atenaAgrees)
                {
                    atenaLinks += groups[g].Length;
                }
                else
                {
                    probabilistic += groups[g].Length;
                }
            }
            else
            {
                if (best[g] >= 0 && bestScore[g] >= model.ReviewThreshold)
                {
                    var reason = bestScore[g] >= model.LinkThreshold ? "two candidates score alike" : "weight between the review and link thresholds";
                    review.Add(new ReviewPair(r.RecordId, persons[best[g]].Representative.RecordId, bestScore[g], reason));
                }

                var person = persons.Count;
                persons.Add(new ResolvedPerson(person, r));
                personKeys.Add(k);
                created.Add(person, r, k);
                personOfGroup[g] = person;
                method[g] = "new";
                createdCount++;
            }

            if (conflict[g] >= 0)
            {
                var holder = persons[conflict[g]];
                review.Add(new ReviewPair(r.RecordId, holder.Representative.RecordId, scorer.Score(r, k, RepresentativeFor(r, conflict[g]), personKeys[conflict[g]]), NumberConflictReason));
            }
        }

        // Explanations of the decided links (and of the best candidate a new person had), in parallel.
        var explanations = new string[groups.Length];
        Parallel.For(0, groups.Length, g =>
        {
            var target = method[g] == "new" ? best[g] : personOfGroup[g];
            explanations[g] = target >= 0 ? scorer.ExplainJson(groups[g][0], keys[g], RepresentativeFor(groups[g][0], target), personKeys[target]) : "{}";
        });
        for (var g = 0; g < groups.Length; g++)
        {
            foreach (var member in groups[g])
            {
                assignments.Add(new LinkAssignment(member.RecordId, personOfGroup[g], method[g], method[g] == "new" ? 0 : bestScore[g], explanations[g]));
            }
        }

        var stats = new LinkStats(records.Count, groups.Length + spineCount, pairs, atenaLinks, probabilistic, createdCount, review.Count) { ReturnedNumbers = returned.Merges.Count };
        return new LinkResult(persons, assignments, review, stats) { Blocking = perRule, SpineBlocking = spine };
    }

    /// <summary>
    /// The best and second-best weight over the candidates, continuing from what earlier candidates gave, and the
    /// person whose 宛名番号 the record carries although it is clearly not them (-1 when none).
    /// </summary>
    private static (int Best, double BestScore, double Second, int NumberConflict) Best(
        PairScorer scorer, LinkRecord r, LinkKeys k, HashSet<int> candidates, Func<LinkRecord, int, LinkRecord> representativeFor, List<LinkKeys> personKeys, double bestScore, double second, int best)
    {
        var numberConflict = -1;
        foreach (var c in candidates)
        {
            var candidate = representativeFor(r, c);
            if (r.AtenaNo is { Length: > 0 } && r.AtenaNo == candidate.AtenaNo && IsNumberConflict(r, k, candidate, personKeys[c]))
            {
                numberConflict = c;
                continue;
            }

            if (IsTwinConflict(r, k, candidate, personKeys[c]))
            {
                continue;
            }

            var s = scorer.Score(r, k, candidate, personKeys[c]);
            if (s > bestScore)
            {
                second = bestScore;
                bestScore = s;
                best = c;
            }
            else if (s > second)
            {
                second = s;
            }
        }

        return (best, bestScore, second, numberConflict);
    }

    /// <summary>
    /// The trusted number agrees but the person does not: a sibling's twin, or neither name nor birth date near. The
    /// number alone outweighs both disagreements under some models, so it must never decide here: a person from
    /// data staff does, whatever the weight.
    /// </summary>
    private static bool IsNumberConflict(LinkRecord a, LinkKeys ka, LinkRecord b, LinkKeys kb) =>
        IsTwinConflict(a, ka, b, kb) || (PairComparer.Name(ka, kb) == "different" && PairComparer.BirthDate(a, b) is "different" or PairComparer.OutsideWindow);

    /// <summary>
    /// Twins (and siblings with one birthday) share a birth date, a surname and an address but not a given name; no
    /// weight of agreement elsewhere may join them. Only readings are compared so that 異体字 never splits a person.
    /// </summary>
    /// <remarks>Twins never share a written given name: the same kanji with two readings (張 娜: ナウ, ナー) is one person whose reading was written two ways.</remarks>
    private static bool IsTwinConflict(LinkRecord a, LinkKeys ka, LinkRecord b, LinkKeys kb)
    {
        if (a.BirthDate != b.BirthDate || ka.GivenReading.Length == 0 || kb.GivenReading.Length == 0)
        {
            return false;
        }

        // The readings first: they are already at hand, while the written names are folded here.
        if (ka.GivenReading == kb.GivenReading || ka.GivenLooseReading == kb.GivenLooseReading)
        {
            return false;
        }

        if (SameWrittenGivenName(a.Name.Given, b.Name.Given))
        {
            return false;
        }

        // A swapped family/given order is not a different given name.
        return ka.Reading != kb.SwappedReading && ka.SwappedReading != kb.Reading;
    }

    private static bool SameWrittenGivenName(string a, string b)
    {
        var x = Kernel.Text.JapaneseText.RemoveSpaces(Kernel.Text.JapaneseText.FoldWidth(a));
        return x.Length > 0 && x == Kernel.Text.JapaneseText.RemoveSpaces(Kernel.Text.JapaneseText.FoldWidth(b));
    }

    /// <summary>
    /// The persons created during resolution, by birth date, reading (in either order of the names), and loose reading
    /// with year: coarser keys than the spine's blocking rules, since few persons are created and a record must find one
    /// made moments before.
    /// </summary>
    private sealed class NewPersonIndex
    {
        private readonly Dictionary<DateOnly, List<int>> byBirth = [];
        private readonly Dictionary<string, List<int>> byReading = new(StringComparer.Ordinal);
        private readonly Dictionary<(string, int), List<int>> byLoose = [];

        public void Add(int person, LinkRecord r, LinkKeys k)
        {
            if (r.BirthDate is { } d)
            {
                RegistryBlocking.Append(byBirth, d, person);
                if (k.LooseReading.Length > 0)
                {
                    RegistryBlocking.Append(byLoose, (k.LooseReading, d.Year), person);
                }
            }

            if (k.Reading.Length > 0)
            {
                RegistryBlocking.Append(byReading, k.Reading, person);
            }
        }

        public void Candidates(LinkRecord r, LinkKeys k, HashSet<int> into)
        {
            into.Clear();
            if (r.BirthDate is { } d)
            {
                Take(byBirth, d, into);
                if (k.LooseReading.Length > 0)
                {
                    Take(byLoose, (k.LooseReading, d.Year), into);
                }
            }

            if (k.Reading.Length > 0)
            {
                Take(byReading, k.Reading, into);
            }

            // A name written the other way round meets a person created from a record that wrote it the usual way
            // (and the other way round); with a birth date the day's block already holds them.
            if (r.BirthDate is null && k.SwappedReading.Length > 0 && k.SwappedReading != k.Reading)
            {
                Take(byReading, k.SwappedReading, into);
            }
        }

        private static void Take<TKey>(Dictionary<TKey, List<int>> index, TKey key, HashSet<int> into)
            where TKey : notnull
        {
            if (index.TryGetValue(key, out var list) && list.Count <= RegistryBlocking.MaxBlock)
            {
                into.UnionWith(list);
            }
        }
    }
}
