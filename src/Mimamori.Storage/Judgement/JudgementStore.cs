using System.Data.Common;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Dapper;
using Mimamori.Storage.Connection;

namespace Mimamori.Storage.Judgement;

/// <summary>
/// Decisions about flagged children and the meetings they are taken in. A decision is appended, never updated or
/// deleted: a later decision about the same child supersedes it, and every earlier one stays readable with the
/// snapshot of what was shown when it was taken.
/// </summary>
public sealed class JudgementStore
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly MimamoriDatabase database;

    public JudgementStore(MimamoriDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        this.database = database;
    }

    /// <summary>Appends a decision; it supersedes the child's current one. Returns it as stored.</summary>
    /// <exception cref="ArgumentException">Unknown decision, empty reasons, or a meeting that does not exist.</exception>
    public StoredJudgement Record(NewJudgement judgement, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(judgement);
        if (!Decision.IsKnown(judgement.Decision))
        {
            throw new ArgumentException($"Unknown decision '{judgement.Decision}' (expected {string.Join(", ", Decision.All)}).", nameof(judgement));
        }

        if (string.IsNullOrWhiteSpace(judgement.Reasons))
        {
            throw new ArgumentException("A decision needs its reasons.", nameof(judgement));
        }

        var snapshot = JsonSerializer.Serialize(judgement.Snapshot, Json);
        // Ids come from the application; two decisions saved at the same instant can race for one id, so try again.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var connection = database.Open();
                using var tx = connection.BeginTransaction();
                if (judgement.MeetingId is { } m && connection.ExecuteScalar<long>("SELECT COUNT(*) FROM meeting WHERE meeting_id = @m", new { m }, tx) == 0)
                {
                    throw new ArgumentException($"No meeting {m}.", nameof(judgement));
                }

                var id = connection.ExecuteScalar<long>("SELECT COALESCE(MAX(judgement_id), 0) + 1 FROM judgement", transaction: tx);
                var previous = connection.ExecuteScalar<long?>("SELECT MAX(judgement_id) FROM judgement WHERE person_id = @p", new { p = judgement.PersonId }, tx);
                connection.Execute(
                    """
                    INSERT INTO judgement (judgement_id, person_id, decision, reasons, decided_by, decided_by_name, role, organisation, meeting_id,
                                           overrides_score, decided_at, supersedes, model_version, snapshot)
                    VALUES (@id, @PersonId, @Decision, @Reasons, @user, @name, @role, @organisation, @MeetingId,
                            @overrides, @at, @previous, @versions, @snapshot)
                    """,
                    new
                    {
                        id,
                        judgement.PersonId,
                        judgement.Decision,
                        Reasons = database.Cipher.Seal(judgement.Reasons.Trim(), "judgement.reasons"),
                        user = judgement.By.UserName,
                        name = judgement.By.DisplayName,
                        role = judgement.By.Role,
                        organisation = judgement.By.Organisation,
                        judgement.MeetingId,
                        overrides = judgement.OverridesScore ? 1L : 0L,
                        at = Stamp(now),
                        previous,
                        versions = judgement.Snapshot.Versions,
                        snapshot = database.Cipher.Seal(snapshot, "judgement.snapshot"),
                    },
                    tx);
                tx.Commit();
                return Find(id)!;
            }
            catch (DbException) when (attempt < 3)
            {
            }
        }
    }

    /// <summary>A decision by id, or null.</summary>
    public StoredJudgement? Find(long judgementId)
    {
        using var connection = database.Open();
        return Query(connection, "WHERE j.judgement_id = @id", new { id = judgementId }).SingleOrDefault();
    }

    /// <summary>Every decision about a child, newest first.</summary>
    public IReadOnlyList<StoredJudgement> ForPerson(long personId)
    {
        using var connection = database.Open();
        return Query(connection, "WHERE j.person_id = @personId", new { personId });
    }

    /// <summary>Each child's current decision (the latest), for the children given.</summary>
    public IReadOnlyDictionary<long, StoredJudgement> Current(IReadOnlyCollection<long> personIds)
    {
        ArgumentNullException.ThrowIfNull(personIds);
        var result = new Dictionary<long, StoredJudgement>();
        using var connection = database.Open();
        foreach (var chunk in personIds.Distinct().Chunk(500))
        {
            foreach (var j in Query(connection, $"WHERE j.person_id IN {SqlLists.Ids(chunk)} AND j.judgement_id = (SELECT MAX(k.judgement_id) FROM judgement k WHERE k.person_id = j.person_id)", new { }))
            {
                result[j.PersonId] = j;
            }
        }

        return result;
    }

    /// <summary>Creates a meeting; returns it.</summary>
    public Meeting CreateMeeting(NewMeeting meeting, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(meeting);
        if (string.IsNullOrWhiteSpace(meeting.Title))
        {
            throw new ArgumentException("A meeting needs a title.", nameof(meeting));
        }

        var attendees = JsonSerializer.Serialize(meeting.Attendees.Select(a => a.Trim()).Where(a => a.Length > 0).ToList(), Json);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var connection = database.Open();
                using var tx = connection.BeginTransaction();
                var id = connection.ExecuteScalar<long>("SELECT COALESCE(MAX(meeting_id), 0) + 1 FROM meeting", transaction: tx);
                connection.Execute(
                    "INSERT INTO meeting (meeting_id, held_on, title, kind, attendees, created_by, created_at) VALUES (@id, @heldOn, @Title, @Kind, @attendees, @CreatedBy, @at)",
                    new { id, heldOn = Day(meeting.HeldOn), Title = meeting.Title.Trim(), meeting.Kind, attendees, meeting.CreatedBy, at = Stamp(now) },
                    tx);
                tx.Commit();
                return FindMeeting(id)!;
            }
            catch (DbException) when (attempt < 3)
            {
            }
        }
    }

    /// <summary>Meetings, latest first.</summary>
    public IReadOnlyList<Meeting> Meetings(int limit = 100)
    {
        using var connection = database.Open();
        return Meetings(connection, "ORDER BY m.held_on DESC, m.meeting_id DESC LIMIT @limit", new { limit = (long)limit });
    }

    public Meeting? FindMeeting(long meetingId)
    {
        using var connection = database.Open();
        return Meetings(connection, "WHERE m.meeting_id = @meetingId", new { meetingId }).SingleOrDefault();
    }

    /// <summary>Puts a child on a meeting's agenda; false when the meeting does not exist or the child is already on it.</summary>
    public bool AddToAgenda(long meetingId, long personId, string addedBy, DateTimeOffset now)
    {
        using var connection = database.Open();
        using var tx = connection.BeginTransaction();
        var exists = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM meeting WHERE meeting_id = @meetingId", new { meetingId }, tx) > 0;
        var already = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM meeting_agenda WHERE meeting_id = @meetingId AND person_id = @personId", new { meetingId, personId }, tx) > 0;
        if (!exists || already)
        {
            return false;
        }

        connection.Execute(
            "INSERT INTO meeting_agenda (meeting_id, person_id, added_by, added_at) VALUES (@meetingId, @personId, @addedBy, @at)",
            new { meetingId, personId, addedBy, at = Stamp(now) },
            tx);
        tx.Commit();
        return true;
    }

    /// <summary>A meeting's agenda, in the order children were added, each with the latest decision taken in this meeting.</summary>
    public IReadOnlyList<AgendaItem> Agenda(long meetingId)
    {
        using var connection = database.Open();
        var rows = connection.Query<(long PersonId, string FamilyName, string GivenName, string FamilyKana, string GivenKana, string? BirthDate, string AddedBy)>(
            """
            SELECT a.person_id, p.family_name, p.given_name, p.family_kana, p.given_kana, p.birth_date, a.added_by
            FROM meeting_agenda a JOIN person p ON p.person_id = a.person_id
            WHERE a.meeting_id = @meetingId
            ORDER BY a.added_at, a.person_id
            """,
            new { meetingId }).ToList();
        var decided = Query(connection, "WHERE j.meeting_id = @meetingId", new { meetingId })
            .GroupBy(j => j.PersonId).ToDictionary(g => g.Key, g => g.First());
        return rows.Select(r => new AgendaItem(r.PersonId, r.FamilyName, r.GivenName, r.FamilyKana, r.GivenKana, Date(r.BirthDate), r.AddedBy, decided.GetValueOrDefault(r.PersonId))).ToList();
    }

    /// <summary>The meetings a child is on the agenda of, latest first.</summary>
    public IReadOnlyList<Meeting> MeetingsOf(long personId)
    {
        using var connection = database.Open();
        return Meetings(connection, "WHERE m.meeting_id IN (SELECT a.meeting_id FROM meeting_agenda a WHERE a.person_id = @personId) ORDER BY m.held_on DESC, m.meeting_id DESC", new { personId });
    }

    /// <summary>The model's current score of a child as <c>need_score</c> holds it, or null when no model scored the child.</summary>
    public SnapshotScore? CurrentScore(long personId)
    {
        using var connection = database.Open();
        var row = connection.QueryFirstOrDefault<(string Version, double Probability, string Band, string Contributions, string Inputs)?>(
            "SELECT model_version, probability, band, contributions, inputs FROM need_score WHERE person_id = @personId ORDER BY outcome LIMIT 1", new { personId });
        if (row is not { } r)
        {
            return null;
        }

        var reasons = new List<SnapshotReason>();
        try
        {
            using var doc = JsonDocument.Parse(r.Contributions);
            if (doc.RootElement.ValueKind == JsonValueKind.Array)
            {
                foreach (var c in doc.RootElement.EnumerateArray())
                {
                    reasons.Add(new SnapshotReason(Text(c, "feature"), Text(c, "group"), c.TryGetProperty("contribution", out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : 0, Text(c, "ja"), Text(c, "en")));
                }
            }
        }
        catch (JsonException)
        {
            // A malformed reasons column shows no reasons; the probability and inputs still stand.
        }

        return new SnapshotScore(r.Version, r.Probability, r.Band, reasons, r.Inputs);
    }

    /// <summary>The reference date of the latest successful detection run (its <c>pipeline_run.detail</c>), or null.</summary>
    public DateOnly? ReferenceDate()
    {
        using var connection = database.Open();
        var detail = connection.QueryFirstOrDefault<string?>("SELECT detail FROM pipeline_run WHERE stage = 'detect' AND status = 'succeeded' ORDER BY run_id DESC LIMIT 1");
        if (detail is null)
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(detail);
            return doc.RootElement.TryGetProperty("reference_date", out var d) ? Date(d.GetString()) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The SQL condition for a judgement status on <c>p.person_id</c> (alias <c>p</c> for person), for the worklist;
    /// null for an unknown status.
    /// </summary>
    public static string? StatusCondition(string status) => status switch
    {
        JudgementStatus.Undecided => "NOT EXISTS (SELECT 1 FROM judgement jx WHERE jx.person_id = p.person_id)",
        JudgementStatus.OnAgenda => "EXISTS (SELECT 1 FROM meeting_agenda ax WHERE ax.person_id = p.person_id AND NOT EXISTS (SELECT 1 FROM judgement jx WHERE jx.person_id = ax.person_id AND jx.meeting_id = ax.meeting_id))",
        JudgementStatus.NotRegistered => $"{LatestDecision} IN ('{Decision.SupportNeeded}', '{Decision.Refer}') AND NOT {Casework.YotaikyoStore.RegisteredCondition}",
        JudgementStatus.Supporting => $"{LatestDecision} = '{Decision.SupportNeeded}'",
        JudgementStatus.Watching => $"{LatestDecision} = '{Decision.Watch}'",
        JudgementStatus.Referred => $"{LatestDecision} = '{Decision.Refer}'",
        JudgementStatus.NotNeeded => $"{LatestDecision} = '{Decision.NotNeeded}'",
        _ => null,
    };

    /// <summary>Children among those given with an open 要対協 registration, recorded by staff or in their linked records.</summary>
    public IReadOnlySet<long> RegisteredWithYotaikyo(IReadOnlyCollection<long> personIds)
    {
        ArgumentNullException.ThrowIfNull(personIds);
        var result = new HashSet<long>();
        using var connection = database.Open();
        foreach (var chunk in personIds.Distinct().Chunk(500))
        {
            result.UnionWith(connection.Query<long>($"SELECT p.person_id FROM person p WHERE p.person_id IN {SqlLists.Ids(chunk)} AND {Casework.YotaikyoStore.RegisteredCondition}"));
        }

        return result;
    }

    /// <summary>A condition on <c>p.person_id</c>: a 要対協 registration (cw.yotaikyo_kind) whose record does not say it was closed (終結).</summary>
    public const string OpenYotaikyoCondition =
        "EXISTS (SELECT 1 FROM person_record yr JOIN fact yf ON yf.record_id = yr.record_id WHERE yr.person_id = p.person_id AND yf.kind = 'cw.yotaikyo_kind' " +
        "AND NOT EXISTS (SELECT 1 FROM fact yc WHERE yc.record_id = yf.record_id AND yc.kind = 'cw.yotaikyo_status' AND yc.value_text = 'closed'))";

    private const string LatestDecision = "(SELECT jl.decision FROM judgement jl WHERE jl.person_id = p.person_id ORDER BY jl.judgement_id DESC LIMIT 1)";

    private const string MeetingSelect =
        """
        SELECT m.meeting_id, m.held_on, m.title, m.kind, m.attendees, m.created_by, m.created_at,
               (SELECT COUNT(*) FROM meeting_agenda a WHERE a.meeting_id = m.meeting_id),
               (SELECT COUNT(DISTINCT j.person_id) FROM judgement j WHERE j.meeting_id = m.meeting_id)
        FROM meeting m
        """;

    private List<StoredJudgement> Query(DbConnection connection, string where, object args)
    {
        using var reader = connection.ExecuteReader(
            $"""
            SELECT j.judgement_id, j.person_id, j.decision, j.reasons, j.decided_by, j.decided_by_name, j.role, j.organisation, j.meeting_id,
                   m.title, m.held_on, j.overrides_score, j.decided_at, j.supersedes,
                   (SELECT MIN(n.judgement_id) FROM judgement n WHERE n.person_id = j.person_id AND n.judgement_id > j.judgement_id),
                   j.model_version, j.snapshot
            FROM judgement j LEFT JOIN meeting m ON m.meeting_id = j.meeting_id
            {where}
            ORDER BY j.judgement_id DESC
            """,
            args);
        var result = new List<StoredJudgement>();
        while (reader.Read())
        {
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            long? Number(int i) => reader.IsDBNull(i) ? null : Convert.ToInt64(reader.GetValue(i), CultureInfo.InvariantCulture);
            result.Add(new StoredJudgement(
                Number(0)!.Value,
                Number(1)!.Value,
                Text(2)!,
                database.Cipher.Open(Text(3), "judgement.reasons")!,
                new Decider(Text(4)!, Text(5)!, Text(6)!, Text(7)!),
                Number(8),
                Text(9),
                Date(Text(10)),
                Number(11) != 0,
                Instant(Text(12)!),
                Number(13),
                Number(14),
                Text(15)!,
                JsonSerializer.Deserialize<JudgementSnapshot>(database.Cipher.Open(Text(16), "judgement.snapshot")!, Json) ?? new JudgementSnapshot(null, [], null, string.Empty, string.Empty)));
        }

        return result;
    }

    private static List<Meeting> Meetings(DbConnection connection, string where, object args)
    {
        using var reader = connection.ExecuteReader(MeetingSelect + " " + where, args);
        var result = new List<Meeting>();
        while (reader.Read())
        {
            result.Add(new Meeting(
                Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture),
                Date(reader.GetString(1)) ?? DateOnly.MinValue,
                reader.GetString(2),
                reader.GetString(3),
                JsonSerializer.Deserialize<List<string>>(reader.GetString(4), Json) ?? [],
                reader.GetString(5),
                Instant(reader.GetString(6)),
                (int)Convert.ToInt64(reader.GetValue(7), CultureInfo.InvariantCulture),
                (int)Convert.ToInt64(reader.GetValue(8), CultureInfo.InvariantCulture)));
        }

        return result;
    }

    private static DateTimeOffset Instant(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static string Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() ?? string.Empty : string.Empty;

    private static DateOnly? Date(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Stamp(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
