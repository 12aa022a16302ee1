using Dapper;
using Mimamori.Privacy.Access;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Judgement;
using Mimamori.Storage.Reading;

namespace Mimamori.Storage.Tests;

/// <summary>Decisions are appended with a frozen snapshot, meetings keep their agenda, and the worklist filters on judgement status.</summary>
public sealed class JudgementStoreTests
{
    private static readonly DateTimeOffset Noon = new(2026, 4, 10, 3, 0, 0, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void Record_SecondDecision_SupersedesWithoutChangingTheFirst(string kind)
    {
        var db = Seeded(kind);
        var store = new JudgementStore(db);
        var first = store.Record(Judgement(1, Decision.Watch, "欠席が増えているが家庭と連絡が取れている", Snapshot("high")), Noon);
        var second = store.Record(Judgement(1, Decision.SupportNeeded, "家庭訪問で養育の困難を確認", Snapshot("medium")), Noon.AddDays(7));

        var history = store.ForPerson(1);
        Assert.Equal([second.JudgementId, first.JudgementId], history.Select(j => j.JudgementId));
        Assert.Equal(first.JudgementId, history[0].Supersedes);
        Assert.Equal(second.JudgementId, history[1].SupersededBy);
        Assert.Null(history[0].SupersededBy);

        // The first decision still shows what was shown then (band high), not what the second one saw.
        var old = store.Find(first.JudgementId)!;
        Assert.Equal(Decision.Watch, old.Decision);
        Assert.Equal("high", old.Snapshot.Needs.Single().Band);
        Assert.Equal("school.absence_days", old.Snapshot.Needs.Single().Signals.Single().Rule);
        var evidence = old.Snapshot.Needs.Single().Signals.Single().Evidence.Single();
        Assert.Equal((101L, "education", new DateOnly(2026, 2, 1), "12"), (evidence.RecordId!.Value, evidence.Category!, evidence.Date!.Value, evidence.Value!));
        Assert.Equal(0.42, old.Snapshot.Model!.Probability);
        Assert.Equal("[1,null,3]", old.Snapshot.Model.Inputs);
        Assert.Equal("欠席日数が増えている", old.Snapshot.Model.Reasons.Single().Ja);
        Assert.Equal("rules-test / model-abc", old.ModelVersion);
        Assert.Equal(Noon, old.DecidedAt);
        Assert.Equal(Decision.SupportNeeded, store.Current([1L, 2L])[1].Decision);
        Assert.False(store.Current([1L, 2L]).ContainsKey(2));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void Record_BadInput_IsRefused(string kind)
    {
        var store = new JudgementStore(Seeded(kind));
        Assert.Throws<ArgumentException>(() => store.Record(Judgement(1, "maybe", "x", Snapshot("high")), Noon));
        Assert.Throws<ArgumentException>(() => store.Record(Judgement(1, Decision.Watch, "  ", Snapshot("high")), Noon));
        Assert.Throws<ArgumentException>(() => store.Record(Judgement(1, Decision.Watch, "x", Snapshot("high")) with { MeetingId = 99 }, Noon));
        Assert.Empty(store.ForPerson(1));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void Meeting_AgendaAndDecisionsTakenInIt(string kind)
    {
        var store = new JudgementStore(Seeded(kind));
        var meeting = store.CreateMeeting(new NewMeeting(new DateOnly(2026, 4, 15), "4月 ケース会議", "case_meeting", ["統括 佐藤", " 相談員 鈴木 ", ""], "supervisor"), Noon);
        Assert.Equal(["統括 佐藤", "相談員 鈴木"], meeting.Attendees);
        Assert.True(store.AddToAgenda(meeting.MeetingId, 1, "caseworker", Noon));
        Assert.True(store.AddToAgenda(meeting.MeetingId, 2, "caseworker", Noon.AddMinutes(1)));
        Assert.False(store.AddToAgenda(meeting.MeetingId, 2, "caseworker", Noon));
        Assert.False(store.AddToAgenda(999, 2, "caseworker", Noon));

        store.Record(Judgement(2, Decision.Refer, "要対協へ", Snapshot("high")) with { MeetingId = meeting.MeetingId, OverridesScore = true }, Noon.AddHours(2));
        var agenda = store.Agenda(meeting.MeetingId);
        Assert.Equal([1L, 2L], agenda.Select(a => a.PersonId));
        Assert.Null(agenda[0].Decision);
        Assert.Equal(Decision.Refer, agenda[1].Decision!.Decision);
        Assert.True(agenda[1].Decision!.OverridesScore);
        Assert.Equal("4月 ケース会議", agenda[1].Decision!.MeetingTitle);
        var listed = store.Meetings().Single();
        Assert.Equal((2, 1), (listed.Agenda, listed.Decided));
        Assert.Single(store.MeetingsOf(1));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void Worklist_FiltersOnJudgementStatus(string kind)
    {
        var db = Seeded(kind);
        var store = new JudgementStore(db);
        var meeting = store.CreateMeeting(new NewMeeting(new DateOnly(2026, 4, 15), "要対協 実務者会議", "yotaikyo", [], "supervisor"), Noon);
        store.AddToAgenda(meeting.MeetingId, 3, "caseworker", Noon);
        store.Record(Judgement(1, Decision.NotNeeded, "一時的な欠席", Snapshot("high")), Noon);
        store.Record(Judgement(1, Decision.SupportNeeded, "再検討の結果", Snapshot("high")), Noon.AddDays(1));
        store.Record(Judgement(2, Decision.SupportNeeded, "要対協登録済み", Snapshot("high")), Noon);
        store.Record(Judgement(4, Decision.Watch, "様子を見る", Snapshot("high")), Noon);

        var query = new WorklistQuery(db);
        List<long> Ids(string? status) => query.Run(new WorklistRequest(Scope.All, new DateOnly(2026, 4, 20), Status: status)).Rows.Select(r => r.PersonId).Order().ToList();
        Assert.Equal([1L, 2L, 3L, 4L], Ids(null));
        Assert.Equal([3L], Ids(JudgementStatus.Undecided));
        Assert.Equal([3L], Ids(JudgementStatus.OnAgenda));
        Assert.Equal([1L, 2L], Ids(JudgementStatus.Supporting));
        Assert.Equal([1L], Ids(JudgementStatus.NotRegistered)); // 2 has an open 要対協 registration
        Assert.Equal([4L], Ids(JudgementStatus.Watching));
        Assert.Empty(Ids(JudgementStatus.NotNeeded)); // superseded for 1
        Assert.Throws<ArgumentException>(() => Ids("whatever"));

        var rows = query.Run(new WorklistRequest(Scope.All, new DateOnly(2026, 4, 20))).Rows.ToDictionary(r => r.PersonId);
        Assert.Equal(Decision.SupportNeeded, rows[1].Judgement.Decision);
        Assert.True(rows[2].Judgement.RegisteredWithYotaikyo);
        Assert.False(rows[1].Judgement.RegisteredWithYotaikyo);
        Assert.True(rows[3].Judgement.OnAgenda);
        Assert.Null(rows[3].Judgement.Decision);
    }

    private static NewJudgement Judgement(long person, string decision, string reasons, JudgementSnapshot snapshot) =>
        new(person, decision, reasons, new Decider("caseworker", "相談員 鈴木", "caseworker", "こども家庭センター"), null, false, snapshot);

    private static JudgementSnapshot Snapshot(string band) => new(
        new DateOnly(2026, 3, 31),
        [new NeedView("futoko", 0.62, band, [new NeedSignal("school.absence_days", "欠席30日以上", "30+ days absent", 0.55, [new SignalEvidence("komu_attendance", 101, "education", new DateOnly(2026, 2, 1), "12")])], ["katei_sodan"], "rules-test")],
        new SnapshotScore("model-abc", 0.42, "medium", [new SnapshotReason("absence_rise", "school", 0.8, "欠席日数が増えている", "Absences rose")], "[1,null,3]"),
        "2025-11-28",
        "early_support");

    /// <summary>Four flagged children; child 2 has an open 要対協 registration, child 1 a closed one.</summary>
    private static MimamoriDatabase Seeded(string kind)
    {
        var db = TestDatabases.Create(kind);
        db.Migrate();
        using var c = db.Open();
        for (var id = 1; id <= 4; id++)
        {
            c.Execute(
                "INSERT INTO person (person_id, family_name, given_name, family_kana, given_kana, birth_date, is_child) VALUES (@id, '山田', @given, 'ヤマダ', 'タロウ', '2015-05-05', 1)",
                new { id = (long)id, given = "太郎" + id });
            c.Execute(
                "INSERT INTO need_assessment (person_id, difficulty, score, band, signals, missing, model_version) VALUES (@id, 'futoko', @score, 'high', '[]', '[]', 'rules-test')",
                new { id = (long)id, score = 0.9 - (id * 0.1) });
        }

        foreach (var (record, person, status) in new[] { (201L, 2L, "open"), (202L, 1L, "closed") })
        {
            c.Execute(
                "INSERT INTO source_record (record_id, batch_id, source, category, file, line, original) VALUES (@record, 1, 'yotaikyo', 'child_welfare', 'y.csv', 2, '{}')",
                new { record });
            c.Execute("INSERT INTO person_record (record_id, person_id, method, weight, explanation) VALUES (@record, @person, 'atena', 10, '{}')", new { record, person });
            c.Execute("INSERT INTO fact (record_id, kind, fact_date, value_text) VALUES (@record, 'cw.yotaikyo_kind', '2025-06-01', 'support')", new { record });
            c.Execute("INSERT INTO fact (record_id, kind, fact_date, value_text) VALUES (@record, 'cw.yotaikyo_status', '2025-06-01', @status)", new { record, status });
        }

        return db;
    }
}
