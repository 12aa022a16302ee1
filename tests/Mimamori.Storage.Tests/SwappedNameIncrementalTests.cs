using Mimamori.Ingestion.Records;
using Mimamori.Ingestion.Validation;
using Mimamori.Kernel.People;
using Mimamori.Linkage.Clustering;
using Mimamori.Linkage.Scoring;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Ingestion;
using Mimamori.Storage.Pipeline;

namespace Mimamori.Storage.Tests;

/// <summary>
/// A department record whose reading is written given name first, kept with a registry person by the last link, is
/// resolved again when a registry movement brings a person it meets only through that order, as a full link would.
/// </summary>
public sealed class SwappedNameIncrementalTests
{
    private static readonly DateTimeOffset Now = new(2026, 4, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly AsOf = new(2026, 3, 31);
    private const string Home = "上戸田一丁目2番3号";

    private static CanonicalRecord Resident(string source, long line, string atena, string family, string given, string familyKana, string givenKana, DateOnly birth) => new(
        source, "resident", source + "/jumin.csv", line, null, atena, "H1", new PersonName(family, given, familyKana, givenKana),
        birth, Sex.Female, "3350022", Home, null, "child", [], [new("宛名番号", atena)]);

    private static void Import(MimamoriDatabase db, string sha, string snapshot, params CanonicalRecord[] records)
    {
        using var writer = ImportBatchWriter.Begin(db, records[0].Source, records[0].File, sha, snapshot, Now);
        foreach (var r in records)
        {
            writer.Add(r);
        }

        writer.Commit(new ReadSummary(records[0].File, records.Length, records.Length, 0), Now);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void Link_NewRegistryPersonMetOnlyByTheSwappedReading_ResolvesTheKeptRecordAgainAsAFullLinkDoes(string kind)
    {
        var db = TestDatabases.Create(kind);
        db.Migrate();

        // A mother 小林 美穂 in the registry, and the children's cafeteria's 「ミホ コバヤシ」 at her address, without a
        // birth date or kanji: it meets her only by the reading given name first, and links to her.
        Import(db, "a1", "full", Resident("jumin_legacy", 2, "0000000001", "小林", "美穂", "ｺﾊﾞﾔｼ", "ﾐﾎ", new DateOnly(1980, 7, 7)));
        var cafeteria = new CanonicalRecord(
            "npo_shokudo", "welfare", "npo_shokudo/sankasha.csv", 2, "1", null, null, new PersonName(string.Empty, string.Empty, "ミホ", "コバヤシ"),
            null, Sex.Female, null, Home, null, null, [], [new("なまえ", "みほ こばやし")]);
        Import(db, "n1", "full", cafeteria);
        var run = RunLog.Start(db, "link", Now);
        var first = IdentityResolver.Resolve(LinkageStore.LoadRecords(db), LinkageModel.Default);
        Assert.Equal("probabilistic", first.Assignments.Single(a => !first.Persons.Any(p => p.Representative.RecordId == a.RecordId)).Method);
        LinkageStore.Save(db, first, AsOf, Now);
        RunLog.Finish(db, run, Now, 2, "succeeded", LinkageModel.Default.ToJson());

        // A movement: a daughter of the same name moves in. Her reading, not the record's, is family name first.
        Import(db, "m1", "delta", Resident("jumin_idou", 2, "0000000002", "小林", "美穂", "コバヤシ", "ミホ", new DateOnly(2015, 5, 5)));
        var plan = IncrementalLinkStore.Plan(db, LinkageModel.Default.Version);
        Assert.Null(plan.FullReason);

        var incremental = IncrementalLinking.Resolve(plan.Base!, plan.Model!);
        var full = IdentityResolver.Resolve(LinkageStore.LoadRecords(db), LinkageModel.Default);

        // Two namesakes at one address now score alike: a full link keeps the record from both, and so must the
        // incremental one, rather than leave it with the mother.
        var recordId = full.Assignments.Single(a => a.Method is not ("registry" or "returned")).RecordId;
        Assert.Equal("new", full.Assignments.Single(a => a.RecordId == recordId).Method);
        Assert.Contains(full.Review, p => p.RecordId == recordId && p.Reason == "two candidates score alike");
        Assert.Equal(
            full.Assignments.Select(a => (a.RecordId, a.Method, Math.Round(a.Weight, 6))).Order(),
            incremental.Assignments.Select(a => (a.RecordId, a.Method, Math.Round(a.Weight, 6))).Order());
        Assert.Contains(incremental.Review, p => p.RecordId == recordId && p.Reason == "two candidates score alike");
    }
}
