using System.Globalization;
using Dapper;
using Mimamori.Storage.Connection;

namespace Mimamori.Storage.Rights;

/// <summary>A request to see what is held, as received and checked.</summary>
public sealed record DisclosureRequest(long RequestId, long PersonId, string Requester, string Relation, string IdentityCheck, string ReceivedOn, string PreparedBy, string PreparedAt);

/// <summary>A request to correct an item, and what became of it (<c>received</c> until someone decides).</summary>
public sealed record CorrectionRequest(long CorrectionId, long PersonId, long? RequestId, string Item, string HeldValue, string RequestedValue, string Reason, string RecordedBy, string RecordedAt, string Status);

/// <summary>Stores disclosure and correction requests. Rows are only added; a request's outcome is a new status.</summary>
public sealed class RightsStore(MimamoriDatabase database)
{
    /// <summary>Records a disclosure request being prepared; returns it with its id.</summary>
    public DisclosureRequest RecordDisclosure(long personId, string requester, string relation, string identityCheck, DateOnly receivedOn, string preparedBy, DateTimeOffset now)
    {
        using var connection = database.Open();
        using var tx = connection.BeginTransaction();
        var id = connection.ExecuteScalar<long>("SELECT COALESCE(MAX(request_id), 0) + 1 FROM disclosure_request", transaction: tx);
        var request = new DisclosureRequest(id, personId, requester, relation, identityCheck, receivedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), preparedBy, now.ToString("O", CultureInfo.InvariantCulture));
        connection.Execute(
            """
            INSERT INTO disclosure_request (request_id, person_id, requester, relation, identity_check, received_on, prepared_by, prepared_at)
            VALUES (@RequestId, @PersonId, @Requester, @Relation, @IdentityCheck, @ReceivedOn, @PreparedBy, @PreparedAt)
            """,
            request with { Requester = Seal(request.Requester, "requester"), IdentityCheck = Seal(request.IdentityCheck, "identity_check") },
            tx);
        tx.Commit();
        return request;
    }

    /// <summary>A disclosure request by id.</summary>
    public DisclosureRequest? FindDisclosure(long requestId)
    {
        using var connection = database.Open();
        return connection.Query<DisclosureRequest>(
            """
            SELECT request_id AS RequestId, person_id AS PersonId, requester AS Requester, relation AS Relation, identity_check AS IdentityCheck,
                   received_on AS ReceivedOn, prepared_by AS PreparedBy, prepared_at AS PreparedAt
            FROM disclosure_request WHERE request_id = @requestId
            """,
            new { requestId }).Select(r => r with { Requester = Open(r.Requester, "requester"), IdentityCheck = Open(r.IdentityCheck, "identity_check") }).SingleOrDefault();
    }

    /// <summary>Records a correction request; returns it with its id.</summary>
    public CorrectionRequest RecordCorrection(long personId, long? requestId, string item, string heldValue, string requestedValue, string reason, string recordedBy, DateTimeOffset now)
    {
        using var connection = database.Open();
        using var tx = connection.BeginTransaction();
        var id = connection.ExecuteScalar<long>("SELECT COALESCE(MAX(correction_id), 0) + 1 FROM correction_request", transaction: tx);
        var correction = new CorrectionRequest(id, personId, requestId, item, heldValue, requestedValue, reason, recordedBy, now.ToString("O", CultureInfo.InvariantCulture), "received");
        connection.Execute(
            """
            INSERT INTO correction_request (correction_id, person_id, request_id, item, held_value, requested_value, reason, recorded_by, recorded_at, status)
            VALUES (@CorrectionId, @PersonId, @RequestId, @Item, @HeldValue, @RequestedValue, @Reason, @RecordedBy, @RecordedAt, @Status)
            """,
            correction with
            {
                HeldValue = Seal(correction.HeldValue, "held_value", "correction_request"),
                RequestedValue = Seal(correction.RequestedValue, "requested_value", "correction_request"),
                Reason = Seal(correction.Reason, "reason", "correction_request"),
            },
            tx);
        tx.Commit();
        return correction;
    }

    /// <summary>The correction requests about a person, oldest first.</summary>
    public IReadOnlyList<CorrectionRequest> Corrections(long personId)
    {
        using var connection = database.Open();
        return connection.Query<CorrectionRequest>(
            """
            SELECT correction_id AS CorrectionId, person_id AS PersonId, request_id AS RequestId, item AS Item, held_value AS HeldValue,
                   requested_value AS RequestedValue, reason AS Reason, recorded_by AS RecordedBy, recorded_at AS RecordedAt, status AS Status
            FROM correction_request WHERE person_id = @personId ORDER BY correction_id
            """,
            new { personId }).Select(c => c with
            {
                HeldValue = Open(c.HeldValue, "held_value", "correction_request"),
                RequestedValue = Open(c.RequestedValue, "requested_value", "correction_request"),
                Reason = Open(c.Reason, "reason", "correction_request"),
            }).ToList();
    }

    // The requester's name, how their identity was checked, and what a correction is about are free text a person
    // wrote about a family: sealed under the data key (docs/privacy.md).
    private string Seal(string value, string column, string table = "disclosure_request") => database.Cipher.Seal(value, table + "." + column)!;

    private string Open(string value, string column, string table = "disclosure_request") => database.Cipher.Open(value, table + "." + column)!;
}
