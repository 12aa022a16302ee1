using System.Data;
using System.Data.Common;
using System.Text.Encodings.Web;
using System.Text.Json;
using Dapper;
using Mimamori.Storage.Connection;
using static Mimamori.Storage.Casework.Rows;

namespace Mimamori.Storage.Casework;

/// <summary>
/// Consents to share with outside partners and referrals between organisations. A referral to an outside partner is
/// stored only when a consent in force covers that partner and every field sent; the check runs in the same transaction
/// as the insert, so a withdrawal cannot slip between them. Consents are withdrawn, never deleted.
/// </summary>
public sealed class ReferralStore
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private const string ConsentColumns = "consent_id, person_id, household_no, partner, purpose, fields, given_by, given_at, recorded_by, withdrawn_at, withdrawn_by, withdrawal_reason";
    private const string ReferralColumns = "referral_id, person_id, household_no, from_org, from_user, to_org, to_kind, reason, fields, consent_id, sent_at, status, answered_by, answered_at, answer_reason";

    private readonly MimamoriDatabase database;

    public ReferralStore(MimamoriDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        this.database = database;
    }

    /// <summary>Records a consent; returns it.</summary>
    /// <exception cref="ArgumentException">No partner, no giver, or no known field.</exception>
    public Consent RecordConsent(NewConsent consent)
    {
        ArgumentNullException.ThrowIfNull(consent);
        var fields = consent.Fields.Distinct().ToList();
        if (string.IsNullOrWhiteSpace(consent.Partner) || string.IsNullOrWhiteSpace(consent.GivenBy) || fields.Count == 0 || !fields.All(ReferralField.All.Contains))
        {
            throw new ArgumentException("A consent names the partner, who gave it, and at least one known field.", nameof(consent));
        }

        var id = Insert(database, "consent", "consent_id", (c, tx, id) => c.Execute(
            $"INSERT INTO consent ({ConsentColumns}) VALUES (@id, @PersonId, @HouseholdNo, @partner, @purpose, @fields, @givenBy, @givenOn, @RecordedBy, NULL, NULL, NULL)",
            new { id, consent.PersonId, consent.HouseholdNo, partner = consent.Partner.Trim(), purpose = consent.Purpose.Trim(), fields = JsonSerializer.Serialize(fields, Json), givenBy = consent.GivenBy.Trim(), givenOn = Day(consent.GivenOn), consent.RecordedBy },
            tx));
        return FindConsent(id)!;
    }

    /// <summary>Withdraws a consent in force; false when there is none by that id or it was already withdrawn.</summary>
    public bool WithdrawConsent(long consentId, string by, string reason, DateTimeOffset now)
    {
        using var connection = database.Open();
        return connection.Execute(
            "UPDATE consent SET withdrawn_at = @at, withdrawn_by = @by, withdrawal_reason = @reason WHERE consent_id = @consentId AND withdrawn_at IS NULL",
            new { consentId, by, reason = reason.Trim(), at = Stamp(now) }) == 1;
    }

    /// <summary>A consent by id, or null.</summary>
    public Consent? FindConsent(long consentId)
    {
        using var connection = database.Open();
        return Consents(connection, null, "WHERE consent_id = @consentId", new { consentId }).SingleOrDefault();
    }

    /// <summary>The consents about a child, newest first.</summary>
    public IReadOnlyList<Consent> ConsentsOf(long personId)
    {
        using var connection = database.Open();
        return Consents(connection, null, "WHERE person_id = @personId ORDER BY consent_id DESC", new { personId });
    }

    /// <summary>Sends a referral; returns it.</summary>
    /// <exception cref="ArgumentException">No reason or fields, or an unknown field.</exception>
    /// <exception cref="ConsentRequiredException">To an outside partner without a consent in force covering it and every field.</exception>
    public Referral Send(NewReferral referral, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(referral);
        if (string.IsNullOrWhiteSpace(referral.Reason) || referral.Fields.Count == 0 || !referral.Fields.Keys.All(ReferralField.All.Contains))
        {
            throw new ArgumentException("A referral needs a reason and at least one known field.", nameof(referral));
        }

        var id = Insert(database, "case_referral", "referral_id", (c, tx, id) =>
        {
            long? consentId = null;
            if (referral.To.IsOutsidePartner)
            {
                var consent = referral.ConsentId is { } cid ? Consents(c, tx, "WHERE consent_id = @cid AND person_id = @PersonId", new { cid, referral.PersonId }).SingleOrDefault() : null;
                if (consent is null || !consent.Covers(referral.To.Name, referral.Fields.Keys))
                {
                    throw new ConsentRequiredException(referral.To.Name);
                }

                consentId = consent.ConsentId;
            }

            c.Execute(
                $"INSERT INTO case_referral ({ReferralColumns}) VALUES (@id, @PersonId, @HouseholdNo, @FromOrg, @FromUser, @to, @kind, @reason, @fields, @consentId, @at, @status, NULL, NULL, NULL)",
                new { id, referral.PersonId, referral.HouseholdNo, referral.FromOrg, referral.FromUser, to = referral.To.Name, kind = referral.To.Kind, reason = referral.Reason.Trim(), fields = JsonSerializer.Serialize(referral.Fields, Json), consentId, at = Stamp(now), status = ReferralStatus.Sent },
                tx);
        });
        return Find(id)!;
    }

    /// <summary>Accepts or declines a referral not yet answered; false when it was already answered.</summary>
    public bool Answer(long referralId, bool accept, string by, string reason, DateTimeOffset now)
    {
        using var connection = database.Open();
        return connection.Execute(
            "UPDATE case_referral SET status = @status, answered_by = @by, answered_at = @at, answer_reason = @reason WHERE referral_id = @referralId AND status = @sent",
            new { referralId, status = accept ? ReferralStatus.Accepted : ReferralStatus.Declined, by, at = Stamp(now), reason = reason.Trim(), sent = ReferralStatus.Sent }) == 1;
    }

    /// <summary>A referral by id, or null.</summary>
    public Referral? Find(long referralId)
    {
        using var connection = database.Open();
        return Referrals(connection, "WHERE referral_id = @referralId", new { referralId }).SingleOrDefault();
    }

    /// <summary>Referrals received by an organisation, unanswered first, then newest first.</summary>
    public IReadOnlyList<Referral> Inbox(string organisation, int limit = 200)
    {
        using var connection = database.Open();
        return Referrals(connection, "WHERE to_org = @organisation ORDER BY CASE WHEN status = @sent THEN 0 ELSE 1 END, referral_id DESC LIMIT @limit", new { organisation, sent = ReferralStatus.Sent, limit });
    }

    /// <summary>Referrals sent by an organisation, newest first.</summary>
    public IReadOnlyList<Referral> SentBy(string organisation, int limit = 200)
    {
        using var connection = database.Open();
        return Referrals(connection, "WHERE from_org = @organisation ORDER BY referral_id DESC LIMIT @limit", new { organisation, limit });
    }

    /// <summary>The referrals about a child, newest first.</summary>
    public IReadOnlyList<Referral> ReferralsOf(long personId)
    {
        using var connection = database.Open();
        return Referrals(connection, "WHERE person_id = @personId ORDER BY referral_id DESC", new { personId });
    }

    /// <summary>How many referrals an organisation has not answered yet (the alert in the header).</summary>
    public int Unanswered(string organisation)
    {
        using var connection = database.Open();
        return (int)connection.ExecuteScalar<long>("SELECT COUNT(*) FROM case_referral WHERE to_org = @organisation AND status = @sent", new { organisation, sent = ReferralStatus.Sent });
    }

    private static List<Consent> Consents(IDbConnection connection, IDbTransaction? tx, string where, object args)
    {
        using var reader = connection.ExecuteReader($"SELECT {ConsentColumns} FROM consent {where}", args, tx);
        var result = new List<Consent>();
        while (reader.Read())
        {
            var withdrawn = Text(reader, 9);
            var given = Text(reader, 7)!;
            result.Add(new Consent(
                Id(reader, 0),
                Number(reader, 1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                JsonSerializer.Deserialize<List<string>>(reader.GetString(5), Json) ?? [],
                Text(reader, 6),
                // Rows of version 1 held a timestamp here; its date is the day of consent.
                ParseDay(given.Length > 10 ? given[..10] : given),
                reader.GetString(8),
                withdrawn is null ? null : Instant(withdrawn),
                Text(reader, 10),
                Text(reader, 11)));
        }

        return result;
    }

    private static List<Referral> Referrals(DbConnection connection, string where, object args)
    {
        using var reader = connection.ExecuteReader($"SELECT {ReferralColumns} FROM case_referral {where}", args);
        var result = new List<Referral>();
        while (reader.Read())
        {
            var answered = Text(reader, 13);
            result.Add(new Referral(
                Id(reader, 0),
                Id(reader, 1),
                Text(reader, 2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5),
                reader.GetString(6),
                reader.GetString(7),
                JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(8), Json) ?? [],
                Number(reader, 9),
                Instant(reader.GetString(10)),
                reader.GetString(11),
                Text(reader, 12),
                answered is null ? null : Instant(answered),
                Text(reader, 14)));
        }

        return result;
    }
}

/// <summary>A referral to an outside partner without a consent in force that covers the partner and the fields.</summary>
public sealed class ConsentRequiredException : InvalidOperationException
{
    public ConsentRequiredException()
    {
    }

    public ConsentRequiredException(string partner)
        : base($"No consent in force covers a referral to '{partner}' with these fields.")
    {
    }

    public ConsentRequiredException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
