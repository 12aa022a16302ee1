using System.Data.Common;
using Dapper;
using Mimamori.Storage.Connection;
using static Mimamori.Storage.Casework.Rows;

namespace Mimamori.Storage.Casework;

/// <summary>
/// Support plans per child and their tasks and follow-ups. A plan keeps who created and who last changed it; a task
/// keeps who closed it and when. Nothing is deleted: an ended plan and a done task stay readable.
/// </summary>
public sealed class PlanStore
{
    private const string PlanColumns = "plan_id, person_id, judgement_id, goals, services, agency, review_on, status, created_by, created_at, updated_by, updated_at";
    private const string TaskColumns = "task_id, plan_id, person_id, title, due_on, assignee, status, created_by, created_at, done_by, done_at";

    private readonly MimamoriDatabase database;

    public PlanStore(MimamoriDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        this.database = database;
    }

    /// <summary>Creates an active plan; returns it.</summary>
    /// <exception cref="ArgumentException">Empty goals or agency.</exception>
    public SupportPlan Create(NewPlan plan, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (string.IsNullOrWhiteSpace(plan.Goals) || string.IsNullOrWhiteSpace(plan.Agency))
        {
            throw new ArgumentException("A plan needs its goals and the responsible agency.", nameof(plan));
        }

        var id = Insert(database, "support_plan", "plan_id", (c, tx, id) => c.Execute(
            $"INSERT INTO support_plan ({PlanColumns}) VALUES (@id, @PersonId, @JudgementId, @goals, @services, @agency, @review, @status, @By, @at, @By, @at)",
            new { id, plan.PersonId, plan.JudgementId, goals = plan.Goals.Trim(), services = plan.Services.Trim(), agency = plan.Agency.Trim(), review = Day(plan.ReviewOn), status = PlanStatus.Active, plan.By, at = Stamp(now) },
            tx));
        return Find(id)!;
    }

    /// <summary>Sets a plan's review date and state (a review moves the date on; an ended plan is not reviewed).</summary>
    public bool Update(long planId, DateOnly reviewOn, string status, string by, DateTimeOffset now)
    {
        if (!PlanStatus.All.Contains(status))
        {
            throw new ArgumentException($"Unknown plan status '{status}'.", nameof(status));
        }

        using var connection = database.Open();
        return connection.Execute(
            "UPDATE support_plan SET review_on = @review, status = @status, updated_by = @by, updated_at = @at WHERE plan_id = @planId",
            new { planId, review = Day(reviewOn), status, by, at = Stamp(now) }) == 1;
    }

    /// <summary>A plan by id, or null.</summary>
    public SupportPlan? Find(long planId)
    {
        using var connection = database.Open();
        return Plans(connection, "WHERE plan_id = @planId", new { planId }).SingleOrDefault();
    }

    /// <summary>A child's plans, newest first.</summary>
    public IReadOnlyList<SupportPlan> ForPerson(long personId)
    {
        using var connection = database.Open();
        return Plans(connection, "WHERE person_id = @personId ORDER BY plan_id DESC", new { personId });
    }

    /// <summary>Adds an open task to a plan; returns it.</summary>
    /// <exception cref="ArgumentException">Empty title or assignee, or no such plan.</exception>
    public PlanTask AddTask(NewTask task, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (string.IsNullOrWhiteSpace(task.Title) || string.IsNullOrWhiteSpace(task.Assignee))
        {
            throw new ArgumentException("A task needs a title and an assignee.", nameof(task));
        }

        var plan = Find(task.PlanId) ?? throw new ArgumentException($"No plan {task.PlanId}.", nameof(task));
        var id = Insert(database, "plan_task", "task_id", (c, tx, id) => c.Execute(
            $"INSERT INTO plan_task ({TaskColumns}) VALUES (@id, @PlanId, @person, @title, @due, @assignee, @status, @By, @at, NULL, NULL)",
            new { id, task.PlanId, person = plan.PersonId, title = task.Title.Trim(), due = Day(task.DueOn), assignee = task.Assignee.Trim(), status = PlanTaskStatus.Open, task.By, at = Stamp(now) },
            tx));
        return FindTask(id)!;
    }

