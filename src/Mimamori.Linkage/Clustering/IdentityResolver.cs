using Mimamori.Linkage.Comparisons;
using Mimamori.Linkage.Records;
using Mimamori.Linkage.Scoring;

namespace Mimamori.Linkage.Clustering;

/// <summary>
/// Resolves records to persons. The resident registry is the spine: each registry 宛名番号 is one person. Every other
/// record is compared with the spine candidates its blocking keys find (same 宛名番号, same birth date, same reading)
/// and linked to the best one whose total weight passes the model's threshold; records that match nobody are
/// clustered among themselves (people not registered here, 住登外者) and become new persons.
/// </summary>
public static class IdentityResolver
{
    /// <summary>Blocks larger than this are too common to say anything (a frequent reading alone); they are not scored.</summary>
    private const int MaxBlock = 400;

    /// <summary>The review reason of a record whose 宛名番号 belongs to somebody else.</summary>
    public const string NumberConflictReason = "same 宛名番号, different person";

    public static LinkResult Resolve(IReadOnlyList<LinkRecord> records, LinkageModel model)
    {
        var scorer = new PairScorer(model);
        var persons = new List<ResolvedPerson>();
        var personKeys = new List<LinkKeys>();
        var assignments = new List<LinkAssignment>(records.Count);
        var review = new List<ReviewPair>();
        var byAtena = new Dictionary<string, int>(StringComparer.Ordinal);
        var byBirth = new Dictionary<DateOnly, List<int>>();
        var byReading = new Dictionary<string, List<int>>(StringComparer.Ordinal);

        void Index(int person, LinkRecord r, LinkKeys k)
        {
            if (r.BirthDate is { } d)
            {
                Add(byBirth, d, person);
            }

            if (k.Reading.Length > 0)
            {
                Add(byReading, k.Reading, person);
            }

            if (k.LooseReading.Length > 0 && r.BirthDate is { } d2)
            {
                Add(byReading, $"{k.LooseReading}|{d2.Year}", person);
            }
        }

        // 1. The spine: one person per registry 宛名番号.
        foreach (var r in records.Where(r => r.IsRegistry).OrderBy(r => r.RecordId))
        {
            if (r.AtenaNo is { Length: > 0 } atena && byAtena.TryGetValue(atena, out var existing))
            {
                assignments.Add(new LinkAssignment(r.RecordId, existing, "registry", 0, "{}"));
                continue;
            }

            var k = LinkKeys.Of(r);
            var index = persons.Count;
            persons.Add(new ResolvedPerson(index, r));
            personKeys.Add(k);
            if (r.AtenaNo is { Length: > 0 } a)
            {
                byAtena[a] = index;
            }

            Index(index, r, k);
            assignments.Add(new LinkAssignment(r.RecordId, index, "registry", 0, "{}"));
        }

        var spineCount = persons.Count;

        // 2. Other records, scored once per distinct identity (a pupil's twelve monthly rows are one comparison).
        var groups = records.Where(r => !r.IsRegistry)
            .GroupBy(r => (r.AtenaNo, r.Name, r.BirthDate, r.Sex, r.Address))
            .OrderBy(g => g.Min(r => r.RecordId))
            .ToList();
        long pairs = 0;
        int atenaLinks = 0, probabilistic = 0, created = 0;
        var candidates = new HashSet<int>();
        foreach (var group in groups)
        {
            var r = group.First();
            var k = LinkKeys.Of(r);
            candidates.Clear();
            if (r.AtenaNo is { Length: > 0 } atena && byAtena.TryGetValue(atena, out var byNumber))
            {
                candidates.Add(byNumber);
            }

            if (r.BirthDate is { } d && byBirth.TryGetValue(d, out var sameBirth) && sameBirth.Count <= MaxBlock)
            {
                candidates.UnionWith(sameBirth);
            }

            if (k.Reading.Length > 0 && byReading.TryGetValue(k.Reading, out var sameReading) && sameReading.Count <= MaxBlock)
            {
                candidates.UnionWith(sameReading);
            }

            if (k.LooseReading.Length > 0 && r.BirthDate is { } d3 && byReading.TryGetValue($"{k.LooseReading}|{d3.Year}", out var sameLoose) && sameLoose.Count <= MaxBlock)
            {
                candidates.UnionWith(sameLoose);
            }

            var best = -1;
            var bestScore = double.NegativeInfinity;
            var second = double.NegativeInfinity;
            var numberConflict = -1;
            foreach (var c in candidates)
            {
                pairs++;
                var candidate = persons[c].Representative;
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

            int person;
            string method;
            string explanation;
            if (best >= 0 && bestScore >= model.LinkThreshold && bestScore - second >= 3)
            {
                person = best;
                var rep = persons[best].Representative;
                var atenaAgrees = !string.IsNullOrEmpty(r.AtenaNo) && r.AtenaNo == rep.AtenaNo;
                method = atenaAgrees ? "atena" : "probabilistic";
                if (atenaAgrees)
                {
                    atenaLinks += group.Count();
                }
                else
                {
                    probabilistic += group.Count();
                }

                explanation = scorer.Explain(r, k, rep, personKeys[best]).ToJson();
            }
            else
            {
                if (best >= 0 && bestScore >= model.ReviewThreshold)
                {
                    var reason = bestScore >= model.LinkThreshold ? "two candidates score alike" : "weight between the review and link thresholds";
                    review.Add(new ReviewPair(r.RecordId, persons[best].Representative.RecordId, bestScore, reason));
                }

                person = persons.Count;
                persons.Add(new ResolvedPerson(person, r));
                personKeys.Add(k);
                Index(person, r, k);
                method = "new";
                explanation = best >= 0 ? scorer.Explain(r, k, persons[best].Representative, personKeys[best]).ToJson() : "{}";
                created++;
            }

            if (numberConflict >= 0)
            {
                review.Add(new ReviewPair(r.RecordId, persons[numberConflict].Representative.RecordId, scorer.Score(r, k, persons[numberConflict].Representative, personKeys[numberConflict]), NumberConflictReason));
            }

            foreach (var member in group)
            {
                assignments.Add(new LinkAssignment(member.RecordId, person, method, method == "new" ? 0 : bestScore, explanation));
            }
        }

        var stats = new LinkStats(records.Count, groups.Count + spineCount, pairs, atenaLinks, probabilistic, created, review.Count);
        return new LinkResult(persons, assignments, review, stats);
    }

    /// <summary>
    /// The trusted number agrees but the person does not: a sibling's twin, or neither name nor birth date near. The
    /// number alone outweighs both disagreements under some models, so it must never decide here: a person from
    /// data staff does, whatever the weight.
    /// </summary>
    private static bool IsNumberConflict(LinkRecord a, LinkKeys ka, LinkRecord b, LinkKeys kb) =>
        IsTwinConflict(a, ka, b, kb) || (PairComparer.Name(ka, kb) == "different" && PairComparer.BirthDate(a.BirthDate, b.BirthDate) == "different");

    /// <summary>
    /// Twins (and siblings with one birthday) share a birth date, a surname and an address but not a given name; no
    /// weight of agreement elsewhere may join them. Only readings are compared so that 異体字 never splits a person.
    /// </summary>
    private static bool IsTwinConflict(LinkRecord a, LinkKeys ka, LinkRecord b, LinkKeys kb)
    {
        if (a.BirthDate != b.BirthDate || ka.GivenReading.Length == 0 || kb.GivenReading.Length == 0)
        {
            return false;
        }

        if (ka.GivenReading == kb.GivenReading || Kernel.Text.JapaneseText.LooseReadingKey(ka.GivenReading) == Kernel.Text.JapaneseText.LooseReadingKey(kb.GivenReading))
        {
            return false;
        }

        // A swapped family/given order is not a different given name.
        return ka.Reading != kb.SwappedReading && ka.SwappedReading != kb.Reading;
    }

    private static void Add<TKey>(Dictionary<TKey, List<int>> index, TKey key, int value)
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
