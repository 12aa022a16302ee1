using System.Globalization;
using Dapper;
using Mimamori.Storage.Connection;

namespace Mimamori.Storage.Reading;

/// <summary>A user's saved worklist filter: a name and the query string it stands for.</summary>
/// <param name="ViewId">worklist_view.view_id.</param>
/// <param name="Name">What the user called it.</param>
/// <param name="Query">The filter as a query string without the leading '?' (difficulty=futoko&amp;band=high).</param>
/// <param name="CreatedAt">When it was saved.</param>
public sealed record WorklistView(long ViewId, string Name, string Query, DateTimeOffset CreatedAt);

/// <summary>
/// Saved worklist views, each private to the user who saved it. A view holds filters only, never a child: opening it
/// reads the list again under the user's policy and scope at that moment.
/// </summary>
public sealed class WorklistViews
{
    /// <summary>The longest name kept.</summary>
    public const int MaxNameLength = 80;

    private readonly MimamoriDatabase database;

    /// <summary>Reads and writes the given database.</summary>
    public WorklistViews(MimamoriDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        this.database = database;
    }

    /// <summary>Saves a view for the user; a view of the same name is replaced.</summary>
    public WorklistView Save(string userName, string name, string query, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userName);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(query);
        name = name.Trim();
        if (name.Length > MaxNameLength)
        {
            name = name[..MaxNameLength];
        }

        using var connection = database.Open();
        using var tx = connection.BeginTransaction();
        connection.Execute("DELETE FROM worklist_view WHERE user_name = @userName AND name = @name", new { userName, name }, tx);
        var id = connection.ExecuteScalar<long>("SELECT COALESCE(MAX(view_id), 0) + 1 FROM worklist_view", transaction: tx);
        connection.Execute(
            "INSERT INTO worklist_view (view_id, user_name, name, query, created_at) VALUES (@id, @userName, @name, @query, @at)",
            new { id, userName, name, query, at = at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture) },
            tx);
        tx.Commit();
        return new WorklistView(id, name, query, at);
    }

    /// <summary>The user's views, by name.</summary>
    public IReadOnlyList<WorklistView> ForUser(string userName)
    {
        using var connection = database.Open();
        return connection.Query<(long Id, string Name, string Query, string CreatedAt)>(
                "SELECT view_id, name, query, created_at FROM worklist_view WHERE user_name = @userName ORDER BY name, view_id", new { userName })
            .Select(r => new WorklistView(r.Id, r.Name, r.Query, DateTimeOffset.Parse(r.CreatedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)))
            .ToList();
    }

    /// <summary>Deletes one of the user's views; false when the user has no view of that id.</summary>
    public bool Delete(string userName, long viewId)
    {
        using var connection = database.Open();
        return connection.Execute("DELETE FROM worklist_view WHERE user_name = @userName AND view_id = @viewId", new { userName, viewId }) == 1;
    }
}
