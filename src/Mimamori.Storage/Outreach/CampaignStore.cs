using System.Globalization;
using Dapper;
using Mimamori.Storage.Connection;

namespace Mimamori.Storage.Outreach;

/// <summary>
/// Campaigns and their messages: drafting (replacing a campaign's drafts, never what was approved or sent),
/// supervisor approval, delivery state per message, and the counts a nudge experiment is judged by.
/// </summary>
public sealed class CampaignStore
{
    private readonly MimamoriDatabase database;

    public CampaignStore(MimamoriDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        this.database = database;
    }

    /// <summary>
    /// Writes a campaign's drafts. Returns false, writing nothing, when the campaign is already approved or sent: a
    /// rerun of the pipeline must not put a second letter in the post or change what a supervisor approved.
    /// </summary>
    public bool SaveDraft(CampaignDraft campaign, IEnumerable<DraftMessage> messages, IEnumerable<(string Program, string Variant, string Language, string Subject)> variants, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        using var connection = database.Open();
        using var tx = connection.BeginTransaction();
        var state = connection.QuerySingleOrDefault<string?>("SELECT state FROM campaign WHERE campaign = @c", new { c = campaign.Campaign }, tx);
        if (state is not null && state != MessageState.Draft)
        {
            return false;
        }

        var at = Stamp(now);
        connection.Execute("DELETE FROM outreach_message WHERE campaign = @c AND state = 'draft'", new { c = campaign.Campaign }, tx);
        connection.Execute("DELETE FROM message_variant WHERE campaign = @c", new { c = campaign.Campaign }, tx);
        connection.Execute("DELETE FROM campaign WHERE campaign = @c", new { c = campaign.Campaign }, tx);
        connection.Execute(
            """
            INSERT INTO campaign (campaign, target, state, seed, reference_date, deadline, programs_version, created_at)
            VALUES (@Campaign, @Target, 'draft', @Seed, @reference, @deadline, @ProgramsVersion, @at)
            """,
            new { campaign.Campaign, campaign.Target, campaign.Seed, reference = Day(campaign.ReferenceDate), deadline = Day(campaign.Deadline), campaign.ProgramsVersion, at },
            tx);
        foreach (var v in variants)
        {
            connection.Execute(
                "INSERT INTO message_variant (campaign, program, variant, language, subject) VALUES (@c, @p, @v, @l, @s)",
                new { c = campaign.Campaign, p = v.Program, v = v.Variant, l = v.Language, s = v.Subject },
                tx);
        }

        var next = connection.ExecuteScalar<long>("SELECT COALESCE(MAX(message_id), 0) + 1 FROM outreach_message", transaction: tx);
        using (var writer = new BulkWriter(connection, tx, "outreach_message", ["message_id", "campaign", "household_no", "person_id", "program", "channel", "state", "subject", "body", "created_at", "variant", "language"]))
        {
            foreach (var m in messages)
            {
                writer.Write(next++, campaign.Campaign, m.HouseholdNo, m.PersonId, m.Program, m.Channel, MessageState.Draft, m.Subject, m.Body, at, m.Variant, m.Language);
            }

            writer.Complete();
        }

        tx.Commit();
        return true;
    }

    /// <summary>The seed a campaign was drafted with, so a rerun keeps each household's wording.</summary>
    public long? Seed(string campaign)
    {
        using var connection = database.Open();
        return connection.QuerySingleOrDefault<long?>("SELECT seed FROM campaign WHERE campaign = @campaign", new { campaign });
    }

