using Dapper;
using Mimamori.Storage.Connection;

namespace Mimamori.Storage.Identity;

/// <summary>One record's link to its person, with the stored waterfall (JSON: total and each comparison's level and weight).</summary>
public sealed record StoredLink(long RecordId, string Source, string File, long Line, string Method, double Weight, string Explanation);

/// <summary>A merge or split a person id took part in.</summary>
public sealed record StoredLineage(string At, string Kind, long PersonId, long OtherPersonId, long SharedKeys);

/// <summary>A registry person's identity fields as the person table holds them (readings already in katakana).</summary>
public sealed record PopulationRow(long PersonId, string FamilyName, string GivenName, string FamilyKana, string GivenKana, string? BirthDate, string? Sex, string? Address);

/// <summary>Where one source's record went in the last link: its own id, lineage and person.</summary>
public sealed record SourceLink(string? LocalId, string File, long Line, long PersonId, string Method);

/// <summary>Reading queries over persons and their links, for explaining a person and for linkage across organisations.</summary>
public static class PersonLinks
{
    /// <summary>Every record linked to a person, strongest link first.</summary>
    public static IReadOnlyList<StoredLink> Links(MimamoriDatabase database, long personId)
    {
        ArgumentNullException.ThrowIfNull(database);
        using var connection = database.Open();
        return connection.Query<StoredLink>(
            $"""
            SELECT l.record_id AS RecordId, r.source AS Source, r.file AS File, r.line AS Line, l.method AS Method, l.weight AS Weight, {LinkExplanations.Json("l")} AS Explanation
            FROM person_record l JOIN source_record r ON r.record_id = l.record_id {LinkExplanations.Join("l")}
            WHERE l.person_id = @personId
            ORDER BY l.weight DESC, l.record_id
            """,
            new { personId }).ToList();
    }

    /// <summary>Merges and splits that name this person id, oldest first; and where a retired id went.</summary>
    public static (IReadOnlyList<StoredLineage> Events, long? MergedInto, string? RetiredAt) History(MimamoriDatabase database, long personId)
    {
        ArgumentNullException.ThrowIfNull(database);
        using var connection = database.Open();
        var events = connection.Query<StoredLineage>(
            "SELECT at AS At, kind AS Kind, person_id AS PersonId, other_person_id AS OtherPersonId, shared_keys AS SharedKeys FROM person_lineage WHERE person_id = @personId OR other_person_id = @personId ORDER BY event_id",
            new { personId }).ToList();
        var identity = connection.QueryFirstOrDefault<(long? MergedInto, string? RetiredAt)>("SELECT merged_into, retired_at FROM person_identity WHERE person_id = @personId", new { personId });
        return (events, identity.MergedInto, identity.RetiredAt);
    }

    /// <summary>The registry population: every person with a 宛名番号.</summary>
    public static IReadOnlyList<PopulationRow> Population(MimamoriDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        using var connection = database.Open();
        return connection.Query<PopulationRow>(
            """
            SELECT person_id AS PersonId, family_name AS FamilyName, given_name AS GivenName, family_kana AS FamilyKana, given_kana AS GivenKana,
                   birth_date AS BirthDate, sex AS Sex, address AS Address
            FROM person WHERE atena_no IS NOT NULL ORDER BY person_id
            """).ToList();
    }

    /// <summary>The records of one source of the current imports and the person each was linked to.</summary>
    public static IReadOnlyList<SourceLink> OfSource(MimamoriDatabase database, string source)
    {
        ArgumentNullException.ThrowIfNull(database);
        using var connection = database.Open();
        return connection.Query<SourceLink>(
            """
            SELECT r.local_id AS LocalId, r.file AS File, r.line AS Line, l.person_id AS PersonId, l.method AS Method
            FROM source_record r JOIN person_record l ON l.record_id = r.record_id JOIN import_batch b ON b.batch_id = r.batch_id
            WHERE r.source = @source AND b.status IN ('current', 'delta')
            ORDER BY r.record_id
            """,
            new { source }).ToList();
    }

    /// <summary>Each person's registry records (file and line), to label persons with the synthetic truth.</summary>
    public static IReadOnlyList<(long PersonId, string Source, string File, long Line)> RegistryRecords(MimamoriDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        using var connection = database.Open();
        return connection.Query<(long, string, string, long)>(
            "SELECT l.person_id, r.source, r.file, r.line FROM person_record l JOIN source_record r ON r.record_id = l.record_id WHERE l.method = 'registry'").ToList();
    }
}
