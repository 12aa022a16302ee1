using System.Globalization;
using Dapper;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Judgement;

namespace Mimamori.Storage.Reading;

/// <summary>
/// The worklist: children with at least one need above band none, in the user's scope, highest band and score first.
/// Only the page's children are read in detail.
/// </summary>
public sealed class WorklistQuery
{
    /// <summary>How many reasons each row carries.</summary>
    public const int ReasonsPerRow = 3;

    private readonly MimamoriDatabase database;

    /// <summary>Reads from the given database.</summary>
    public WorklistQuery(MimamoriDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        this.database = database;
    }

    /// <summary>
    /// Ranks the list on every request from the need assessments, ignoring the precomputed ranking: what the list was
    /// before the ranking existed, and the reference it is checked against.
    /// </summary>
    public bool RankPerRequest { get; init; }

    /// <summary>One page of the worklist.</summary>
    public WorklistPage Run(WorklistRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var pageSize = Math.Clamp(request.PageSize, 1, 200);
        var page = Math.Max(1, request.Page);
        using var connection = database.Open();
        var fromRanking = !RankPerRequest && WorklistRanking.IsBuilt(connection);
        var (byBand, ids) = fromRanking
            ? Ranked(connection, request, page, pageSize)
            : PerRequest(connection, request, page, pageSize);
        var total = byBand.Values.Sum();
        if (ids.Count == 0)
        {
            return new WorklistPage(total, page, pageSize, []) { ByBand = byBand };
        }

        var people = connection.Query<PersonRow>(
            "SELECT person_id AS PersonId, family_name AS FamilyName, given_name AS GivenName, family_kana AS FamilyKana, given_kana AS GivenKana, birth_date AS BirthDate " +
            "FROM person WHERE person_id IN " + SqlLists.Ids(ids)).ToDictionary(r => r.PersonId);
        var needs = connection.Query<NeedRow>(
            "SELECT person_id AS PersonId, difficulty AS Difficulty, score AS Score, band AS Band, signals AS Signals " +
            "FROM need_assessment WHERE band <> 'none' AND person_id IN " + SqlLists.Ids(ids)).ToLookup(r => r.PersonId);
        var schools = LatestSchools(connection, ids);
        var judgements = Judgements(connection, ids, fromRanking);

        var signals = needs.SelectMany(g => g).ToDictionary(n => (n.PersonId, n.Difficulty), n => StoredValues.Signals(n.Signals));
        var categories = StoredValues.Categories(connection, signals.Values.SelectMany(s => s).SelectMany(s => s.Evidence).Select(e => e.RecordId).OfType<long>());

        var rows = new List<WorklistRow>(ids.Count);
        foreach (var id in ids)
        {
            var p = people[id];
            var birth = StoredValues.Date(p.BirthDate);
            var personNeeds = needs[id].OrderByDescending(n => StoredValues.BandRank(n.Band)).ThenByDescending(n => n.Score).ThenBy(n => n.Difficulty, StringComparer.Ordinal).ToList();
            var reasons = personNeeds
                .SelectMany(n => StoredValues.WithCategories(signals[(id, n.Difficulty)], categories).Select(s => new WorklistReason(n.Difficulty, s)))
                .OrderByDescending(r => r.Signal.Weight)
                .Take(ReasonsPerRow)
                .ToList();
            rows.Add(new WorklistRow(
                id,
                p.FamilyName,
                p.GivenName,
                p.FamilyKana,
                p.GivenKana,
                birth,
                StoredValues.Age(birth, request.Today),
                schools.GetValueOrDefault(id),
                personNeeds.Select(n => new WorklistNeed(n.Difficulty, n.Band, n.Score, StoredValues.WithCategories(signals[(id, n.Difficulty)], categories))).ToList(),
                reasons,
                judgements[id]));
        }

        return new WorklistPage(total, page, pageSize, rows) { ByBand = byBand };
    }

