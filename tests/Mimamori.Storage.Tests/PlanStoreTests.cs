using Dapper;
using Mimamori.Storage.Casework;
using Mimamori.Storage.Connection;

namespace Mimamori.Storage.Tests;

/// <summary>Support plans and tasks are kept with who did what, and the overdue view finds exactly what is late on a date.</summary>
public sealed class PlanStoreTests
{
    private static readonly DateTimeOffset Noon = new(2026, 4, 10, 3, 0, 0, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void Overdue_TasksPastDueAndPlansPastReview_UntilDoneOrReviewed(string kind)
    {
        var store = new PlanStore(Seeded(kind));
        var plan = store.Create(new NewPlan(1, null, " 登校の再開 ", "学習支援、家庭訪問", "こども家庭センター", new DateOnly(2026, 6, 30), "caseworker"), Noon);
        Assert.Equal(("登校の再開", PlanStatus.Active, "caseworker", Noon), (plan.Goals, plan.Status, plan.CreatedBy, plan.CreatedAt));
        var visit = store.AddTask(new NewTask(plan.PlanId, "家庭訪問", new DateOnly(2026, 4, 20), "相談員 鈴木", "caseworker"), Noon);
        var call = store.AddTask(new NewTask(plan.PlanId, "学校と電話で連絡", new DateOnly(2026, 5, 10), "相談員 鈴木", "caseworker"), Noon);
        Assert.Equal(1L, visit.PersonId);

        // The due date itself is not late; the day after is.
        Assert.Empty(store.OverdueOn(new DateOnly(2026, 4, 20)).Tasks);
        Assert.Equal([visit.TaskId], store.OverdueOn(new DateOnly(2026, 4, 21)).Tasks.Select(t => t.TaskId));
        var july = store.OverdueOn(new DateOnly(2026, 7, 1));
        Assert.Equal([visit.TaskId, call.TaskId], july.Tasks.Select(t => t.TaskId));
        Assert.Equal([plan.PlanId], july.Plans.Select(p => p.PlanId));

        Assert.True(store.CompleteTask(visit.TaskId, "supervisor", Noon.AddDays(12)));
        Assert.False(store.CompleteTask(visit.TaskId, "caseworker", Noon.AddDays(13)));
        var done = store.FindTask(visit.TaskId)!;
        Assert.Equal((PlanTaskStatus.Done, "supervisor", Noon.AddDays(12)), (done.Status, done.DoneBy, done.DoneAt));
        Assert.True(store.Update(plan.PlanId, new DateOnly(2026, 9, 30), PlanStatus.Active, "supervisor", Noon.AddDays(80)));
        july = store.OverdueOn(new DateOnly(2026, 7, 1));
        Assert.Equal([call.TaskId], july.Tasks.Select(t => t.TaskId));
        Assert.Empty(july.Plans);

        // An ended plan is not due for review, however old its date.
        store.Update(plan.PlanId, new DateOnly(2026, 5, 1), PlanStatus.Ended, "supervisor", Noon.AddDays(90));
        Assert.Empty(store.OverdueOn(new DateOnly(2026, 7, 1)).Plans);
        Assert.Equal("supervisor", store.Find(plan.PlanId)!.UpdatedBy);
        Assert.Equal("山田 太郎1", store.Names([1L])[1]);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void BadInput_IsRefused(string kind)
    {
        var store = new PlanStore(Seeded(kind));
        Assert.Throws<ArgumentException>(() => store.Create(new NewPlan(1, null, " ", "", "こども家庭センター", new DateOnly(2026, 6, 30), "caseworker"), Noon));
        Assert.Throws<ArgumentException>(() => store.AddTask(new NewTask(99, "家庭訪問", new DateOnly(2026, 4, 20), "鈴木", "caseworker"), Noon));
        var plan = store.Create(new NewPlan(1, null, "登校", "", "こども家庭センター", new DateOnly(2026, 6, 30), "caseworker"), Noon);
        Assert.Throws<ArgumentException>(() => store.AddTask(new NewTask(plan.PlanId, "家庭訪問", new DateOnly(2026, 4, 20), " ", "caseworker"), Noon));
        Assert.Throws<ArgumentException>(() => store.Update(plan.PlanId, new DateOnly(2026, 6, 30), "paused", "caseworker", Noon));
        Assert.Empty(store.TasksOf(1));
    }

    internal static MimamoriDatabase Seeded(string kind)
    {
        var db = TestDatabases.Create(kind);
        db.Migrate();
        using var c = db.Open();
        for (var id = 1; id <= 3; id++)
        {
            c.Execute(
                "INSERT INTO person (person_id, family_name, given_name, family_kana, given_kana, birth_date, household_no, is_child) VALUES (@id, '山田', @given, 'ヤマダ', 'タロウ', '2015-05-05', @household, 1)",
                new { id = (long)id, given = "太郎" + id, household = "H" + id });
        }

        return db;
    }
}
