using System.Data.Common;
using System.Globalization;
using Dapper;
using Mimamori.Storage.Connection;

namespace Mimamori.Storage.Reading;

/// <summary>
/// The worklist's order, precomputed from the need assessments (<c>worklist_rank</c>, migration 16) so that a page is
/// an indexed range read rather than a ranking of every child on every request. It holds only what a detection run
/// decides (band, score) and what the run ranked the child by (reading, birth date, latest school, 町丁目); who may
/// see a child (the scope) and where the child stands in casework (judgements, 要対協) are still read live by each
/// request, so a decision shows at once and a scope is never widened by the copy.
/// </summary>
public static class WorklistRanking
{
    /// <summary>The facet of the whole list: every child with a need above none, ranked by their highest band and score.</summary>
    public const string AnyNeed = "";

    /// <summary>The facet of children with a need of this difficulty above none, ranked by that need.</summary>
    public static string DifficultyFacet(string difficulty) => "d:" + difficulty;

    /// <summary>Just above every difficulty facet in text order ("d;" follows "d:" and every "d:…"), to read them as one range.</summary>
    public const string DifficultyFacetsEnd = "d;";

    /// <summary>The facet of children with a need at this band, ranked by their highest score at that band.</summary>
    public static string BandFacet(string band) => "b:" + band;

    private static readonly string[] Columns = ["facet", "person_id", "band_rank", "score", "family_kana", "given_kana", "birth_date", "school", "area", "yotaikyo_in_records"];

    /// <summary>
    /// Replaces the ranking with one derived from <c>need_assessment</c>, <c>person</c> and the school facts as they
    /// are in this transaction (called where need assessments are written, so the two never disagree).
    /// </summary>
    /// <returns>Children on the list.</returns>
    public static long Rebuild(DbConnection connection, DbTransaction transaction, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(connection);
        connection.Execute("DELETE FROM worklist_rank", transaction: transaction);
        connection.Execute("DELETE FROM worklist_school", transaction: transaction);
        connection.Execute("DELETE FROM worklist_rank_state", transaction: transaction);
        var children = WriteRanks(connection, transaction, null);

        using (var writer = new BulkWriter(connection, transaction, "worklist_school", ["school"]))
        {
            foreach (var school in connection.Query<string>("SELECT DISTINCT value_text FROM fact WHERE kind = 'school.name' AND value_text IS NOT NULL", transaction: transaction))
            {
                writer.Write(school);
            }

            writer.Complete();
        }

        return State(connection, transaction, children, now);
    }

    /// <summary>
    /// Brings the ranking up to date for some children only — those whose assessments were just replaced, in this
    /// transaction — and adds the schools named by facts of records after <paramref name="schoolsAfterRecord"/>.
    /// Facts are only ever added between two full rebuilds (a purge makes detection rebuild everything), so the result
    /// equals <see cref="Rebuild"/>.
    /// </summary>
    /// <returns>Children on the list.</returns>
    public static long Update(DbConnection connection, DbTransaction transaction, IReadOnlyCollection<long> persons, long schoolsAfterRecord, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(persons);
        foreach (var chunk in persons.Chunk(500))
        {
            connection.Execute("DELETE FROM worklist_rank WHERE person_id IN " + SqlLists.Ids(chunk), transaction: transaction);
        }

        connection.Execute("DELETE FROM worklist_rank_state", transaction: transaction);
        WriteRanks(connection, transaction, persons);
        var known = connection.Query<string>("SELECT school FROM worklist_school", transaction: transaction).ToHashSet(StringComparer.Ordinal);
        using (var writer = new BulkWriter(connection, transaction, "worklist_school", ["school"]))
        {
            foreach (var school in connection.Query<string>(
                "SELECT DISTINCT value_text FROM fact WHERE record_id > @after AND kind = 'school.name' AND value_text IS NOT NULL", new { after = schoolsAfterRecord }, transaction))
            {
                if (known.Add(school))
                {
                    writer.Write(school);
                }
            }

            writer.Complete();
        }

        var children = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM worklist_rank WHERE facet = @facet", new { facet = AnyNeed }, transaction);
        return State(connection, transaction, children, now);
    }

