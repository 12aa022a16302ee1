using System.Globalization;
using Dapper;
using Mimamori.Kernel.People;
using Mimamori.Linkage.Clustering;
using Mimamori.Linkage.Records;
using Mimamori.Storage.Connection;

namespace Mimamori.Storage.Pipeline;

/// <summary>Reads the records identity resolution works on and writes its persons, links and households.</summary>
public static class LinkageStore
{
    /// <summary>The identity fields of every record of the current imports (a superseded snapshot no longer counts).</summary>
    public static IReadOnlyList<LinkRecord> LoadRecords(MimamoriDatabase database)
    {
        using var connection = database.Open();
        var rows = connection.Query<RecordRow>(
            """
            SELECT r.record_id AS RecordId, r.source AS Source, r.category AS Category, r.atena_no AS AtenaNo, r.household_no AS HouseholdNo,
                   r.relation AS Relation, r.family_name AS FamilyName, r.given_name AS GivenName, r.family_kana AS FamilyKana,
                   r.given_kana AS GivenKana, r.birth_date AS BirthDate, r.sex AS Sex, r.address AS Address
            FROM source_record r JOIN import_batch b ON b.batch_id = r.batch_id
            WHERE b.status IN ('current', 'delta')
            ORDER BY r.record_id
            """,
            buffered: false);
        var list = new List<LinkRecord>();
        foreach (var r in rows)
        {
            list.Add(new LinkRecord(
                r.RecordId,
                r.Source,
                r.Category == "resident",
                r.AtenaNo,
                r.HouseholdNo,
                r.Relation,
                new PersonName(r.FamilyName ?? string.Empty, r.GivenName ?? string.Empty, r.FamilyKana ?? string.Empty, r.GivenKana ?? string.Empty),
                r.BirthDate is null ? null : DateOnly.ParseExact(r.BirthDate, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                r.Sex switch { "M" => Sex.Male, "F" => Sex.Female, _ => Sex.Unknown },
                r.Address));
        }

        return list;
    }

    /// <summary>Replaces persons, links and households with a new resolution, in one transaction.</summary>
    public static void Save(MimamoriDatabase database, LinkResult result, DateOnly referenceDate)
    {
        using var connection = database.Open();
        using var tx = connection.BeginTransaction();
        connection.Execute("DELETE FROM person_record; DELETE FROM household_member; DELETE FROM person;", transaction: tx);
        using (var persons = new BulkWriter(connection, tx, "person", ["person_id", "family_name", "given_name", "family_kana", "given_kana", "birth_date", "sex", "address", "atena_no", "household_no", "is_child"]))
        using (var links = new BulkWriter(connection, tx, "person_record", ["record_id", "person_id", "method", "weight", "explanation"]))
        using (var members = new BulkWriter(connection, tx, "household_member", ["household_no", "person_id", "relation"]))
        {
            foreach (var p in result.Persons)
            {
                var r = p.Representative;
                var isChild = r.BirthDate is { } b && b.AddYears(18) > referenceDate ? 1L : 0L;
                // The person row is derived data shown to staff: readings in full-width katakana whatever the source
                // wrote (ｻﾄｳ, さとう). The originals stay untouched in source_record.
                persons.Write(
                    PersonId(p.Index), r.Name.Family, r.Name.Given, DisplayKana(r.Name.FamilyKana), DisplayKana(r.Name.GivenKana),
                    r.BirthDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), r.Sex switch { Sex.Male => "M", Sex.Female => "F", _ => null },
                    r.Address, r.AtenaNo, r.IsRegistry ? r.HouseholdNo : null, isChild);
                if (r.IsRegistry && !string.IsNullOrEmpty(r.HouseholdNo))
                {
                    members.Write(r.HouseholdNo, PersonId(p.Index), r.Relation ?? string.Empty);
                }
            }

            foreach (var a in result.Assignments)
            {
                links.Write(a.RecordId, PersonId(a.Person), a.Method, a.Weight, a.Explanation);
            }

            persons.Complete();
            links.Complete();
            members.Complete();
        }

        tx.Commit();
    }

    private static string DisplayKana(string kana) => Kernel.Text.JapaneseText.ToKatakana(Kernel.Text.JapaneseText.FoldWidth(kana));

    /// <summary>Person ids are the resolver's indices from 1, deterministic for the same input.</summary>
    public static long PersonId(int index) => index + 1L;

    private sealed record RecordRow(
        long RecordId, string Source, string Category, string? AtenaNo, string? HouseholdNo, string? Relation, string? FamilyName, string? GivenName,
        string? FamilyKana, string? GivenKana, string? BirthDate, string? Sex, string? Address);
}
