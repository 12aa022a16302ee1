using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Mimamori.Privacy.Audit;
using Mimamori.Storage.Connection;

namespace Mimamori.Storage.Audit;

/// <summary>
/// The append-only audit trail in <c>audit_event</c>. Appends are serialised (one writer per database in the process,
/// see <see cref="AuditWriter"/>, plus a write lock taken in the database transaction before the head is read) so two
/// appends can never both extend the same head and fork the chain; the primary key on seq is the last line of defence.
/// Concurrent appends are committed together (group commit), each caller's events contiguous and in its order.
/// </summary>
public sealed class AuditLog
{
    private readonly MimamoriDatabase database;
    private readonly AuditWriter writer;

    /// <summary>Uses the given database (migrated to at least version 2).</summary>
    public AuditLog(MimamoriDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        this.database = database;
        writer = AuditWriter.For(database);
    }

    /// <summary>Appends one event; seq, prev_hash and hash are assigned here. Returns the stored event.</summary>
    public AuditEvent Append(AuditEvent auditEvent) => Append([auditEvent])[0];

    /// <summary>
    /// Appends several events in one transaction, in order (a worklist page records one event per child shown), and
    /// returns them as stored once they are committed. Events other callers append at the same time may share the
    /// transaction; if it fails, every one of those callers gets the exception.
    /// </summary>
    public IReadOnlyList<AuditEvent> Append(IReadOnlyList<AuditEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return [];
        }

        // A malformed event fails its own caller here, not the batch it would have shared with others.
        foreach (var e in events)
        {
            Validate(e);
        }

