using Dapper;
using Mimamori.Cli;
using Mimamori.Cli.Console;
using Mimamori.Cli.Pipeline;
using Mimamori.Cli.Verbs;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Pipeline;
using Mimamori.Synthetic;

namespace Mimamori.EndToEnd.Tests;

/// <summary>
/// A night's link updates households over time only for the persons it changed: births into existing households,
/// households moving (転居), a child moving to another household, deaths. What it leaves must equal a rebuild of every
/// household on the same store.
/// </summary>
public sealed class HouseholdsAfterANightTests : IDisposable
{
    private static readonly DateOnly AsOf = new(2026, 3, 31);
    private readonly string root = Path.Combine(Path.GetTempPath(), "mimamori-households-" + Guid.NewGuid().ToString("N"));

    public static TheoryData<string> Kinds() => ["sqlite", "postgres"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Link_AfterANight_UpdatesOnlyTheChangedPersons_AndEqualsAFullRebuild(string kind)
    {
        var options = SynthPresets.Get("toda", seed: 11) with { Population = 3000, Preset = "custom" };
        SynthVerb.Generate(options, Path.Combine(root, "synth"), Quiet);
        var feeds = Path.Combine(root, "synth", "feeds");
        var db = TestDatabases.Create(kind, root, "households-" + Guid.NewGuid().ToString("N"));
        db.Migrate();
        ImportStage.Run(db, Settings.SpecsDir, feeds, TimeProvider.System, Quiet);
        var first = new StringWriter();
        LinkStage.Run(db, AsOf, TimeProvider.System, new ProgressLog(first, false));
        Assert.Contains("link: households over time rebuilt in full: ", first.ToString(), StringComparison.Ordinal);

        // The bench's night (転居 of whole households, 出生, 死亡, a consultation list sent again), and one child who
        // moves on their own into another household.
        NightlyBench.WriteNight(feeds, options.Seed, 1, 0.01, AsOf, Quiet, ["katei_sodan"]);
        var (movedAtena, toHousehold) = MoveAChildToAnotherHousehold(Path.Combine(feeds, "jumin_idou", $"idou_{AsOf:yyyyMMdd}_night1.csv"));
        ImportStage.Run(db, Settings.SpecsDir, feeds, TimeProvider.System, Quiet);

        var log = new StringWriter();
        LinkStage.Run(db, AsOf, TimeProvider.System, new ProgressLog(log, false));
        var text = log.ToString();
        Assert.Contains("link: mode incremental: ", text, StringComparison.Ordinal);
        Assert.Contains("link: households over time updated: ", text, StringComparison.Ordinal);
        var memberships = Rows(db, Memberships);
        var relations = Rows(db, Relations);
        var counts = Counts(text);

        using (var c = db.Open())
        {
            // The night's kinds of change are among the persons the update recomputed.
            var generation = c.ExecuteScalar<long>("SELECT MAX(generation) FROM link_generation");
            long Changed(string movement) => c.ExecuteScalar<long>(
                "SELECT COUNT(DISTINCT pc.person_id) FROM person_change pc JOIN person_record pr ON pr.person_id = pc.person_id JOIN fact f ON f.record_id = pr.record_id " +
                "WHERE pc.generation = @generation AND f.kind = 'resident.event' AND f.value_text = @movement AND f.fact_date >= '2026-03-20'",
                new { generation, movement });
            Assert.True(Changed("birth") > 0);
            Assert.True(Changed("death") > 0);
            Assert.True(Changed("move_within") > 1);
            var persons = c.ExecuteScalar<long>("SELECT COUNT(*) FROM person");
            var changed = c.ExecuteScalar<long>("SELECT COUNT(DISTINCT person_id) FROM person_change WHERE generation = @generation", new { generation });
            Assert.InRange(changed, 1, persons / 5);
            Assert.Equal(1, c.ExecuteScalar<long>(
                "SELECT COUNT(*) FROM household_membership h JOIN person p ON p.person_id = h.person_id WHERE p.atena_no = @movedAtena AND h.household_no = @toHousehold",
                new { movedAtena, toHousehold }));

            // No membership of a person the link no longer holds.
            Assert.Equal(0, c.ExecuteScalar<long>("SELECT COUNT(*) FROM household_membership h WHERE NOT EXISTS (SELECT 1 FROM person p WHERE p.person_id = h.person_id)"));
            Assert.Equal(1, c.ExecuteScalar<long>("SELECT COUNT(*) FROM household_history_state WHERE generation = @generation", new { generation }));
        }

        // Every household rebuilt from the same store gives the same rows and the same figures.
        var full = HouseholdHistoryStore.Rebuild(db);
        Assert.Equal(full, counts);
        Assert.Equal(Rows(db, Memberships), memberships);
        Assert.Equal(Rows(db, Relations), relations);
        Assert.NotEmpty(relations);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private const string Memberships = "SELECT person_id, household_no, relation, from_date, to_date, ended_by, is_current, record_id FROM household_membership";
    private const string Relations = "SELECT person_id, other_person_id, kind, household_no, from_date, to_date FROM person_relation";

    private static ProgressLog Quiet => new(TextWriter.Null, false);

    /// <summary>
    /// Turns one 転居 of a child in the night's file into a move into another household of the file (the child's row
    /// names the other household's number), and returns the child's 宛名番号 and the household joined.
    /// </summary>
    private static (string Atena, string Household) MoveAChildToAnotherHousehold(string path)
    {
        var lines = File.ReadAllLines(path).ToList();
        var header = lines[0].Split(',');
        int Col(string name) => Array.IndexOf(header, name);
        var (atena, household, relation, reason) = (Col("宛名番号"), Col("世帯番号"), Col("続柄"), Col("異動事由"));
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        var i = rows.FindIndex(r => r[reason] == "転居" && r[relation] == "03");
        Assert.True(i >= 0, "the night has no 転居 of a child");
        var other = rows.First(r => r[household] != rows[i][household] && r[reason] == "転居")[household];
        rows[i][household] = other;
        File.WriteAllLines(path, [lines[0], .. rows.Select(r => string.Join(',', r))]);
        return (rows[i][atena], other);
    }

    /// <summary>The figures the link printed for households over time.</summary>
    private static HouseholdHistoryCounts Counts(string log)
    {
        var line = log.Split('\n').Last(l => l.Contains("link: households over time: ", StringComparison.Ordinal));
        var numbers = System.Text.RegularExpressions.Regex.Matches(line[line.IndexOf("time: ", StringComparison.Ordinal)..], "[0-9][0-9,]*")
            .Select(m => int.Parse(m.Value, System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        return new HouseholdHistoryCounts(numbers[0], numbers[1], numbers[2], numbers[3], numbers[4]);
    }

    /// <summary>The rows of a query as text, sorted: membership ids, assigned anew by a rebuild, are not selected.</summary>
    private static List<string> Rows(MimamoriDatabase db, string sql)
    {
        using var c = db.Open();
        return c.Query(sql).Select(r => string.Join('|', ((IDictionary<string, object?>)r).Values.Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)))).Order(StringComparer.Ordinal).ToList();
    }
}
