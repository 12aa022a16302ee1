using Mimamori.Kernel.People;
using Mimamori.Linkage.Clustering;
using Mimamori.Linkage.Records;
using Mimamori.Linkage.Scoring;

namespace Mimamori.Linkage.Tests;

public sealed class ReviewDecisionsTests
{
    private static readonly DateOnly Birth = new(2016, 6, 12);

    private static LinkRecord Registry(long id, string atena, string family, string given, string familyKana, string givenKana, DateOnly? birth = null) =>
        new(id, "jumin_legacy", true, atena, "H1", "03", new PersonName(family, given, familyKana, givenKana), birth ?? Birth, Sex.Male, "上戸田一丁目2番3号");

    private static LinkRecord Other(long id, string? atena, string family, string given, string familyKana, string givenKana, DateOnly? birth = null, string source = "komu_attendance") =>
        new(id, source, false, atena, null, null, new PersonName(family, given, familyKana, givenKana), birth ?? Birth, Sex.Male, null);

    private static Dictionary<long, int> PersonOf(LinkResult r) => r.Assignments.ToDictionary(a => a.RecordId, a => a.Person);

    [Fact]
    public void Apply_AcceptedPair_JoinsTheRecordToTheRegistryPerson()
    {
        // Same reading and birth date, different kanji and a second candidate nearby: the model leaves record 3 apart.
        List<LinkRecord> records =
        [
            Registry(1, "0000000001", "高橋", "悠真", "ﾀｶﾊｼ", "ﾕｳﾏ"),
            Other(3, null, "髙橋", "悠馬", "タカハシ", "ユウマ", new DateOnly(2016, 6, 21)),
        ];
        var result = IdentityResolver.Resolve(records, LinkageModel.Default);
        Assert.NotEqual(PersonOf(result)[1], PersonOf(result)[3]);

        var outcome = ReviewDecisions.Apply(result, records, [new LinkDecision(3, 1, Same: true)]);

        var personOf = PersonOf(outcome.Result);
        Assert.Equal(personOf[1], personOf[3]);
        Assert.Equal(1, outcome.Merged);
        Assert.Single(outcome.Result.Persons);
        Assert.True(outcome.Result.Persons.Single().Representative.IsRegistry);
        Assert.Equal(ReviewDecisions.Method, outcome.Result.Assignments.Single(a => a.RecordId == 3).Method);
    }

    [Fact]
    public void Apply_RejectedPair_SplitsALinkTheModelMadeWithAllRowsOfThatIdentity()
    {
        List<LinkRecord> records =
        [
            Registry(1, "0000000001", "渡辺", "翔太", "ﾜﾀﾅﾍﾞ", "ｼｮｳﾀ"),
            Other(2, null, "渡邊", "翔太", "わたなべ", "しょうた"),
            Other(3, null, "渡邊", "翔太", "わたなべ", "しょうた"),
        ];
        var result = IdentityResolver.Resolve(records, LinkageModel.Default);
        Assert.Single(result.Persons);

        var outcome = ReviewDecisions.Apply(result, records, [new LinkDecision(1, 2, Same: false)]);

        var personOf = PersonOf(outcome.Result);
        Assert.NotEqual(personOf[1], personOf[2]);
        Assert.Equal(personOf[2], personOf[3]);
        Assert.Equal(2, outcome.Result.Persons.Count);
        Assert.Equal(1, outcome.Split);
        Assert.Equal("registry", outcome.Result.Assignments.Single(a => a.RecordId == 1).Method);
    }

    [Fact]
    public void Apply_AcceptanceThatWouldJoinARejectedPair_IsNotApplied()
    {
        List<LinkRecord> records =
        [
            Registry(1, "0000000001", "佐藤", "一郎", "ｻﾄｳ", "ｲﾁﾛｳ", new DateOnly(1980, 1, 1)),
            Registry(2, "0000000002", "鈴木", "花子", "ｽｽﾞｷ", "ﾊﾅｺ", new DateOnly(1990, 5, 5)),
            Other(3, null, "田中", "次郎", "タナカ", "ジロウ", new DateOnly(2001, 2, 3)),
        ];
        var result = IdentityResolver.Resolve(records, LinkageModel.Default);
        Assert.Equal(3, result.Persons.Count);

        var outcome = ReviewDecisions.Apply(
            result,
            records,
            [new LinkDecision(3, 1, Same: true), new LinkDecision(3, 2, Same: true), new LinkDecision(1, 2, Same: false)]);

        var personOf = PersonOf(outcome.Result);
        Assert.Equal(personOf[1], personOf[3]);
        Assert.NotEqual(personOf[1], personOf[2]);
        Assert.Equal(1, outcome.Contradicted);
    }

    [Fact]
    public void Apply_DecidedPairs_LeaveTheReviewQueueAndUnknownRecordsAreIgnored()
    {
        List<LinkRecord> records =
        [
            Registry(1, "0000000001", "田中", "一郎", "ﾀﾅｶ", "ｲﾁﾛｳ"),
            Other(2, "0000000001", "鈴木", "花", "スズキ", "ハナ", new DateOnly(1980, 1, 1)),
        ];
        var result = IdentityResolver.Resolve(records, LinkageModel.Default);
        var pair = Assert.Single(result.Review);
        Assert.Equal(IdentityResolver.NumberConflictReason, pair.Reason);

        var outcome = ReviewDecisions.Apply(result, records, [new LinkDecision(2, 1, Same: false), new LinkDecision(2, 99, Same: true)]);

        Assert.Empty(outcome.Result.Review);
        Assert.Equal(0, outcome.Result.Stats.Review);
        Assert.Equal(0, outcome.Merged + outcome.Split);
        Assert.Equal(2, outcome.Result.Persons.Count);
    }

    [Fact]
    public void Resolve_NumberOfSomebodyElse_IsFlaggedForReviewWhateverTheWeight()
    {
        // Under this model the shared number alone would outweigh a different name and birth date.
        var trusting = LinkageModel.Default with
        {
            Comparisons = [.. LinkageModel.Default.Comparisons.Select(c => c.Id == "atena_no" ? c with { Levels = [new("agree", 0.999999, 1e-12), new("disagree", 0.000001, 0.999999), new("missing", 1, 1)] } : c)],
        };
        var result = IdentityResolver.Resolve(
            [Registry(1, "0000000001", "田中", "一郎", "ﾀﾅｶ", "ｲﾁﾛｳ"), Other(2, "0000000001", "鈴木", "花", "スズキ", "ハナ", new DateOnly(1980, 1, 1))],
            trusting);

        Assert.Equal(2, result.Persons.Count);
        Assert.Equal("new", result.Assignments.Single(a => a.RecordId == 2).Method);
        var pair = Assert.Single(result.Review);
        Assert.Equal((2L, 1L), (pair.RecordId, pair.CandidateRecordId));
        Assert.Equal(IdentityResolver.NumberConflictReason, pair.Reason);
    }
}
