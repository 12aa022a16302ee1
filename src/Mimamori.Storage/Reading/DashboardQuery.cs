using System.Collections.Concurrent;
using System.Globalization;
using Dapper;
using Mimamori.Kernel.Places;
using Mimamori.Storage.Connection;

namespace Mimamori.Storage.Reading;

/// <summary>
/// The raw counts behind the dashboards. Only counts leave this class — never a person id, name or address — and the
/// caller suppresses small cells before showing any of them.
/// </summary>
public sealed class DashboardQuery
{
    /// <summary>Age bands (inclusive lower and upper age) matching the stages staff plan for.</summary>
    public static IReadOnlyList<(string Id, int From, int To)> AgeBands { get; } =
        [("0-2", 0, 2), ("3-5", 3, 5), ("6-11", 6, 11), ("12-14", 12, 14), ("15-17", 15, 17)];

    /// <summary>The bands above none, highest first.</summary>
    public static IReadOnlyList<string> ShownBands { get; } = ["high", "medium", "low"];

    // Counts read from the ranking change only when detect rebuilds it (link and purge set it aside, and the counts are
    // then read live): they are kept per database, aggregate and ranking build, so staff opening the dashboards at the
    // same time do not each count every child on the list again.
    private static readonly ConcurrentDictionary<(string Database, string Aggregate), (string Build, CountGrid Grid)> FromRanking = new();

    private readonly MimamoriDatabase database;

    /// <summary>Reads from the given database.</summary>
    public DashboardQuery(MimamoriDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        this.database = database;
    }

    /// <summary>
    /// Children with a need above band none, counted once each under their highest band, per area: 町丁目 from the
    /// registry address (<paramref name="bySchool"/> false) or the school they attend (true; children not at school
    /// are one row).
    /// </summary>
    public CountGrid NeedsByArea(bool bySchool)
    {
        using var connection = database.Open();
        if (!bySchool && WorklistRanking.Build(connection) is { } build)
        {
            // The ranking already holds each child's highest band and 町丁目: no address is parsed per request.
            return Kept("area", build, () =>
            {
                var counted = connection.Query<(string Area, long Rank, long Children)>(
                    $"SELECT p.area, p.band_rank, COUNT(*) FROM worklist_rank p WHERE p.facet = '{WorklistRanking.AnyNeed}' GROUP BY p.area, p.band_rank");
                return CountGrid.From(counted.SelectMany(c => Enumerable.Repeat((c.Area, StoredValues.BandOfRank((int)c.Rank)), (int)c.Children)), ShownBands);
            });
        }

        var rows = connection.Query<(long PersonId, string? Address, string Band)>(
            "SELECT p.person_id, p.address, n.band FROM person p JOIN need_assessment n ON n.person_id = p.person_id WHERE p.is_child = 1 AND n.band <> 'none'").ToList();
        var highest = rows.GroupBy(r => r.PersonId).Select(g => (g.Key, g.First().Address, Band: g.OrderByDescending(r => StoredValues.BandRank(r.Band)).First().Band)).ToList();
        Dictionary<long, string>? schools = null;
        if (bySchool)
        {
            schools = connection.Query<(long PersonId, long RecordId, string? FactDate, string School)>(
                    "SELECT pr.person_id, f.record_id, f.fact_date, f.value_text FROM person_record pr JOIN fact f ON f.record_id = pr.record_id " +
                    "WHERE f.kind = 'school.name' AND f.value_text IS NOT NULL AND pr.person_id IN (SELECT person_id FROM need_assessment WHERE band <> 'none')")
                .GroupBy(r => r.PersonId)
                .ToDictionary(g => g.Key, g => g.OrderByDescending(r => r.FactDate ?? string.Empty, StringComparer.Ordinal).ThenByDescending(r => r.RecordId).First().School);
        }

        string AreaOf(long person, string? address) => bySchool
            ? schools!.GetValueOrDefault(person) ?? string.Empty
            : Area(address);
        return CountGrid.From(highest.Select(h => (AreaOf(h.Key, h.Address), h.Band)), ShownBands);
    }

