using System.Text.Json;
using Mimamori.Cli;
using Mimamori.Cli.Console;
using Mimamori.Cli.Pipeline;
using Mimamori.Cli.Verbs;
using Mimamori.Linkage.Blocking;
using Mimamori.Storage.Connection;
using Mimamori.Synthetic;

namespace Mimamori.EndToEnd.Tests;

/// <summary>The registry blocking rules, measured against a synthetic town's truth: together they miss almost no true pair.</summary>
public sealed class BlockingRecallTests : IDisposable
{
    private static readonly DateOnly AsOf = new(2026, 3, 31);
    private readonly string root = Path.Combine(Path.GetTempPath(), "mimamori-blocking-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void Link_OnASyntheticTown_BlocksAtLeast999InAThousandTruePairs_WithTheBirthDateAndFirstLetterRules()
    {
        var options = SynthPresets.Get("toda", seed: 5) with { Population = 3000, Preset = "custom" };
        var feeds = Path.Combine(root, "synth", "feeds");
        SynthVerb.Generate(options, Path.Combine(root, "synth"), new ProgressLog(TextWriter.Null, false));
        var db = MimamoriDatabase.FromSetting(Path.Combine(root, "mimamori.db"));
        db.Migrate();
        ImportStage.Run(db, Settings.SpecsDir, feeds, TimeProvider.System, new ProgressLog(TextWriter.Null, false));
        var log = new StringWriter();

        var result = LinkStage.Run(db, AsOf, TimeProvider.System, new ProgressLog(log, false), feeds, root, full: true);

        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, LinkStage.BlockingReportFile)));
        var r = report.RootElement;
        Assert.Equal("measured", r.GetProperty("recall_kind").GetString());
        Assert.True(r.GetProperty("matching_pairs").GetInt64() > 1000);
        Assert.True(r.GetProperty("recall").GetDouble() >= 0.999, $"all rules: {r.GetProperty("recall").GetDouble()}");
        var rules = r.GetProperty("rules").EnumerateArray().ToDictionary(x => x.GetProperty("rule").GetString()!, x => x);
        Assert.Equal(RegistryBlocking.Rules, rules.Keys);

        // Each first-letter rule finds most true pairs on its own, and the name rules more than the reading ones (some
        // departments keep no kana).
        foreach (var rule in new[] { "birth_date_family_reading", "birth_date_given_reading", "birth_date_family_name", "birth_date_given_name" })
        {
            Assert.InRange(rules[rule].GetProperty("recall").GetDouble(), 0.4, 1.0);
            Assert.True(rules[rule].GetProperty("shared_pairs").GetInt64() > 0);
        }

        // The scored pairs are the spine's candidates and the few pairs with persons created on the way.
        Assert.InRange(rules.Values.Sum(x => x.GetProperty("pairs").GetInt64()), result.Stats.CandidatePairs * 0.99, result.Stats.CandidatePairs);
        Assert.Contains("link: seconds (clock/processor) load ", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Link_WithoutTruth_EstimatesRecallBeforeTheSave_AndStoresWhatALinkMeasuringItStores()
    {
        // A municipality has no truth: recall is estimated from the links made, before the save, so that the spine's
        // index and the records can be let go while the save runs. What is stored must not depend on it.
        var options = SynthPresets.Get("toda", seed: 6) with { Population = 1500, Preset = "custom" };
        var synth = Path.Combine(root, "synth");
        SynthVerb.Generate(options, synth, new ProgressLog(TextWriter.Null, false));
        var feeds = Path.Combine(synth, "feeds");
        string[] Linked(string name, bool withTruth)
        {
            var db = MimamoriDatabase.FromSetting(Path.Combine(root, name));
            db.Migrate();
            ImportStage.Run(db, Settings.SpecsDir, feeds, TimeProvider.System, new ProgressLog(TextWriter.Null, false));
            LinkStage.Run(db, AsOf, TimeProvider.System, new ProgressLog(TextWriter.Null, false), feeds, root, full: true, measureBlockingRecall: withTruth);
            using var c = db.Open();
            return [.. Dapper.SqlMapper.Query<string>(c, "SELECT r.file || ':' || r.line || ' ' || l.method || ' ' || p.atena_no || ' ' || p.family_kana || ' ' || p.given_kana FROM person_record l JOIN source_record r ON r.record_id = l.record_id JOIN person p ON p.person_id = l.person_id ORDER BY r.file, r.line")];
        }

        var measured = Linked("measured.db", withTruth: true);
        using (var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, LinkStage.BlockingReportFile))))
        {
            Assert.Equal("measured", report.RootElement.GetProperty("recall_kind").GetString());
        }

        var estimated = Linked("estimated.db", withTruth: false);
        using (var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, LinkStage.BlockingReportFile))))
        {
            Assert.Equal("estimated", report.RootElement.GetProperty("recall_kind").GetString());
            Assert.True(report.RootElement.GetProperty("matching_pairs").GetInt64() > 500);
            Assert.InRange(report.RootElement.GetProperty("recall").GetDouble(), 0.999, 1.0);
        }

        Assert.True(measured.Length > 5000, $"{measured.Length} links");
        Assert.Equal(measured, estimated);
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
