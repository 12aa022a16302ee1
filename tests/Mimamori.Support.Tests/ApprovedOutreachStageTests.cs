using Dapper;
using Mimamori.Cli.Console;
using Mimamori.Cli.Pipeline;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Judgement;
using Mimamori.Storage.Outreach;
using Mimamori.Support.Outreach;
using Mimamori.Support.Programs;

namespace Mimamori.Support.Tests;

/// <summary>The outreach stage drafts the approved-YYYY-MM campaign from caseworker approvals, on a real SQLite file.</summary>
public sealed class ApprovedOutreachStageTests : IDisposable
{
    private static readonly DateOnly ReferenceDate = new(2026, 3, 31);
    private static readonly DateTimeOffset Noon = new(2026, 3, 30, 3, 0, 0, TimeSpan.Zero);
    private const string Reasons = "虐待の疑いがあり家庭訪問で養育の困難を確認、生活困窮も";
    private readonly string dir = Tools.TempDirectory();
    private readonly MimamoriDatabase db;

    public ApprovedOutreachStageTests()
    {
        db = MimamoriDatabase.FromSetting(Path.Combine(dir, "m.db"));
        db.Migrate();
        using var connection = db.Open();
        connection.Execute(
            """
            INSERT INTO person (person_id, family_name, given_name, family_kana, given_kana, birth_date, sex, address, atena_no, household_no, is_child) VALUES
              (1, '田中', '一郎', 'タナカ', 'イチロウ', '1980-01-01', '1', '見守り市本町1-1', 'A1', 'H1', 0),
              (2, '田中', '花', 'タナカ', 'ハナ', '2015-05-05', '2', '見守り市本町1-1', 'A2', 'H1', 1),
              (3, '田中', '空', 'タナカ', 'ソラ', '2017-07-07', '1', '見守り市本町1-1', 'A3', 'H1', 1),
              (4, '高橋', '陸', 'タカハシ', 'リク', '2016-06-06', '1', '見守り市緑町2-2', 'A4', 'H2', 1),
              (6, '伊藤', '蓮', 'イトウ', 'レン', '2014-04-04', '1', '見守り市川端3-3', 'A6', 'H3', 1);
            INSERT INTO message_response (response_id, message_id, household_no, response, responded_at) VALUES (1, 900, 'H3', 'opted_out', '2026-02-01T00:00:00Z');
            """);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void Stage_DraftsOneOfferPerApprovedHouseholdAndProgram_WithoutWithdrawnOrOptedOut_AndNothingOfTheDecision()
    {
        var approvals = new OutreachApprovalStore(db);
        Approve(2, "jido_fuyo");
        Approve(3, "jido_fuyo"); // the same household and program: one message
        var withdrawn = Approve(4, "shugaku_enjo");
        Assert.True(approvals.Withdraw(4, withdrawn.ApprovalId, "caseworker", Noon));
        Approve(6, "jido_fuyo"); // opted out

        OutreachStage.Run(db, ReferenceDate, TimeProvider.System, new ProgressLog(TextWriter.Null, false));

        var store = new CampaignStore(db);
        var campaign = store.Find("approved-2026-03");
        Assert.NotNull(campaign);
        Assert.Equal(("judged", MessageState.Draft), (campaign.Target, campaign.State));
        var messages = store.Messages("approved-2026-03");
        var only = Assert.Single(messages);
        Assert.Equal(("H1", "jido_fuyo"), (only.HouseholdNo, only.Program));
        Assert.Contains(only.Variant, OutreachStage.ExperimentVariants);

        // Composed by the catalog's wording, never with the decision, its reasons or any forbidden word.
        var program = ProgramCatalog.Default.Programs.Single(p => p.Id == "jido_fuyo");
        Assert.Equal(MessageComposer.Compose(program, only.Variant, ReferenceDate.AddDays(30)).Body, only.Body);
        Assert.Empty(ForbiddenWords.Find(only.Subject + "\n" + only.Body));
        Assert.DoesNotContain(Reasons, only.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("判定", only.Body, StringComparison.Ordinal);

        // Once a supervisor approved the campaign, the offer counts as made and no later plan repeats it; the opted-out
        // household's approval stands but is left out at every plan.
        Assert.Equal(1, store.Approve("approved-2026-03", "supervisor", Noon));
        Assert.Equal(["H3"], approvals.Pending().Select(p => p.HouseholdNo));
        var next = OutreachStage.PlanApproved(store, ProgramCatalog.Default, approvals.Pending(), ReferenceDate.AddMonths(1));
        Assert.Equal("approved-2026-04", next.Campaign.Campaign);
        Assert.Empty(next.Messages);
        Assert.Equal(1, next.OptedOut);
    }

    [Fact]
    public void Plan_LeavesOutWhatTheUnclaimedCampaignAlreadyOffers_AndProgramsNotInTheCatalog()
    {
        var store = new CampaignStore(db);
        PendingOutreach[] pending = [new(1, 2, "H1", "jido_fuyo"), new(2, 4, "H2", "jido_fuyo"), new(3, 4, "H2", "no_such_program")];
        var unclaimed = OutreachStage.Plan(store, ProgramCatalog.Default, [new UnclaimedSupport("H1", 2, "jido_fuyo", ["世帯の大人が1人"])], ReferenceDate);
        var plan = OutreachStage.PlanApproved(store, ProgramCatalog.Default, pending, ReferenceDate, unclaimed.Messages);
        Assert.Equal([("H2", "jido_fuyo")], plan.Messages.Select(m => (m.HouseholdNo, m.Program)));
        Assert.Equal("judged", plan.Campaign.Target);
    }

    private OutreachApproval Approve(long child, string program)
    {
        var judgement = new JudgementStore(db).Record(
            new NewJudgement(child, Decision.SupportNeeded, Reasons, new Decider("caseworker", "相談員", "caseworker", "こども家庭センター"), null, false, new JudgementSnapshot(null, [], null, "test", "support_decision")),
            Noon);
        return new OutreachApprovalStore(db).Approve(child, judgement.JudgementId, program, "caseworker", Noon);
    }
}
