using System.Globalization;
using Dapper;
using Mimamori.Storage.Connection;

namespace Mimamori.Storage.Judgement;

/// <summary>A program a caseworker approved to be offered to a child's family, after deciding the child needs support.</summary>
/// <param name="ApprovalId">The approval.</param>
/// <param name="PersonId">The child.</param>
/// <param name="JudgementId">The <c>support_needed</c> decision the approval rests on.</param>
/// <param name="Program">The program's id in the catalog.</param>
/// <param name="ApprovedBy">Who approved.</param>
/// <param name="ApprovedAt">When.</param>
/// <param name="WithdrawnBy">Who withdrew it, or null while it stands.</param>
/// <param name="WithdrawnAt">When it was withdrawn, or null.</param>
public sealed record OutreachApproval(long ApprovalId, long PersonId, long JudgementId, string Program, string ApprovedBy, DateTimeOffset ApprovedAt, string? WithdrawnBy, DateTimeOffset? WithdrawnAt);

/// <summary>An approval still waiting for its offer: the household it goes to and the program.</summary>
public sealed record PendingOutreach(long ApprovalId, long PersonId, string HouseholdNo, string Program);

/// <summary>
/// Outreach approved by a caseworker: one program per approval, resting on a current <c>support_needed</c> decision.
/// Approvals are withdrawn, never deleted. An approval is pending while it stands, the child's latest decision is
/// still <c>support_needed</c>, and the household has not already been sent (or approved to be sent) that program.
/// </summary>
public sealed class OutreachApprovalStore
{
    private readonly MimamoriDatabase database;

    public OutreachApprovalStore(MimamoriDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        this.database = database;
    }

    /// <summary>
    /// Approves a program for the child's family. Returns the standing approval of that program when there already is
    /// one (approving twice does not make two offers).
    /// </summary>
    /// <exception cref="ArgumentException">No program, or the decision is not the child's current <c>support_needed</c> one.</exception>
    public OutreachApproval Approve(long personId, long judgementId, string program, string approvedBy, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(program);
        ArgumentException.ThrowIfNullOrWhiteSpace(approvedBy);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var connection = database.Open();
                using var tx = connection.BeginTransaction();
                var latest = connection.Query<(long Id, string Decision)>(
                    "SELECT judgement_id, decision FROM judgement WHERE person_id = @personId ORDER BY judgement_id DESC LIMIT 1", new { personId }, tx).ToList();

                // Outreach rests on the decision in force: an offer approved against a superseded or different decision
                // would act on a judgement nobody holds any more.
                if (latest.Count == 0 || latest[0].Id != judgementId || latest[0].Decision != Decision.SupportNeeded)
                {
                    throw new ArgumentException($"Decision {judgementId} is not the current 'support_needed' decision about person {personId}.", nameof(judgementId));
                }

                var standing = connection.QuerySingleOrDefault<long?>(
                    "SELECT approval_id FROM outreach_approval WHERE person_id = @personId AND program = @program AND withdrawn_at IS NULL", new { personId, program }, tx);
                if (standing is { } existing)
                {
                    return Find(connection, existing, tx)!;
                }

                var id = connection.ExecuteScalar<long>("SELECT COALESCE(MAX(approval_id), 0) + 1 FROM outreach_approval", transaction: tx);
                connection.Execute(
                    "INSERT INTO outreach_approval (approval_id, person_id, judgement_id, program, approved_by, approved_at) VALUES (@id, @personId, @judgementId, @program, @approvedBy, @at)",
                    new { id, personId, judgementId, program, approvedBy, at = Stamp(now) },
                    tx);
                var stored = Find(connection, id, tx)!;
                tx.Commit();
                return stored;
            }
            catch (System.Data.Common.DbException) when (attempt < 3)
            {
                // Two approvals saved at once can race for one id; try again.
            }
        }
    }

    /// <summary>Withdraws a standing approval of the child. Returns false when there is none with that id.</summary>
    public bool Withdraw(long personId, long approvalId, string withdrawnBy, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(withdrawnBy);
        using var connection = database.Open();
        return connection.Execute(
            "UPDATE outreach_approval SET withdrawn_by = @withdrawnBy, withdrawn_at = @at WHERE approval_id = @approvalId AND person_id = @personId AND withdrawn_at IS NULL",
            new { approvalId, personId, withdrawnBy, at = Stamp(now) }) == 1;
    }

    /// <summary>Every approval about a child, newest first, withdrawn ones included.</summary>
    public IReadOnlyList<OutreachApproval> ForPerson(long personId)
    {
        using var connection = database.Open();
        return connection.Query<Row>(Select + " WHERE person_id = @personId ORDER BY approval_id DESC", new { personId }).Select(ToApproval).ToList();
    }

    /// <summary>Approvals whose offer is still to be made, oldest first.</summary>
    public IReadOnlyList<PendingOutreach> Pending()
    {
        using var connection = database.Open();
        return connection.Query<PendingOutreach>(
            """
            SELECT a.approval_id AS ApprovalId, a.person_id AS PersonId, p.household_no AS HouseholdNo, a.program AS Program
            FROM outreach_approval a
            JOIN person p ON p.person_id = a.person_id
            WHERE a.withdrawn_at IS NULL
              AND p.household_no IS NOT NULL AND p.household_no <> ''
              AND (SELECT j.decision FROM judgement j WHERE j.person_id = a.person_id ORDER BY j.judgement_id DESC LIMIT 1) = 'support_needed'
              AND NOT EXISTS (SELECT 1 FROM outreach_message m WHERE m.household_no = p.household_no AND m.program = a.program AND m.state <> 'draft')
            ORDER BY a.approval_id
            """).ToList();
    }

    private const string Select =
        "SELECT approval_id AS ApprovalId, person_id AS PersonId, judgement_id AS JudgementId, program AS Program, approved_by AS ApprovedBy, approved_at AS ApprovedAt, " +
        "withdrawn_by AS WithdrawnBy, withdrawn_at AS WithdrawnAt FROM outreach_approval";

    private static OutreachApproval? Find(System.Data.Common.DbConnection connection, long id, System.Data.Common.DbTransaction tx) =>
        connection.Query<Row>(Select + " WHERE approval_id = @id", new { id }, tx).Select(ToApproval).SingleOrDefault();

    private static OutreachApproval ToApproval(Row r) =>
        new(r.ApprovalId, r.PersonId, r.JudgementId, r.Program, r.ApprovedBy, Instant(r.ApprovedAt), r.WithdrawnBy, r.WithdrawnAt is null ? null : Instant(r.WithdrawnAt));

    private static DateTimeOffset Instant(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static string Stamp(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private sealed class Row
    {
        public long ApprovalId { get; set; }

        public long PersonId { get; set; }

        public long JudgementId { get; set; }

        public string Program { get; set; } = string.Empty;

        public string ApprovedBy { get; set; } = string.Empty;

        public string ApprovedAt { get; set; } = string.Empty;

        public string? WithdrawnBy { get; set; }

        public string? WithdrawnAt { get; set; }
    }
}
