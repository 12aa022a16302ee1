using Mimamori.Linkage.Records;

namespace Mimamori.Linkage.Clustering;

/// <summary>A person's decision on a pair of records: the same person (must link) or two people (cannot link).</summary>
/// <param name="RecordId">One record of the pair (in the run being corrected).</param>
/// <param name="OtherRecordId">The other record.</param>
/// <param name="Same">True when data staff accepted the link, false when they rejected it.</param>
public sealed record LinkDecision(long RecordId, long OtherRecordId, bool Same);

/// <summary>What applying decisions changed: the corrected result and how many decisions moved records.</summary>
/// <param name="Merged">Accepted pairs that joined two persons.</param>
/// <param name="Split">Rejected pairs whose records had to be taken apart.</param>
/// <param name="Contradicted">Accepted pairs not applied because they would join a rejected pair (a rejection wins).</param>
public sealed record ReviewOutcome(LinkResult Result, int Merged, int Split, int Contradicted);

/// <summary>
/// Puts staff decisions above the model: after resolution, an accepted pair ends in one person and a rejected pair in
/// two, whatever the weights said. A rejection wins over an acceptance that would, through other links, join the two
/// rejected records. Records moved by a decision carry the method <c>review</c>; decided pairs leave the review queue.
/// </summary>
public static class ReviewDecisions
{
    /// <summary>The method of a record placed by a person's decision rather than by the model.</summary>
    public const string Method = "review";

    public static ReviewOutcome Apply(LinkResult result, IReadOnlyList<LinkRecord> records, IReadOnlyList<LinkDecision> decisions)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(decisions);
        var personOf = result.Assignments.ToDictionary(a => a.RecordId, a => a.Person);
        var known = decisions.Where(d => d.RecordId != d.OtherRecordId && personOf.ContainsKey(d.RecordId) && personOf.ContainsKey(d.OtherRecordId)).ToList();
        if (known.Count == 0)
        {
            return new ReviewOutcome(result, 0, 0, 0);
        }

        var persons = result.Persons.ToDictionary(p => p.Index);
        var parent = persons.Keys.ToDictionary(i => i, i => i);
        int Find(int x)
        {
            while (parent[x] != x)
            {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }

            return x;
        }

        var rejected = known.Where(d => !d.Same).ToList();
        var moved = new HashSet<long>();
        int merged = 0, contradicted = 0;
        foreach (var d in known.Where(d => d.Same))
        {
            int a = Find(personOf[d.RecordId]), b = Find(personOf[d.OtherRecordId]);
            if (a == b)
            {
                continue;
            }

            if (rejected.Any(x => Crosses(Find(personOf[x.RecordId]), Find(personOf[x.OtherRecordId]), a, b)))
            {
                contradicted++;
                continue;
            }

            // The registry person keeps its identity; an unregistered one joins it.
            var (keep, join) = persons[b].Representative.IsRegistry && !persons[a].Representative.IsRegistry ? (b, a) : (a, b);
            parent[join] = keep;
            moved.Add(d.RecordId);
            moved.Add(d.OtherRecordId);
            merged++;
        }

        var assignments = result.Assignments.Select(x => x with { Person = Find(x.Person) }).ToList();
        var reps = persons.Values.Where(p => Find(p.Index) == p.Index).ToDictionary(p => p.Index);
        var byId = records.ToDictionary(r => r.RecordId);
        var next = persons.Keys.Max() + 1;
        var split = 0;
        foreach (var d in rejected)
        {
            var now = assignments.ToDictionary(x => x.RecordId, x => x.Person);
            if (now[d.RecordId] != now[d.OtherRecordId])
            {
                continue;
            }

            var person = now[d.RecordId];
            // The representative (the registry record where there is one) stays; the other side leaves.
            var mover = reps[person].Representative.RecordId == d.RecordId ? d.OtherRecordId : d.RecordId;
            if (!byId.TryGetValue(mover, out var moverRecord))
            {
                continue;
            }

            var group = Identity(moverRecord);
            var index = next++;
            reps[index] = new ResolvedPerson(index, moverRecord);
            for (var i = 0; i < assignments.Count; i++)
            {
                var x = assignments[i];
                if (x.Person == person && byId.TryGetValue(x.RecordId, out var r) && r.IsRegistry == moverRecord.IsRegistry && Identity(r) == group
                    && r.RecordId != reps[person].Representative.RecordId)
                {
                    assignments[i] = x with { Person = index };
                    moved.Add(x.RecordId);
                }
            }

            moved.Add(mover);
            split++;
        }

        assignments = [.. assignments.Select(x => moved.Contains(x.RecordId) ? x with { Method = Method } : x)];
        var decided = known.Select(d => Pair(d.RecordId, d.OtherRecordId)).ToHashSet();
        var review = result.Review.Where(p => !decided.Contains(Pair(p.RecordId, p.CandidateRecordId))).ToList();
        var used = assignments.Select(x => x.Person).ToHashSet();
        var kept = reps.Values.Where(p => used.Contains(p.Index)).OrderBy(p => p.Index).ToList();
        return new ReviewOutcome(new LinkResult(kept, assignments, review, result.Stats with { Review = review.Count }), merged, split, contradicted);
    }

    private static bool Crosses(int x, int y, int a, int b) => (x == a && y == b) || (x == b && y == a);

    private static (long, long) Pair(long a, long b) => a < b ? (a, b) : (b, a);

    // The rows one department keeps of one person (a pupil's monthly rows) move together, as the resolver scored them.
    private static (string?, Kernel.People.PersonName, DateOnly?, Kernel.People.Sex, string?) Identity(LinkRecord r) => (r.AtenaNo, r.Name, r.BirthDate, r.Sex, r.Address);
}