    /// <summary>Households that asked for no more offers.</summary>
    public IReadOnlySet<string> OptedOut()
    {
        using var connection = database.Open();
        return connection.Query<string>("SELECT DISTINCT household_no FROM message_response WHERE response = 'opted_out'").ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>All campaigns, newest first, with counts.</summary>
    public IReadOnlyList<CampaignSummary> List()
    {
        using var connection = database.Open();
        var rows = connection.Query<CampaignRow>(CampaignColumns + " ORDER BY created_at DESC, campaign").ToList();
        return rows.Select(r => Summarise(connection, r)).ToList();
    }

    public CampaignSummary? Find(string campaign)
    {
        using var connection = database.Open();
        var row = connection.QuerySingleOrDefault<CampaignRow>(CampaignColumns + " WHERE campaign = @campaign", new { campaign });
        return row is null ? null : Summarise(connection, row);
    }

    /// <summary>A campaign's messages with the addressee and address each would go to (the dry run), at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<CampaignMessage> Messages(string campaign, string? state = null, int limit = 100_000)
    {
        using var connection = database.Open();
        return connection.Query<MessageRow>(
            MessageSelect + " WHERE m.campaign = @campaign AND (@state IS NULL OR m.state = @state) ORDER BY m.message_id LIMIT @limit",
            new { campaign, state, limit = (long)limit }).Select(ToMessage).ToList();
    }

    /// <summary>
    /// Approves every draft of a campaign in the supervisor's name. Returns the number approved (0 when the campaign
    /// is unknown or no longer a draft). Approval is all or nothing per campaign, so what was reviewed is what is sent.
    /// </summary>
    public int Approve(string campaign, string supervisor, DateTimeOffset now)
    {
        using var connection = database.Open();
        using var tx = connection.BeginTransaction();
        var at = Stamp(now);
        var updated = connection.Execute("UPDATE campaign SET state = 'approved', approved_by = @supervisor, approved_at = @at WHERE campaign = @campaign AND state = 'draft'", new { campaign, supervisor, at }, tx);
        if (updated == 0)
        {
            return 0;
        }

        var count = connection.Execute("UPDATE outreach_message SET state = 'approved', approved_by = @supervisor, approved_at = @at WHERE campaign = @campaign AND state = 'draft'", new { campaign, supervisor, at }, tx);
        tx.Commit();
        return count;
    }

    /// <summary>Approved messages not yet sent, with where they go; opted-out households are left out even if approved before they opted out.</summary>
    public IReadOnlyList<CampaignMessage> ToSend(string? campaign = null)
    {
        using var connection = database.Open();
        return connection.Query<MessageRow>(
            MessageSelect + " WHERE m.state = 'approved' AND (@campaign IS NULL OR m.campaign = @campaign) AND m.household_no NOT IN (SELECT household_no FROM message_response WHERE response = 'opted_out') ORDER BY m.message_id",
            new { campaign }).Select(ToMessage).ToList();
    }

    /// <summary>Records the outcome of one delivery attempt.</summary>
    public void MarkDelivery(long messageId, string channel, string state, DateTimeOffset at, string? failure = null)
    {
        using var connection = database.Open();
        connection.Execute(
            "UPDATE outreach_message SET state = @state, channel = @channel, sent_at = @at, failure = @failure WHERE message_id = @messageId",
            new { messageId, channel, state, at = Stamp(at), failure });
    }

    /// <summary>Marks a campaign sent once none of its messages waits for delivery.</summary>
    public void CloseIfSent(string campaign, DateTimeOffset at)
    {
        using var connection = database.Open();
        connection.Execute(
            "UPDATE campaign SET state = 'sent', sent_at = @at WHERE campaign = @campaign AND state = 'approved' AND NOT EXISTS (SELECT 1 FROM outreach_message WHERE campaign = @campaign AND state = 'approved')",
            new { campaign, at = Stamp(at) });
    }

    /// <summary>Per wording: messages that reached families, and their answers (a household's latest answer counts).</summary>
    public IReadOnlyList<VariantCounts> CountsByVariant(string campaign)
    {
        using var connection = database.Open();
        return connection.Query<CountRow>(
            """
            SELECT COALESCE(m.variant, 'plain') AS Variant,
                   COUNT(*) AS Sent,
                   SUM(CASE WHEN r.response = 'applied' THEN 1 ELSE 0 END) AS Applied,
                   SUM(CASE WHEN r.response = 'declined' THEN 1 ELSE 0 END) AS Declined,
                   SUM(CASE WHEN r.response = 'opted_out' THEN 1 ELSE 0 END) AS OptedOut,
                   SUM(CASE WHEN m.read_at IS NOT NULL THEN 1 ELSE 0 END) AS "Read"
            FROM outreach_message m
            LEFT JOIN message_response r ON r.response_id = (SELECT MAX(r2.response_id) FROM message_response r2 WHERE r2.message_id = m.message_id)
            WHERE m.campaign = @campaign AND m.state IN ('sent', 'delivered')
            GROUP BY COALESCE(m.variant, 'plain')
            ORDER BY 1
            """,
            new { campaign }).Select(r => new VariantCounts(r.Variant, r.Sent, r.Applied, r.Declined, r.OptedOut, r.Read)).ToList();
    }

    internal static string Stamp(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static CampaignSummary Summarise(System.Data.Common.DbConnection connection, CampaignRow r)
    {
        var messages = connection.Query<(string State, long Count)>("SELECT state, COUNT(*) FROM outreach_message WHERE campaign = @c GROUP BY state", new { c = r.Campaign })
            .ToDictionary(x => x.State, x => x.Count, StringComparer.Ordinal);
        var responses = connection.Query<(string Response, long Count)>(
            "SELECT r.response, COUNT(DISTINCT r.message_id) FROM message_response r JOIN outreach_message m ON m.message_id = r.message_id WHERE m.campaign = @c GROUP BY r.response",
            new { c = r.Campaign }).ToDictionary(x => x.Response, x => x.Count, StringComparer.Ordinal);
        return new CampaignSummary(r.Campaign, r.Target, r.State, r.Seed, r.ReferenceDate, r.Deadline, r.ProgramsVersion, r.CreatedAt, r.ApprovedBy, r.ApprovedAt, messages, responses);
    }

    private const string CampaignColumns =
        "SELECT campaign AS Campaign, target AS Target, state AS State, seed AS Seed, reference_date AS ReferenceDate, deadline AS Deadline, " +
        "programs_version AS ProgramsVersion, created_at AS CreatedAt, approved_by AS ApprovedBy, approved_at AS ApprovedAt FROM campaign";

    // The addressee is the household's oldest member (in the registry usually the head of household, 世帯主); the
    // postal code comes from any of that person's records that carries one (the resident registry's, as a rule).
    private const string MessageSelect =
        """
        SELECT m.message_id AS MessageId, m.campaign AS Campaign, m.household_no AS HouseholdNo, m.person_id AS PersonId, m.program AS Program, m.channel AS Channel,
               COALESCE(m.variant, 'plain') AS Variant, m.state AS State, m.subject AS Subject, m.body AS Body,
               COALESCE(a.family_name || ' ' || a.given_name, '') AS Addressee,
               COALESCE((SELECT sr.postal_code FROM person_record pr JOIN source_record sr ON sr.record_id = pr.record_id
                         WHERE pr.person_id = a.person_id AND sr.postal_code IS NOT NULL AND sr.postal_code <> '' ORDER BY sr.record_id LIMIT 1), '') AS PostalCode,
               COALESCE(a.address, '') AS Address,
               hc.email AS Email, m.sent_at AS SentAt, m.read_at AS ReadAt, m.failure AS Failure,
               (SELECT r.response FROM message_response r WHERE r.message_id = m.message_id ORDER BY r.response_id DESC LIMIT 1) AS Response
        FROM outreach_message m
        LEFT JOIN person a ON a.person_id = (SELECT p.person_id FROM person p WHERE p.household_no = m.household_no
                                              ORDER BY CASE WHEN p.birth_date IS NULL THEN 1 ELSE 0 END, p.birth_date, p.person_id LIMIT 1)
        LEFT JOIN household_contact hc ON hc.household_no = m.household_no
        """;

    private static CampaignMessage ToMessage(MessageRow r) => new(
        r.MessageId, r.Campaign, r.HouseholdNo, r.PersonId, r.Program, r.Channel, r.Variant, r.State, r.Subject, r.Body, r.Addressee, r.PostalCode, r.Address, r.Email, r.SentAt, r.ReadAt, r.Response, r.Failure);

    private sealed class CountRow
    {
        public string Variant { get; set; } = string.Empty;

        public long Sent { get; set; }

        public long Applied { get; set; }

        public long Declined { get; set; }

        public long OptedOut { get; set; }

        public long Read { get; set; }
    }

    private sealed class CampaignRow
    {
        public string Campaign { get; set; } = string.Empty;

        public string Target { get; set; } = string.Empty;

        public string State { get; set; } = string.Empty;

        public long Seed { get; set; }

        public string ReferenceDate { get; set; } = string.Empty;

        public string Deadline { get; set; } = string.Empty;

        public string ProgramsVersion { get; set; } = string.Empty;

        public string CreatedAt { get; set; } = string.Empty;

        public string? ApprovedBy { get; set; }

        public string? ApprovedAt { get; set; }
    }

    private sealed class MessageRow
    {
        public long MessageId { get; set; }

        public string Campaign { get; set; } = string.Empty;

        public string HouseholdNo { get; set; } = string.Empty;

        public long PersonId { get; set; }

        public string Program { get; set; } = string.Empty;

        public string Channel { get; set; } = string.Empty;

        public string Variant { get; set; } = string.Empty;

        public string State { get; set; } = string.Empty;

        public string Subject { get; set; } = string.Empty;

        public string Body { get; set; } = string.Empty;

        public string Addressee { get; set; } = string.Empty;

        public string PostalCode { get; set; } = string.Empty;

        public string Address { get; set; } = string.Empty;

        public string? Email { get; set; }

        public string? SentAt { get; set; }

        public string? ReadAt { get; set; }

        public string? Response { get; set; }

        public string? Failure { get; set; }
    }
}
