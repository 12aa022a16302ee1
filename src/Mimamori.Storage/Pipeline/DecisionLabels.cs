using Dapper;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Identity;

namespace Mimamori.Storage.Pipeline;

/// <summary>A record a decision was made on, by its lineage (what a truth file or an auditor can find it by).</summary>
public sealed record LabelledRecord(string Source, string File, long Line, long? PersonId);

/// <summary>A staff decision on a pair, with one record of each side (the lowest record id holding the key).</summary>
/// <param name="Same">True when the pair was accepted as one person.</param>
/// <param name="Weight">The pair's match weight when it was decided.</param>
public sealed record DecisionLabel(bool Same, double Weight, string Reason, LabelledRecord? Record, LabelledRecord? Other);

/// <summary>Review decisions as labels for evaluation: what staff said about pairs the model could not settle.</summary>
public static class DecisionLabels
{
    public static IReadOnlyList<DecisionLabel> Load(MimamoriDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        var decisions = IdentityStore.Decisions(database);
        if (decisions.Count == 0)
        {
            return [];
        }

        var wanted = decisions.SelectMany(d => new[] { d.RecordKey, d.OtherKey }).ToHashSet(StringComparer.Ordinal);
        var recordOfKey = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (id, k) in RecordKeys.Load(database).OrderBy(kv => kv.Key))
        {
            if (wanted.Contains(k.Key))
            {
                recordOfKey.TryAdd(k.Key, id);
            }
        }

        var records = new Dictionary<long, LabelledRecord>();
        using (var connection = database.Open())
        {
            foreach (var chunk in recordOfKey.Values.Chunk(500))
            {
                foreach (var r in connection.Query<(long RecordId, string Source, string File, long Line, long? PersonId)>(
                    "SELECT r.record_id, r.source, r.file, r.line, l.person_id FROM source_record r LEFT JOIN person_record l ON l.record_id = r.record_id WHERE r.record_id IN " + SqlLists.Ids(chunk)))
                {
                    records[r.RecordId] = new LabelledRecord(r.Source, r.File, r.Line, r.PersonId);
                }
            }
        }

        LabelledRecord? Of(string key) => recordOfKey.TryGetValue(key, out var id) ? records.GetValueOrDefault(id) : null;
        return decisions.Select(d => new DecisionLabel(d.Decision == StoredDecision.Same, d.Weight, d.Reason, Of(d.RecordKey), Of(d.OtherKey))).ToList();
    }
}
