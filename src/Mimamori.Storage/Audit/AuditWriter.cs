using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using Dapper;
using Mimamori.Privacy.Audit;
using Mimamori.Storage.Connection;

namespace Mimamori.Storage.Audit;

/// <summary>
/// Appends to one database's audit trail with group commit. A caller queues its events and waits; whoever finds no
/// write in progress writes everything queued at that moment (its own events and those of every caller waiting) in one
/// transaction, then hands the writing on to the first caller queued meanwhile. Each caller returns only once its own
/// events are committed, or with the exception that made its batch fail. Twenty staff opening worklists of fifty
/// children each thus share a few transactions instead of queuing for one each.
/// </summary>
internal sealed class AuditWriter
{
    // Every AuditLog on the same database in this process shares one writer, so their batches cannot interleave.
    private static readonly ConcurrentDictionary<string, AuditWriter> Writers = new(StringComparer.Ordinal);

    private const string InsertSql =
        "INSERT INTO audit_event (seq, at, user_name, role, organisation, purpose, action, subject, categories, fields, outcome, client, prev_hash, hash) " +
        "VALUES (@seq, @at, @user_name, @role, @organisation, @purpose, @action, @subject, @categories, @fields, @outcome, @client, @prev_hash, @hash)";

    private static readonly string[] TextColumns =
        ["at", "user_name", "role", "organisation", "purpose", "action", "subject", "categories", "fields", "outcome", "client", "prev_hash", "hash"];

    private readonly MimamoriDatabase database;

    // Guards the queue and the hand-over.
    private readonly Lock queueGate = new();

    // Held while events are written, by a batch or by an append inside a caller's transaction (retention purge).
    private readonly Lock writeLock = new();
    private List<Pending> queue = [];
    private bool writing;

    private AuditWriter(MimamoriDatabase database) => this.database = database;

    /// <summary>The writer of the given database.</summary>
    public static AuditWriter For(MimamoriDatabase database) =>
        Writers.GetOrAdd(database.ConnectionString, _ => new AuditWriter(database));

    /// <summary>What this writer has committed so far, and how many callers wait now.</summary>
    public AuditWriterFigures Figures
    {
        get
        {
            lock (queueGate)
            {
                return new AuditWriterFigures(batches, events, queue.Count);
            }
        }
    }

    private long batches;
    private long events;

    /// <summary>Appends the events, in order and together, in the next batch; returns them as stored.</summary>
    public IReadOnlyList<AuditEvent> Append(IReadOnlyList<AuditEvent> toAppend)
    {
        var mine = new Pending(toAppend);
        lock (queueGate)
        {
            queue.Add(mine);
            if (!writing)
            {
                writing = true;
                mine.Lead = true;
            }
        }

        // Each caller sleeps on its own entry, so the end of a batch wakes only the callers it concerns.
        lock (mine)
        {
            while (!mine.Done && !mine.Lead)
            {
                Monitor.Wait(mine);
            }
        }

        if (!mine.Done)
        {
            WriteQueued();
        }

        mine.Failure?.Throw();
        return mine.Stored!;
    }

    // Writes everything queued so far (the caller's own events first among them), then hands the writing on.
    private void WriteQueued()
    {
        List<Pending> batch;
        lock (queueGate)
        {
            batch = queue;
            queue = [];
        }

        Write(batch);
        Pending? next = null;
        lock (queueGate)
        {
            if (batch[0].Failure is null)
            {
                batches++;
                events += batch.Sum(p => p.Events.Count);
            }

            // The first caller that queued while this batch was written writes the next one.
            if (queue.Count > 0)
            {
                next = queue[0];
            }
            else
            {
                writing = false;
            }
        }

        foreach (var p in batch)
        {
            lock (p)
            {
                p.Done = true;
                Monitor.Pulse(p);
            }
        }

        if (next is not null)
        {
            lock (next)
            {
                next.Lead = true;
                Monitor.Pulse(next);
            }
        }
    }

    /// <summary>Appends inside the caller's transaction, which already holds the database's write lock or will take it here.</summary>
    public IReadOnlyList<AuditEvent> Append(DbConnection connection, DbTransaction tx, IReadOnlyList<AuditEvent> toAppend)
    {
        lock (writeLock)
        {
            return WriteLocked(connection, tx, toAppend);
        }
    }