    /// <summary>Marks an open task done; false when it was not open.</summary>
    public bool CompleteTask(long taskId, string by, DateTimeOffset now)
    {
        using var connection = database.Open();
        return connection.Execute(
            "UPDATE plan_task SET status = @done, done_by = @by, done_at = @at WHERE task_id = @taskId AND status = @open",
            new { taskId, by, at = Stamp(now), done = PlanTaskStatus.Done, open = PlanTaskStatus.Open }) == 1;
    }

    /// <summary>A task by id, or null.</summary>
    public PlanTask? FindTask(long taskId)
    {
        using var connection = database.Open();
        return Tasks(connection, "WHERE task_id = @taskId", new { taskId }).SingleOrDefault();
    }

    /// <summary>The tasks of a child's plans, by due date.</summary>
    public IReadOnlyList<PlanTask> TasksOf(long personId)
    {
        using var connection = database.Open();
        return Tasks(connection, "WHERE person_id = @personId ORDER BY due_on, task_id", new { personId });
    }

    /// <summary>
    /// What is late on <paramref name="today"/>: open tasks due before it and active plans whose review date is before
    /// it, oldest first. A task due today is not late yet.
    /// </summary>
    public Overdue OverdueOn(DateOnly today)
    {
        using var connection = database.Open();
        var day = Day(today);
        return new Overdue(
            Tasks(connection, "WHERE status = @open AND due_on < @day ORDER BY due_on, task_id", new { open = PlanTaskStatus.Open, day }),
            Plans(connection, "WHERE status = @active AND review_on < @day ORDER BY review_on, plan_id", new { active = PlanStatus.Active, day }));
    }

    /// <summary>The names of the children given, for lists that show plans and tasks of several children.</summary>
    public IReadOnlyDictionary<long, string> Names(IReadOnlyCollection<long> personIds)
    {
        ArgumentNullException.ThrowIfNull(personIds);
        var result = new Dictionary<long, string>();
        using var connection = database.Open();
        foreach (var chunk in personIds.Distinct().Chunk(500))
        {
            foreach (var (id, family, given) in connection.Query<(long, string?, string?)>($"SELECT person_id, family_name, given_name FROM person WHERE person_id IN {SqlLists.Ids(chunk)}"))
            {
                result[id] = $"{family} {given}".Trim();
            }
        }

        return result;
    }

    private static List<SupportPlan> Plans(DbConnection connection, string where, object args)
    {
        using var reader = connection.ExecuteReader($"SELECT {PlanColumns} FROM support_plan {where}", args);
        var result = new List<SupportPlan>();
        while (reader.Read())
        {
            result.Add(new SupportPlan(
                Id(reader, 0),
                Id(reader, 1),
                Number(reader, 2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5),
                ParseDay(reader.GetString(6)),
                reader.GetString(7),
                reader.GetString(8),
                Instant(reader.GetString(9)),
                reader.GetString(10),
                Instant(reader.GetString(11))));
        }

        return result;
    }

    private static List<PlanTask> Tasks(DbConnection connection, string where, object args)
    {
        using var reader = connection.ExecuteReader($"SELECT {TaskColumns} FROM plan_task {where}", args);
        var result = new List<PlanTask>();
        while (reader.Read())
        {
            var doneAt = Text(reader, 10);
            result.Add(new PlanTask(
                Id(reader, 0),
                Id(reader, 1),
                Id(reader, 2),
                reader.GetString(3),
                ParseDay(reader.GetString(4)),
                reader.GetString(5),
                reader.GetString(6),
                reader.GetString(7),
                Instant(reader.GetString(8)),
                Text(reader, 9),
                doneAt is null ? null : Instant(doneAt)));
        }

        return result;
    }
}
