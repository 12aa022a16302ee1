using System.Data.Common;
using System.Globalization;
using Dapper;
using Mimamori.Linkage.Clustering;
using Mimamori.Storage.Connection;

namespace Mimamori.Storage.Identity;

/// <summary>A decision as stored: the pair by record keys, so that it survives re-imports and reruns.</summary>
public sealed record StoredDecision(string PairKey, string RecordKey, string OtherKey, string Decision, double Weight, string Reason, string DecidedBy, string DecidedAt)
{
    /// <summary>The stored value of an accepted link.</summary>
    public const string Same = "same";

    /// <summary>The stored value of a rejected link.</summary>
    public const string Different = "different";
}

/// <summary>What saving a resolution did to person ids and with staff decisions.</summary>
public sealed record IdentityOutcome(int Persons, int KeptIds, int NewIds, int Retired, int Merged, int Split, int DecisionsApplied, int DecisionsContradicted, int Review)
{
    /// <summary>The rows the save wrote and the persons it recorded as changed (-1: every person, as after a first link).</summary>
    public SavedRows Written { get; init; } = new(0, 0, 0, 0);
}

/// <summary>Person, link and household-membership rows a save wrote, and the persons it recorded as changed.</summary>
public sealed record SavedRows(long Persons, long Links, long Members, long Changed);

/// <summary>
/// The tables that carry identity across runs: each key's person (<c>person_key</c>), every id ever issued
/// (<c>person_identity</c>), merges and splits (<c>person_lineage</c>), the review queue and staff decisions.
/// </summary>
public static class IdentityStore
{
    /// <summary>Every stored decision.</summary>
    public static IReadOnlyList<StoredDecision> Decisions(MimamoriDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        using var connection = database.Open();
        return connection.Query<StoredDecision>(
            "SELECT pair_key AS PairKey, record_key AS RecordKey, other_key AS OtherKey, decision AS Decision, weight AS Weight, reason AS Reason, decided_by AS DecidedBy, decided_at AS DecidedAt FROM link_decision ORDER BY decided_at, pair_key").ToList();
    }

    /// <summary>
    /// Decisions turned into pairs of this run's records (a key's lowest current record id stands for it); decisions on
    /// records no longer present are kept but not applied.
    /// </summary>
    public static IReadOnlyList<LinkDecision> ForRecords(IReadOnlyList<StoredDecision> decisions, IReadOnlyDictionary<long, (string Key, string? RegistryAtena)> keys, IEnumerable<long> current)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(current);
        if (decisions.Count == 0)
        {
            return [];
        }