        return writer.Append(events);
    }

    /// <summary>
    /// Appends inside the caller's transaction, so that a change to the data and the event recording it commit or
    /// roll back together (the retention purge).
    /// </summary>
    internal IReadOnlyList<AuditEvent> Append(DbConnection connection, DbTransaction tx, IReadOnlyList<AuditEvent> events) =>
        writer.Append(connection, tx, events);

    /// <summary>Transactions this process's appends to this database committed so far, the events they held, and the callers waiting now.</summary>
    public AuditWriterFigures Figures => writer.Figures;

    private static void Validate(AuditEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        string?[] text = [e.User, e.Role, e.Organisation, e.Purpose, e.Action, e.Subject, e.Outcome, e.Client];
        if (text.Any(t => t is null) || e.Categories is null || e.Fields is null || e.Categories.Any(c => c is null) || e.Fields.Any(f => f is null))
        {
            throw new ArgumentException("An audit event needs every field (empty text, not null).", nameof(e));
        }
    }

    /// <summary>Entries matching the query, newest first.</summary>
    public IReadOnlyList<AuditEvent> Query(AuditQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var where = new List<string>();
        var args = new DynamicParameters();
        if (!string.IsNullOrWhiteSpace(query.Subject))
        {
            where.Add("subject = @subject");
            args.Add("subject", query.Subject.Trim());
        }

        if (!string.IsNullOrWhiteSpace(query.User))
        {
            where.Add("user_name = @user");
            args.Add("user", query.User.Trim());
        }

        // Timestamps are fixed-width ISO text in UTC, so text comparison is time comparison on both databases.
        if (query.From is { } from)
        {
            where.Add("at >= @from");
            args.Add("from", from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        if (query.To is { } to)
        {
            where.Add("at < @to");
            args.Add("to", to.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        args.Add("limit", (long)Math.Clamp(query.Limit, 1, 10_000));
        var sql = SelectColumns + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : string.Empty) + " ORDER BY seq DESC LIMIT @limit";
        using var connection = database.Open();
        return connection.Query<EventRow>(sql, args).Select(ToEvent).ToList();
    }

    /// <summary>The whole trail in seq order, for verification.</summary>
    public IReadOnlyList<AuditEvent> ReadAll()
    {
        using var connection = database.Open();
        return connection.Query<EventRow>(SelectColumns + " ORDER BY seq").Select(ToEvent).ToList();
    }

    /// <summary>Checks the stored chain; the seq of the first broken entry, or null when intact.</summary>
    public long? Verify() => AuditChain.Verify(ReadAll());

    /// <summary>How long the incremental check may go without re-hashing the whole trail.</summary>
    public static readonly TimeSpan FullCheckInterval = TimeSpan.FromMinutes(15);

    private readonly Lock checkLock = new();
    private (long Seq, string Hash, DateTimeOffset FullAt)? intactUpTo;

    /// <summary>
    /// Checks the stored chain for a page that shows it on every view: the whole trail the first time and at least
    /// every <see cref="FullCheckInterval"/>, otherwise only the entries appended since the trail was last found intact,
    /// after confirming that the last entry then checked is still there and still hashes to what it did (so the cost of a view does not grow
    /// with the trail). <c>mimamori audit verify</c> always checks everything. Returns the seq of the first broken
    /// entry (null when intact) and the number of entries.
    /// </summary>
    public (long? BrokenAt, long Count) VerifyForDisplay(DateTimeOffset now)
    {
        lock (checkLock)
        {
            if (intactUpTo is { } known && now - known.FullAt < FullCheckInterval)
            {
                using var connection = database.Open();
                var tail = connection.Query<EventRow>(SelectColumns + " WHERE seq >= @seq ORDER BY seq", new { seq = known.Seq }).Select(ToEvent).ToList();
                if (known.Seq == 0 || (tail.Count > 0 && tail[0].Seq == known.Seq && string.Equals(tail[0].Hash, known.Hash, StringComparison.Ordinal)
                        && string.Equals(AuditChain.Hash(tail[0].PrevHash, tail[0]), known.Hash, StringComparison.Ordinal)))
                {
                    var after = known.Seq == 0 ? tail : tail.Skip(1).ToList();
                    var broken = AuditChain.VerifyAfter(after, known.Seq, known.Hash);
                    if (broken is null)
                    {
                        intactUpTo = after.Count == 0 ? known : (after[^1].Seq, after[^1].Hash, known.FullAt);
                        return (null, intactUpTo.Value.Seq);
                    }
                }
            }

            // First view, time for a full check, or something changed at or before the last entry checked.
            var all = ReadAll();
            var brokenAt = AuditChain.Verify(all);
            intactUpTo = brokenAt is null ? (all.Count == 0 ? 0 : all[^1].Seq, all.Count == 0 ? AuditChain.Genesis : all[^1].Hash, now) : null;
            return (brokenAt, all.Count);
        }
    }

    /// <summary>Number of entries.</summary>
    public long Count()
    {
        using var connection = database.Open();
        return connection.ExecuteScalar<long>("SELECT COUNT(*) FROM audit_event");
    }

    private const string SelectColumns =
        "SELECT seq AS Seq, at AS At, user_name AS UserName, role AS Role, organisation AS Organisation, purpose AS Purpose, action AS Action, " +
        "subject AS Subject, categories AS Categories, fields AS Fields, outcome AS Outcome, client AS Client, prev_hash AS PrevHash, hash AS Hash FROM audit_event";

    private static AuditEvent ToEvent(EventRow r) => new(
        r.Seq,
        AuditChain.ParseTime(r.At),
        r.UserName,
        r.Role,
        r.Organisation,
        r.Purpose,
        r.Action,
        r.Subject,
        JsonSerializer.Deserialize<List<string>>(r.Categories) ?? [],
        JsonSerializer.Deserialize<List<string>>(r.Fields) ?? [],
        r.Outcome,
        r.Client,
        r.PrevHash,
        r.Hash);

    private sealed class EventRow
    {
        public long Seq { get; set; }

        public string At { get; set; } = string.Empty;

        public string UserName { get; set; } = string.Empty;

        public string Role { get; set; } = string.Empty;

        public string Organisation { get; set; } = string.Empty;

        public string Purpose { get; set; } = string.Empty;

        public string Action { get; set; } = string.Empty;

        public string Subject { get; set; } = string.Empty;

        public string Categories { get; set; } = "[]";

        public string Fields { get; set; } = "[]";

        public string Outcome { get; set; } = string.Empty;

        public string Client { get; set; } = string.Empty;

        public string PrevHash { get; set; } = string.Empty;

        public string Hash { get; set; } = string.Empty;
    }
}