    /// <summary>Counts by band and the page's children, ranking every child on the list in this request.</summary>
    private static (Dictionary<string, long> ByBand, List<long> Ids) PerRequest(System.Data.Common.DbConnection connection, WorklistRequest request, int page, int pageSize)
    {
        var args = new DynamicParameters();
        var where = new List<string> { "p.is_child = 1", "n.band <> 'none'", ScopeFilter.Condition(request.Scope, request.DepartmentCategories, args) };
        if (!string.IsNullOrWhiteSpace(request.Difficulty))
        {
            where.Add("n.difficulty = @difficulty");
            args.Add("difficulty", request.Difficulty);
        }

        if (!string.IsNullOrWhiteSpace(request.Band))
        {
            where.Add("n.band = @band");
            args.Add("band", request.Band);
        }

        AddCaseworkAndAgeConditions(request, where, args, condition => condition);
        if (!string.IsNullOrWhiteSpace(request.School))
        {
            where.Add(ScopeFilter.LatestSchoolIs("filterSchool"));
            args.Add("filterSchool", request.School);
        }

        if (!string.IsNullOrWhiteSpace(request.Area))
        {
            // 町丁目 are read from the address as written, which SQL cannot parse: the children on the list are
            // matched here and the page then reads only those.
            var inArea = connection.Query<(long PersonId, string? Address)>(
                    "SELECT DISTINCT p.person_id, p.address FROM person p JOIN need_assessment n ON n.person_id = p.person_id WHERE " + string.Join(" AND ", where), args)
                .Where(r => string.Equals(DashboardQuery.Area(r.Address), request.Area, StringComparison.Ordinal))
                .Select(r => r.PersonId)
                .ToList();
            where.Add(inArea.Count == 0 ? "1 = 0" : "p.person_id IN " + SqlLists.Ids(inArea));
        }

        var from = "FROM person p JOIN need_assessment n ON n.person_id = p.person_id WHERE " + string.Join(" AND ", where);
        args.Add("take", (long)pageSize);
        args.Add("skip", (long)(page - 1) * pageSize);

        var byBand = connection.Query<(long Rank, long Children)>(
                $"SELECT CAST(t.r AS BIGINT), COUNT(*) FROM (SELECT p.person_id, MAX({StoredValues.BandRankSql}) AS r {from} GROUP BY p.person_id) t GROUP BY t.r", args)
            .ToDictionary(x => StoredValues.BandOfRank((int)x.Rank), x => x.Children, StringComparer.Ordinal);
        var order = request.Sort switch
        {
            WorklistSort.Kana => "MAX(p.family_kana), MAX(p.given_kana), p.person_id",
            WorklistSort.Youngest => "MAX(p.birth_date) DESC, p.person_id",
            WorklistSort.Oldest => "MAX(p.birth_date), p.person_id",
            _ => $"MAX({StoredValues.BandRankSql}) DESC, MAX(n.score) DESC, p.person_id",
        };
        var ids = connection.Query<long>(
            $"SELECT p.person_id {from} GROUP BY p.person_id ORDER BY {order} LIMIT @take OFFSET @skip",
            args).ToList();
        return (byBand, ids);
    }

    /// <summary>
    /// Counts by band and the page's children from the precomputed ranking: the facet the need filters name, then the
    /// same conditions as <see cref="PerRequest"/> (the scope and casework ones read live), in the same order.
    /// </summary>
    private static (Dictionary<string, long> ByBand, List<long> Ids) Ranked(System.Data.Common.DbConnection connection, WorklistRequest request, int page, int pageSize)
    {
        // The ranking's alias is p, as the person table's is in the shared conditions: they name only p.person_id.
        // It holds children only, and only while it matches the person table (see WorklistRanking.InvalidateSql).
        var args = new DynamicParameters();
        var facet = !string.IsNullOrWhiteSpace(request.Difficulty) ? WorklistRanking.DifficultyFacet(request.Difficulty)
            : !string.IsNullOrWhiteSpace(request.Band) ? WorklistRanking.BandFacet(request.Band)
            : WorklistRanking.AnyNeed;
        args.Add("facet", facet);
        var where = new List<string> { "p.facet = @facet", ScopeFilter.Condition(request.Scope, request.DepartmentCategories, args) };
        if (!string.IsNullOrWhiteSpace(request.Difficulty) && !string.IsNullOrWhiteSpace(request.Band))
        {
            where.Add("p.band_rank = @bandRank");
            args.Add("bandRank", (long)StoredValues.BandRank(request.Band));
        }

        AddCaseworkAndAgeConditions(request, where, args, WorklistRanking.Ranked);
        if (!string.IsNullOrWhiteSpace(request.School))
        {
            where.Add("p.school = @filterSchool");
            args.Add("filterSchool", request.School);
        }

        if (!string.IsNullOrWhiteSpace(request.Area))
        {
            where.Add("p.area = @filterArea");
            args.Add("filterArea", request.Area);
        }

        var from = "FROM worklist_rank p WHERE " + string.Join(" AND ", where);
        args.Add("take", (long)pageSize);
        args.Add("skip", (long)(page - 1) * pageSize);
        var byBand = connection.Query<(long Rank, long Children)>($"SELECT p.band_rank, COUNT(*) {from} GROUP BY p.band_rank", args)
            .ToDictionary(x => StoredValues.BandOfRank((int)x.Rank), x => x.Children, StringComparer.Ordinal);
        var order = request.Sort switch
        {
            WorklistSort.Kana => "p.family_kana, p.given_kana, p.person_id",
            WorklistSort.Youngest => "p.birth_date DESC, p.person_id",
            WorklistSort.Oldest => "p.birth_date, p.person_id",
            _ => "p.band_rank DESC, p.score DESC, p.person_id",
        };
        var ids = connection.Query<long>($"SELECT p.person_id {from} ORDER BY {order} LIMIT @take OFFSET @skip", args).ToList();
        return (byBand, ids);
    }