        var recordOf = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var id in current.Order())
        {
            if (keys.TryGetValue(id, out var k))
            {
                recordOf.TryAdd(k.Key, id);
            }
        }

        return decisions
            .Where(d => recordOf.ContainsKey(d.RecordKey) && recordOf.ContainsKey(d.OtherKey))
            .Select(d => new LinkDecision(recordOf[d.RecordKey], recordOf[d.OtherKey], d.Decision == StoredDecision.Same))
            .ToList();
    }

    /// <summary>Records (or replaces) a decision on a pair.</summary>
    public static void Decide(MimamoriDatabase database, StoredDecision decision)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(decision);
        if (decision.Decision is not (StoredDecision.Same or StoredDecision.Different))
        {
            throw new ArgumentException($"A decision is '{StoredDecision.Same}' or '{StoredDecision.Different}', not '{decision.Decision}'.", nameof(decision));
        }

        using var connection = database.Open();
        using var tx = connection.BeginTransaction();
        connection.Execute("DELETE FROM link_decision WHERE pair_key = @PairKey", decision, tx);
        connection.Execute(
            "INSERT INTO link_decision (pair_key, record_key, other_key, decision, weight, reason, decided_by, decided_at) VALUES (@PairKey, @RecordKey, @OtherKey, @Decision, @Weight, @Reason, @DecidedBy, @DecidedAt)",
            decision,
            tx);
        tx.Commit();
    }

    /// <summary>Each key's person after the last run. A database linked before ids were kept derives them from its links.</summary>
    /// <returns>The keys, and whether they are the stored <c>person_key</c> rows (rather than derived from links).</returns>
    internal static (Dictionary<string, long> Keys, bool Stored) PreviousKeys(DbConnection connection, DbTransaction tx, IReadOnlyDictionary<long, (string Key, string? RegistryAtena)> keys)
    {
        var previous = new Dictionary<string, long>(StringComparer.Ordinal);
        using (var command = connection.CreateCommand())
        {
            // Read plainly: a city has millions of keys, and a mapped row per key costs more than the read.
            command.Transaction = tx;
            command.CommandText = "SELECT key, person_id FROM person_key";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                previous[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        if (previous.Count > 0)
        {
            return (previous, true);
        }

        foreach (var (record, person) in connection.Query<(long, long)>("SELECT record_id, person_id FROM person_record ORDER BY record_id", transaction: tx))
        {
            if (keys.TryGetValue(record, out var k))
            {
                previous.TryAdd(k.Key, person);
                if (k.RegistryAtena is { } atena)
                {
                    previous.TryAdd(RecordKeys.Atena(atena), person);
                }
            }
        }

        return (previous, false);
    }

    /// <summary>The lowest id never issued.</summary>
    internal static long NextId(DbConnection connection, DbTransaction tx) =>
        Math.Max(
            connection.ExecuteScalar<long?>("SELECT MAX(person_id) FROM person_identity", transaction: tx) ?? 0,
            connection.ExecuteScalar<long?>("SELECT MAX(person_id) FROM person", transaction: tx) ?? 0) + 1;

    /// <summary>Stores the run's keys, new ids, retirements, merges and splits.</summary>
    /// <param name="stored">The <c>person_key</c> rows as they are before this run (empty for a database linked before ids were kept).</param>
    internal static void Write(DbConnection connection, DbTransaction tx, PersonIdMapping mapping, IReadOnlyDictionary<int, IReadOnlyCollection<string>> keysOf, IReadOnlyDictionary<string, long> stored, DateTimeOffset now)
    {
        var at = now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var wanted = new Dictionary<string, long>(stored.Count, StringComparer.Ordinal);
        foreach (var (person, list) in keysOf.OrderBy(k => k.Key))
        {
            foreach (var key in list)
            {
                wanted.TryAdd(key, mapping.IdOf[person]);
            }
        }

        // Only what changed is written: a nightly rerun moves few keys, and rewriting half a million rows of a text
        // primary key costs more than the linking itself. Rows go in key order so the index grows at its end.
        var gone = stored.Where(kv => !wanted.TryGetValue(kv.Key, out var id) || id != kv.Value).Select(kv => kv.Key).ToList();
        var rewrite = gone.Count > stored.Count / 2;
        var added = InKeyOrder(rewrite ? wanted : wanted.Where(kv => !stored.TryGetValue(kv.Key, out var id) || id != kv.Value));
        if (rewrite)
        {
            // Every row is written again (the first link: millions of keys): the index by person is built once after
            // the rows, by a sort, rather than kept up by a random insert per row.
            connection.Execute("DELETE FROM person_key; DROP INDEX ix_person_key_person;", transaction: tx);
        }
        else if (gone.Count > 0)
        {
            using var delete = connection.CreateCommand();
            delete.Transaction = tx;
            delete.CommandText = "DELETE FROM person_key WHERE key = @key";
            var parameter = delete.CreateParameter();
            parameter.ParameterName = "@key";
            parameter.DbType = System.Data.DbType.String;
            delete.Parameters.Add(parameter);
            delete.Prepare();
            foreach (var key in gone)
            {
                parameter.Value = key;
                delete.ExecuteNonQuery();
            }
        }

        using (var keys = new BulkWriter(connection, tx, "person_key", ["key", "person_id"]))
        {
            foreach (var (key, id) in added)
            {
                keys.Write(key, id);
            }

            keys.Complete();
        }

        if (rewrite)
        {
            connection.Execute("CREATE INDEX ix_person_key_person ON person_key (person_id)", transaction: tx);
        }

        var known = connection.Query<long>("SELECT person_id FROM person_identity WHERE retired_at IS NULL", transaction: tx).ToHashSet();
        var current = mapping.IdOf.Values.ToHashSet();
        using (var identities = new BulkWriter(connection, tx, "person_identity", ["person_id", "created_at", "retired_at", "merged_into"]))
        {
            foreach (var id in current.Where(id => !known.Contains(id)).Order())
            {
                identities.Write(id, at, null, null);
            }

            identities.Complete();
        }

        // An id that lost every record is retired, never reissued; where its records went is kept.
        var mergedInto = mapping.Events.Where(e => e.Kind == "merged").GroupBy(e => e.PersonId).ToDictionary(g => g.Key, g => g.OrderByDescending(e => e.SharedKeys).First().OtherPersonId);
        foreach (var id in known.Where(id => !current.Contains(id)).Order())
        {
            connection.Execute(
                "UPDATE person_identity SET retired_at = @at, merged_into = @into WHERE person_id = @id",
                new { at, into = mergedInto.TryGetValue(id, out var into) ? into : (long?)null, id },
                tx);
        }

        var nextEvent = (connection.ExecuteScalar<long?>("SELECT MAX(event_id) FROM person_lineage", transaction: tx) ?? 0) + 1;
        using var lineage = new BulkWriter(connection, tx, "person_lineage", ["event_id", "at", "kind", "person_id", "other_person_id", "shared_keys"]);
        foreach (var e in mapping.Events)
        {
            lineage.Write(nextEvent++, at, e.Kind, e.PersonId, e.OtherPersonId, (long)e.SharedKeys);
        }

        lineage.Complete();
    }

    /// <summary>The pairs sorted by key (ordinal): an array sort of the keys, several times faster than an ordered query at millions of keys.</summary>
    private static KeyValuePair<string, long>[] InKeyOrder(IEnumerable<KeyValuePair<string, long>> pairs)
    {
        var sorted = pairs.ToArray();
        var keys = Array.ConvertAll(sorted, kv => kv.Key);
        Array.Sort(keys, sorted, StringComparer.Ordinal);
        return sorted;
    }

    /// <summary>Replaces the review queue with this run's undecided pairs; a pair seen before keeps the date it first came up.</summary>
    internal static void WriteQueue(DbConnection connection, DbTransaction tx, IReadOnlyList<ReviewPair> review, IReadOnlyDictionary<long, (string Key, string? RegistryAtena)> keys, DateTimeOffset now)
    {
        var at = now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var firstSeen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (pair, seen) in connection.Query<(string, string)>("SELECT pair_key, first_seen FROM link_review", transaction: tx))
        {
            firstSeen.TryAdd(pair, seen);
        }

        var decided = connection.Query<string>("SELECT pair_key FROM link_decision", transaction: tx).ToHashSet(StringComparer.Ordinal);
        connection.Execute("DELETE FROM link_review", transaction: tx);
        using var queue = new BulkWriter(connection, tx, "link_review", ["review_id", "pair_key", "record_id", "candidate_record_id", "weight", "reason", "first_seen"]);
        var id = 1L;
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in review.OrderByDescending(p => p.Weight).ThenBy(p => p.RecordId))
        {
            if (!keys.TryGetValue(p.RecordId, out var a) || !keys.TryGetValue(p.CandidateRecordId, out var b))
            {
                continue;
            }

            var pair = RecordKeys.Pair(a.Key, b.Key);
            if (decided.Contains(pair) || !written.Add(pair))
            {
                continue;
            }

            queue.Write(id++, pair, p.RecordId, p.CandidateRecordId, p.Weight, p.Reason, firstSeen.GetValueOrDefault(pair, at));
        }

        queue.Complete();
    }
}