    private void Write(List<Pending> batch)
    {
        try
        {
            // The transaction is begun before the in-process lock is taken: on SQLite beginning it waits for the
            // database's write lock, which a retention purge holds while it waits for this lock to append its event.
            using var connection = database.Open();
            using var tx = connection.BeginTransaction();
            var all = batch.Count == 1 ? batch[0].Events : batch.SelectMany(p => p.Events).ToList();
            List<AuditEvent> stored;
            lock (writeLock)
            {
                stored = WriteLocked(connection, tx, all);
            }

            tx.Commit();
            var at = 0;
            foreach (var p in batch)
            {
                p.Stored = stored.GetRange(at, p.Events.Count);
                at += p.Events.Count;
            }
        }
#pragma warning disable CA1031 // Any failure belongs to the callers whose events were in the batch: each rethrows it.
        catch (Exception e)
#pragma warning restore CA1031
        {
            var failure = ExceptionDispatchInfo.Capture(e);
            foreach (var p in batch)
            {
                p.Failure = failure;
            }
        }
    }

    private List<AuditEvent> WriteLocked(DbConnection connection, DbTransaction tx, IReadOnlyList<AuditEvent> toWrite)
    {
        if (database.Dialect == Dialect.Postgres)
        {
            // Self-conflicting but compatible with plain reads: other appenders (other processes too) wait, readers do not.
            connection.Execute("LOCK TABLE audit_event IN SHARE ROW EXCLUSIVE MODE", transaction: tx);
        }

        // On SQLite the transaction is BEGIN IMMEDIATE, which already holds the database's write lock here.
        var head = connection.QuerySingleOrDefault<(long Seq, string Hash)?>(
            "SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1", transaction: tx);
        var seq = head?.Seq ?? 0;
        var prev = head?.Hash ?? AuditChain.Genesis;
        var stored = new List<AuditEvent>(toWrite.Count);

        // One command, prepared once, for every event of the transaction.
        using var insert = connection.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = InsertSql;
        var seqParameter = Parameter(insert, "seq", DbType.Int64);
        var text = TextColumns.Select(c => Parameter(insert, c, DbType.String)).ToArray();
        foreach (var e in toWrite)
        {
            seq++;
            var next = e with { Seq = seq, PrevHash = prev, Hash = string.Empty };
            next = next with { Hash = AuditChain.Hash(prev, next) };
            seqParameter.Value = next.Seq;
            text[0].Value = AuditChain.FormatTime(next.At);
            text[1].Value = next.User;
            text[2].Value = next.Role;
            text[3].Value = next.Organisation;
            text[4].Value = next.Purpose;
            text[5].Value = next.Action;
            text[6].Value = next.Subject;
            text[7].Value = JsonSerializer.Serialize(next.Categories);
            text[8].Value = JsonSerializer.Serialize(next.Fields);
            text[9].Value = next.Outcome;
            text[10].Value = next.Client;
            text[11].Value = next.PrevHash;
            text[12].Value = next.Hash;
            if (stored.Count == 0)
            {
                insert.Prepare();
            }

            insert.ExecuteNonQuery();
            stored.Add(next);
            prev = next.Hash;
        }

        return stored;
    }

    private static DbParameter Parameter(DbCommand command, string name, DbType type)
    {
        var p = command.CreateParameter();
        p.ParameterName = "@" + name;
        p.DbType = type;
        command.Parameters.Add(p);
        return p;
    }

    // One caller's events and outcome; the caller sleeps on this object (Monitor.Wait) until it is done or is to write.
    private sealed class Pending(IReadOnlyList<AuditEvent> events)
    {
        public IReadOnlyList<AuditEvent> Events { get; } = events;

        public List<AuditEvent>? Stored { get; set; }

        public ExceptionDispatchInfo? Failure { get; set; }

        public bool Lead { get; set; }

        public bool Done { get; set; }
    }
}

/// <summary>Figures of a database's audit writer in this process.</summary>
/// <param name="Transactions">Transactions its batches committed.</param>
/// <param name="Events">Events those transactions held.</param>
/// <param name="Waiting">Callers whose events are queued and not yet being written.</param>
public sealed record AuditWriterFigures(long Transactions, long Events, int Waiting);