    private static long State(DbConnection connection, DbTransaction transaction, long children, DateTimeOffset now)
    {
        connection.Execute(
            "INSERT INTO worklist_rank_state (built_at, children) VALUES (@at, @children)",
            new { at = now.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture), children },
            transaction);
        return children;
    }

    /// <summary>Writes the ranking's rows of every child (<paramref name="only"/> null) or of the children listed; returns the children written.</summary>
    private static long WriteRanks(DbConnection connection, DbTransaction transaction, IReadOnlyCollection<long>? only)
    {
        IEnumerable<string> Conditions(string column) => only is null ? [string.Empty] : only.Chunk(500).Select(c => $" AND {column} IN {SqlLists.Ids(c)}");
        var needs = Conditions("n.person_id").SelectMany(c => connection.Query<(long PersonId, string Difficulty, double Score, string Band)>(
                "SELECT n.person_id, n.difficulty, n.score, n.band FROM person p JOIN need_assessment n ON n.person_id = p.person_id WHERE p.is_child = 1 AND n.band <> 'none'" + c,
                transaction: transaction))
            .ToLookup(n => n.PersonId);
        var people = Conditions("p.person_id").SelectMany(c => connection.Query<(long PersonId, string? FamilyKana, string? GivenKana, string? BirthDate, string? Address)>(
                "SELECT p.person_id, p.family_kana, p.given_kana, p.birth_date, p.address FROM person p WHERE p.is_child = 1 " +
                "AND EXISTS (SELECT 1 FROM need_assessment n WHERE n.person_id = p.person_id AND n.band <> 'none')" + c,
                transaction: transaction))
            .ToDictionary(p => p.PersonId);
        var schools = LatestSchools(connection, transaction, people.Keys.ToHashSet(), Conditions("pr.person_id"));
        var registered = Conditions("p.person_id").SelectMany(c => connection.Query<long>(
                "SELECT p.person_id FROM person p WHERE p.is_child = 1 AND " + Judgement.JudgementStore.OpenYotaikyoCondition + c, transaction: transaction))
            .ToHashSet();

        using (var writer = new BulkWriter(connection, transaction, "worklist_rank", Columns))
        {
            foreach (var group in needs)
            {
                var p = people[group.Key];
                var school = schools.GetValueOrDefault(group.Key);
                var area = DashboardQuery.Area(p.Address);
                var inRecords = registered.Contains(group.Key) ? 1L : 0L;
                void Write(string facet, int bandRank, double score) =>
                    writer.Write(facet, p.PersonId, (long)bandRank, score, p.FamilyKana, p.GivenKana, p.BirthDate, school, area, inRecords);

                // The whole list ranks a child by the highest band and, separately, the highest score of any need.
                Write(AnyNeed, group.Max(n => StoredValues.BandRank(n.Band)), group.Max(n => n.Score));
                foreach (var n in group)
                {
                    Write(DifficultyFacet(n.Difficulty), StoredValues.BandRank(n.Band), n.Score);
                }

                foreach (var band in group.GroupBy(n => n.Band, StringComparer.Ordinal))
                {
                    Write(BandFacet(band.Key), StoredValues.BandRank(band.Key), band.Max(n => n.Score));
                }
            }

            writer.Complete();
        }

        return needs.Count;
    }

    /// <summary>
    /// A worklist condition on <c>p</c> read against the ranking: an open 要対協 registration in the linked records is
    /// taken from the ranking's column (links and facts of linked records change only with link or purge, which set the
    /// ranking aside) instead of searching every child's facts; staff's own registrations are still read live.
    /// </summary>
    internal static string Ranked(string condition) =>
        condition.Replace(Judgement.JudgementStore.OpenYotaikyoCondition, "p.yotaikyo_in_records = 1", StringComparison.Ordinal);

    /// <summary>
    /// Which build of the ranking the store holds (its time and size), null when none matches the store: what is read
    /// from the ranking stays the same as long as this does.
    /// </summary>
    public static string? Build(DbConnection connection) =>
        connection.Query<(string BuiltAt, long Children)>("SELECT built_at, children FROM worklist_rank_state").Select(b => b.BuiltAt + "/" + b.Children.ToString(CultureInfo.InvariantCulture)).FirstOrDefault();

    /// <summary>Whether the ranking was built for the need assessments stored (else the list is ranked per request).</summary>
    public static bool IsBuilt(DbConnection connection) =>
        connection.ExecuteScalar<long>("SELECT COUNT(*) FROM worklist_rank_state") > 0;

    /// <summary>
    /// Marks the ranking as no longer matching the store (persons or their links replaced or purged): until detect
    /// rebuilds it, the list is ranked per request, so it never names a person or school the store no longer has.
    /// </summary>
    public const string InvalidateSql = "DELETE FROM worklist_rank_state";

    /// <summary>
    /// Each child's latest school as <see cref="ScopeFilter.LatestSchoolIs"/> defines it: the school.name fact with the
    /// greatest date (a missing date first), ties by record id; null when that fact has no value.
    /// </summary>
    private static Dictionary<long, string?> LatestSchools(DbConnection connection, DbTransaction transaction, HashSet<long> children, IEnumerable<string> conditions)
    {
        var latest = new Dictionary<long, (string Date, long RecordId, string? School)>();
        var rows = conditions.SelectMany(c => connection.Query<(long PersonId, long RecordId, string? FactDate, string? School)>(
            "SELECT pr.person_id, f.record_id, f.fact_date, f.value_text FROM person_record pr JOIN fact f ON f.record_id = pr.record_id WHERE f.kind = 'school.name'" + c,
            transaction: transaction,
            buffered: false));
        foreach (var r in rows)
        {
            if (!children.Contains(r.PersonId))
            {
                continue;
            }

            var date = r.FactDate ?? string.Empty;
            if (!latest.TryGetValue(r.PersonId, out var best) || Later(date, r.RecordId, best.Date, best.RecordId))
            {
                latest[r.PersonId] = (date, r.RecordId, r.School);
            }
        }

        return latest.ToDictionary(kv => kv.Key, kv => kv.Value.School);
    }

    private static bool Later(string date, long recordId, string thanDate, long thanRecordId)
    {
        var c = string.CompareOrdinal(date, thanDate);
        return c > 0 || (c == 0 && recordId > thanRecordId);
    }
}
