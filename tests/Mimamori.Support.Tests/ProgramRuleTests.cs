using Mimamori.Ingestion.Specs;
using Mimamori.Privacy.Access;
using Mimamori.Support.Programs;
using static Mimamori.Support.Tests.Households;

namespace Mimamori.Support.Tests;

/// <summary>
/// Each program of the catalog on hand-made households: one it finds unclaimed, the same household once it receives
/// the program, and one the rule leaves out.
/// </summary>
public sealed class ProgramRuleTests
{
    private static readonly (string, string) Exempt = ("tax.hikazei", "true");
    private static readonly (string, string) Band1 = ("tax.income_band", "1");
    private static readonly (string, string) Band4 = ("tax.income_band", "4");
    private static readonly (string, string) Welfare = ("welfare.seikatsu_hogo_since", "2023-05-01");

    public static TheoryData<string, string> Cases() => new()
    {
        { "shugaku_enjo", "pupil in an exempt household" },
        { "jido_fuyo", "one adult on a low income with a child" },
        { "jido_teate", "any child" },
        { "hitorioya_iryo", "one adult on a low income with a child" },
        { "kodomo_iryo", "any child" },
        { "hoikuryo_genmen", "a 3号 child of a single parent on a low income" },
        { "tokubetsu_jido_fuyo", "a child with a 療育手帳" },
        { "shogaiji_tsusho", "a child with a 療育手帳" },
        { "gakushu_shien", "a 中学生 in a household on 生活保護" },
        { "yoiku_shien_homon", "a child after a consultation about upbringing" },
        { "sango_care", "a baby" },
        { "kodomo_shokudo", "a pupil with one adult" },
        { "food_pantry", "a child in an exempt household" },
    };

