using System.Data.Common;
using Dapper;
using Mimamori.Storage.Connection;

namespace Mimamori.Storage.Ingestion;

/// <summary>
/// Compares a full snapshot with the one it replaces, record by record. A record is known by its key: the source's
/// own record id, else its 宛名番号, else (nothing to follow it by) its whole content. Several rows may share a key
/// (one row per month, per school year); a key then counts as changed when its rows, taken as a set, differ.
/// </summary>
/// <remarks>
/// Only a 64-bit hash of each row's original values is held per key, not the rows, so a registry of a million
/// residents is compared in memory without holding the earlier snapshot; the hash sums are order-independent.
/// </remarks>
internal sealed class SnapshotDiff
{
    private readonly Dictionary<string, Entry> previous = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Entry> current = new(StringComparer.Ordinal);

    // The records of the snapshot being replaced by their content digest; a digest shared by several rows (the same
    // row sent twice) keeps the others in a queue. A record carried over is taken out, so each is carried once.
    private readonly Dictionary<UInt128, long> byContent = [];
    private readonly Dictionary<UInt128, Queue<long>> moreByContent = [];

    private SnapshotDiff()
    {
    }

    /// <summary>True when there was a current snapshot to compare with.</summary>
    public bool HasPrevious => previous.Count > 0;

    /// <summary>Reads the keys and row hashes of the source's current snapshot.</summary>
    public static SnapshotDiff Load(DbConnection connection, DbTransaction transaction, string source)
    {
        var diff = new SnapshotDiff();
        var rows = connection.Query<(long RecordId, string? LocalId, string? AtenaNo, string Original, string? ContentHash)>(
            """
            SELECT r.record_id, r.local_id, r.atena_no, r.original, r.content_hash
            FROM source_record r JOIN import_batch b ON b.batch_id = r.batch_id
            WHERE b.source = @source AND b.status = 'current'
            """,
            new { source },
            transaction,
            buffered: false);
        foreach (var (recordId, localId, atenaNo, original, contentHash) in rows)
        {
            Add(diff.previous, KeyOf(localId, atenaNo, original), original, recordId);

            // Records stored before digests were kept have none and are never carried over.
            if (contentHash is not null)
            {
                var digest = RecordContent.Parse(contentHash);
                if (!diff.byContent.TryAdd(digest, recordId))
                {
                    if (!diff.moreByContent.TryGetValue(digest, out var queue))
                    {
                        diff.moreByContent[digest] = queue = new Queue<long>();
                    }

                    queue.Enqueue(recordId);
                }
            }
        }

        return diff;
    }

    /// <summary>
    /// Takes the record of the replaced snapshot whose content equals a new row's, when there is one not taken yet:
    /// the new snapshot carries it over instead of storing the row again.
    /// </summary>
    public bool TryCarry(UInt128 digest, out long recordId)
    {
        if (moreByContent.TryGetValue(digest, out var queue) && queue.Count > 0)
        {
            recordId = queue.Dequeue();
            return true;
        }

        return byContent.Remove(digest, out recordId);
    }

    /// <summary>The key a record is followed by across snapshots.</summary>
    public static string KeyOf(string? localId, string? atenaNo, string original) =>
        !string.IsNullOrEmpty(localId) ? "id:" + localId : !string.IsNullOrEmpty(atenaNo) ? "atena:" + atenaNo : "row:" + original;

    /// <summary>Adds a row of the new snapshot.</summary>
    public void Add(string key, string original, long recordId)
    {
        if (HasPrevious)
        {
            Add(current, key, original, recordId);
        }
    }

    /// <summary>Writes one row per added, changed or removed key and returns the counts.</summary>
    public BatchChanges Write(DbConnection connection, DbTransaction transaction, long batchId, string source)
    {
        long added = 0;
        long changed = 0;
        long removed = 0;
        using var writer = new BulkWriter(connection, transaction, "record_change", ["batch_id", "source", "record_key", "change", "record_id", "previous_record_id"]);
        foreach (var (key, now) in current)
        {
            if (!previous.TryGetValue(key, out var before))
            {
                added++;
                writer.Write(batchId, source, key, "added", now.FirstRecordId, null);
            }
            else if (before.Count != now.Count || before.HashSum != now.HashSum)
            {
                changed++;
                writer.Write(batchId, source, key, "changed", now.FirstRecordId, before.FirstRecordId);
            }
        }

        foreach (var (key, before) in previous)
        {
            if (!current.ContainsKey(key))
            {
                removed++;
                writer.Write(batchId, source, key, "removed", null, before.FirstRecordId);
            }
        }

        writer.Complete();
        return new BatchChanges(added, changed, removed);
    }

    private static void Add(Dictionary<string, Entry> into, string key, string original, long recordId)
    {
        var hash = Fnv1a(original);
        into[key] = into.TryGetValue(key, out var e) ? new Entry(e.HashSum + hash, e.Count + 1, e.FirstRecordId) : new Entry(hash, 1, recordId);
    }

    /// <summary>FNV-1a over the UTF-16 code units: stable across processes, unlike string hash codes.</summary>
    private static ulong Fnv1a(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }

    private readonly record struct Entry(ulong HashSum, int Count, long FirstRecordId);
}
