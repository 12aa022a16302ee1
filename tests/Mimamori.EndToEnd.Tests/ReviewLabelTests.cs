using System.Globalization;
using Dapper;
using Mimamori.Cli;
using Mimamori.Cli.Console;
using Mimamori.Cli.Evaluation;
using Mimamori.Cli.Pipeline;
using Mimamori.Cli.Verbs;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Identity;
using Mimamori.Synthetic;

namespace Mimamori.EndToEnd.Tests;

/// <summary>Staff decisions are labels: evaluation counts them and compares them with the truth and with the model.</summary>
public sealed class ReviewLabelTests : IDisposable
{
    private static readonly DateOnly AsOf = new(2026, 3, 31);
    private readonly string root = Path.Combine(Path.GetTempPath(), "mimamori-labels-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void Evaluate_CountsDecisionsAndTheirAgreementWithTruthAndModel()
    {
        var options = SynthPresets.Get("toda", seed: 5) with { Population = 3000, Preset = "custom" };
        SynthVerb.Generate(options, Path.Combine(root, "synth"), new ProgressLog(TextWriter.Null, false));
        var db = MimamoriDatabase.FromSetting(Path.Combine(root, "mimamori.db"));
        db.Migrate();
        ImportStage.Run(db, Settings.SpecsDir, Path.Combine(root, "synth", "feeds"), TimeProvider.System, new ProgressLog(TextWriter.Null, false));
        LinkStage.Run(db, AsOf, TimeProvider.System, new ProgressLog(TextWriter.Null, false));

        var truth = new Dictionary<(string, string, long), string>();
        foreach (var r in TruthFile.Read(Path.Combine(root, "synth", "truth", "records.csv")))
        {
            truth[(r["source"], r["file"], long.Parse(r["line"], CultureInfo.InvariantCulture))] = r["person_id"];
        }

        List<(long Id, string Truth, bool Registry)> records;
        using (var c = db.Open())
        {
            records = c.Query<(long Id, string Source, string File, long Line, string Category)>("SELECT record_id, source, file, line, category FROM source_record ORDER BY record_id")
                .Where(r => truth.ContainsKey((r.Source, r.File, r.Line)))
                .Select(r => (r.Id, truth[(r.Source, r.File, r.Line)], r.Category == "resident"))
                .ToList();
        }

        var registry = records.Where(r => r.Registry).GroupBy(r => r.Truth).Select(g => g.First()).ToList();
        var registryOf = registry.ToDictionary(r => r.Truth, r => r.Id);
        var samePairs = records.Where(r => !r.Registry && registryOf.ContainsKey(r.Truth)).Select(r => (r.Id, registryOf[r.Truth])).Take(2).ToList();
        var differentPairs = new[] { (registry[0].Id, registry[1].Id), (registry[2].Id, registry[3].Id) };

        // Truly the same, accepted (agrees) and rejected (disagrees); truly different, accepted (disagrees) and
        // rejected (agrees). The weights say what the model proposed: 20 links, 1 does not.
        var keys = RecordKeys.Load(db);
        var at = DateTime.UtcNow.AddSeconds(1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        void Decide((long A, long B) pair, bool same, double weight) =>
            IdentityStore.Decide(db, new StoredDecision(RecordKeys.Pair(keys[pair.A].Key, keys[pair.B].Key), keys[pair.A].Key, keys[pair.B].Key, same ? StoredDecision.Same : StoredDecision.Different, weight, "test", "steward", at));
        Decide(samePairs[0], same: true, weight: 20);
        Decide(samePairs[1], same: false, weight: 20);
        Decide(differentPairs[0], same: true, weight: 1);
        Decide(differentPairs[1], same: false, weight: 1);

        using var output = new StringWriter();
        LinkStage.Run(db, AsOf, TimeProvider.System, new ProgressLog(output, false));
        Assert.Contains("link: mode full: review decisions were recorded since the last link", output.ToString(), StringComparison.Ordinal);

        var section = ReviewLabels.Section(db, r => truth.GetValueOrDefault(r));
        Assert.Equal(4, section["review_decisions"]);
        Assert.Equal(2, section["review_accepted"]);
        Assert.Equal(2, section["review_rejected"]);
        Assert.Equal(4, section["review_decisions_with_truth"]);
        Assert.Equal(0.5, section["review_agreement_with_truth"]);
        Assert.Equal(0.5, section["review_model_agreement"]);
        Assert.Equal(1.0, section["review_decisions_followed"]);

        var evaluation = Evaluator.Run(db, Path.Combine(root, "synth", "truth"));
        var linkage = (Dictionary<string, object>)evaluation["linkage"];
        Assert.Equal(4, linkage["review_decisions"]);
        Assert.True(linkage.ContainsKey("precision") && linkage.ContainsKey("recall_no_id") && linkage.ContainsKey("blocking"));
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
