using Dapper;
using Mimamori.Cli;
using Mimamori.Cli.Console;
using Mimamori.Cli.Evaluation;
using Mimamori.Cli.Pipeline;
using Mimamori.Cli.Verbs;
using Mimamori.Linkage.Clustering;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Identity;
using Mimamori.Synthetic;

namespace Mimamori.EndToEnd.Tests;

/// <summary>
/// Residents of a synthetic municipality who moved out and came back under a new 宛名番号: the registry snapshot is
/// linked first, then the movements arrive as a delta. The incremental link joins each returning resident's two
/// numbers — exactly the pairs the truth renumbered, no others — as a full relink of the same store does.
/// </summary>
public sealed class ReturnedResidentsTests : IDisposable
{
    private static readonly DateOnly AsOf = new(2026, 3, 31);
    private readonly string root = Path.Combine(Path.GetTempPath(), "mimamori-returned-" + Guid.NewGuid().ToString("N"));

    public static TheoryData<string> Kinds() => ["sqlite", "postgres"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Link_MovementsShowingReturns_JoinTheTwoNumbersOfEachReturningResident(string kind)
    {
        var options = SynthPresets.Get("toda", seed: 5) with { Population = 3000, Preset = "custom", Noise = NoiseOptions.Default with { ReturnedResidentRate = 0.05 } };
        SynthVerb.Generate(options, Path.Combine(root, "synth"), Quiet);
        var feeds = Path.Combine(root, "synth", "feeds");
        var renumbered = TruthFile.Read(Path.Combine(root, "synth", "truth", "renumbered.csv"))
            .Select(t => (Earlier: t["old_atena_no"], Later: t["atena_no"]))
            .ToHashSet();
        Assert.True(renumbered.Count >= 5, $"{renumbered.Count} returning residents");

        // First the registry snapshot and the departments' lists, without the movements: nothing says a number closed.
        var movements = Path.Combine(feeds, "jumin_idou");
        var aside = Path.Combine(root, "jumin_idou");
        Directory.Move(movements, aside);
        var incremental = TestDatabases.Create(kind, root, "incremental");
        var full = TestDatabases.Create(kind, root, "full");
        foreach (var db in new[] { incremental, full })
        {
            db.Migrate();
            ImportStage.Run(db, Settings.SpecsDir, feeds, TimeProvider.System, Quiet);
            Link(db, full: false);
            Assert.Empty(Joined(db));
        }

        var idsBefore = PersonOfNumber(incremental);

        // The movements arrive: earlier numbers closed by 転出, later ones opened by 転入.
        Directory.Move(aside, movements);
        foreach (var db in new[] { incremental, full })
        {
            ImportStage.Run(db, Settings.SpecsDir, feeds, TimeProvider.System, Quiet);
        }

        var log = Link(incremental, full: false);
        Assert.Contains("link: mode incremental:", log, StringComparison.Ordinal);
        Assert.Contains($"{renumbered.Count:N0} later 宛名番号 joined to the earlier number of a resident who came back", log, StringComparison.Ordinal);
        Link(full, full: true);

        // Exactly the truth's pairs, each one person, the later number's rows linked as returned with their waterfall.
        Assert.Equal(renumbered.OrderBy(p => p.Later), Joined(incremental).OrderBy(p => p.Later));
        Assert.Equal(Assignments(full), Assignments(incremental));
        var personOf = PersonOfNumber(incremental);
        Assert.All(renumbered, p => Assert.Equal(personOf[p.Earlier], personOf[p.Later]));
        using (var c = incremental.Open())
        {
            var explanations = c.Query<string>(
                $"SELECT {LinkExplanations.Json("l")} FROM person_record l {LinkExplanations.Join("l")} JOIN source_record r ON r.record_id = l.record_id WHERE l.method = @method", new { method = ReturnedResidents.Method }).ToList();
            Assert.NotEmpty(explanations);
            Assert.All(explanations, e => Assert.Contains("\"contributions\"", e, StringComparison.Ordinal));

            // The resident keeps the person id the registry snapshot gave the later number; the earlier number, new
            // with the movements, joined it.
            Assert.All(renumbered, p => Assert.Equal(idsBefore[p.Later], personOf[p.Later]));
            var persons = c.ExecuteScalar<long>("SELECT COUNT(*) FROM person");
            Assert.Equal(persons, c.ExecuteScalar<long>("SELECT COUNT(DISTINCT person_id) FROM person_record"));
        }
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static ProgressLog Quiet => new(TextWriter.Null, false);

    private static string Link(MimamoriDatabase db, bool full)
    {
        using var output = new StringWriter();
        LinkStage.Run(db, AsOf, TimeProvider.System, new ProgressLog(output, false), full: full);
        return output.ToString();
    }

    /// <summary>Each later number linked as returned, with the earlier number its person holds.</summary>
    private static HashSet<(string Earlier, string Later)> Joined(MimamoriDatabase db)
    {
        using var c = db.Open();
        var rows = c.Query<(long PersonId, string AtenaNo, string Method)>(
            "SELECT l.person_id, r.atena_no, l.method FROM person_record l JOIN source_record r ON r.record_id = l.record_id WHERE r.category = 'resident'").ToList();
        var later = rows.Where(r => r.Method == ReturnedResidents.Method).Select(r => (r.PersonId, r.AtenaNo)).ToHashSet();
        var earlier = rows.Where(r => r.Method == "registry").GroupBy(r => r.PersonId).ToDictionary(g => g.Key, g => g.Select(r => r.AtenaNo).Distinct().ToList());
        return later.Select(l => (earlier[l.PersonId].Single(), l.AtenaNo)).ToHashSet();
    }

    private static Dictionary<string, long> PersonOfNumber(MimamoriDatabase db)
    {
        using var c = db.Open();
        return c.Query<(string AtenaNo, long PersonId)>(
                "SELECT DISTINCT r.atena_no, l.person_id FROM person_record l JOIN source_record r ON r.record_id = l.record_id WHERE r.category = 'resident'")
            .ToDictionary(x => x.AtenaNo, x => x.PersonId);
    }

    private static List<(long RecordId, long PersonId, string Method)> Assignments(MimamoriDatabase db)
    {
        using var c = db.Open();
        return c.Query<(long, long, string)>("SELECT record_id, person_id, method FROM person_record ORDER BY record_id").ToList();
    }
}
