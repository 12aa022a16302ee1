using Mimamori.Privacy.Access;

namespace Mimamori.Privacy.Tests.Access;

public class AccessPolicyTests
{
    private static readonly AccessPolicy Policy = AccessPolicy.Default;

    private static User As(string role, Scope? scope = null) => new("u", "利用者", role, "テスト課", scope ?? Scope.All);

    [Theory]
    [InlineData(DataCategory.Resident)]
    [InlineData(DataCategory.Welfare)]
    [InlineData(DataCategory.Health)]
    [InlineData(DataCategory.Education)]
    [InlineData(DataCategory.ChildWelfare)]
    [InlineData(DataCategory.Medical)]
    public void Caseworker_EarlySupport_SeesEveryNonTaxCategory(string category)
    {
        Assert.Equal(AccessEffect.Allow, Policy.Decide(As(Role.Caseworker), category, Purpose.EarlySupport).Effect);
        Assert.Equal(AccessEffect.Allow, Policy.Decide(As(Role.Supervisor), category, Purpose.EarlySupport).Effect);
    }

    [Fact]
    public void Caseworker_Tax_IsMaskedWithoutConsent()
    {
        var d = Policy.Decide(As(Role.Caseworker), DataCategory.Tax, Purpose.EarlySupport);
        Assert.Equal(AccessEffect.Mask, d.Effect);
        Assert.Equal(LegalBasis.LocalTax22Consent, d.LegalBasis);
    }

    [Fact]
    public void Caseworker_Tax_IsAllowedWithConsent()
    {
        var held = new HashSet<string> { LegalBasis.LocalTax22Consent };
        Assert.Equal(AccessEffect.Allow, Policy.Decide(As(Role.Caseworker), DataCategory.Tax, Purpose.EarlySupport, held).Effect);
    }

    [Fact]
    public void SchoolStaff_SeesOnlyEducation()
    {
        var user = As(Role.SchoolStaff, Scope.OwnSchool("第一小学校"));
        var all = Policy.DecideAll(user, Purpose.EarlySupport);
        Assert.Equal(AccessEffect.Allow, all[DataCategory.Education].Effect);
        Assert.Equal([DataCategory.Education], all.Where(d => d.Value.IsAllowed).Select(d => d.Key));
        Assert.Equal(AccessEffect.Deny, all[DataCategory.ChildWelfare].Effect);
        Assert.Equal(AccessEffect.Deny, all[DataCategory.Tax].Effect);
    }

    [Fact]
    public void HealthNurse_SeesHealthAndResidentOnly()
    {
        var allowed = Policy.DecideAll(As(Role.HealthNurse, Scope.OwnDepartment), Purpose.EarlySupport).Where(d => d.Value.IsAllowed).Select(d => d.Key).Order();
        Assert.Equal([DataCategory.Health, DataCategory.Resident], allowed);
    }

    [Theory]
    [InlineData(Role.Partner)]
    [InlineData(Role.PrivacyOfficer)]
    [InlineData(Role.Administrator)]
    public void RolesWithoutCasework_SeeNoChildData(string role)
    {
        // Answering a person's own disclosure request is the privacy officer's one way to a person's data (below).
        foreach (var purpose in Policy.Purposes.Where(p => !(role == Role.PrivacyOfficer && p.Id == "disclosure")))
        {
            Assert.False(Policy.SeesChildren(As(role), purpose.Id), $"{role} sees children for {purpose.Id}");
        }
    }

    [Fact]
    public void PrivacyOfficer_SeesAPersonsData_OnlyToAnswerTheirRecordedRequest()
    {
        var officer = As(Role.PrivacyOfficer);
        var request = new HashSet<string>(["appi_76_request"], StringComparer.Ordinal);
        Assert.All(Policy.DecideAll(officer, "disclosure").Values, d => Assert.NotEqual(AccessEffect.Allow, d.Effect));
        Assert.All(Policy.DecideAll(officer, "disclosure", request).Values, d => Assert.Equal(AccessEffect.Allow, d.Effect));
        Assert.All(Policy.DecideAll(As(Role.Caseworker), "disclosure", request).Values, d => Assert.NotEqual(AccessEffect.Allow, d.Effect));
    }

    [Fact]
    public void PrivacyOfficer_ReadsTheAuditTrail_OthersDoNot()
    {
        Assert.True(Policy.ReadsAuditTrail(As(Role.PrivacyOfficer)));
        Assert.False(Policy.ReadsAuditTrail(As(Role.Caseworker)));
        Assert.False(Policy.ReadsAuditTrail(As(Role.Administrator)));
    }

    [Fact]
    public void DataSteward_SeesSourceRecordsForDataQuality_ButNotForCasework()
    {
        var steward = As(Role.DataSteward);
        Assert.Equal(AccessEffect.Allow, Policy.Decide(steward, DataCategory.Education, Purpose.DataQuality).Effect);
        Assert.Equal(AccessEffect.Mask, Policy.Decide(steward, DataCategory.Tax, Purpose.DataQuality).Effect);
        Assert.Equal(AccessEffect.Deny, Policy.Decide(steward, DataCategory.Education, Purpose.EarlySupport).Effect);
    }

    [Fact]
    public void CategoryNotMeantForPurpose_IsDenied_EvenForCaseworker()
    {
        Assert.Equal(AccessEffect.Deny, Policy.Decide(As(Role.Caseworker), DataCategory.Education, Purpose.Outreach).Effect);
    }

    [Fact]
    public void ScopeNone_DeniesEverything()
    {
        Assert.False(Policy.SeesChildren(As(Role.Caseworker, Scope.None), Purpose.EarlySupport));
    }

    [Fact]
    public void UnknownCategory_IsDenied()
    {
        Assert.Equal(AccessEffect.Deny, Policy.Decide(As(Role.Caseworker), "horoscope", Purpose.EarlySupport).Effect);
    }

    [Fact]
    public void DefaultPolicy_DescribesSevenCategoriesWithNamesAndRetention()
    {
        Assert.Equal(7, Policy.Categories.Count);
        Assert.All(Policy.Categories, c =>
        {
            Assert.NotEmpty(c.Ja);
            Assert.NotEmpty(c.En);
            Assert.NotEmpty(c.LegalBases);
            Assert.True(c.RetentionYears > 0);
        });
        Assert.Equal("個人情報保護法第69条第2項第2号（相当の理由のある内部利用）", Policy.FindLegalBasis(LegalBasis.Appi69)!.Ja);
        Assert.Equal("支援が必要なこどもの早期発見", Policy.Purpose(Purpose.EarlySupport).Ja);
    }

    [Fact]
    public void Load_RuleWithUnknownRole_IsRejected()
    {
        const string json = """
            {"version":"t","legal_bases":[],"purposes":[{"id":"p","ja":"p","en":"p"}],"categories":[],"roles":[],
             "rules":[{"role":"wizard","category":"*","purpose":"p","effect":"allow"}]}
            """;
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));
        var e = Assert.Throws<InvalidDataException>(() => AccessPolicy.Load(stream));
        Assert.Contains("wizard", e.Message, StringComparison.Ordinal);
    }
}
