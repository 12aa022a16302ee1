using System.Data.Common;
using System.Globalization;
using Dapper;
using Mimamori.Storage.Connection;

namespace Mimamori.Storage.Pipeline;

/// <summary>What changed since a link generation: every person and household, or the ones listed.</summary>
/// <param name="All">Something changed that is not listed per person (the first link, a purge, or generations no longer kept).</param>
/// <param name="Generation">The latest generation, which a stage records as what it has seen.</param>
public sealed record ChangesSince(bool All, long Generation, IReadOnlySet<long> Persons, IReadOnlySet<string> Households)
{
    public static ChangesSince Everything(long generation) => new(true, generation, new HashSet<long>(), new HashSet<string>(StringComparer.Ordinal));
}

/// <summary>
/// The persons a link changed (<c>person_change</c>, migration 18). Detection and outreach read only persons, their
/// links, their households and the facts of linked records; facts never change under a record (a purge marks
/// everything), so a person whose row, household and set of linked records are as before has the same inputs.
/// </summary>
public static class PersonChanges
{
    /// <summary>Generations whose changes are kept; a stage that last ran before the oldest kept one reassesses everything.</summary>
    public const int KeptGenerations = 100;

    private const string PersonRows =
        "SELECT p.person_id, p.family_name, p.given_name, p.family_kana, p.given_kana, p.birth_date, p.sex, p.address, p.atena_no, p.household_no, p.is_child, m.relation " +
        "FROM person p LEFT JOIN household_member m ON m.person_id = p.person_id";

    /// <summary>The persons and their linked records as a link is about to replace them.</summary>
    public sealed class Snapshot
    {
        internal Dictionary<long, (string Row, string? HouseholdNo)> Persons { get; } = [];

        internal Dictionary<long, (long Count, ulong Hash)> Records { get; } = [];
    }

    /// <summary>Reads each person's row (with its household membership) and a digest of its linked records.</summary>
    public static Snapshot Read(DbConnection connection, DbTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var snapshot = new Snapshot();
        ReadPersons(connection, transaction, snapshot.Persons);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT record_id, person_id FROM person_record";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            Add(snapshot.Records, reader.GetInt64(1), reader.GetInt64(0));
        }