    /// <summary>The 町丁目 of an address (上戸田1丁目), the 町域 where there is no 丁目, empty when unknown.</summary>
    public static string Area(string? address)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return string.Empty;
        }

        var parsed = Address.Parse(address);
        return parsed.Chome is { } chome ? parsed.Town + chome.ToString(CultureInfo.InvariantCulture) + "丁目" : parsed.Town;
    }

    /// <summary>Children with a need at band high or medium, per difficulty (rows) and age band (columns) at <paramref name="today"/>.</summary>
    public CountGrid NeedsByDifficultyAndAge(DateOnly today)
    {
        using var connection = database.Open();
        CountGrid Count(IEnumerable<(string Difficulty, string? BirthDate)> rows) => CountGrid.From(
            rows.Select(r => (r.Difficulty, AgeBand(StoredValues.Age(StoredValues.Date(r.BirthDate), today)))).Where(r => r.Item2 is not null).Select(r => (r.Difficulty, r.Item2!)),
            AgeBands.Select(a => a.Id).ToList());
        if (WorklistRanking.Build(connection) is { } build)
        {
            // The ranking's per-difficulty rows are exactly the children's needs above none, with their birth dates.
            return Kept("age", build + "@" + today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), () => Count(connection.Query<(string Facet, string? BirthDate)>(
                    "SELECT p.facet, p.birth_date FROM worklist_rank p WHERE p.facet >= @from AND p.facet < @to AND p.band_rank >= 2",
                    new { from = WorklistRanking.DifficultyFacet(string.Empty), to = WorklistRanking.DifficultyFacetsEnd })
                .Select(r => (r.Facet[WorklistRanking.DifficultyFacet(string.Empty).Length..], r.BirthDate))));
        }

        return Count(connection.Query<(string Difficulty, string? BirthDate)>(
            "SELECT n.difficulty, p.birth_date FROM person p JOIN need_assessment n ON n.person_id = p.person_id WHERE p.is_child = 1 AND n.band IN ('high', 'medium')"));
    }

    // The counts of this ranking build (and day, for ages), computed once; each caller gets its own copy of the figures.
    private CountGrid Kept(string aggregate, string build, Func<CountGrid> count)
    {
        var key = (database.ConnectionString, aggregate);
        if (!FromRanking.TryGetValue(key, out var kept) || !string.Equals(kept.Build, build, StringComparison.Ordinal))
        {
            kept = (build, count());
            FromRanking[key] = kept;
        }

        return kept.Grid with { Counts = (long[,])kept.Grid.Counts.Clone() };
    }

    private static string? AgeBand(int? age) => age is { } a ? AgeBands.FirstOrDefault(b => a >= b.From && a <= b.To).Id : null;

    /// <summary>
    /// Children at band high or medium per difficulty at each detection run's reference date (the latest run of a
    /// date counts), oldest first; the column <c>any</c> counts each child once.
    /// </summary>
    public IReadOnlyList<(DateOnly ReferenceDate, IReadOnlyDictionary<string, long> Children)> Trend()
    {
        using var connection = database.Open();
        var rows = connection.Query<(long RunId, string ReferenceDate, string Difficulty, string Band, long Children)>(
            "SELECT run_id, reference_date, difficulty, band, children FROM need_snapshot").ToList();
        return rows
            .GroupBy(r => r.ReferenceDate, StringComparer.Ordinal)
            .Select(g =>
            {
                var latest = g.Max(r => r.RunId);
                IReadOnlyDictionary<string, long> counts = g.Where(r => r.RunId == latest && r.Band is "high" or "medium" or NeedSnapshots.FlaggedBand)
                    .GroupBy(r => r.Difficulty, StringComparer.Ordinal)
                    .ToDictionary(x => x.Key, x => x.Sum(r => r.Children), StringComparer.Ordinal);
                return (DateOnly.ParseExact(g.Key, "yyyy-MM-dd", CultureInfo.InvariantCulture), counts);
            })
            .OrderBy(x => x.Item1)
            .ToList();
    }

    /// <summary>Outreach messages that reached households, per campaign and wording, by the household's latest answer.</summary>
    public CountGrid OutreachUptake()
    {
        using var connection = database.Open();
        var rows = connection.Query<(string Campaign, string Variant, string? Response)>(
            """
            SELECT m.campaign, COALESCE(m.variant, 'plain'), r.response
            FROM outreach_message m
            LEFT JOIN message_response r ON r.response_id = (SELECT MAX(r2.response_id) FROM message_response r2 WHERE r2.message_id = m.message_id)
            WHERE m.state IN ('sent', 'delivered')
            """);
        return CountGrid.From(rows.Select(r => (r.Campaign + " / " + r.Variant, r.Response is "applied" or "declined" or "opted_out" ? r.Response : "none")), OutreachAnswers);
    }

    /// <summary>The answers counted for outreach, "none" being no answer yet.</summary>
    public static IReadOnlyList<string> OutreachAnswers { get; } = ["applied", "declined", "opted_out", "none"];

    /// <summary>Every decision recorded (superseded ones too: the work was done), with its time.</summary>
    public IReadOnlyList<(DateTimeOffset DecidedAt, string Decision)> Decisions()
    {
        using var connection = database.Open();
        return connection.Query<(string DecidedAt, string Decision)>("SELECT decided_at, decision FROM judgement")
            .Select(r => (DateTimeOffset.Parse(r.DecidedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal), r.Decision))
            .ToList();
    }
}

