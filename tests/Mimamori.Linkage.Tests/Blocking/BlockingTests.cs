using Mimamori.Kernel.People;
using Mimamori.Linkage.Blocking;
using Mimamori.Linkage.Clustering;
using Mimamori.Linkage.Records;
using Mimamori.Linkage.Scoring;
using Mimamori.Linkage.Specs;
using Mimamori.Linkage.Tests.Files;

namespace Mimamori.Linkage.Tests.Blocking;

public sealed class BlockingTests
{
    private static PreparedRecord[] Prepare(IEnumerable<FieldRecord> records) => [.. records.Select((r, i) => PreparedRecord.Of(i, r))];

    private static FieldRecord Person(string family, string given, string kana, DateOnly? birth, string postal = "") =>
        FieldRecord.Empty(0, family + given) with { FamilyName = family, GivenName = given, FamilyKana = kana, GivenKana = string.Empty, FullKana = kana, BirthDate = birth, PostalCode = postal };

    [Fact]
    public void Find_EachPairOnceByItsFirstRule_AndEveryRuleThatBlocksItIsMarked()
    {
        var (records, _) = SyntheticDedupeTests.Generate(people: 400, seed: 7);
        var prepared = Prepare(records);

        var pairs = CandidatePairs.Find(prepared, BlockingRule.ForFiles, LinkMode.Dedupe);

        var distinct = Enumerable.Range(0, pairs.Count).Select(p => (pairs.Left[p], pairs.Right[p])).ToHashSet();
        Assert.Equal(pairs.Count, distinct.Count);
        Assert.Equal(pairs.Count, pairs.PerRule.Sum(r => r.Pairs));
        for (var p = 0; p < pairs.Count; p++)
        {
            Assert.True(pairs.Left[p] < pairs.Right[p]);
            Assert.NotEqual(0u, pairs.Rules[p] & (1u << pairs.Rule[p]));

            // The producing rule is the first that blocks the pair.
            Assert.Equal(0u, pairs.Rules[p] & ((1u << pairs.Rule[p]) - 1));
            for (var k = 0; k < BlockingRule.ForFiles.Count; k++)
            {
                Assert.Equal((pairs.Rules[p] & (1u << k)) != 0, pairs.Blocks(k, pairs.Left[p], pairs.Right[p]));
            }
        }

        Assert.All(pairs.PerRule, r => Assert.True(r.SharedPairs >= r.Pairs));
    }

    [Fact]
    public void Find_NameWrittenGivenNameFirst_MeetsItsDuplicateOnTheReadingAndThePostalInitials()
    {
        FieldRecord Split(string id, string family, string given, string familyKana, string givenKana) =>
            FieldRecord.Empty(0, id) with { FamilyName = family, GivenName = given, FamilyKana = familyKana, GivenKana = givenKana, PostalCode = "335-0022" };
        FieldRecord Kana(string id, string kana) => FieldRecord.Empty(0, id) with { FullKana = kana };
        var records = Prepare(
        [
            Split("a", "佐藤", "花子", "サトウ", "ハナコ"),
            Split("b", "花子", "佐藤", "ハナコ", "サトウ"), // both parts in the other's column
            Kana("c", "はなこ さとう"),
            Kana("d", "ﾊﾅｺｻﾄｳ"),                          // no space: it cannot be split
            Split("e", "鈴木", "一郎", "スズキ", "イチロウ"),
        ]);
        var rules = BlockingRule.ForFiles.Select(r => r.Id).ToList();
        var (reading, postal) = (rules.IndexOf("reading"), rules.IndexOf("postal_initial"));

        var pairs = CandidatePairs.Find(records, BlockingRule.ForFiles, LinkMode.Dedupe);

        Assert.True(pairs.Blocks(reading, 0, 1));
        Assert.True(pairs.Blocks(reading, 0, 2));
        Assert.True(pairs.Blocks(reading, 0, 3));
        Assert.True(pairs.Blocks(reading, 1, 2));
        Assert.True(pairs.Blocks(postal, 0, 1));
        Assert.False(pairs.Blocks(reading, 0, 4));
        Assert.False(pairs.Blocks(postal, 0, 4));
        var found = Enumerable.Range(0, pairs.Count).Select(p => (pairs.Left[p], pairs.Right[p])).ToHashSet();
        Assert.Contains((0, 2), found);
        Assert.Contains((0, 3), found);

        // Compared as full names (not every record is split): the kana-only ones are the swapped name, not a different one.
        var name = Mimamori.Linkage.Comparisons.FieldComparisons.For(records).Single(c => c.Id == "name");
        Assert.Equal("swapped", name.Levels[name.Compare(records[0], records[2])]);
        Assert.Equal("swapped", name.Levels[name.Compare(records[3], records[0])]);
        Assert.Equal("different", name.Levels[name.Compare(records[0], records[4])]);
    }

