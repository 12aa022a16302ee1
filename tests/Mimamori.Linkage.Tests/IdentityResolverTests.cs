using Mimamori.Kernel.People;
using Mimamori.Linkage.Clustering;
using Mimamori.Linkage.Comparisons;
using Mimamori.Linkage.Evaluation;
using Mimamori.Linkage.Records;
using Mimamori.Linkage.Scoring;

namespace Mimamori.Linkage.Tests;

public sealed class IdentityResolverTests
{
    private static readonly DateOnly Birth = new(2016, 6, 12);

    private static LinkRecord Registry(long id, string atena, string family, string given, string familyKana, string givenKana, DateOnly? birth = null, Sex sex = Sex.Male) =>
        new(id, "jumin_legacy", true, atena, "H1", "03", new PersonName(family, given, familyKana, givenKana), birth ?? Birth, sex, "上戸田一丁目2番3号");

    private static LinkRecord Other(long id, string? atena, string family, string given, string familyKana, string givenKana, DateOnly? birth = null, Sex sex = Sex.Male) =>
        new(id, "komu_attendance", false, atena, null, null, new PersonName(family, given, familyKana, givenKana), birth ?? Birth, sex, null);

    [Fact]
    public void Resolve_VariantKanjiAndHalfWidthKanaWithoutNumber_LinksToTheRegistryPerson()
    {
        var result = IdentityResolver.Resolve(
            [Registry(1, "0000000001", "渡辺", "翔太", "ﾜﾀﾅﾍﾞ", "ｼｮｳﾀ"), Other(2, null, "渡邊", "翔太", "わたなべ", "しょうた")],
            LinkageModel.Default);
        Assert.Single(result.Persons);
        Assert.Equal("probabilistic", result.Assignments.Single(a => a.RecordId == 2).Method);
    }

    [Fact]
    public void Resolve_Twins_StayTwoPeople()
    {
        var result = IdentityResolver.Resolve(
            [
                Registry(1, "0000000001", "佐藤", "陽翔", "ｻﾄｳ", "ﾊﾙﾄ"),
                Registry(2, "0000000002", "佐藤", "陽菜", "ｻﾄｳ", "ﾋﾅ", sex: Sex.Female),
                Other(3, null, "佐藤", "陽菜", "サトウ", "ヒナ", sex: Sex.Female),
                Other(4, null, "佐藤", "陽翔", "サトウ", "ハルト"),
            ],
            LinkageModel.Default);
        Assert.Equal(2, result.Persons.Count);
        var personOf = result.Assignments.ToDictionary(a => a.RecordId, a => a.Person);
        Assert.Equal(personOf[1], personOf[4]);
        Assert.Equal(personOf[2], personOf[3]);
    }

    [Fact]
    public void Resolve_ReusedNumberOnADifferentPerson_IsNotLinked()
    {
        var result = IdentityResolver.Resolve(
            [Registry(1, "0000000001", "田中", "一郎", "ﾀﾅｶ", "ｲﾁﾛｳ"), Other(2, "0000000001", "鈴木", "花", "スズキ", "ハナ", new DateOnly(1980, 1, 1), Sex.Female)],
            LinkageModel.Default);
        Assert.Equal(2, result.Persons.Count);
        Assert.Equal("new", result.Assignments.Single(a => a.RecordId == 2).Method);
    }

    [Fact]
    public void Resolve_UnregisteredChildInTwoFeeds_BecomesOneNewPerson()
    {
        var result = IdentityResolver.Resolve(
            [Registry(1, "0000000001", "田中", "一郎", "ﾀﾅｶ", "ｲﾁﾛｳ", new DateOnly(1980, 1, 1)), Other(2, null, "グエン", "アン", "グエン", "アン"), Other(3, null, "グエン", "アン", "ぐえん", "あん")],
            LinkageModel.Default);
        Assert.Equal(2, result.Persons.Count);
        var personOf = result.Assignments.ToDictionary(a => a.RecordId, a => a.Person);
        Assert.Equal(personOf[2], personOf[3]);
    }

    [Fact]
    public void Explain_TotalIsTheSumOfContributions()
    {
        var scorer = new PairScorer(LinkageModel.Default);
        var a = Registry(1, "0000000001", "高橋", "花子", "ﾀｶﾊｼ", "ﾊﾅｺ");
        var b = Other(2, "0000000001", "髙橋", "花子", "タカハシ", "ハナコ");
        var explanation = scorer.Explain(a, LinkKeys.Of(a), b, LinkKeys.Of(b));
        Assert.Equal(explanation.Contributions.Sum(c => c.Weight), explanation.Total, 6);
        Assert.Equal("folded", explanation.Contributions.Single(c => c.Comparison == "name").Level);
        Assert.Equal(scorer.Score(a, LinkKeys.Of(a), b, LinkKeys.Of(b)), explanation.Total, 6);
    }

    [Theory]
    [InlineData("2016-06-12", "2016-06-12", "exact")]
    [InlineData("2016-06-12", "2016-06-13", "one_digit")]
    [InlineData("2016-06-12", "2016-12-06", "day_month_swap")]
    [InlineData("2016-06-12", "2016-06-28", "year_month")]
    [InlineData("2016-06-12", "2011-01-30", "different")]
    public void BirthDate_IsPutOnTheRightLevel(string a, string b, string level) =>
        Assert.Equal(level, PairComparer.BirthDate(DateOnly.Parse(a, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(b, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void PairwiseAccuracy_CountsPairsFromTheContingencyTable()
    {
        // Truth: {a,b,c} {d}; predicted: {a,b} {c,d}. True pairs 3, predicted 2, true positives 1.
        var accuracy = PairwiseAccuracy.Of([(1, "x"), (1, "x"), (2, "x"), (2, "y")]);
        Assert.Equal((1L, 2L, 3L), (accuracy.TruePositives, accuracy.PredictedPairs, accuracy.TruePairs));
        Assert.Equal(0.5, accuracy.Precision);
        Assert.Equal(1.0 / 3, accuracy.Recall, 6);
    }

    [Fact]
    public void ExplainJson_IsTheExplanationsJson_SharedBetweenPairsOnTheSameLevels()
    {
        var scorer = new PairScorer(LinkageModel.Default);
        var registry = Registry(1, "0000000001", "渡辺", "翔太", "ワタナベ", "ショウタ");
        LinkRecord[] others =
        [
            Other(2, null, "渡邊", "翔太", "わたなべ", "しょうた"),
            Other(3, "0000000001", "渡辺", "翔太", "ワタナベ", "ショウタ", Birth.AddDays(1), Sex.Female),
            Other(4, "0000000009", "佐藤", "健", "サトウ", "ケン", new DateOnly(1980, 1, 1)),
            Other(5, null, "渡辺", "翔太", string.Empty, string.Empty, null, Sex.Unknown),
            Other(6, null, "渡邊", "翔太", "わたなべ", "しょうた"),
        ];
        var k = LinkKeys.Of(registry);

        var json = others.Select(o => scorer.ExplainJson(o, LinkKeys.Of(o), registry, k)).ToList();

        for (var i = 0; i < others.Length; i++)
        {
            Assert.Equal(scorer.Explain(others[i], LinkKeys.Of(others[i]), registry, k).ToJson(), json[i]);
        }

        Assert.Equal(4, json.Distinct().Count());
        Assert.Same(json[0], json[4]);
    }
}
