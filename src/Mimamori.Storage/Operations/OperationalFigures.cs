using System.Globalization;
using Dapper;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Pipeline;

namespace Mimamori.Storage.Operations;

/// <summary>
/// Counts an operator watches (runs, imports, queue sizes). Aggregates only: nothing here identifies a person, so
/// they can be exported to a local monitoring system without touching the access policy.
/// </summary>
public sealed record OperationalFigures(
    IReadOnlyList<StageRun> Runs,
    IReadOnlyList<SourceFigures> Sources,
    long Persons,
    IReadOnlyDictionary<string, long> OutreachByState,
    long AuditEvents)
{
    /// <summary>Reads the current figures.</summary>
    public static OperationalFigures Read(MimamoriDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        var runs = RunLog.Latest(database);
        using var connection = database.Open();
        // Read by position and converted: SQLite reports no column type for aggregates, so a typed mapping fails there.
        var sources = new List<SourceFigures>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                SELECT source, COUNT(*), SUM(rows_read), SUM(rows_accepted), SUM(rows_quarantined)
                FROM import_batch GROUP BY source ORDER BY source
                """;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                sources.Add(new SourceFigures(
                    reader.GetString(0),
                    Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture),
                    Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture),
                    Convert.ToInt64(reader.GetValue(3), CultureInfo.InvariantCulture),
                    Convert.ToInt64(reader.GetValue(4), CultureInfo.InvariantCulture)));
            }
        }

        var persons = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM person");
        var outreach = connection.Query<(string State, long Count)>("SELECT state, COUNT(*) FROM outreach_message GROUP BY state")
            .ToDictionary(r => r.State, r => r.Count, StringComparer.Ordinal);
        var audit = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM audit_event");
        return new OperationalFigures(runs, sources, persons, outreach, audit);
    }
}

/// <summary>Import totals of one feed over all its batches.</summary>
public sealed record SourceFigures(string Source, long Batches, long RowsRead, long RowsAccepted, long RowsQuarantined);
