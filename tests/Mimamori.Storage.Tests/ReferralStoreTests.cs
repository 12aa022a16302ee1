using Mimamori.Storage.Casework;

namespace Mimamori.Storage.Tests;

/// <summary>Referrals between organisations, and the consent an outside partner needs before anything is sent to it.</summary>
public sealed class ReferralStoreTests
{
    private static readonly DateTimeOffset Noon = new(2026, 4, 10, 3, 0, 0, TimeSpan.Zero);
    private static readonly Agency Foodbank = Agencies.Partners[0];

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void Referral_ToAnInternalAgency_IsSentAndAnsweredOnce(string kind)
    {
        var store = new ReferralStore(PlanStoreTests.Seeded(kind));
        var health = Agencies.Of("保健センター", []);
        var sent = store.Send(new NewReferral(1, "H1", "こども家庭センター", "caseworker", health, "乳幼児健診の未受診が続く", Fields(ReferralField.Name, ReferralField.BirthDate), null), Noon);
        Assert.Equal((ReferralStatus.Sent, "保健センター", Agencies.HealthCentre, "山田 太郎1"), (sent.Status, sent.ToOrg, sent.ToKind, sent.Fields[ReferralField.Name]));
        Assert.Equal(1, store.Unanswered("保健センター"));
        Assert.Equal([sent.ReferralId], store.Inbox("保健センター").Select(r => r.ReferralId));
        Assert.Empty(store.Inbox("こども家庭センター"));
        Assert.Equal([sent.ReferralId], store.SentBy("こども家庭センター").Select(r => r.ReferralId));

        Assert.True(store.Answer(sent.ReferralId, accept: true, "nurse", "家庭訪問を予定", Noon.AddDays(1)));
        Assert.False(store.Answer(sent.ReferralId, accept: false, "nurse", "取り消し", Noon.AddDays(2)));
        var answered = store.Find(sent.ReferralId)!;
        Assert.Equal((ReferralStatus.Accepted, "nurse", "家庭訪問を予定", Noon.AddDays(1)), (answered.Status, answered.AnsweredBy, answered.AnswerReason, answered.AnsweredAt));
        Assert.Equal(0, store.Unanswered("保健センター"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void Referral_ToAPartner_NeedsAConsentInForceCoveringPartnerAndFields(string kind)
    {
        var store = new ReferralStore(PlanStoreTests.Seeded(kind));
        NewReferral To(Agency partner, long? consent, params string[] fields) =>
            new(1, "H1", "こども家庭センター", "caseworker", partner, "夕食の支援", Fields(fields), consent);

        // No consent at all.
        Assert.Throws<ConsentRequiredException>(() => store.Send(To(Foodbank, null, ReferralField.Name), Noon));

        var consent = store.RecordConsent(new NewConsent(1, "H1", Foodbank.Name, "こども食堂の利用案内", [ReferralField.Name, ReferralField.Address], "母 山田花子", new DateOnly(2026, 4, 9), "caseworker"));
        Assert.Equal(("母 山田花子", new DateOnly(2026, 4, 9), true), (consent.GivenBy, consent.GivenOn, consent.InForce));

        // A field the consent does not cover; another partner; another child's consent.
        Assert.Throws<ConsentRequiredException>(() => store.Send(To(Foodbank, consent.ConsentId, ReferralField.Name, ReferralField.School), Noon));
        Assert.Throws<ConsentRequiredException>(() => store.Send(To(Agencies.Partners[1], consent.ConsentId, ReferralField.Name), Noon));
        Assert.Throws<ConsentRequiredException>(() => store.Send(To(Foodbank, consent.ConsentId, ReferralField.Name) with { PersonId = 2 }, Noon));
        // A name nobody listed is an outside partner too.
        Assert.True(Agencies.Of("どこかの団体", ["見守り市立第一小学校"]).IsOutsidePartner);
        Assert.False(Agencies.Of("見守り市立第一小学校", ["見守り市立第一小学校"]).IsOutsidePartner);

        var sent = store.Send(To(Foodbank, consent.ConsentId, ReferralField.Name, ReferralField.Address), Noon);
        Assert.Equal(consent.ConsentId, sent.ConsentId);

        Assert.True(store.WithdrawConsent(consent.ConsentId, "caseworker", "母から撤回の申出", Noon.AddDays(3)));
        Assert.False(store.WithdrawConsent(consent.ConsentId, "caseworker", "二度目", Noon.AddDays(4)));
        var withdrawn = store.ConsentsOf(1).Single();
        Assert.Equal((false, "caseworker", "母から撤回の申出"), (withdrawn.InForce, withdrawn.WithdrawnBy, withdrawn.WithdrawalReason));
        Assert.Throws<ConsentRequiredException>(() => store.Send(To(Foodbank, consent.ConsentId, ReferralField.Name), Noon.AddDays(5)));
        Assert.Equal([sent.ReferralId], store.ReferralsOf(1).Select(r => r.ReferralId));
    }

    private static Dictionary<string, string> Fields(params string[] fields) =>
        fields.ToDictionary(f => f, f => f == ReferralField.Name ? "山田 太郎1" : "—");
}