    [Fact]
    public void Find_BlockOverTheLimit_IsSkippedAndCounted()
    {
        var birth = new DateOnly(1990, 1, 1);
        var records = Prepare(Enumerable.Range(0, 5).Select(i => Person("佐藤", $"名{i}", $"サトウ{i}", birth)));

        var pairs = CandidatePairs.Find(records, BlockingRule.ForFiles, LinkMode.Dedupe, maxBlock: 4);

        var byBirth = pairs.PerRule.Single(r => r.Rule == "birth_date");
        Assert.Equal(0, byBirth.Pairs);
        Assert.Equal(1, byBirth.SkippedBlocks);
    }

    [Fact]
    public void Measure_KnownTruth_GivesEachRulesShareOfTheTruePairs()
    {
        var birth = new DateOnly(1990, 1, 1);
        var records = Prepare(
        [
            Person("佐藤", "花子", "サトウハナコ", birth),
            Person("佐藤", "花子", "サトウハナコ", null),            // same name, no birth date
            Person("鈴木", "一郎", "スズキイチロウ", new DateOnly(1970, 5, 5)),
            Person("鈴木", "市郎", "スズキイチロー", new DateOnly(1970, 5, 5)), // same birth date and loose reading
            Person("田中", "健", "タナカケン", new DateOnly(2000, 2, 2)),
            Person("山田", "剛", "ヤマダツヨシ", new DateOnly(2001, 3, 3)), // the same person as 田中 健, nothing shared
        ]);
        int[] truth = [0, 0, 1, 1, 2, 2];
        var pairs = CandidatePairs.Find(records, BlockingRule.ForFiles, LinkMode.Dedupe);

        var recall = BlockingRecall.Measure(pairs, records, truth, LinkMode.Dedupe);

        var rules = BlockingRule.ForFiles.Select(r => r.Id).ToList();
        Assert.Equal("measured", recall.Kind);
        Assert.Equal(3, recall.MatchingPairs);
        Assert.Equal(2 / 3.0, recall.Union, 6);
        Assert.Equal(1 / 3.0, recall.PerRule[rules.IndexOf("birth_date")], 6);
        Assert.Equal(1 / 3.0, recall.PerRule[rules.IndexOf("name")], 6);
    }

    [Fact]
    public void Run_WithTruth_ReportsMeasuredRecallBeforeScoring()
    {
        var (records, truth) = SyntheticDedupeTests.Generate(people: 300, seed: 11);
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var labels = truth.Select(t => ids.TryGetValue(t, out var id) ? id : ids[t] = ids.Count).ToArray();
        IReadOnlyList<RuleCount>? before = null;

        var result = FileLinkage.Run(records, LinkMode.Dedupe, new FileLinkageOptions(Truth: labels, OnBlocked: r => before = r));

        Assert.NotNull(before);
        Assert.All(before, r => Assert.Equal("measured", r.RecallKind));
        Assert.All(result.Blocking, r => Assert.InRange(r.Recall, 0, 1));
        Assert.Equal("measured", result.BlockingRecallKind);
        Assert.True(result.BlockingRecall > 0.99, $"blocking recall {result.BlockingRecall}");
        Assert.DoesNotContain(result.Blocking, r => r.Rule == "identifier");
    }

