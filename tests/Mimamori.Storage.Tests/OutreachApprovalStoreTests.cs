using Dapper;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Judgement;

namespace Mimamori.Storage.Tests;

/// <summary>Outreach approvals rest on the child's current support_needed decision; withdrawn or already sent offers are not pending.</summary>
public sealed class OutreachApprovalStoreTests
{
    private static readonly DateTimeOffset Noon = new(2026, 4, 10, 3, 0, 0, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void Approve_OnlyOnTheCurrentSupportNeededDecision_AndOncePerProgram(string kind)
    {
        var db = Seeded(kind);
        var judgements = new JudgementStore(db);
        var store = new OutreachApprovalStore(db);
        var watch = judgements.Record(Judgement(3, Decision.Watch), Noon);
        Assert.Throws<ArgumentException>(() => store.Approve(3, watch.JudgementId, "jido_fuyo", "caseworker", Noon));

        var first = judgements.Record(Judgement(1, Decision.SupportNeeded), Noon);
        var approval = store.Approve(1, first.JudgementId, "shugaku_enjo", "caseworker", Noon.AddMinutes(1));
        Assert.Equal((1L, first.JudgementId, "shugaku_enjo", "caseworker", Noon.AddMinutes(1)), (approval.PersonId, approval.JudgementId, approval.Program, approval.ApprovedBy, approval.ApprovedAt));
        Assert.Null(approval.WithdrawnAt);
        Assert.Equal(approval.ApprovalId, store.Approve(1, first.JudgementId, "shugaku_enjo", "supervisor", Noon.AddMinutes(2)).ApprovalId);

        // A decision about another child, or one superseded since, carries no approval.
        Assert.Throws<ArgumentException>(() => store.Approve(2, first.JudgementId, "shugaku_enjo", "caseworker", Noon));
        var second = judgements.Record(Judgement(1, Decision.SupportNeeded), Noon.AddHours(1));
        Assert.Throws<ArgumentException>(() => store.Approve(1, first.JudgementId, "jido_fuyo", "caseworker", Noon));
        store.Approve(1, second.JudgementId, "jido_fuyo", "caseworker", Noon.AddHours(2));

        Assert.Equal(["jido_fuyo", "shugaku_enjo"], store.ForPerson(1).Select(a => a.Program));
        Assert.Empty(store.ForPerson(3));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void Pending_LeavesOutWithdrawnSupersededAndAlreadyMessaged(string kind)
    {
        var db = Seeded(kind);
        var judgements = new JudgementStore(db);
        var store = new OutreachApprovalStore(db);
        var one = judgements.Record(Judgement(1, Decision.SupportNeeded), Noon);
        var two = judgements.Record(Judgement(2, Decision.SupportNeeded), Noon);
        var three = judgements.Record(Judgement(3, Decision.SupportNeeded), Noon);
        var a1 = store.Approve(1, one.JudgementId, "shugaku_enjo", "caseworker", Noon);
        var a2 = store.Approve(2, two.JudgementId, "jido_fuyo", "caseworker", Noon);
        var a3 = store.Approve(3, three.JudgementId, "jido_fuyo", "caseworker", Noon);
        Assert.Equal([(a1.ApprovalId, "H1", "shugaku_enjo"), (a2.ApprovalId, "H1", "jido_fuyo"), (a3.ApprovalId, "H2", "jido_fuyo")], store.Pending().Select(p => (p.ApprovalId, p.HouseholdNo, p.Program)));

        // Withdrawn: no longer pending, and the record keeps who withdrew it.
        Assert.True(store.Withdraw(2, a2.ApprovalId, "supervisor", Noon.AddDays(1)));
        Assert.False(store.Withdraw(2, a2.ApprovalId, "supervisor", Noon.AddDays(2)));
        Assert.False(store.Withdraw(1, a3.ApprovalId, "supervisor", Noon.AddDays(2)));
        var withdrawn = store.ForPerson(2).Single();
        Assert.Equal(("supervisor", Noon.AddDays(1)), (withdrawn.WithdrawnBy, withdrawn.WithdrawnAt));

        // A later decision that support is no longer needed stops the offer.
        judgements.Record(Judgement(3, Decision.NotNeeded), Noon.AddDays(1));
        Assert.Equal([a1.ApprovalId], store.Pending().Select(p => p.ApprovalId));

        // A draft does not count as messaged; an approved or sent message of the program to the household does.
        using (var c = db.Open())
        {
            c.Execute("INSERT INTO outreach_message (message_id, campaign, household_no, person_id, program, channel, state, subject, body, created_at) VALUES (1, 'approved-2026-04', 'H1', 1, 'shugaku_enjo', 'letter', 'draft', 's', 'b', '2026-04-10')");
        }

        Assert.Single(store.Pending());
        using (var c = db.Open())
        {
            c.Execute("UPDATE outreach_message SET state = 'sent' WHERE message_id = 1");
        }

        Assert.Empty(store.Pending());
    }

    private static NewJudgement Judgement(long person, string decision) =>
        new(person, decision, "家庭訪問で確認", new Decider("caseworker", "相談員 鈴木", "caseworker", "こども家庭センター"), null, false, new JudgementSnapshot(null, [], null, "test", "support_decision"));

    /// <summary>Children 1 and 2 live in household H1, child 3 in H2.</summary>
    private static MimamoriDatabase Seeded(string kind)
    {
        var db = TestDatabases.Create(kind);
        db.Migrate();
        using var c = db.Open();
        foreach (var (id, household) in new[] { (1L, "H1"), (2L, "H1"), (3L, "H2") })
        {
            c.Execute(
                "INSERT INTO person (person_id, family_name, given_name, family_kana, given_kana, birth_date, household_no, is_child) VALUES (@id, '山田', '太郎', 'ヤマダ', 'タロウ', '2015-05-05', @household, 1)",
                new { id, household });
        }

        return db;
    }
}
