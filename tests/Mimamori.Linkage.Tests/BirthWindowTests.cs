using Mimamori.Kernel.People;
using Mimamori.Linkage.Clustering;
using Mimamori.Linkage.Comparisons;
using Mimamori.Linkage.Records;
using Mimamori.Linkage.Scoring;

namespace Mimamori.Linkage.Tests;

/// <summary>Records without a birth date whose source bounds it (an age, a consultation about a child).</summary>
public sealed class BirthWindowTests
{
    private static readonly BirthWindow Child = BirthWindow.OfAges(new DateOnly(2025, 10, 1), 0, 18)!.Value;

    private static LinkRecord Registry(long id, string atena, DateOnly birth, string address) =>
        new(id, "jumin_legacy", true, atena, "H" + atena, "01", new PersonName("石井", "正之", "イシイ", "マサユキ"), birth, Sex.Male, address);

    /// <summary>A consultation that names the child and nothing else.</summary>
    private static LinkRecord NameOnly(long id, BirthWindow? window) =>
        new(id, "katei_sodan", false, null, null, null, new PersonName("石井", "正之", "イシイ", "マサユキ"), null, Sex.Unknown, null) { BirthWindow = window };

    private static LinkRecord[] ChildAndAdultNamesake(BirthWindow? window) =>
    [
        Registry(1, "0000000001", new DateOnly(2012, 2, 23), "上戸田一丁目2番3号"),
        Registry(2, "0000000002", new DateOnly(1975, 9, 1), "新曽南三丁目1番1号"),
        NameOnly(3, window),
    ];

    [Fact]
    public void Resolve_NameOnlyRecordWithoutWindow_TiesWithTheAdultNamesake_AndBecomesANewPerson()
    {
        var result = IdentityResolver.Resolve(ChildAndAdultNamesake(null), LinkageModel.Default);
        Assert.Equal("new", result.Assignments.Single(a => a.RecordId == 3).Method);
        Assert.Contains(result.Review, r => r.RecordId == 3 && r.Reason == "two candidates score alike");
    }

    [Fact]
    public void Resolve_NameOnlyRecordWithAChildsWindow_LinksToTheChild()
    {
        var result = IdentityResolver.Resolve(ChildAndAdultNamesake(Child), LinkageModel.Default);
        var personOf = result.Assignments.ToDictionary(a => a.RecordId, a => a.Person);
        Assert.Equal(personOf[1], personOf[3]);
        Assert.NotEqual(personOf[2], personOf[3]);
        Assert.Equal("probabilistic", result.Assignments.Single(a => a.RecordId == 3).Method);
        Assert.DoesNotContain(result.Review, r => r.RecordId == 3);
    }

    [Fact]
    public void Resolve_WindowThatHoldsNeitherNamesake_LinksNobody()
    {
        var adultsOnly = BirthWindow.OfAges(new DateOnly(2025, 10, 1), 30, 40);
        var records = new[] { Registry(1, "0000000001", new DateOnly(2012, 2, 23), "上戸田一丁目2番3号"), NameOnly(3, adultsOnly) };
        var result = IdentityResolver.Resolve(records, LinkageModel.Default);
        Assert.Equal("new", result.Assignments.Single(a => a.RecordId == 3).Method);
    }

    [Fact]
    public void BirthDate_OutsideTheWindow_IsItsOwnLevel_InsideIsMissing_EitherWayRound()
    {
        var child = Registry(1, "0000000001", new DateOnly(2012, 2, 23), "x");
        var adult = Registry(2, "0000000002", new DateOnly(1975, 9, 1), "x");
        var windowed = NameOnly(3, Child);
        Assert.Equal("missing", PairComparer.BirthDate(windowed, child));
        Assert.Equal(PairComparer.OutsideWindow, PairComparer.BirthDate(windowed, adult));
        Assert.Equal(PairComparer.OutsideWindow, PairComparer.BirthDate(adult, windowed));
        Assert.Equal("missing", PairComparer.BirthDate(NameOnly(4, null), adult));
        Assert.Equal("missing", PairComparer.BirthDate(windowed, NameOnly(5, Child)));
    }

    [Fact]
    public void Explain_OutsideWindow_IsShownAsSuch_WithTheWeightOfADifferentBirthDate()
    {
        var model = LinkageModel.Default;
        var scorer = new PairScorer(model);
        var adult = Registry(2, "0000000002", new DateOnly(1975, 9, 1), "x");
        var windowed = NameOnly(3, Child);
        var explanation = scorer.Explain(windowed, LinkKeys.Of(windowed), adult, LinkKeys.Of(adult));
        var birth = explanation.Contributions.Single(c => c.Comparison == "birth_date");
        Assert.Equal(PairComparer.OutsideWindow, birth.Level);
        Assert.Equal(model.Comparison("birth_date").Level("different").Weight, birth.Weight, 9);
        Assert.Equal(explanation.Total, scorer.Score(windowed, LinkKeys.Of(windowed), adult, LinkKeys.Of(adult)), 9);
        Assert.Contains("\"level\":\"outside_window\"", scorer.ExplainJson(windowed, LinkKeys.Of(windowed), adult, LinkKeys.Of(adult)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-03-31", 9, 0, "2016-04-01", "2017-03-31")]
    [InlineData("2026-03-31", 9, 1, "2015-04-01", "2018-03-31")]
    [InlineData("2024-02-29", 0, 0, "2023-03-01", "2024-02-29")]
    public void OfAge_IsTheDaysSomeoneOfThatAgeWasBornOn(string on, int age, int slack, string from, string to)
    {
        var window = BirthWindow.OfAge(DateOnly.Parse(on, System.Globalization.CultureInfo.InvariantCulture), age, slack)!.Value;
        Assert.Equal(DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture), window.From);
        Assert.Equal(DateOnly.Parse(to, System.Globalization.CultureInfo.InvariantCulture), window.To);
    }

    [Fact]
    public void Intersect_KeepsTheCommonDays_AndIsNullWhenThereAreNone()
    {
        var a = new BirthWindow(new DateOnly(2010, 1, 1), new DateOnly(2015, 12, 31));
        var b = new BirthWindow(new DateOnly(2014, 1, 1), new DateOnly(2020, 12, 31));
        Assert.Equal(new BirthWindow(new DateOnly(2014, 1, 1), new DateOnly(2015, 12, 31)), BirthWindow.Intersect(a, b));
        Assert.Null(BirthWindow.Intersect(a, new BirthWindow(new DateOnly(2016, 1, 1), new DateOnly(2017, 1, 1))));
        Assert.Equal(a, BirthWindow.Intersect(a, null));
    }
}
