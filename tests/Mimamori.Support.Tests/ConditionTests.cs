using System.Text.Json;
using Mimamori.Needs.Indicators;
using Mimamori.Support.Programs;

namespace Mimamori.Support.Tests;

/// <summary>Hand-made households for the eligibility rules: members with an age, a school grade and facts.</summary>
internal static class Households
{
    private static long nextId = 1;

    public static MemberFacts Member(int age, params (string Kind, string Text)[] facts) => Member(age, null, facts);

    public static MemberFacts Member(int age, int? grade, params (string Kind, string Text)[] facts)
    {
        var id = Interlocked.Increment(ref nextId);
        var items = facts.Select((f, i) => new FactItem("test", (id * 100) + i, f.Kind, null, f.Text,
            double.TryParse(f.Text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null)).ToList();
        return new MemberFacts(id, age, grade ?? (age is >= 6 and <= 14 ? age - 5 : null), string.Empty, items);
    }

    public static HouseholdFacts Of(params MemberFacts[] members) => new("H" + Interlocked.Increment(ref nextId), members);

    public static Condition Parse(string json) => JsonSerializer.Deserialize<Condition>(json)!;
}

public sealed class ConditionTests
{
    private static bool Holds(string json, HouseholdFacts household, List<string>? reasons = null) =>
        UnclaimedFinder.Holds(Households.Parse(json), household, reasons ?? []);

    [Fact]
    public void Not_HoldsWhenTheInnerConditionDoesNot()
    {
        var exempt = Households.Of(Households.Member(35, ("tax.hikazei", "true")), Households.Member(4));
        var taxed = Households.Of(Households.Member(35, ("tax.hikazei", "false")), Households.Member(4));
        const string rule = """{"not": {"member_fact": {"kind": "tax.hikazei", "equals": "true"}}}""";
        Assert.False(Holds(rule, exempt));
        Assert.True(Holds(rule, taxed));
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(3, true)]
    [InlineData(4, false)]
    public void Children_CountsMembersUnder18WithinTheRange(int children, bool expected)
    {
        var members = new List<MemberFacts> { Households.Member(40), Households.Member(18) };
        members.AddRange(Enumerable.Range(0, children).Select(i => Households.Member(i + 2)));
        var reasons = new List<string>();
        Assert.Equal(expected, Holds("""{"children": {"min": 2, "max": 3}}""", Households.Of([.. members]), reasons));
        Assert.Equal(expected, reasons.Contains($"世帯の18歳未満のこどもが{children}人"));
    }

    [Fact]
    public void Members_CountsEveryoneAndAnOpenBoundIsNoLimit()
    {
        var three = Households.Of(Households.Member(40), Households.Member(38), Households.Member(7));
        Assert.True(Holds("""{"members": {"min": 3}}""", three));
        Assert.False(Holds("""{"members": {"min": 4}}""", three));
        Assert.True(Holds("""{"members": {"max": 3}}""", three));
        Assert.False(Holds("""{"members": {"max": 2}}""", three));
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("2", true)]
    [InlineData("3", false)]
    [InlineData("", false)]
    public void AtMost_ComparesTheIncomeBandAsANumber(string band, bool expected)
    {
        var household = Households.Of(Households.Member(35, ("tax.income_band", band)), Households.Member(3));
        Assert.Equal(expected, Holds("""{"member_fact": {"kind": "tax.income_band", "at_most": 2, "ages": [18, 120]}}""", household));
    }

    [Theory]
    [InlineData("8", false)]
    [InlineData("9", true)]
    [InlineData("14", true)]
    [InlineData("not recorded", false)]
    public void AtLeast_ComparesAScoreAsANumber(string score, bool expected)
    {
        var household = Households.Of(Households.Member(31, ("maternal.epds_score", score)), Households.Member(0));
        Assert.Equal(expected, Holds("""{"member_fact": {"kind": "maternal.epds_score", "at_least": 9}}""", household));
    }

    [Fact]
    public void HasMemberWithFacts_NeedsAllTheFactsOnOneMemberOfTheAge()
    {
        const string rule = """
            {"has_member": {"ages": [0, 17], "facts": [
              {"kind": "disability.kind", "equals": "physical_certificate"},
              {"kind": "disability.grade", "in": ["1級", "2級", "3級"]}]}}
            """;
        var child = Households.Of(Households.Member(40), Households.Member(9, ("disability.kind", "physical_certificate"), ("disability.grade", "2級")));
        var milder = Households.Of(Households.Member(40), Households.Member(9, ("disability.kind", "physical_certificate"), ("disability.grade", "5級")));
        var adult = Households.Of(Households.Member(40, ("disability.kind", "physical_certificate"), ("disability.grade", "1級")), Households.Member(9));
        var split = Households.Of(Households.Member(12, ("disability.kind", "physical_certificate")), Households.Member(9, ("disability.grade", "1級")));
        var reasons = new List<string>();
        Assert.True(Holds(rule, child, reasons));
        Assert.Contains("disability.grade = 2級（test）", reasons);
        Assert.False(Holds(rule, milder));
        Assert.False(Holds(rule, adult));
        Assert.False(Holds(rule, split));
    }

    [Fact]
    public void Any_KeepsOnlyTheReasonsOfTheBranchThatHeld()
    {
        const string rule = """
            {"any": [
              {"all": [{"adults": {"count": 2}}, {"member_fact": {"kind": "tax.hikazei", "equals": "true"}}]},
              {"member_fact": {"kind": "welfare.seikatsu_hogo_since"}}]}
            """;
        var household = Households.Of(Households.Member(40), Households.Member(38), Households.Member(5, ("welfare.seikatsu_hogo_since", "2024-01-01")));
        var reasons = new List<string>();
        Assert.True(Holds(rule, household, reasons));
        Assert.Equal(["welfare.seikatsu_hogo_since = 2024-01-01（test）"], reasons);
    }

    [Fact]
    public void ExistingCatalogJson_StillReadsTheSame()
    {
        // The two programs of the first catalog, as a municipality may still have them: no new keys, same answers.
        const string json = """
            {"version": "old", "programs": [{"id": "jido_fuyo", "eligibility": {"all": [{"adults": {"count": 1}}, {"has_member": {"ages": [0, 17]}},
              {"any": [{"member_fact": {"kind": "tax.hikazei", "equals": "true", "ages": [18, 120]}},
                       {"member_fact": {"kind": "tax.income_band", "in": ["1", "2"], "ages": [18, 120]}}]}]},
              "claimed": {"member_fact": {"kind": "allowance.jido_fuyo_since"}}}]}
            """;
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));
        var catalog = ProgramCatalog.Load(stream);
        Assert.True(catalog.Programs[0].DeterminedByData);
        var found = UnclaimedFinder.Find(catalog, [Households.Of(Households.Member(33, ("tax.income_band", "2")), Households.Member(6))]);
        Assert.Equal("jido_fuyo", Assert.Single(found).Program);
    }
}
