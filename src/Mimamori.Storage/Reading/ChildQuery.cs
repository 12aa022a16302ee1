using Dapper;
using Mimamori.Privacy.Access;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Identity;

namespace Mimamori.Storage.Reading;

/// <summary>
/// Everything linked to one person, if the person is in the user's scope: the person, household, linked source
/// records with their original rows, the facts as a timeline, and the need assessments with reasons and missing feeds.
/// </summary>
public sealed class ChildQuery
{
    private readonly MimamoriDatabase database;

    /// <summary>Reads from the given database.</summary>
    public ChildQuery(MimamoriDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        this.database = database;
    }

    /// <summary>The person's view, or null when there is no such person or the scope does not reach them.</summary>
    public ChildView? Load(long personId, Scope scope, DateOnly today, IReadOnlyList<string>? departmentCategories = null)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var args = new DynamicParameters();
        args.Add("id", personId);
        var condition = ScopeFilter.Condition(scope, departmentCategories, args);
        using var connection = database.Open();
        var p = connection.QuerySingleOrDefault<PersonRow>(
            "SELECT p.person_id AS PersonId, p.family_name AS FamilyName, p.given_name AS GivenName, p.family_kana AS FamilyKana, p.given_kana AS GivenKana, " +
            "p.birth_date AS BirthDate, p.sex AS Sex, p.address AS Address, p.atena_no AS AtenaNo, p.household_no AS HouseholdNo, p.is_child AS IsChild " +
            $"FROM person p WHERE p.person_id = @id AND {condition}",
            args);
        if (p is null)
        {
            return null;
        }

        var birth = StoredValues.Date(p.BirthDate);
        var person = new ChildPerson(p.PersonId, p.FamilyName, p.GivenName, p.FamilyKana, p.GivenKana, birth, StoredValues.Age(birth, today), p.Sex, p.Address, p.AtenaNo, p.HouseholdNo, p.IsChild != 0);

        var household = connection.Query<MemberRow>(
            """
            SELECT DISTINCT m.person_id AS PersonId, q.family_name AS FamilyName, q.given_name AS GivenName, m.relation AS Relation,
                   q.birth_date AS BirthDate, q.is_child AS IsChild
            FROM household_member m JOIN person q ON q.person_id = m.person_id
            WHERE m.household_no IN (SELECT h.household_no FROM household_member h WHERE h.person_id = @id)
            ORDER BY m.person_id
            """,
            new { id = personId })
            .Select(m =>
            {
                var b = StoredValues.Date(m.BirthDate);
                return new HouseholdMember(m.PersonId, m.FamilyName, m.GivenName, m.Relation, b, StoredValues.Age(b, today), m.IsChild != 0);
            })
            .OrderBy(m => m.IsChild).ThenBy(m => m.BirthDate ?? DateOnly.MaxValue)
            .ToList();

        var records = connection.Query<RecordRow>(
            $"""
            SELECT s.record_id AS RecordId, s.source AS Source, s.category AS Category, s.file AS File, s.line AS Line,
                   pr.method AS Method, pr.weight AS Weight, {LinkExplanations.Json("pr")} AS Explanation, s.original AS Original
            FROM person_record pr JOIN source_record s ON s.record_id = pr.record_id {LinkExplanations.Join("pr")}
            WHERE pr.person_id = @id
            ORDER BY s.category, s.source, s.file, s.line
            """,
            new { id = personId })
            .Select(r => new LinkedRecord(r.RecordId, r.Source, r.Category, r.File, r.Line, r.Method, r.Weight, r.Explanation, StoredValues.Original(r.Original)))
            .ToList();

        var timeline = connection.Query<FactRow>(
            """
            SELECT f.record_id AS RecordId, s.source AS Source, s.category AS Category, f.kind AS Kind, f.fact_date AS FactDate,
                   f.value_text AS ValueText, f.value_num AS ValueNum
            FROM person_record pr JOIN fact f ON f.record_id = pr.record_id JOIN source_record s ON s.record_id = f.record_id
            WHERE pr.person_id = @id
            """,
            new { id = personId })
            .Select(f => new TimelineFact(f.RecordId, f.Source, f.Category, f.Kind, StoredValues.Date(f.FactDate), f.ValueText, f.ValueNum))
            .OrderBy(f => f.Date is null).ThenBy(f => f.Date).ThenBy(f => f.Kind, StringComparer.Ordinal).ThenBy(f => f.RecordId)
            .ToList();

        var needRows = connection.Query<NeedRow>(
            "SELECT difficulty AS Difficulty, score AS Score, band AS Band, signals AS Signals, missing AS Missing, model_version AS ModelVersion " +
            "FROM need_assessment WHERE person_id = @id",
            new { id = personId }).ToList();
        var signals = needRows.ToDictionary(n => n.Difficulty, n => StoredValues.Signals(n.Signals));
        var categories = StoredValues.Categories(connection, signals.Values.SelectMany(s => s).SelectMany(s => s.Evidence).Select(e => e.RecordId).OfType<long>());
        var needs = needRows
            .OrderByDescending(n => StoredValues.BandRank(n.Band)).ThenByDescending(n => n.Score).ThenBy(n => n.Difficulty, StringComparer.Ordinal)
            .Select(n => new NeedView(n.Difficulty, n.Score, n.Band, StoredValues.WithCategories(signals[n.Difficulty], categories), StoredValues.Strings(n.Missing), n.ModelVersion))
            .ToList();

        var school = WorklistQuery.LatestSchools(connection, [personId]).GetValueOrDefault(personId);
        return new ChildView(person, school, household, records, timeline, needs);
    }

    private sealed class PersonRow
    {
        public long PersonId { get; set; }

        public string FamilyName { get; set; } = string.Empty;

        public string GivenName { get; set; } = string.Empty;

        public string FamilyKana { get; set; } = string.Empty;

        public string GivenKana { get; set; } = string.Empty;

        public string? BirthDate { get; set; }

        public string? Sex { get; set; }

        public string? Address { get; set; }

        public string? AtenaNo { get; set; }

        public string? HouseholdNo { get; set; }

        public long IsChild { get; set; }
    }

    private sealed class MemberRow
    {
        public long PersonId { get; set; }

        public string FamilyName { get; set; } = string.Empty;

        public string GivenName { get; set; } = string.Empty;

        public string Relation { get; set; } = string.Empty;

        public string? BirthDate { get; set; }

        public long IsChild { get; set; }
    }

    private sealed class RecordRow
    {
        public long RecordId { get; set; }

        public string Source { get; set; } = string.Empty;

        public string Category { get; set; } = string.Empty;

        public string File { get; set; } = string.Empty;

        public long Line { get; set; }

        public string Method { get; set; } = string.Empty;

        public double Weight { get; set; }

        public string Explanation { get; set; } = "{}";

        public string Original { get; set; } = "{}";
    }

    private sealed class FactRow
    {
        public long RecordId { get; set; }

        public string Source { get; set; } = string.Empty;

        public string Category { get; set; } = string.Empty;

        public string Kind { get; set; } = string.Empty;

        public string? FactDate { get; set; }

        public string? ValueText { get; set; }

        public double? ValueNum { get; set; }
    }

    private sealed class NeedRow
    {
        public string Difficulty { get; set; } = string.Empty;

        public double Score { get; set; }

        public string Band { get; set; } = string.Empty;

        public string Signals { get; set; } = "[]";

        public string Missing { get; set; } = "[]";

        public string ModelVersion { get; set; } = string.Empty;
    }
}
