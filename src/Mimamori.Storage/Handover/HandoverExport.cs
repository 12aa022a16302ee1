using System.Globalization;
using Dapper;
using Mimamori.Privacy.Access;
using Mimamori.Privacy.Handover;
using Mimamori.Storage.Casework;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Judgement;

namespace Mimamori.Storage.Handover;

/// <summary>A hand-over was refused; <see cref="Code"/> goes into the audit event (<c>refused:CODE</c>).</summary>
public sealed class HandoverRefusedException(string code, string message) : InvalidOperationException(message)
{
    /// <summary><c>no_basis</c>, <c>no_consent</c>, <c>not_registered</c> or <c>not_found</c>.</summary>
    public string Code { get; } = code;
}

/// <summary>What the sender asks for: the child, the basis (and consent), the recipient and the contact to give.</summary>
/// <param name="PersonId">The child.</param>
/// <param name="BasisId">A legal basis the policy lists for the purpose <c>handover</c>.</param>
/// <param name="ConsentId">The recorded consent, when the basis needs one.</param>
/// <param name="Recipient">The receiving municipality's name, as its key names it.</param>
/// <param name="Caseworker">The sending caseworker's contact.</param>
/// <param name="NewAddress">The new address staff know, when the registry has none (else null).</param>
public sealed record HandoverRequest(long PersonId, string BasisId, long? ConsentId, string Recipient, HandoverContact Caseworker, string? NewAddress);

/// <summary>
/// Gathers the minimum a receiving municipality needs (<see cref="HandoverContent.Fields"/>) for one child, after
/// checking that a basis holds: the basis must be one the policy lists for the purpose <c>handover</c>; a basis that
/// requires consent needs a recorded consent in force, for this child, naming the receiving municipality; the 要対協
/// basis needs an open 要対協 registration. Reading the store is all it does: the caller audits and seals.
/// </summary>
public sealed class HandoverExport
{
    private readonly MimamoriDatabase database;
    private readonly AccessPolicy policy;

    public HandoverExport(MimamoriDatabase database, AccessPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(policy);
        this.database = database;
        this.policy = policy;
    }

    /// <summary>The legal bases the policy allows a hand-over under, in the policy's order.</summary>
    public IReadOnlyList<LegalBasis> Bases =>
        policy.Purpose(Purpose.Handover).LegalBases.Select(id => policy.FindLegalBasis(id)).OfType<LegalBasis>().ToList();

    /// <summary>The content for the request, or a refusal.</summary>
    /// <exception cref="HandoverRefusedException">No such child, or no basis holds.</exception>
    public HandoverContent Prepare(HandoverRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        var content = Preview(request.PersonId, request.Caseworker, request.NewAddress, now)
            ?? throw new HandoverRefusedException("not_found", $"No person {request.PersonId}.");
        return content with { Basis = Check(request, content) };
    }

    /// <summary>The checked content, sealed to the recipient and signed with the sender's key: the package file's text.</summary>
    /// <exception cref="HandoverRefusedException">No such child, or no basis holds.</exception>
    public (HandoverContent Content, string Package) Produce(HandoverRequest request, HandoverPrivateKey sender, HandoverPublicKey recipient, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(recipient);
        var content = Prepare(request with { Recipient = recipient.Municipality }, now);
        return (content, HandoverPackage.Seal(content.ToJson(), sender, recipient));
    }

