namespace Mimamori.Storage.Identity;

/// <summary>What became of a person id from one run to the next.</summary>
/// <param name="Kind"><c>merged</c>: <see cref="PersonId"/> is retired, its records now belong to
/// <see cref="OtherPersonId"/>; <c>split</c>: <see cref="PersonId"/> is new and took <see cref="SharedKeys"/> of
/// <see cref="OtherPersonId"/>'s records; <c>moved</c>: records of <see cref="OtherPersonId"/>, which lives on, now
/// belong to <see cref="PersonId"/>, which existed before.</param>
public sealed record LineageEvent(string Kind, long PersonId, long OtherPersonId, int SharedKeys);

/// <summary>The ids given to this run's persons and what changed since the last run.</summary>
public sealed record PersonIdMapping(IReadOnlyDictionary<int, long> IdOf, IReadOnlyList<LineageEvent> Events, IReadOnlyList<long> Retired, long NextId);

/// <summary>
/// Keeps person ids stable across runs. Each new person inherits the previous id that shares most of its keys (a
/// registry 宛名番号 outweighs any number of record keys), each previous id going to one person at most; a person that
/// inherits nothing gets an id never issued before. When one new person holds the keys of two previous persons, the
/// one it does not inherit is recorded as merged into it; when a previous person's keys end in two new persons, the
/// one that does not inherit is recorded as split from it. Ids are never reused, so a stale link or bookmark cannot
/// point at somebody else.
/// </summary>
public static class PersonIds
{
    /// <summary>How much a shared 宛名番号 counts against shared record keys.</summary>
    private const int AtenaWeight = 1_000_000;

    /// <param name="keysOf">Each new person (by the resolver's index) with its keys.</param>
    /// <param name="previous">Each key's person id after the last run.</param>
    /// <param name="nextId">The lowest id never issued.</param>
    public static PersonIdMapping Assign(IReadOnlyDictionary<int, IReadOnlyCollection<string>> keysOf, IReadOnlyDictionary<string, long> previous, long nextId)
    {
        ArgumentNullException.ThrowIfNull(keysOf);
        ArgumentNullException.ThrowIfNull(previous);
        var votes = new List<(int Person, long Previous, long Score, int Shared)>();
        foreach (var (person, keys) in keysOf)
        {
            var tally = new Dictionary<long, (long Score, int Shared)>();
            foreach (var key in keys)
            {
                if (previous.TryGetValue(key, out var id))
                {
                    var (score, shared) = tally.GetValueOrDefault(id);
                    tally[id] = (score + (key.StartsWith("atena:", StringComparison.Ordinal) ? AtenaWeight : 1), shared + 1);
                }
            }

            votes.AddRange(tally.Select(t => (person, t.Key, t.Value.Score, t.Value.Shared)));
        }

        var idOf = new Dictionary<int, long>();
        var taken = new HashSet<long>();
        foreach (var v in votes.OrderByDescending(v => v.Score).ThenBy(v => v.Previous).ThenBy(v => v.Person))
        {
            if (!idOf.ContainsKey(v.Person) && taken.Add(v.Previous))
            {
                idOf[v.Person] = v.Previous;
            }
        }

        var firstNew = nextId;
        foreach (var person in keysOf.Keys.Where(p => !idOf.ContainsKey(p)).Order())
        {
            idOf[person] = nextId++;
        }

        var events = new List<LineageEvent>();
        foreach (var v in votes.OrderBy(v => v.Person).ThenBy(v => v.Previous))
        {
            var id = idOf[v.Person];
            if (id == v.Previous)
            {
                continue;
            }

            // The previous id lives on elsewhere: this person left it (as a new person, or into another). Otherwise its
            // records joined this person.
            var kind = !taken.Contains(v.Previous) ? "merged" : id >= firstNew ? "split" : "moved";
            events.Add(kind == "merged" ? new LineageEvent(kind, v.Previous, id, v.Shared) : new LineageEvent(kind, id, v.Previous, v.Shared));
        }

        var retired = previous.Values.Distinct().Where(id => !taken.Contains(id)).Order().ToList();
        return new PersonIdMapping(idOf, events, retired, nextId);
    }
}