    /// <summary>
    /// The conditions both ways of reading the list share, on <c>p.person_id</c> and <c>p.birth_date</c>: judgement
    /// status, 要対協, case assignment and age. <paramref name="adapt"/> rewrites a casework condition for the table
    /// read (the ranking takes linked-records 要対協 from its own column).
    /// </summary>
    private static void AddCaseworkAndAgeConditions(WorklistRequest request, List<string> where, DynamicParameters args, Func<string, string> adapt)
    {
        if (!string.IsNullOrWhiteSpace(request.Status))
        {
            where.Add(adapt(JudgementStore.StatusCondition(request.Status) ?? throw new ArgumentException($"Unknown judgement status '{request.Status}'.", nameof(request))));
        }

        if (!string.IsNullOrWhiteSpace(request.Yotaikyo))
        {
            where.Add(adapt(Casework.YotaikyoStore.FilterCondition(request.Yotaikyo) ?? throw new ArgumentException($"Unknown 要対協 filter '{request.Yotaikyo}'.", nameof(request))));
        }

        if (!string.IsNullOrWhiteSpace(request.Assigned))
        {
            where.Add(WorklistAssigned.Condition(request.Assigned, request.AssignedTo, args) ?? throw new ArgumentException($"Unknown assignment filter '{request.Assigned}'.", nameof(request)));
        }

        // Born on or before this day: at least MinAge; born after the other: at most MaxAge. ISO dates compare as text.
        if (request.MinAge is { } minAge)
        {
            where.Add("p.birth_date <= @bornBy");
            args.Add("bornBy", Iso(request.Today.AddYears(-minAge)));
        }

        if (request.MaxAge is { } maxAge)
        {
            where.Add("p.birth_date > @bornAfter");
            args.Add("bornAfter", Iso(request.Today.AddYears(-(maxAge + 1))));
        }
    }

