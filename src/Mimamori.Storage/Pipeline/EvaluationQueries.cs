using Dapper;
using Mimamori.Storage.Connection;

namespace Mimamori.Storage.Pipeline;

/// <summary>What evaluation against a synthetic municipality's truth needs from the store.</summary>
public static class EvaluationQueries
{
    /// <summary>Each linked record's lineage, its person, and whether it carried a 宛名番号.</summary>
    public static IEnumerable<(string Source, string File, long Line, long PersonId, bool HasAtena)> LinkedRecords(MimamoriDatabase database)
    {
        using var connection = database.Open();
        foreach (var row in connection.Query<(string, string, long, long, string?)>(
            "SELECT r.source, r.file, r.line, pr.person_id, r.atena_no FROM source_record r JOIN person_record pr ON pr.record_id = r.record_id",
            buffered: false))
        {
            yield return (row.Item1, row.Item2, row.Item3, row.Item4, !string.IsNullOrEmpty(row.Item5));
        }
    }

    /// <summary>The stored person of every linked record (person ids are stable across runs, not result indexes).</summary>
    public static Dictionary<long, long> PersonOfRecord(MimamoriDatabase database)
    {
        using var connection = database.Open();
        return connection.Query<(long RecordId, long PersonId)>("SELECT record_id, person_id FROM person_record").ToDictionary(r => r.RecordId, r => r.PersonId);
    }

    /// <summary>The highest score across difficulties per person, and the rule-only score per difficulty.</summary>
    public static IReadOnlyDictionary<long, double> MaxNeedScore(MimamoriDatabase database, string? difficulty = null)
    {
        using var connection = database.Open();
        var sql = difficulty is null
            ? "SELECT person_id, MAX(score) FROM need_assessment GROUP BY person_id"
            : "SELECT person_id, MAX(score) FROM need_assessment WHERE difficulty = @difficulty GROUP BY person_id";
        return connection.Query<(long, double)>(sql, new { difficulty }).ToDictionary(r => r.Item1, r => r.Item2);
    }

    /// <summary>Unclaimed support found: household and program.</summary>
    public static IReadOnlyList<(string HouseholdNo, string Program)> Unclaimed(MimamoriDatabase database)
    {
        using var connection = database.Open();
        return connection.Query<(string, string)>("SELECT household_no, program FROM unclaimed_support").ToList();
    }

    /// <summary>Registry household members: household number → person ids.</summary>
    public static IReadOnlyList<(string HouseholdNo, long PersonId)> HouseholdMembers(MimamoriDatabase database)
    {
        using var connection = database.Open();
        return connection.Query<(string, long)>("SELECT household_no, person_id FROM household_member").ToList();
    }
}
