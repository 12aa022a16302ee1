using System.Diagnostics;
using Dapper;
using Mimamori.Cli;
using Mimamori.Cli.Console;
using Mimamori.Cli.Pipeline;
using Mimamori.Cli.Verbs;
using Mimamori.Storage.Connection;
using Mimamori.Synthetic;

namespace Mimamori.EndToEnd.Tests;

/// <summary>
/// A crash mid-import must leave the store consistent and the rerun must complete: the `mimamori ingest` process is
/// killed (SIGKILL, no chance to clean up) while it writes, then run again, and the store must equal the store of an
/// uninterrupted import.
/// </summary>
public sealed class KillAndRerunTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "mimamori-kill-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Ingest_KilledMidRunThenRerun_GivesTheSameStoreAsAnUninterruptedRun()
    {
        var options = SynthPresets.Get("toda", seed: 11) with { Population = 8000, Preset = "custom" };
        SynthVerb.Generate(options, Path.Combine(root, "synth"), new ProgressLog(TextWriter.Null, false));
        var feeds = Path.Combine(root, "synth", "feeds");

        var reference = MimamoriDatabase.FromSetting(Path.Combine(root, "reference.db"));
        reference.Migrate();
        ImportStage.Run(reference, Settings.SpecsDir, feeds, TimeProvider.System, new ProgressLog(TextWriter.Null, false));

        var killedDb = Path.Combine(root, "killed.db");
        var killed = MimamoriDatabase.FromSetting(killedDb);
        var kills = 0;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            // Kill at a different moment each time: after the first, second and third committed file.
            using var process = StartIngest(killedDb, feeds);
            var target = attempt + 1;
            var watch = Stopwatch.StartNew();
            while (!process.HasExited && watch.Elapsed < TimeSpan.FromSeconds(60) && CommittedBatches(killed) < target)
            {
                await Task.Delay(20);
            }

            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                kills++;
            }

            await process.WaitForExitAsync();
            Assert.Equal(Snapshot(killed, consistentOnly: true), Snapshot(killed, consistentOnly: true));
        }

        using (var rerun = StartIngest(killedDb, feeds))
        {
            await rerun.WaitForExitAsync();
            Assert.Equal(0, rerun.ExitCode);
        }

        Assert.True(kills > 0, "the import finished before it could be killed; the test proved nothing");
        Assert.Equal(Snapshot(reference, consistentOnly: false), Snapshot(killed, consistentOnly: false));
    }

    /// <summary>
    /// The whole run (ingest, link, detect, outreach) killed once inside each of the later stages, at a random moment
    /// after the stage starts (the seed is printed on failure): after every kill the store holds no half-written link,
    /// score or finding, and the rerun gives what an uninterrupted run gives.
    /// </summary>
    [Fact]
    public async Task Run_KilledInsideEachStageThenRerun_GivesTheSameResultAsAnUninterruptedRun()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var options = SynthPresets.Get("toda", seed: 13) with { Population = 5000, Preset = "custom" };
        SynthVerb.Generate(options, Path.Combine(root, "synth"), new ProgressLog(TextWriter.Null, false));
        var feeds = Path.Combine(root, "synth", "feeds");

        var reference = MimamoriDatabase.FromSetting(Path.Combine(root, "reference.db"));
        PipelineRunner.Run(reference, Settings.SpecsDir, feeds, null, TimeProvider.System, new ProgressLog(TextWriter.Null, false));

        var killedDb = Path.Combine(root, "killed.db");
        var killed = MimamoriDatabase.FromSetting(killedDb);
        var killedIn = new List<string>();
        foreach (var stage in new[] { "link", "detect", "outreach" })
        {
            using var process = CliProcess.Start(["--db", killedDb, "run", "--feeds", feeds, "--specs", Settings.SpecsDir]);
            var watch = Stopwatch.StartNew();
            while (!process.HasExited && watch.Elapsed < TimeSpan.FromMinutes(5) && !Started(killed, stage))
            {
                await Task.Delay(10);
            }

            await Task.Delay(random.Next(0, 400));
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                killedIn.Add(stage);
            }

            await process.WaitForExitAsync();
            AssertConsistent(killed, $"after a kill in {stage} (seed {seed})");
        }

        using (var rerun = CliProcess.Start(["--db", killedDb, "run", "--feeds", feeds, "--specs", Settings.SpecsDir]))
        {
            await rerun.WaitForExitAsync();
            Assert.Equal(0, rerun.ExitCode);
        }

        Assert.True(killedIn.Count > 0, $"the run finished before any kill; the test proved nothing (seed {seed})");
        AssertConsistent(killed, $"after the rerun (seed {seed})");
        Assert.Equal(Outcome(reference), Outcome(killed));
    }

    private static bool Started(MimamoriDatabase db, string stage)
    {
        try
        {
            using var connection = db.Open();
            return connection.ExecuteScalar<long>("SELECT COUNT(*) FROM pipeline_run WHERE stage = @stage", new { stage }) > 0;
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            return false; // not created yet
        }
    }

    /// <summary>No link without its person and record, no score or finding without its person.</summary>
    private static void AssertConsistent(MimamoriDatabase db, string when)
    {
        using var connection = db.Open();
        foreach (var (name, sql) in new[]
        {
            ("links to a missing person", "SELECT COUNT(*) FROM person_record l WHERE NOT EXISTS (SELECT 1 FROM person p WHERE p.person_id = l.person_id)"),
            ("links to a missing record", "SELECT COUNT(*) FROM person_record l WHERE NOT EXISTS (SELECT 1 FROM source_record r WHERE r.record_id = l.record_id)"),
            ("persons without a record", "SELECT COUNT(*) FROM person p WHERE NOT EXISTS (SELECT 1 FROM person_record l WHERE l.person_id = p.person_id)"),
            ("needs of a missing person", "SELECT COUNT(*) FROM need_assessment n WHERE NOT EXISTS (SELECT 1 FROM person p WHERE p.person_id = n.person_id)"),
            ("scores of a missing person", "SELECT COUNT(*) FROM need_score s WHERE NOT EXISTS (SELECT 1 FROM person p WHERE p.person_id = s.person_id)"),
            ("unreconciled imports", "SELECT COUNT(*) FROM import_batch WHERE rows_read <> rows_accepted + rows_quarantined"),
        })
        {
            Assert.True(connection.ExecuteScalar<long>(sql) == 0, $"{name} {when}");
        }
    }

    /// <summary>What a run decides, without ids and timestamps: persons, links by method, needs by band, unclaimed support.</summary>
    private static string Outcome(MimamoriDatabase db)
    {
        using var connection = db.Open();
        var persons = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM person");
        var links = connection.Query<string>("SELECT method || ':' || COUNT(*) FROM person_record GROUP BY method ORDER BY method");
        var needs = connection.Query<string>("SELECT difficulty || '/' || band || ':' || COUNT(*) FROM need_assessment GROUP BY difficulty, band ORDER BY difficulty, band");
        var unclaimed = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM unclaimed_support");
        return $"persons {persons}\n{string.Join('\n', links)}\n{string.Join('\n', needs)}\nunclaimed {unclaimed}";
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static Process StartIngest(string db, string feeds) =>
        CliProcess.Start(["--db", db, "ingest", "--feeds", feeds, "--specs", Settings.SpecsDir]);

    private static long CommittedBatches(MimamoriDatabase db)
    {
        try
        {
            using var connection = db.Open();
            return connection.ExecuteScalar<long>("SELECT COUNT(*) FROM import_batch");
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            return 0; // not created yet
        }
    }

    /// <summary>What the store holds, without timestamps; with consistentOnly, also checks that every stored record belongs to a committed batch.</summary>
    private static string Snapshot(MimamoriDatabase db, bool consistentOnly)
    {
        using var connection = db.Open();
        var orphans = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM source_record r WHERE NOT EXISTS (SELECT 1 FROM import_batch b WHERE b.batch_id = r.batch_id)");
        Assert.Equal(0, orphans);
        var unreconciled = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM import_batch WHERE rows_read <> rows_accepted + rows_quarantined");
        Assert.Equal(0, unreconciled);
        if (consistentOnly)
        {
            return "consistent";
        }

        var batches = connection.Query<string>("SELECT batch_id || '|' || source || '|' || file || '|' || sha256 || '|' || rows_read || '|' || rows_accepted || '|' || rows_quarantined || '|' || status FROM import_batch ORDER BY batch_id");
        var records = connection.ExecuteScalar<string>("SELECT COUNT(*) || '|' || SUM(record_id) || '|' || SUM(LENGTH(original)) FROM source_record");
        var facts = connection.ExecuteScalar<string>("SELECT COUNT(*) || '|' || SUM(record_id) || '|' || SUM(LENGTH(kind)) FROM fact");
        var quarantine = connection.ExecuteScalar<string>("SELECT COUNT(*) || '|' || COALESCE(SUM(line), 0) FROM quarantine");
        return string.Join('\n', batches) + "\n" + records + "\n" + facts + "\n" + quarantine;
    }
}