    /// <summary>The schools that children in the records attend (school names name no child), for the filter.</summary>
    public IReadOnlyList<string> Schools()
    {
        using var connection = database.Open();
        var sql = !RankPerRequest && WorklistRanking.IsBuilt(connection)
            ? "SELECT school FROM worklist_school"
            : "SELECT DISTINCT value_text FROM fact WHERE kind = 'school.name' AND value_text IS NOT NULL";
        return connection.Query<string>(sql).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The 町丁目 where children on the list in the scope live, for the filter.</summary>
    public IReadOnlyList<string> Areas(Privacy.Access.Scope scope, IReadOnlyList<string>? departmentCategories = null)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var args = new DynamicParameters();
        using var connection = database.Open();
        if (!RankPerRequest && WorklistRanking.IsBuilt(connection))
        {
            return connection.Query<string>(
                    $"SELECT DISTINCT p.area FROM worklist_rank p WHERE p.facet = '{WorklistRanking.AnyNeed}' AND p.area <> '' AND " +
                    ScopeFilter.Condition(scope, departmentCategories, args),
                    args)
                .Order(StringComparer.Ordinal)
                .ToList();
        }

        return connection.Query<string?>(
                "SELECT DISTINCT p.address FROM person p JOIN need_assessment n ON n.person_id = p.person_id WHERE p.is_child = 1 AND n.band <> 'none' AND " + ScopeFilter.Condition(scope, departmentCategories, args), args)
            .Select(DashboardQuery.Area)
            .Where(a => a.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Those of the given persons the scope reaches (to list a meeting's agenda without showing anyone outside it).</summary>
    public IReadOnlySet<long> InScope(IReadOnlyList<long> personIds, Privacy.Access.Scope scope, IReadOnlyList<string>? departmentCategories = null)
    {
        ArgumentNullException.ThrowIfNull(personIds);
        ArgumentNullException.ThrowIfNull(scope);
        if (personIds.Count == 0)
        {
            return new HashSet<long>();
        }

        var args = new DynamicParameters();
        var condition = ScopeFilter.Condition(scope, departmentCategories, args);
        using var connection = database.Open();
        return connection.Query<long>($"SELECT p.person_id FROM person p WHERE p.person_id IN {SqlLists.Ids(personIds)} AND {condition}", args).ToHashSet();
    }

    /// <summary>
    /// Each child's current decision, open agenda items and 要対協 registration, for the page's children. A page read
    /// from the ranking takes the registrations in the linked records from it, as its 要対協 filter does, instead of
    /// searching each child's facts.
    /// </summary>
    private static Dictionary<long, WorklistJudgement> Judgements(System.Data.Common.DbConnection connection, IReadOnlyList<long> personIds, bool fromRanking)
    {
        var latest = connection.Query<(long PersonId, string Decision, string DecidedAt)>(
            "SELECT j.person_id, j.decision, j.decided_at FROM judgement j WHERE j.person_id IN " + SqlLists.Ids(personIds) +
            " AND j.judgement_id = (SELECT MAX(k.judgement_id) FROM judgement k WHERE k.person_id = j.person_id)").ToDictionary(r => r.PersonId);
        var agenda = connection.Query<long>(
            "SELECT p.person_id FROM person p WHERE p.person_id IN " + SqlLists.Ids(personIds) + " AND " + JudgementStore.StatusCondition(JudgementStatus.OnAgenda)).ToHashSet();
        var registered = (fromRanking
            ? connection.Query<long>(
                $"SELECT p.person_id FROM worklist_rank p WHERE p.facet = '{WorklistRanking.AnyNeed}' AND p.person_id IN " + SqlLists.Ids(personIds) + " AND " + WorklistRanking.Ranked(Casework.YotaikyoStore.RegisteredCondition))
            : connection.Query<long>("SELECT p.person_id FROM person p WHERE p.person_id IN " + SqlLists.Ids(personIds) + " AND " + Casework.YotaikyoStore.RegisteredCondition)).ToHashSet();
        return personIds.ToDictionary(
            id => id,
            id => latest.TryGetValue(id, out var l)
                ? new WorklistJudgement(l.Decision, DateTimeOffset.Parse(l.DecidedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal), agenda.Contains(id), registered.Contains(id))
                : new WorklistJudgement(null, null, agenda.Contains(id), registered.Contains(id)));
    }

    /// <summary>Latest school.name per person: greatest fact_date, ties by record id (as <see cref="ScopeFilter"/>).</summary>
    internal static Dictionary<long, string> LatestSchools(System.Data.Common.DbConnection connection, IReadOnlyList<long> personIds)
    {
        var rows = connection.Query<SchoolRow>(
            "SELECT pr.person_id AS PersonId, f.record_id AS RecordId, f.fact_date AS FactDate, f.value_text AS School " +
            "FROM person_record pr JOIN fact f ON f.record_id = pr.record_id " +
            "WHERE f.kind = 'school.name' AND f.value_text IS NOT NULL AND pr.person_id IN " + SqlLists.Ids(personIds));
        return rows
            .GroupBy(r => r.PersonId)
            .ToDictionary(
                g => g.Key,
                g => g.OrderByDescending(r => r.FactDate ?? string.Empty, StringComparer.Ordinal).ThenByDescending(r => r.RecordId).First().School);
    }

    private sealed class PersonRow
    {
        public long PersonId { get; set; }

        public string FamilyName { get; set; } = string.Empty;

        public string GivenName { get; set; } = string.Empty;

        public string FamilyKana { get; set; } = string.Empty;

        public string GivenKana { get; set; } = string.Empty;

        public string? BirthDate { get; set; }
    }

    private sealed class NeedRow
    {
        public long PersonId { get; set; }

        public string Difficulty { get; set; } = string.Empty;

        public double Score { get; set; }

        public string Band { get; set; } = string.Empty;

        public string Signals { get; set; } = "[]";
    }

    private sealed class SchoolRow
    {
        public long PersonId { get; set; }

        public long RecordId { get; set; }

        public string? FactDate { get; set; }

        public string School { get; set; } = string.Empty;
    }
}