        return snapshot;
    }

    /// <summary>A digest of each person's linked records, from the links about to be written.</summary>
    public static Dictionary<long, (long Count, ulong Hash)> Digest(IEnumerable<(long RecordId, long PersonId)> links)
    {
        ArgumentNullException.ThrowIfNull(links);
        var digest = new Dictionary<long, (long Count, ulong Hash)>();
        foreach (var (recordId, personId) in links)
        {
            Add(digest, personId, recordId);
        }

        return digest;
    }

    /// <summary>
    /// Records a new generation: the persons whose row, household or linked records differ from <paramref name="before"/>,
    /// with the household each left and the one each is in. <paramref name="after"/> holds the persons as the caller
    /// has just written them, each row as <see cref="RowText"/> gives it and as a read of the table would (a link
    /// replacing every person need not read them all back). Older generations beyond <see cref="KeptGenerations"/> are
    /// dropped.
    /// </summary>
    /// <returns>The persons changed, or -1 when everything counts as changed (no persons before).</returns>
    public static long Write(
        DbConnection connection, DbTransaction transaction, Snapshot before, IReadOnlyDictionary<long, (string Row, string? HouseholdNo)> after, Dictionary<long, (long Count, ulong Hash)> records, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(records);
        var generation = connection.ExecuteScalar<long>("SELECT COALESCE(MAX(generation), 0) + 1 FROM link_generation", transaction: transaction);
        if (before.Persons.Count == 0)
        {
            Generation(connection, transaction, generation, all: true, 0, now);
            return -1;
        }

        var changes = new List<(long PersonId, string? HouseholdNo)>();
        foreach (var (id, was) in before.Persons)
        {
            if (!after.TryGetValue(id, out var found) || found.Row != was.Row || records.GetValueOrDefault(id) != before.Records.GetValueOrDefault(id))
            {
                changes.Add((id, was.HouseholdNo));
                if (found.Row is not null && found.HouseholdNo != was.HouseholdNo)
                {
                    changes.Add((id, found.HouseholdNo));
                }
            }
        }

        foreach (var (id, isNow) in after)
        {
            if (!before.Persons.ContainsKey(id))
            {
                changes.Add((id, isNow.HouseholdNo));
            }
        }

        return Listed(connection, transaction, generation, changes, now);
    }

    /// <summary>
    /// A person's row as a snapshot compares it: the columns of a person after its id (names, readings, birth date,
    /// sex, address, 宛名番号, household, child or not) and its household relation, NULL written as \0.
    /// </summary>
    public static string RowText(ReadOnlySpan<object?> columns)
    {
        var row = new System.Text.StringBuilder(128);
        foreach (var value in columns)
        {
            row.Append(value is null ? "\u0000" : Convert.ToString(value, CultureInfo.InvariantCulture)).Append('\u001f');
        }

        return row.ToString();
    }

    /// <summary>
    /// Records a new generation from changes the caller found itself: each changed person once with the household it
    /// left and once with the one it is in (once when they are the same).
    /// </summary>
    /// <param name="everything">Nothing was stored before (a first link): every person counts as changed.</param>
    /// <returns>The persons changed, or -1 when everything counts as changed.</returns>
    public static long Write(DbConnection connection, DbTransaction transaction, IReadOnlyList<(long PersonId, string? HouseholdNo)> changes, bool everything, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(changes);
        var generation = connection.ExecuteScalar<long>("SELECT COALESCE(MAX(generation), 0) + 1 FROM link_generation", transaction: transaction);
        if (everything)
        {
            Generation(connection, transaction, generation, all: true, 0, now);
            return -1;
        }

        return Listed(connection, transaction, generation, changes, now);
    }

    private static long Listed(DbConnection connection, DbTransaction transaction, long generation, IReadOnlyList<(long PersonId, string? HouseholdNo)> changes, DateTimeOffset now)
    {
        using (var writer = new BulkWriter(connection, transaction, "person_change", ["generation", "person_id", "household_no"]))
        {
            foreach (var (personId, householdNo) in changes)
            {
                writer.Write(generation, personId, householdNo);
            }

            writer.Complete();
        }

        var persons = changes.Select(c => c.PersonId).Distinct().LongCount();
        Generation(connection, transaction, generation, all: false, persons, now);
        return persons;
    }

    /// <summary>Records a generation after which every person counts as changed (a purge removed records and facts).</summary>
    public static void MarkAll(DbConnection connection, DbTransaction transaction, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var generation = connection.ExecuteScalar<long>("SELECT COALESCE(MAX(generation), 0) + 1 FROM link_generation", transaction: transaction);
        Generation(connection, transaction, generation, all: true, 0, now);
    }

    /// <summary>The latest generation (0 before any link).</summary>
    public static long Latest(MimamoriDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        using var connection = database.Open();
        return connection.ExecuteScalar<long>("SELECT COALESCE(MAX(generation), 0) FROM link_generation");
    }

    /// <summary>The latest record id (0 before any import): facts of later records are new to a stage that saw this one.</summary>
    public static long LatestRecord(MimamoriDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        using var connection = database.Open();
        return connection.ExecuteScalar<long>("SELECT COALESCE(MAX(record_id), 0) FROM source_record");
    }

    /// <summary>What changed after <paramref name="seen"/>, the generation a stage last covered.</summary>
    public static ChangesSince Since(MimamoriDatabase database, long seen)
    {
        ArgumentNullException.ThrowIfNull(database);
        using var connection = database.Open();
        var generations = connection.Query<(long Generation, long All)>("SELECT generation, all_persons FROM link_generation WHERE generation > @seen ORDER BY generation", new { seen }).ToList();
        var latest = generations.Count > 0 ? generations[^1].Generation : connection.ExecuteScalar<long>("SELECT COALESCE(MAX(generation), 0) FROM link_generation");
        // A generation dropped since, or one that marks everything: nothing may be assumed unchanged.
        var dropped = generations.Count > 0 && generations[0].Generation != seen + 1;
        if (latest < seen || dropped || generations.Any(g => g.All == 1))
        {
            return ChangesSince.Everything(latest);
        }

        var persons = new HashSet<long>();
        var households = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (personId, householdNo) in connection.Query<(long, string?)>("SELECT person_id, household_no FROM person_change WHERE generation > @seen", new { seen }))
        {
            persons.Add(personId);
            if (!string.IsNullOrEmpty(householdNo))
            {
                households.Add(householdNo);
            }
        }

        return new ChangesSince(false, latest, persons, households);
    }

    private static void Generation(DbConnection connection, DbTransaction transaction, long generation, bool all, long persons, DateTimeOffset now)
    {
        connection.Execute(
            "INSERT INTO link_generation (generation, all_persons, changed_persons, created_at) VALUES (@generation, @all, @persons, @at)",
            new { generation, all = all ? 1L : 0L, persons, at = now.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture) },
            transaction);
        var oldest = generation - KeptGenerations;
        connection.Execute("DELETE FROM person_change WHERE generation <= @oldest", new { oldest }, transaction);
        connection.Execute("DELETE FROM link_generation WHERE generation <= @oldest", new { oldest }, transaction);
    }

    private static void ReadPersons(DbConnection connection, DbTransaction transaction, Dictionary<long, (string Row, string? HouseholdNo)> into)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = PersonRows;
        using var reader = command.ExecuteReader();
        var columns = new object?[reader.FieldCount - 1];
        while (reader.Read())
        {
            for (var i = 1; i < reader.FieldCount; i++)
            {
                columns[i - 1] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            into[reader.GetInt64(0)] = (RowText(columns), reader.IsDBNull(9) ? null : reader.GetString(9));
        }
    }

    private static void Add(Dictionary<long, (long Count, ulong Hash)> digest, long personId, long recordId)
    {
        // Order-independent: a sum of mixed record ids, with the count.
        var h = (ulong)recordId * 0x9E3779B97F4A7C15UL;
        h ^= h >> 31;
        var (count, hash) = digest.GetValueOrDefault(personId);
        digest[personId] = (count + 1, hash + h);
    }
}