/// <summary>Counts by a row key and a column key; rows sorted by key, columns in the order given.</summary>
/// <param name="Rows">Row keys.</param>
/// <param name="Columns">Column keys.</param>
/// <param name="Counts">Counts, [row, column].</param>
public sealed record CountGrid(IReadOnlyList<string> Rows, IReadOnlyList<string> Columns, long[,] Counts)
{
    /// <summary>Counts the pairs; a pair whose column is not listed is ignored.</summary>
    public static CountGrid From(IEnumerable<(string Row, string Column)> pairs, IReadOnlyList<string> columns)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        ArgumentNullException.ThrowIfNull(columns);
        var list = pairs.Where(p => columns.Contains(p.Column, StringComparer.Ordinal)).ToList();
        var rows = list.Select(p => p.Row).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var counts = new long[rows.Count, columns.Count];
        var rowIndex = rows.Select((r, i) => (r, i)).ToDictionary(x => x.r, x => x.i, StringComparer.Ordinal);
        var columnIndex = columns.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
        foreach (var (row, column) in list)
        {
            counts[rowIndex[row], columnIndex[column]]++;
        }

        return new CountGrid(rows, columns, counts);
    }
}

/// <summary>Keeps the per-run counts of <c>need_assessment</c> that the trend chart reads.</summary>
public static class NeedSnapshots
{
    /// <summary>The band under which the difficulty <c>any</c> counts each child at high or medium once.</summary>
    public const string FlaggedBand = "flagged";

    /// <summary>Records the counts of the assessments now stored, for a detection run and its reference date.</summary>
    public static void Save(MimamoriDatabase database, long runId, DateOnly referenceDate)
    {
        ArgumentNullException.ThrowIfNull(database);
        using var connection = database.Open();
        using var tx = connection.BeginTransaction();
        var args = new { run = runId, date = referenceDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), any = "any", flagged = FlaggedBand };
        connection.Execute("DELETE FROM need_snapshot WHERE run_id = @run", args, tx);
        connection.Execute(
            "INSERT INTO need_snapshot (run_id, reference_date, difficulty, band, children) " +
            "SELECT @run, @date, difficulty, band, COUNT(*) FROM need_assessment GROUP BY difficulty, band",
            args,
            tx);
        connection.Execute(
            "INSERT INTO need_snapshot (run_id, reference_date, difficulty, band, children) " +
            "SELECT @run, @date, @any, @flagged, COUNT(DISTINCT person_id) FROM need_assessment WHERE band IN ('high', 'medium')",
            args,
            tx);
        tx.Commit();
    }
}
