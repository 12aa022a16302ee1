using System.Globalization;
using Dapper;
using Mimamori.Cli;
using Mimamori.Cli.Console;
using Mimamori.Cli.Evaluation;
using Mimamori.Cli.Pipeline;
using Mimamori.Cli.Verbs;
using Mimamori.Storage.Connection;
using Mimamori.Synthetic;

namespace Mimamori.EndToEnd.Tests;

/// <summary>Households over time built by the link stage from the synthetic registry and its movements, checked against the truth.</summary>
public sealed class HouseholdsOverTimeTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "mimamori-households-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void Link_BuildsCurrentHouseholdsAsTheTruthAndEndsThoseOfPeopleWhoLeft()
    {
        var options = SynthPresets.Get("toda", seed: 5) with { Population = 3000, Preset = "custom" };
        SynthVerb.Generate(options, Path.Combine(root, "synth"), new ProgressLog(TextWriter.Null, false));
        var db = MimamoriDatabase.FromSetting(Path.Combine(root, "mimamori.db"));
        db.Migrate();
        ImportStage.Run(db, Settings.SpecsDir, Path.Combine(root, "synth", "feeds"), TimeProvider.System, new ProgressLog(TextWriter.Null, false));
        using var output = new StringWriter();
        LinkStage.Run(db, new DateOnly(2026, 3, 31), TimeProvider.System, new ProgressLog(output, false));
        Assert.Contains("link: households over time:", output.ToString(), StringComparison.Ordinal);

        using var c = db.Open();
        var current = c.Query<(string AtenaNo, string HouseholdNo)>(
            "SELECT p.atena_no, h.household_no FROM household_membership h JOIN person p ON p.person_id = h.person_id WHERE h.is_current = 1")
            .ToDictionary(x => x.AtenaNo, x => x.HouseholdNo);
        var truth = TruthFile.Read(Path.Combine(root, "synth", "truth", "persons.csv")).ToList();

        // Every resident has one current household, and two residents share one exactly when the truth says so.
        Assert.Equal(truth.Count, current.Count);
        var householdOf = truth.ToDictionary(t => t["atena_no"], t => t["household_id"]);
        var pairs = truth.GroupBy(t => t["household_id"]).Where(g => g.Count() > 1).Select(g => (g.First()["atena_no"], g.Last()["atena_no"])).ToList();
        Assert.NotEmpty(pairs);
        Assert.All(pairs, p => Assert.Equal(current[p.Item1], current[p.Item2]));
        Assert.Equal(householdOf.Values.Distinct().Count(), current.Values.Distinct().Count());

        // People who moved out or died during the history window: their household ends on the day the truth gives.
        var left = TruthFile.Read(Path.Combine(root, "synth", "truth", "nonresidents.csv"))
            .Where(n => n["kind"] is "died" or "moved_out" && n["left_on"].Length > 0)
            .ToDictionary(n => n["atena_no"], n => n["left_on"]);
        var ended = c.Query<(string AtenaNo, string? To, string? EndedBy)>(
            "SELECT p.atena_no, h.to_date, h.ended_by FROM household_membership h JOIN person p ON p.person_id = h.person_id WHERE h.is_current = 0")
            .Where(e => left.ContainsKey(e.AtenaNo))
            .ToList();
        Assert.NotEmpty(ended);
        Assert.All(ended, e => Assert.Equal(left[e.AtenaNo], e.To));
        Assert.All(ended, e => Assert.Contains(e.EndedBy, new[] { "move_out", "death" }));

        // Each child living with a head of household has that head as guardian for the time they shared.
        var children = c.ExecuteScalar<long>(
            """
            SELECT COUNT(*) FROM household_membership h
            WHERE h.is_current = 1 AND h.relation = 'child'
              AND EXISTS (SELECT 1 FROM household_membership g WHERE g.household_no = h.household_no AND g.relation = 'head' AND g.is_current = 1)
            """);
        var guarded = c.ExecuteScalar<long>(
            """
            SELECT COUNT(DISTINCT r.other_person_id) FROM person_relation r JOIN household_membership h ON h.person_id = r.other_person_id AND h.household_no = r.household_no
            WHERE r.kind = 'guardian' AND h.is_current = 1 AND h.relation = 'child'
            """);
        var minors = c.ExecuteScalar<long>(
            """
            SELECT COUNT(*) FROM household_membership h JOIN person p ON p.person_id = h.person_id
            WHERE h.is_current = 1 AND h.relation = 'child' AND p.is_child = 1
              AND EXISTS (SELECT 1 FROM household_membership g WHERE g.household_no = h.household_no AND g.relation = 'head' AND g.is_current = 1)
            """);
        Assert.True(minors > 0 && guarded >= minors && guarded <= children, string.Create(CultureInfo.InvariantCulture, $"{minors} minors, {guarded} guarded, {children} children"));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