    /// <summary>The household each program should find, the fact that shows it receives the program, and one it leaves out.</summary>
    private static (HouseholdFacts Eligible, (string Kind, string Text) Claim, HouseholdFacts Outside) Example(string program) => program switch
    {
        "shugaku_enjo" => (Of(Member(38, Exempt), Member(10)), ("education.shugaku_enjo", "jun_yohogo"), Of(Member(38, Band4), Member(10))),
        "jido_fuyo" => (Of(Member(34, Band1), Member(8)), ("allowance.jido_fuyo_since", "2022-04-01"), Of(Member(34, Band1), Member(36, Band4), Member(8))),
        "jido_teate" => (Of(Member(34, Band4), Member(2)), ("teate.role", "child"), Of(Member(70), Member(68))),
        "hitorioya_iryo" => (Of(Member(29, Exempt), Member(1)), ("subsidy.hitorioya_iryo_card", "HI00001"), Of(Member(29, Band4), Member(1))),
        "kodomo_iryo" => (Of(Member(40), Member(17)), ("subsidy.kodomo_iryo_card", "K0000001"), Of(Member(40), Member(18))),
        "hoikuryo_genmen" => (Of(Member(27, Band1), Member(1, ("childcare.certification", "3"))), ("childcare.fee_reduction", "single_parent"),
            Of(Member(27, Band1), Member(4, ("childcare.certification", "2")))),
        "tokubetsu_jido_fuyo" => (Of(Member(42), Member(7, ("disability.kind", "intellectual_certificate"))), ("allowance.tokubetsu_jido_fuyo", "receiving"),
            Of(Member(42, ("disability.kind", "intellectual_certificate")), Member(7))),
        "shogaiji_tsusho" => (Of(Member(42), Member(4, ("disability.kind", "intellectual_certificate"))), ("disability.kind", "child_development_support"),
            Of(Member(42), Member(4, ("disability.kind", "physical_certificate")))),
        "gakushu_shien" => (Of(Member(45, Welfare), Member(13)), ("npo.study_support", "true"), Of(Member(45, Welfare), Member(10))),
        "yoiku_shien_homon" => (Of(Member(30), Member(3, ("cw.consultation_type", "parenting"))), ("cw.home_visit", "ongoing"),
            Of(Member(30), Member(3, ("cw.consultation_type", "school_refusal")))),
        "sango_care" => (Of(Member(31), Member(0)), ("maternal.sango_care", "used"), Of(Member(31), Member(1))),
        "kodomo_shokudo" => (Of(Member(36, Band4), Member(9)), ("npo.visits", "5"), Of(Member(36, Band4), Member(38, Band4), Member(9))),
        "food_pantry" => (Of(Member(50, Exempt), Member(38), Member(12)), ("npo.food_pantry", "true"), Of(Member(50, Band4), Member(38), Member(12))),
        _ => throw new ArgumentException(program),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Rule_FindsTheEligibleHousehold_NotOnceItReceivesTheProgram_NorOneOutside(string programId, string description)
    {
        var program = Program(programId);
        var (eligible, claim, outside) = Example(programId);
        var reasons = new List<string>();
        Assert.True(UnclaimedFinder.Holds(program.Eligibility, eligible, reasons), description);
        Assert.NotEmpty(reasons);
        Assert.False(UnclaimedFinder.Holds(program.Claimed, eligible, []));
        Assert.False(UnclaimedFinder.Holds(program.Eligibility, outside, []), $"{programId}: the household outside the rule was found");

        var catalog = new ProgramCatalog { Programs = [program] };
        var found = Assert.Single(UnclaimedFinder.Find(catalog, [eligible, outside]));
        Assert.Equal(eligible.HouseholdNo, found.HouseholdNo);

        // The same family once a department's records show the program: nothing to offer.
        var claimed = eligible with
        {
            Members = [.. eligible.Members.Select((m, i) => i == eligible.Members.Count - 1 ? m with { Facts = [.. m.Facts, new("test", 1, claim.Kind, null, claim.Text, null)] } : m)],
        };
        Assert.Empty(UnclaimedFinder.Find(catalog, [claimed]));
    }

    [Fact]
    public void HoikuFeeReduction_OnPublicAssistanceEvenWithTwoAdults()
    {
        var program = Program("hoikuryo_genmen");
        var household = Of(Member(33, Welfare), Member(31), Member(2, ("childcare.certification", "3")));
        Assert.True(UnclaimedFinder.Holds(program.Eligibility, household, []));
        Assert.False(UnclaimedFinder.Holds(program.Eligibility, Of(Member(33, Band4), Member(31), Member(2, ("childcare.certification", "3"))), []));
    }

    [Fact]
    public void SpecialAllowance_CountsOnlyTheHigherGradesOfThePhysicalCertificate()
    {
        var program = Program("tokubetsu_jido_fuyo");
        Assert.True(UnclaimedFinder.Holds(program.Eligibility, Of(Member(40), Member(5, ("disability.kind", "physical_certificate"), ("disability.grade", "3級"))), []));
        Assert.False(UnclaimedFinder.Holds(program.Eligibility, Of(Member(40), Member(5, ("disability.kind", "physical_certificate"), ("disability.grade", "4級"))), []));
    }

    [Fact]
    public void HomeVisits_AlsoOfferedAfterAHighPostnatalScore()
    {
        var program = Program("yoiku_shien_homon");
        Assert.True(UnclaimedFinder.Holds(program.Eligibility, Of(Member(29, ("maternal.epds_score", "12")), Member(0)), []));
        Assert.False(UnclaimedFinder.Holds(program.Eligibility, Of(Member(29, ("maternal.epds_score", "5")), Member(0)), []));
    }

    [Fact]
    public void Catalog_HasEveryProgramOfTheIssueWithWhereAndHowToApply()
    {
        string[] expected =
        [
            "shugaku_enjo", "jido_fuyo", "jido_teate", "hitorioya_iryo", "kodomo_iryo", "hoikuryo_genmen", "tokubetsu_jido_fuyo", "shogaiji_tsusho",
            "gakushu_shien", "yoiku_shien_homon", "sango_care", "kodomo_shokudo", "food_pantry",
        ];
        Assert.Equal(expected, ProgramCatalog.Default.Programs.Select(p => p.Id));
        Assert.Equal(expected, Cases().Select(c => (string)c[0]));
        Assert.All(ProgramCatalog.Default.Programs, p =>
        {
            Assert.False(string.IsNullOrWhiteSpace(p.Ja));
            Assert.False(string.IsNullOrWhiteSpace(p.En));
            Assert.False(string.IsNullOrWhiteSpace(p.ApplyWith));
            Assert.False(string.IsNullOrWhiteSpace(p.Where));
            Assert.False(string.IsNullOrWhiteSpace(p.Contact));
        });
    }

    [Fact]
    public void ProgramsTheDataCannotDecide_SayWhatTheDataCannotSee()
    {
        var undetermined = ProgramCatalog.Default.Programs.Where(p => !p.DeterminedByData).ToList();
        Assert.Contains(undetermined, p => p.Id == "sango_care");
        Assert.Contains(undetermined, p => p.Id == "kodomo_shokudo");
        Assert.Contains(undetermined, p => p.Id == "yoiku_shien_homon");
        Assert.All(undetermined, p =>
        {
            Assert.False(string.IsNullOrWhiteSpace(p.UndeterminedReason?.Ja), p.Id);
            Assert.False(string.IsNullOrWhiteSpace(p.UndeterminedReason?.En), p.Id);
        });
        Assert.All(ProgramCatalog.Default.Programs.Where(p => p.DeterminedByData), p => Assert.Null(p.UndeterminedReason));
    }

    [Fact]
    public void EveryFactARuleUses_ComesFromAFeedWhoseCategoryTheTransparencyPageLists()
    {
        // The public page lists each category with its feeds; a rule over a fact no listed feed provides would use data
        // the page does not tell residents about.
        var policy = AccessPolicy.Default;
        var categories = policy.Categories.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var factCategory = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "data", "feeds"), "*.json"))
        {
            var (spec, errors) = FeedSpecLoader.Parse(File.ReadAllText(file), file, categories);
            Assert.Empty(errors);
            foreach (var column in spec!.Columns.Where(c => c.Fact is not null))
            {
                factCategory.TryAdd(column.Fact!, spec.Category);
            }
        }

        foreach (var program in ProgramCatalog.Default.Programs)
        {
            foreach (var kind in Kinds(program.Eligibility).Concat(Kinds(program.Claimed)))
            {
                Assert.True(factCategory.TryGetValue(kind, out var category), $"{program.Id}: no feed provides {kind}");
                Assert.Contains(category, categories);
            }
        }
    }

    private static IEnumerable<string> Kinds(Condition c) =>
        (c.All ?? []).Concat(c.Any ?? []).Concat(c.Not is { } n ? [n] : []).SelectMany(Kinds)
            .Concat(c.MemberFact is { } f ? [f.Kind] : [])
            .Concat(c.HasMember?.Facts?.Select(x => x.Kind) ?? []);

    private static SupportProgram Program(string id) => ProgramCatalog.Default.Programs.Single(p => p.Id == id);
}
