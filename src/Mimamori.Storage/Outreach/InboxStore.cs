using Dapper;
using Mimamori.Storage.Connection;
using Mimamori.Support.Outreach;

namespace Mimamori.Storage.Outreach;

/// <summary>A message as the family sees it in its inbox.</summary>
public sealed record InboxMessage(long MessageId, string Program, string Variant, string Subject, string Body, string? SentAt, string? ReadAt, string? Response);

/// <summary>
/// The resident inbox: access codes (stored as hashes only), the household's sent messages, reading and answering.
/// Everything is keyed by household, and a message is found only together with its household, so a code opens
/// nothing but its own household's messages.
/// </summary>
public sealed class InboxStore
{
    private readonly MimamoriDatabase database;

    public InboxStore(MimamoriDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        this.database = database;
    }

    /// <summary>Issues a new code for a household (printed on one letter); returns the code, which is not stored.</summary>
    public string IssueCode(string householdNo, long? messageId, DateTimeOffset now)
    {
        var code = AccessCode.New();
        using var connection = database.Open();
        connection.Execute(
            "INSERT INTO household_access_code (code_hash, household_no, message_id, issued_at) VALUES (@hash, @householdNo, @messageId, @at)",
            new { hash = AccessCode.Hash(code), householdNo, messageId, at = CampaignStore.Stamp(now) });
        return code;
    }

    /// <summary>The household a typed code opens, or null.</summary>
    public string? FindHousehold(string typed)
    {
        if (!AccessCode.LooksValid(typed))
        {
            return null;
        }

        using var connection = database.Open();
        return connection.QuerySingleOrDefault<string?>(
            "SELECT household_no FROM household_access_code WHERE code_hash = @hash AND revoked_at IS NULL",
            new { hash = AccessCode.Hash(typed) });
    }

    /// <summary>The household's messages that have been sent, newest first.</summary>
    public IReadOnlyList<InboxMessage> Messages(string householdNo)
    {
        using var connection = database.Open();
        return connection.Query<Row>(Select + " WHERE m.household_no = @householdNo AND m.state IN ('sent', 'delivered') ORDER BY m.message_id DESC", new { householdNo })
            .Select(ToMessage).ToList();
    }

    /// <summary>Opens one of the household's messages and marks it read (the first reading is kept); null when it is not theirs.</summary>
    public InboxMessage? Open(string householdNo, long messageId, DateTimeOffset now)
    {
        using var connection = database.Open();
        connection.Execute(
            "UPDATE outreach_message SET read_at = @at WHERE message_id = @messageId AND household_no = @householdNo AND read_at IS NULL AND state IN ('sent', 'delivered')",
            new { messageId, householdNo, at = CampaignStore.Stamp(now) });
        var row = connection.QuerySingleOrDefault<Row>(Select + " WHERE m.message_id = @messageId AND m.household_no = @householdNo AND m.state IN ('sent', 'delivered')", new { messageId, householdNo });
        return row is null ? null : ToMessage(row);
    }

    /// <summary>Records an answer (applied, declined, opted_out) to one of the household's messages; false when the message is not theirs or the answer unknown.</summary>
    public bool Respond(string householdNo, long messageId, string response, DateTimeOffset now)
    {
        if (!MessageResponse.All.Contains(response))
        {
            return false;
        }

        using var connection = database.Open();
        using var tx = connection.BeginTransaction();
        var mine = connection.ExecuteScalar<long>(
            "SELECT COUNT(*) FROM outreach_message WHERE message_id = @messageId AND household_no = @householdNo AND state IN ('sent', 'delivered')",
            new { messageId, householdNo },
            tx);
        if (mine == 0)
        {
            return false;
        }

        var next = connection.ExecuteScalar<long>("SELECT COALESCE(MAX(response_id), 0) + 1 FROM message_response", transaction: tx);
        connection.Execute(
            "INSERT INTO message_response (response_id, message_id, household_no, response, responded_at) VALUES (@next, @messageId, @householdNo, @response, @at)",
            new { next, messageId, householdNo, response, at = CampaignStore.Stamp(now) },
            tx);
        tx.Commit();
        return true;
    }

    /// <summary>Records the e-mail address a household asked later notices to go to (its consent to that channel).</summary>
    public void SetEmail(string householdNo, string email, DateTimeOffset now)
    {
        using var connection = database.Open();
        using var tx = connection.BeginTransaction();
        connection.Execute("DELETE FROM household_contact WHERE household_no = @householdNo", new { householdNo }, tx);
        connection.Execute("INSERT INTO household_contact (household_no, email, consented_at) VALUES (@householdNo, @email, @at)", new { householdNo, email, at = CampaignStore.Stamp(now) }, tx);
        tx.Commit();
    }

    private const string Select =
        """
        SELECT m.message_id AS MessageId, m.program AS Program, COALESCE(m.variant, 'plain') AS Variant, m.subject AS Subject, m.body AS Body,
               m.sent_at AS SentAt, m.read_at AS ReadAt,
               (SELECT r.response FROM message_response r WHERE r.message_id = m.message_id ORDER BY r.response_id DESC LIMIT 1) AS Response
        FROM outreach_message m
        """;

    private static InboxMessage ToMessage(Row r) => new(r.MessageId, r.Program, r.Variant, r.Subject, r.Body, r.SentAt, r.ReadAt, r.Response);

    private sealed class Row
    {
        public long MessageId { get; set; }

        public string Program { get; set; } = string.Empty;

        public string Variant { get; set; } = string.Empty;

        public string Subject { get; set; } = string.Empty;

        public string Body { get; set; } = string.Empty;

        public string? SentAt { get; set; }

        public string? ReadAt { get; set; }

        public string? Response { get; set; }
    }
}
