using System.Globalization;
using Dapper;
using Mimamori.Storage.Connection;

namespace Mimamori.Storage.Access;

/// <summary>An emergency access to one child outside the user's scope, with the reason given and its review.</summary>
public sealed record BreakGlassGrant(
    long GrantId,
    string UserName,
    string Role,
    string Organisation,
    long PersonId,
    string Reason,
    string GrantedAt,
    string ExpiresAt,
    string? ReviewedBy,
    string? ReviewedAt,
    string? ReviewNote)
{
    /// <summary>True when the privacy officer has reviewed the use.</summary>
    public bool Reviewed => ReviewedAt is not null;
}

/// <summary>
/// Break-glass grants (<c>break_glass</c>). A grant opens one child to one user until it expires; every grant waits
/// for the privacy officer's review, which is recorded with its reason. Grants are never deleted.
/// </summary>
public sealed class BreakGlassGrants(MimamoriDatabase database)
{
    private const string Columns =
        "grant_id AS GrantId, user_name AS UserName, role AS Role, organisation AS Organisation, person_id AS PersonId, reason AS Reason, " +
        "granted_at AS GrantedAt, expires_at AS ExpiresAt, reviewed_by AS ReviewedBy, reviewed_at AS ReviewedAt, review_note AS ReviewNote";

    /// <summary>Records a grant lasting <paramref name="duration"/> from <paramref name="now"/>.</summary>
    public BreakGlassGrant Grant(string userName, string role, string organisation, long personId, string reason, DateTimeOffset now, TimeSpan duration)
    {
        using var connection = database.Open();
        using var tx = connection.BeginTransaction();
        var id = connection.ExecuteScalar<long>("SELECT COALESCE(MAX(grant_id), 0) + 1 FROM break_glass", transaction: tx);
        var grant = new BreakGlassGrant(id, userName, role, organisation, personId, reason, Time(now), Time(now + duration), null, null, null);
        connection.Execute(
            """
            INSERT INTO break_glass (grant_id, user_name, role, organisation, person_id, reason, granted_at, expires_at, reviewed_by, reviewed_at, review_note)
            VALUES (@GrantId, @UserName, @Role, @Organisation, @PersonId, @Reason, @GrantedAt, @ExpiresAt, NULL, NULL, NULL)
            """,
            grant,
            tx);
        tx.Commit();
        return grant;
    }

    /// <summary>The user's grant for this child that is still in force at <paramref name="now"/>, or null.</summary>
    public BreakGlassGrant? Active(string userName, long personId, DateTimeOffset now)
    {
        using var connection = database.Open();
        return connection.QueryFirstOrDefault<BreakGlassGrant>(
            $"SELECT {Columns} FROM break_glass WHERE user_name = @userName AND person_id = @personId AND expires_at > @now ORDER BY expires_at DESC",
            new { userName, personId, now = Time(now) });
    }

    /// <summary>The most recent grants, unreviewed first.</summary>
    public IReadOnlyList<BreakGlassGrant> Recent(int limit = 100)
    {
        using var connection = database.Open();
        return connection.Query<BreakGlassGrant>(
            $"SELECT {Columns} FROM break_glass ORDER BY CASE WHEN reviewed_at IS NULL THEN 0 ELSE 1 END, grant_id DESC LIMIT @limit",
            new { limit }).ToList();
    }

    /// <summary>A grant by id, or null.</summary>
    public BreakGlassGrant? Find(long grantId)
    {
        using var connection = database.Open();
        return connection.QueryFirstOrDefault<BreakGlassGrant>($"SELECT {Columns} FROM break_glass WHERE grant_id = @grantId", new { grantId });
    }

    /// <summary>Records the privacy officer's review; false when the grant does not exist or was already reviewed.</summary>
    public bool Review(long grantId, string reviewer, string note, DateTimeOffset now)
    {
        using var connection = database.Open();
        return connection.Execute(
            "UPDATE break_glass SET reviewed_by = @reviewer, reviewed_at = @at, review_note = @note WHERE grant_id = @grantId AND reviewed_at IS NULL",
            new { reviewer, at = Time(now), note, grantId }) == 1;
    }

    // Fixed-width UTC text, so expiry compares as text the same way on SQLite and PostgreSQL.
    private static string Time(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