    /// <summary>
    /// The content as it would go, before a basis is chosen (the basis left empty): what the sender is shown. Null when
    /// there is no such person.
    /// </summary>
    public HandoverContent? Preview(long personId, HandoverContact caseworker, string? newAddress, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(caseworker);
        using var connection = database.Open();
        var child = connection.QuerySingleOrDefault<PersonRow>(
            "SELECT person_id AS PersonId, family_name AS FamilyName, given_name AS GivenName, family_kana AS FamilyKana, given_kana AS GivenKana, birth_date AS BirthDate, sex AS Sex FROM person WHERE person_id = @personId",
            new { personId });
        if (child is null)
        {
            return null;
        }

        var guardians = connection.Query<GuardianRow>(
            """
            SELECT DISTINCT q.person_id AS PersonId, q.family_name AS FamilyName, q.given_name AS GivenName, q.family_kana AS FamilyKana, q.given_kana AS GivenKana,
                   q.birth_date AS BirthDate, q.sex AS Sex, m.relation AS Relation
            FROM household_member m JOIN person q ON q.person_id = m.person_id
            WHERE q.is_child = 0 AND m.household_no IN (SELECT h.household_no FROM household_member h WHERE h.person_id = @personId)
            ORDER BY q.person_id
            """,
            new { personId })
            .DistinctBy(g => g.PersonId)
            .Select(g => new HandoverGuardian(g.FamilyName, g.GivenName, g.FamilyKana, g.GivenKana, g.BirthDate, g.Sex, g.Relation))
            .ToList();

        var move = MoveOut(connection, personId);
        var address = string.IsNullOrWhiteSpace(newAddress) ? move.NewAddress : newAddress.Trim();

        var yotaikyo = new YotaikyoStore(database);
        var open = yotaikyo.Of(personId).FirstOrDefault(r => r.EndedOn is null);
        var registration = open is not null
            ? new HandoverYotaikyo(true, open.Kind, Day(open.RegisteredOn))
            : new HandoverYotaikyo(yotaikyo.RegisteredInLinkedData(personId), null, null);

        var plans = new PlanStore(database);
        var active = plans.ForPerson(personId).Where(p => p.Status == PlanStatus.Active).OrderBy(p => p.PlanId).ToList();
        var tasks = plans.TasksOf(personId).Where(t => t.Status == PlanTaskStatus.Open && active.Any(p => p.PlanId == t.PlanId)).ToList();
        var latest = new JudgementStore(database).ForPerson(personId).Where(j => j.SupersededBy is null).MaxBy(j => j.DecidedAt);

        return new HandoverContent(
            HandoverContent.SchemaName,
            now.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            new HandoverBasis(string.Empty, string.Empty, null, null, null),
            new HandoverPerson(child.FamilyName, child.GivenName, child.FamilyKana, child.GivenKana, child.BirthDate, child.Sex),
            guardians,
            move with { NewAddress = address },
            registration,
            active.Select(p => new HandoverPlan(p.Goals, p.Services, p.Agency, Day(p.ReviewOn))).ToList(),
            tasks.Select(t => new HandoverTask(t.Title, Day(t.DueOn))).ToList(),
            latest is null ? null : new HandoverDecision(latest.Decision, Day(DateOnly.FromDateTime(latest.DecidedAt.ToOffset(TimeSpan.FromHours(9)).DateTime)), latest.Reasons),
            caseworker);
    }

    private HandoverBasis Check(HandoverRequest request, HandoverContent content)
    {
        var purpose = policy.Purpose(Purpose.Handover);
        if (!purpose.LegalBases.Contains(request.BasisId) || policy.FindLegalBasis(request.BasisId) is not { } basis)
        {
            throw new HandoverRefusedException("no_basis", $"A hand-over needs one of the legal bases the policy lists for it ({string.Join(", ", purpose.LegalBases)}); '{request.BasisId}' is not one.");
        }

        if (basis.RequiresConsent)
        {
            var consent = request.ConsentId is { } id ? new ReferralStore(database).FindConsent(id) : null;
            if (consent is null || consent.PersonId != request.PersonId || !consent.InForce || consent.Partner != request.Recipient)
            {
                throw new HandoverRefusedException("no_consent", $"The basis '{basis.Id}' needs a recorded consent in force, for this child, naming {request.Recipient} as the recipient.");
            }

            return new HandoverBasis(basis.Id, basis.Ja, consent.ConsentId, consent.GivenBy, Day(consent.GivenOn));
        }

        if (basis.Id == LegalBasis.ChildWelfare25 && !content.Yotaikyo.Registered)
        {
            throw new HandoverRefusedException("not_registered", "Sharing under 児童福祉法第25条の2 is for children registered with the 要対協; this child is not.");
        }

        return new HandoverBasis(basis.Id, basis.Ja, null, null, null);
    }

    // The latest 転出 in the linked registry records: its date, and the 転出先 the same record gives.
    private static HandoverMove MoveOut(System.Data.Common.DbConnection connection, long personId)
    {
        var events = connection.Query<(long Record, string? Date)>(
            "SELECT f.record_id, f.fact_date FROM person_record pr JOIN fact f ON f.record_id = pr.record_id WHERE pr.person_id = @personId AND f.kind = 'resident.event' AND f.value_text = 'move_out'",
            new { personId });
        var latest = events.OrderByDescending(e => e.Date ?? string.Empty, StringComparer.Ordinal).ThenByDescending(e => e.Record).FirstOrDefault();
        if (latest.Record == 0)
        {
            return new HandoverMove(null, null);
        }

        var address = connection.QueryFirstOrDefault<string?>(
            "SELECT value_text FROM fact WHERE record_id = @record AND kind = 'resident.other_address'",
            new { record = latest.Record });
        return new HandoverMove(latest.Date, string.IsNullOrWhiteSpace(address) ? null : address);
    }

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private sealed class PersonRow
    {
        public long PersonId { get; set; }

        public string FamilyName { get; set; } = string.Empty;

        public string GivenName { get; set; } = string.Empty;

        public string FamilyKana { get; set; } = string.Empty;

        public string GivenKana { get; set; } = string.Empty;

        public string? BirthDate { get; set; }

        public string? Sex { get; set; }
    }

    private sealed class GuardianRow
    {
        public long PersonId { get; set; }

        public string FamilyName { get; set; } = string.Empty;

        public string GivenName { get; set; } = string.Empty;

        public string FamilyKana { get; set; } = string.Empty;

        public string GivenKana { get; set; } = string.Empty;

        public string? BirthDate { get; set; }

        public string? Sex { get; set; }

        public string Relation { get; set; } = string.Empty;
    }
}
