using Dapper;
using Mimamori.Cli;
using Mimamori.Cli.Console;
using Mimamori.Cli.Evaluation;
using Mimamori.Cli.Pipeline;
using Mimamori.Cli.Verbs;
using Mimamori.Storage.Connection;
using Mimamori.Synthetic;

namespace Mimamori.EndToEnd.Tests;

/// <summary>A small synthetic municipality, generated once, through the whole pipeline into a fresh SQLite file.</summary>
public sealed class SmallMunicipality : IDisposable
{
    public SmallMunicipality()
    {
        Root = Path.Combine(Path.GetTempPath(), "mimamori-e2e-" + Guid.NewGuid().ToString("N"));
        Options = SynthPresets.Get("toda", seed: 7) with { Population = 6000, Preset = "custom" };
        var log = new ProgressLog(TextWriter.Null, interactive: false);
        Summary = SynthVerb.Generate(Options, Path.Combine(Root, "synth"), log);
        Database = MimamoriDatabase.FromSetting(Path.Combine(Root, "mimamori.db"));
        Figures = PipelineRunner.Run(Database, Settings.SpecsDir, FeedsDir, null, TimeProvider.System, log);
        Evaluation = Evaluator.Run(Database, Path.Combine(Root, "synth", "truth"));
    }

    public string Root { get; }

    public string FeedsDir => Path.Combine(Root, "synth", "feeds");

    public SynthOptions Options { get; }

    public SynthSummary Summary { get; }

    public MimamoriDatabase Database { get; }

    public Dictionary<string, StageFigure> Figures { get; }

    public Dictionary<string, object> Evaluation { get; }

    public double Metric(string group, string key) => Convert.ToDouble(((Dictionary<string, object>)Evaluation[group])[key], System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Root, recursive: true);
    }
}

public sealed class PipelineEndToEndTests(SmallMunicipality town) : IClassFixture<SmallMunicipality>
{
    [Fact]
    public void Ingest_EveryFileReconcilesAndMatchesTheTruthRowCount()
    {
        using var connection = town.Database.Open();
        var batches = connection.Query<(string File, long Read, long Accepted, long Quarantined)>(
            "SELECT file, rows_read, rows_accepted, rows_quarantined FROM import_batch").ToList();
        Assert.True(batches.Count >= 8, $"expected at least 8 imported files, found {batches.Count}");
        var truthRows = TruthFile.Read(Path.Combine(town.Root, "synth", "truth", "records.csv"))
            .GroupBy(r => r["file"]).ToDictionary(g => g.Key, g => (long)g.Count());
        foreach (var b in batches)
        {
            Assert.Equal(b.Read, b.Accepted + b.Quarantined);
            Assert.Equal(truthRows[b.File], b.Read);
        }

        var quarantinedRows = connection.ExecuteScalar<long>("SELECT COUNT(DISTINCT file || ':' || line) FROM quarantine");
        Assert.Equal(batches.Sum(b => b.Quarantined), quarantinedRows);
    }