    [Fact]
    public void Run_WithoutTruth_EstimatesRecallFromTheScoredPairs()
    {
        var (records, _) = SyntheticDedupeTests.Generate(people: 300, seed: 12);

        var result = FileLinkage.Run(records, LinkMode.Dedupe);

        Assert.Equal("estimated", result.BlockingRecallKind);
        Assert.All(result.Blocking, r => Assert.Equal("estimated", r.RecallKind));
        Assert.Contains(result.Blocking, r => r.Rule == "birth_date" && r.Recall > 0.5);
    }

    [Fact]
    public void Prepare_WithSharedCache_GivesTheSameKeysAsWithout()
    {
        var (records, _) = SyntheticDedupeTests.Generate(people: 200, seed: 3);
        var cache = new PreparedRecord.KeyCache();
        for (var i = 0; i < records.Count; i++)
        {
            var plain = PreparedRecord.Of(i, records[i]);
            var cached = PreparedRecord.Of(i, records[i], cache);
            Assert.Equal(plain.NameTokens, cached.NameTokens);
            Assert.Equal((plain.Name, plain.SortedName, plain.Family, plain.Given, plain.Reading, plain.LooseReading), (cached.Name, cached.SortedName, cached.Family, cached.Given, cached.Reading, cached.LooseReading));
            Assert.Equal((plain.FamilyReading, plain.GivenReading, plain.FamilyLooseReading, plain.GivenLooseReading, plain.Address, plain.PostalCode), (cached.FamilyReading, cached.GivenReading, cached.FamilyLooseReading, cached.GivenLooseReading, cached.Address, cached.PostalCode));
        }
    }

    [Fact]
    public void Resolve_CountsPairsPerRuleBeforeScoring_AndRecallAgainstTheSpineIsMeasured()
    {
        var birth = new DateOnly(2016, 6, 12);
        LinkRecord Record(long id, bool registry, string? atena, string family, string given, string kana, DateOnly? date) =>
            new(id, registry ? "jumin_legacy" : "komu_attendance", registry, atena, null, null, new PersonName(family, given, kana, string.Empty), date, Sex.Male, null);
        LinkRecord[] records =
        [
            Record(1, true, "0000000001", "渡辺", "翔太", "ワタナベショウタ", birth),
            Record(2, true, "0000000002", "佐藤", "健", "サトウケン", new DateOnly(1980, 1, 1)),
            Record(3, false, "0000000001", "渡邊", "翔太", "ワタナベショウタ", birth),
            Record(4, false, null, "佐藤", "健", "サトウケン", new DateOnly(1980, 1, 1)),
            Record(5, false, null, "佐藤", "健", "サトウケン", null),
        ];
        IReadOnlyList<RuleCount>? counted = null;

        var result = IdentityResolver.Resolve(records, LinkageModel.Default, c => counted = c);

        Assert.NotNull(counted);
        Assert.Equal(RegistryBlocking.Rules, counted.Select(c => c.Rule));
        Assert.Equal(result.Stats.CandidatePairs, counted.Sum(c => c.Pairs));
        var byAtena = counted.Single(c => c.Rule == "atena_no");
        Assert.Equal(1, byAtena.Pairs);

        // Record 5 is 佐藤 健 (truth p2) without a birth date: only the reading finds him.
        var truth = new Dictionary<long, string> { [1] = "p1", [2] = "p2", [3] = "p1", [4] = "p2", [5] = "p2" };
        var measured = result.SpineBlocking!.Recall(records, result, id => truth.GetValueOrDefault(id));
        Assert.Equal("measured", measured.Kind);
        Assert.Equal(3, measured.MatchingPairs);
        Assert.Equal(1, measured.Union, 6);
        var rules = RegistryBlocking.Rules.ToList();
        Assert.Equal(2 / 3.0, measured.PerRule[rules.IndexOf("birth_date_family_reading")], 6);
        Assert.Equal(2 / 3.0, measured.PerRule[rules.IndexOf("birth_date_family_name")], 6);
        Assert.Equal(2 / 3.0, measured.PerRule[rules.IndexOf("reading_month_day")], 6);
        Assert.Equal(1 / 3.0, measured.PerRule[rules.IndexOf("reading_without_birth_date")], 6);

        var estimated = result.SpineBlocking.Recall(records, result, null);
        Assert.Equal("estimated", estimated.Kind);
        Assert.Equal(1, estimated.Union, 6);
    }
}
