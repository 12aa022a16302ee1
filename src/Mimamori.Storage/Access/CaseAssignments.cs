using System.Globalization;
using Dapper;
using Mimamori.Storage.Connection;

namespace Mimamori.Storage.Access;

/// <summary>One assignment of a child to a member of staff; current while <see cref="EndedAt"/> is null.</summary>
public sealed record CaseAssignment(long AssignmentId, long PersonId, string UserName, string Organisation, string Reason, string AssignedAt, string AssignedBy, string? EndedAt, string? EndedBy);

/// <summary>
/// Which children are whose cases (<c>case_assignment</c>). A user whose scope is <c>own_cases</c> reaches exactly the
/// children currently assigned to them. Assignments are ended, never deleted, so the history of who held a case stays.
/// </summary>
public sealed class CaseAssignments(MimamoriDatabase database)
{
    private const string Columns =
        "assignment_id AS AssignmentId, person_id AS PersonId, user_name AS UserName, organisation AS Organisation, reason AS Reason, " +
        "assigned_at AS AssignedAt, assigned_by AS AssignedBy, ended_at AS EndedAt, ended_by AS EndedBy";

    /// <summary>Assigns a child to a user; an assignment already current for the same pair is returned unchanged.</summary>
    public CaseAssignment Assign(long personId, string userName, string organisation, string reason, string assignedBy, DateTimeOffset now)
    {
        using var connection = database.Open();
        using var tx = connection.BeginTransaction();
        var current = connection.QueryFirstOrDefault<CaseAssignment>(
            $"SELECT {Columns} FROM case_assignment WHERE person_id = @personId AND user_name = @userName AND ended_at IS NULL",
            new { personId, userName },
            tx);
        if (current is not null)
        {
            return current;
        }

        var id = connection.ExecuteScalar<long>("SELECT COALESCE(MAX(assignment_id), 0) + 1 FROM case_assignment", transaction: tx);
        var assignment = new CaseAssignment(id, personId, userName, organisation, reason, Time(now), assignedBy, null, null);
        connection.Execute(
            """
            INSERT INTO case_assignment (assignment_id, person_id, user_name, organisation, reason, assigned_at, assigned_by, ended_at, ended_by)
            VALUES (@AssignmentId, @PersonId, @UserName, @Organisation, @Reason, @AssignedAt, @AssignedBy, NULL, NULL)
            """,
            assignment,
            tx);
        tx.Commit();
        return assignment;
    }

    /// <summary>Ends a current assignment of this child; false when there is none with that id.</summary>
    public bool End(long personId, long assignmentId, string endedBy, DateTimeOffset now)
    {
        using var connection = database.Open();
        return connection.Execute(
            "UPDATE case_assignment SET ended_at = @at, ended_by = @endedBy WHERE assignment_id = @assignmentId AND person_id = @personId AND ended_at IS NULL",
            new { at = Time(now), endedBy, assignmentId, personId }) == 1;
    }

    /// <summary>Every assignment of a child, current first, then newest first.</summary>
    public IReadOnlyList<CaseAssignment> Of(long personId)
    {
        using var connection = database.Open();
        return connection.Query<CaseAssignment>(
            $"SELECT {Columns} FROM case_assignment WHERE person_id = @personId ORDER BY CASE WHEN ended_at IS NULL THEN 0 ELSE 1 END, assignment_id DESC",
            new { personId }).ToList();
    }

    /// <summary>The children currently assigned to a user.</summary>
    public IReadOnlyList<long> CasesOf(string userName)
    {
        using var connection = database.Open();
        return connection.Query<long>("SELECT person_id FROM case_assignment WHERE user_name = @userName AND ended_at IS NULL ORDER BY person_id", new { userName }).ToList();
    }

    private static string Time(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