    [Fact]
    public void Ingest_Rerun_SkipsEveryUnchangedFileAndStoresNothingNew()
    {
        using var connection = town.Database.Open();
        var before = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM source_record");
        var outcomes = ImportStage.Run(town.Database, Settings.SpecsDir, town.FeedsDir, TimeProvider.System, new ProgressLog(TextWriter.Null, false));
        Assert.All(outcomes, o => Assert.Equal("unchanged", o.Status));
        Assert.Equal(before, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM source_record"));
    }

    [Fact]
    public void Link_EveryAcceptedRecordBelongsToExactlyOnePerson()
    {
        using var connection = town.Database.Open();
        var records = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM source_record");
        var linked = connection.ExecuteScalar<long>("SELECT COUNT(DISTINCT record_id) FROM person_record");
        Assert.Equal(records, linked);
        // One person per 宛名番号, except that a resident who moved out and came back holds two.
        var returned = connection.ExecuteScalar<long>(
            "SELECT COUNT(DISTINCT r.atena_no) FROM source_record r JOIN person_record pr ON pr.record_id = r.record_id WHERE pr.method = 'returned'");
        var registryPersons = connection.ExecuteScalar<long>("SELECT COUNT(DISTINCT atena_no) FROM source_record WHERE category = 'resident'") - returned;
        var persons = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM person");
        Assert.InRange(persons, registryPersons, registryPersons * 1.05);
        Assert.InRange(registryPersons, town.Summary.Residents * 0.95, town.Summary.Residents * 1.01);
    }

    [Fact]
    public void Link_RecordsWithoutABirthDate_CarryTheirFeedsWindow_AndAreLinkedOnlyToPersonsBornInIt()
    {
        using var connection = town.Database.Open();
        var rows = connection.Query<(string Source, string? From, string? To, string? Born, string Method, string Explanation)>(
            """
            SELECT r.source, r.birth_from, r.birth_to, p.birth_date, pr.method, le.json
            FROM source_record r JOIN person_record pr ON pr.record_id = r.record_id JOIN person p ON p.person_id = pr.person_id
            JOIN link_explanation le ON le.explanation_id = pr.explanation_id
            WHERE r.birth_date IS NULL AND r.atena_no IS NULL AND r.source IN ('npo_shokudo', 'katei_sodan')
            """).ToList();
        Assert.Contains(rows, r => r.Source == "npo_shokudo");
        Assert.Contains(rows, r => r.Source == "katei_sodan");
        Assert.All(rows, r => Assert.True(r.From is not null && r.To is not null, $"{r.Source} record without a window"));
        var linked = rows.Where(r => r.Method != "new" && r.Born is not null).ToList();
        Assert.NotEmpty(linked);
        Assert.All(linked, r => Assert.InRange(string.CompareOrdinal(r.Born, r.From), 0, int.MaxValue));
        Assert.All(linked, r => Assert.InRange(string.CompareOrdinal(r.To, r.Born), 0, int.MaxValue));
        Assert.DoesNotContain(linked, r => r.Explanation.Contains("outside_window", StringComparison.Ordinal));
    }

    [Fact]
    public void Evaluate_LinkageIsAccurateAgainstTheTruth()
    {
        Assert.True(town.Metric("linkage", "precision") >= 0.99, $"precision {town.Metric("linkage", "precision")}");
        Assert.True(town.Metric("linkage", "recall") >= 0.97, $"recall {town.Metric("linkage", "recall")}");
    }

    [Fact]
    public void Evaluate_NeedScoresRankConfirmedNeedsAboveTheRest()
    {
        var auc = town.Metric("needs", "auc");
        Assert.True(auc is > 0.65 and <= 1, $"AUC {auc}");
        Assert.True(town.Metric("needs", "confirmed_need") > 0);
    }

    [Fact]
    public void Detect_EveryFlaggedChildHasReasonsAndEvidence()
    {
        using var connection = town.Database.Open();
        var flagged = connection.Query<(string Signals, string Band)>("SELECT signals, band FROM need_assessment WHERE band <> 'none'").ToList();
        Assert.NotEmpty(flagged);
        Assert.All(flagged, f => Assert.Contains("\"ja\"", f.Signals, StringComparison.Ordinal));
        var children = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM person WHERE is_child = 1");
        var assessedChildren = connection.ExecuteScalar<long>("SELECT COUNT(DISTINCT person_id) FROM need_assessment");
        Assert.Equal(children, assessedChildren);
    }

    [Fact]
    public void Outreach_FindsUnclaimedSupportWithDraftLettersThatNeverMentionAScore()
    {
        Assert.True(town.Metric("outreach", "unclaimed_precision") >= 0.8, $"precision {town.Metric("outreach", "unclaimed_precision")}");
        Assert.True(town.Metric("outreach", "unclaimed_recall") >= 0.8, $"recall {town.Metric("outreach", "unclaimed_recall")}");
        using var connection = town.Database.Open();
        var bodies = connection.Query<string>("SELECT body FROM outreach_message").ToList();
        Assert.NotEmpty(bodies);
        Assert.All(bodies, b => Assert.DoesNotContain("リスク", b, StringComparison.Ordinal));
        Assert.All(bodies, b => Assert.DoesNotContain("スコア", b, StringComparison.Ordinal));
    }

    [Fact]
    public void Bench_ReportsEveryStage()
    {
        Assert.Equal(["detect", "ingest", "link", "outreach"], town.Figures.Keys.Order(StringComparer.Ordinal));
        Assert.All(town.Figures.Values, f => Assert.True(f.Rows > 0));
    }

    [Fact]
    public async Task BenchWeb_SignsInUsersAndReportsLatenciesOfTheWorklistAndChildPages()
    {
        var caseworker = Mimamori.Storage.People.DemoAccounts.Seed(town.Database, null).Single(a => a.Role == "caseworker" && a.Scope == "all");
        var (code, stdout, stderr) = await CliProcess.Run(
            "bench", "--suite", "web", "--data", town.Root, "--db", Path.Combine(town.Root, "mimamori.db"),
            "--users", "3", "--seconds", "2", "--user", caseworker.User, "--password", caseworker.Password);
        Assert.True(code == 0, stderr);
        using var figures = System.Text.Json.JsonDocument.Parse(stdout);
        var root = figures.RootElement;
        Assert.Equal(3, root.GetProperty("users").GetInt32());
        Assert.Equal(0, root.GetProperty("errors").GetInt32());
        Assert.True(root.GetProperty("requests").GetInt32() > 0);
        Assert.True(root.GetProperty("p95_ms").GetDouble() >= root.GetProperty("p50_ms").GetDouble());
        foreach (var kind in new[] { "worklist_api", "child_api", "worklist_page", "child_page" })
        {
            Assert.True(root.GetProperty("endpoints").GetProperty(kind).GetProperty("requests").GetInt32() > 0, kind);
        }

        // Every list page is either measured, with its verdict against the target, or reported as closed to the account.
        var measured = root.GetProperty("endpoints").EnumerateObject().ToList();
        var closed = root.GetProperty("unavailable").EnumerateObject().ToList();
        Assert.Equal(WebBench.EndpointNames.Order(StringComparer.Ordinal), measured.Concat(closed).Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Contains(measured, e => e.Name == "worklist_filtered_api");
        // An endpoint the short run never reached (a loaded machine) has no figure, so it is not shown as within the target.
        Assert.All(measured, e => Assert.Equal(
            e.Value.GetProperty("requests").GetInt32() > 0 && e.Value.GetProperty("p95_ms").GetDouble() <= 200,
            e.Value.GetProperty("within_target").GetBoolean()));
        Assert.All(closed, e => Assert.Equal(403, e.Value.GetInt32()));
        Assert.Equal(measured.All(e => e.Value.GetProperty("within_target").GetBoolean()), root.GetProperty("all_within_target").GetBoolean());

        // Each request was an audited read by that account.
        using var connection = town.Database.Open();
        Assert.True(connection.ExecuteScalar<long>("SELECT COUNT(*) FROM audit_event WHERE user_name = @u", new { u = caseworker.User }) >= root.GetProperty("requests").GetInt32());
    }
}
