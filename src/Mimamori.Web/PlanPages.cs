using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Mimamori.Privacy.Access;
using Mimamori.Privacy.Audit;
using Mimamori.Storage.Casework;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Judgement;
using Mimamori.Storage.Reading;
using Mimamori.Web.Rendering;
using Mimamori.Web.Security;
using static Mimamori.Web.Rendering.Html;

namespace Mimamori.Web;

/// <summary>
/// Support plans per child (goals, services, responsible agency, review date, state) with their tasks and follow-ups,
/// and the overdue view: open tasks past their due date and active plans past their review date. Plans are casework
/// that follows a decision, so they are read and written under the purpose <c>support_decision</c>, only for children
/// in the user's scope, and every read and write is in the audit trail.
/// </summary>
public static class PlanPages
{
    /// <summary>Audit field names of what the casework sections of the child page reveal.</summary>
    internal static readonly string[] PlanFields = ["plans", "tasks", "yotaikyo", "referrals", "consents"];

    private const int TextMaxLength = 2000;

    /// <summary>Maps the area's endpoints.</summary>
    public static IEndpointRouteBuilder MapPlanPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/plans", OverduePage).RequireAuthorization();
        app.MapGet("/api/casework/overdue", OverdueApi).RequireAuthorization();
        app.MapPost("/children/{id:long}/plans", CreatePlan).RequireAuthorization().RequireAntiforgeryToken();
        app.MapPost("/plans/{id:long}", UpdatePlan).RequireAuthorization().RequireAntiforgeryToken();
        app.MapPost("/plans/{id:long}/tasks", AddTask).RequireAuthorization().RequireAntiforgeryToken();
        app.MapPost("/tasks/{id:long}/done", CompleteTask).RequireAuthorization().RequireAntiforgeryToken();
        return app;
    }

    /// <summary>The area's link in the page header with the number of late items in the user's scope.</summary>
    internal static Markup NavLink(Ui ui)
    {
        if (ui.User is not { } user || !JudgementPages.MayDecide(AccessPolicy.Default, user))
        {
            return Markup.Empty;
        }

        var services = ui.Http.RequestServices;
        var late = Late(services.GetRequiredService<MimamoriDatabase>(), AccessPolicy.Default, user, JapanTime.Today(services.GetRequiredService<TimeProvider>()));
        var count = late.Tasks.Count + late.Plans.Count;
        return H($"<a href=\"/plans\">{ui.T("支援計画・期限", "Plans and due dates")}{If(count > 0, H($" <span class=\"alert-count\" title=\"{ui.T("期限切れ", "Overdue")}\">{count}</span>"))}</a>");
    }

    /// <summary>Name of a plan state.</summary>
    internal static string StatusLabel(Ui ui, string status) => status switch
    {
        PlanStatus.Active => ui.T("支援中", "Active"),
        PlanStatus.Ended => ui.T("終了", "Ended"),
        _ => status,
    };

    /// <summary>
    /// The plans section of the child page: the child's plans with their tasks, forms to add a task, review or end a
    /// plan, and to create one (linked to the current decision, when there is one). Shown only to roles that may
    /// decide; what it shows is listed among the fields of the child page's own audited view.
    /// </summary>
    internal static Markup ChildSection(Ui ui, AccessPolicy policy, MimamoriDatabase db, ChildView view, DateOnly today)
    {
        var user = ui.User!;
        if (!JudgementPages.MayDecide(policy, user))
        {
            return Markup.Empty;
        }

        var id = view.Person.PersonId;
        var store = new PlanStore(db);
        var plans = store.ForPerson(id);
        var tasks = store.TasksOf(id).ToLookup(t => t.PlanId);
        var decisions = new JudgementStore(db).ForPerson(id);
        var current = decisions.Count > 0 ? decisions[0] : null;
        var body = H($"""
            <section id="plans">
            <h2>{ui.T("支援計画", "Support plans")}</h2>
            {(plans.Count == 0 ? H($"<p class=\"status\">{ui.T("支援計画はまだありません。", "No support plan yet.")}</p>") : Each(plans, p => Plan(ui, p, tasks[p.PlanId].ToList(), today)))}
            <details{If(plans.Count == 0, H($" open"))}><summary>{ui.T("支援計画を作る", "New support plan")}</summary>
            <form method="post" action="/children/{id}/plans" class="plan-form">
              {AntiforgeryCheck.Field(ui.Http)}
              {(current is null ? Markup.Empty : H($"<input type=\"hidden\" name=\"judgement\" value=\"{current.JudgementId}\"><p class=\"note\">{ui.T("現在の判定", "Current decision")}: {JudgementPages.DecisionLabel(ui, current.Decision)}（#{current.JudgementId}）</p>"))}
              <label>{ui.T("目標（必須）", "Goals (required)")}<br><textarea name="goals" rows="3" cols="70" maxlength="{TextMaxLength}" required></textarea></label><br>
              <label>{ui.T("利用する支援・サービス", "Services and programs")}<br><textarea name="services" rows="2" cols="70" maxlength="{TextMaxLength}"></textarea></label><br>
              <label>{ui.T("担当機関（必須）", "Responsible agency (required)")} <input type="text" name="agency" list="agencies" maxlength="200" required value="{user.Organisation}"></label>
              <datalist id="agencies">{Each(Agencies.Internal, a => H($"<option value=\"{a.Name}\">"))}</datalist>
              <label>{ui.T("見直し日（必須）", "Review date (required)")} <input type="date" name="review_on" required value="{Day(today.AddMonths(3))}"></label>
              <button type="submit">{ui.T("支援計画を作る", "Create the plan")}</button>
            </form>
            </details>
            </section>
            """);
        return body;
    }

    private static Markup Plan(Ui ui, SupportPlan p, List<PlanTask> tasks, DateOnly today)
    {
        var reviewLate = p.Status == PlanStatus.Active && p.ReviewOn < today;
        return H($"""
            <div class="plan" data-plan="{p.PlanId}">
            <h3>{ui.T("計画", "Plan")} #{p.PlanId}（{StatusLabel(ui, p.Status)}）</h3>
            <dl class="plan-facts">
              <dt>{ui.T("目標", "Goals")}</dt><dd class="goals">{p.Goals}</dd>
              <dt>{ui.T("支援・サービス", "Services")}</dt><dd>{(p.Services.Length == 0 ? "—" : p.Services)}</dd>
              <dt>{ui.T("担当機関", "Responsible agency")}</dt><dd>{p.Agency}</dd>
              <dt>{ui.T("見直し日", "Review date")}</dt><dd class="review{If(reviewLate, H($" overdue"))}">{Labels.Date(ui, p.ReviewOn)}{If(reviewLate, H($" <strong>{ui.T("見直し期限を過ぎています", "Review is overdue")}</strong>"))}</dd>
              <dt>{ui.T("作成", "Created")}</dt><dd>{p.CreatedBy} {Labels.Date(ui, DateOnly.FromDateTime(JapanTime.ToJapan(p.CreatedAt).DateTime))}{(p.JudgementId is { } j ? H($"（<a href=\"/judgements/{j}\">{ui.T("判定", "decision")} #{j}</a>）") : Markup.Empty)}</dd>
            </dl>
            <table class="tasks">
            <thead><tr><th>{ui.T("タスク・フォローアップ", "Task or follow-up")}</th><th>{ui.T("期限", "Due")}</th><th>{ui.T("担当者", "Assignee")}</th><th>{ui.T("状態", "State")}</th></tr></thead>
            <tbody>{Each(tasks, t => Task(ui, t, today))}</tbody>
            </table>
            {If(p.Status == PlanStatus.Active, H($"""
                <form method="post" action="/plans/{p.PlanId}/tasks" class="task-form">
                  {AntiforgeryCheck.Field(ui.Http)}
                  <label>{ui.T("タスク", "Task")} <input type="text" name="title" required maxlength="200"></label>
                  <label>{ui.T("期限", "Due")} <input type="date" name="due_on" required value="{Day(today.AddDays(14))}"></label>
                  <label>{ui.T("担当者", "Assignee")} <input type="text" name="assignee" required maxlength="100" value="{ui.User!.DisplayName}"></label>
                  <button type="submit">{ui.T("タスクを追加", "Add task")}</button>
                </form>
                """))}
            <form method="post" action="/plans/{p.PlanId}" class="plan-review-form">
              {AntiforgeryCheck.Field(ui.Http)}
              <label>{ui.T("次の見直し日", "Next review")} <input type="date" name="review_on" required value="{Day(p.ReviewOn < today ? today.AddMonths(3) : p.ReviewOn)}"></label>
              <label>{ui.T("状態", "State")} <select name="status">{Each(PlanStatus.All, s => H($"<option value=\"{s}\"{If(s == p.Status, H($" selected"))}>{StatusLabel(ui, s)}</option>"))}</select></label>
              <button type="submit">{ui.T("見直しを記録", "Record the review")}</button>
            </form>
            </div>
            """);
    }

    private static Markup Task(Ui ui, PlanTask t, DateOnly today)
    {
        var late = t.Status == PlanTaskStatus.Open && t.DueOn < today;
        return H($"""
            <tr class="task{If(late, H($" overdue"))}" data-task="{t.TaskId}">
            <td>{t.Title}</td><td>{Labels.Date(ui, t.DueOn)}{If(late, H($" <strong>{ui.T("期限切れ", "Overdue")}</strong>"))}</td><td>{t.Assignee}</td>
            <td>{(t.Status == PlanTaskStatus.Done
                ? H($"{ui.T("完了", "Done")}（{t.DoneBy}）")
                : H($"<form method=\"post\" action=\"/tasks/{t.TaskId}/done\" class=\"inline task-done\">{AntiforgeryCheck.Field(ui.Http)}<button type=\"submit\">{ui.T("完了にする", "Mark done")}</button></form>"))}</td>
            </tr>
            """);
    }

    /// <summary>What is late today among the children in the user's scope.</summary>
    internal static Overdue Late(MimamoriDatabase db, AccessPolicy policy, User user, DateOnly today)
    {
        var all = new PlanStore(db).OverdueOn(today);
        var ids = all.Tasks.Select(t => t.PersonId).Concat(all.Plans.Select(p => p.PersonId)).Distinct().ToList();
        var inScope = new WorklistQuery(db).InScope(ids, user.Scope, new Disclosure.Disclosure(policy, user, Purpose.EarlySupport).AllowedCategories);
        return new Overdue(all.Tasks.Where(t => inScope.Contains(t.PersonId)).ToList(), all.Plans.Where(p => inScope.Contains(p.PersonId)).ToList());
    }

    private static IResult OverduePage(HttpContext http, AccessPolicy policy, MimamoriDatabase db, AccessAudit audit, TimeProvider clock)
    {
        var ui = Ui.For(http);
        var user = ui.User!;
        if (!JudgementPages.MayDecide(policy, user))
        {
            audit.Record(http, user, JudgementPages.DecisionPurpose, AuditAction.Search, "overdue", [], [], "denied");
            return Forbidden(ui);
        }

        var today = JapanTime.Today(clock);
        var late = Late(db, policy, user, today);
        var names = new PlanStore(db).Names(late.Tasks.Select(t => t.PersonId).Concat(late.Plans.Select(p => p.PersonId)).ToList());
        RecordListed(http, audit, user, names.Keys, "overdue");
        Markup Child(long id) => H($"<a href=\"/children/{id}#plans\">{names.GetValueOrDefault(id, "#" + id.ToString(CultureInfo.InvariantCulture))}</a>");
        var body = H($"""
            <p>{ui.T("期限を過ぎたタスクと、見直し日を過ぎた支援計画です（閲覧できる範囲のこどもに限ります）。", "Tasks past their due date and support plans past their review date, for the children you may see.")} {ui.T("基準日", "As of")}: {Labels.Date(ui, today)}</p>
            <ul class="counts">
              <li>{ui.T("期限切れのタスク", "Overdue tasks")}: <strong class="overdue-tasks">{late.Tasks.Count}</strong>{ui.T("件", "")}</li>
              <li>{ui.T("見直し日を過ぎた支援計画", "Plans past their review date")}: <strong class="overdue-plans">{late.Plans.Count}</strong>{ui.T("件", "")}</li>
            </ul>
            <h2>{ui.T("期限切れのタスク", "Overdue tasks")}</h2>
            <table class="overdue-tasks">
            <thead><tr><th>{ui.T("こども", "Child")}</th><th>{ui.T("タスク", "Task")}</th><th>{ui.T("期限", "Due")}</th><th>{ui.T("超過日数", "Days late")}</th><th>{ui.T("担当者", "Assignee")}</th></tr></thead>
            <tbody>{Each(late.Tasks, t => H($"<tr class=\"task overdue\" data-task=\"{t.TaskId}\"><td>{Child(t.PersonId)}</td><td>{t.Title}</td><td>{Labels.Date(ui, t.DueOn)}</td><td>{today.DayNumber - t.DueOn.DayNumber}</td><td>{t.Assignee}</td></tr>"))}</tbody>
            </table>
            <h2>{ui.T("見直し日を過ぎた支援計画", "Plans past their review date")}</h2>
            <table class="overdue-plans">
            <thead><tr><th>{ui.T("こども", "Child")}</th><th>{ui.T("計画", "Plan")}</th><th>{ui.T("担当機関", "Agency")}</th><th>{ui.T("見直し日", "Review date")}</th><th>{ui.T("超過日数", "Days late")}</th></tr></thead>
            <tbody>{Each(late.Plans, p => H($"<tr class=\"plan overdue\" data-plan=\"{p.PlanId}\"><td>{Child(p.PersonId)}</td><td>#{p.PlanId}</td><td>{p.Agency}</td><td>{Labels.Date(ui, p.ReviewOn)}</td><td>{today.DayNumber - p.ReviewOn.DayNumber}</td></tr>"))}</tbody>
            </table>
            """);
        return Layout.Page(ui, ui.T("支援計画・期限", "Plans and due dates"), body);
    }

    private static IResult OverdueApi(HttpContext http, AccessPolicy policy, MimamoriDatabase db, AccessAudit audit, TimeProvider clock)
    {
        var user = SignedInUser.Find(http.User)!;
        if (!JudgementPages.MayDecide(policy, user))
        {
            audit.Record(http, user, JudgementPages.DecisionPurpose, AuditAction.Search, "overdue", [], [], "denied");
            return Results.Json(new { error = "forbidden" }, statusCode: StatusCodes.Status403Forbidden);
        }

        var today = JapanTime.Today(clock);
        var late = Late(db, policy, user, today);
        var names = new PlanStore(db).Names(late.Tasks.Select(t => t.PersonId).Concat(late.Plans.Select(p => p.PersonId)).ToList());
        RecordListed(http, audit, user, names.Keys, "overdue");
        return Results.Json(new
        {
            asOf = Day(today),
            overdueTasks = late.Tasks.Count,
            overduePlans = late.Plans.Count,
            tasks = late.Tasks.Select(t => new { taskId = t.TaskId, planId = t.PlanId, personId = t.PersonId, name = names.GetValueOrDefault(t.PersonId), title = t.Title, dueOn = Day(t.DueOn), daysLate = today.DayNumber - t.DueOn.DayNumber, assignee = t.Assignee }),
            plans = late.Plans.Select(p => new { planId = p.PlanId, personId = p.PersonId, name = names.GetValueOrDefault(p.PersonId), agency = p.Agency, reviewOn = Day(p.ReviewOn), daysLate = today.DayNumber - p.ReviewOn.DayNumber }),
        });
    }

    private static void RecordListed(HttpContext http, AccessAudit audit, User user, IEnumerable<long> personIds, string list)
    {
        var events = personIds.Select(id => audit.Event(http, user, JudgementPages.DecisionPurpose, AuditAction.Search, Subject(id), [DataCategory.Resident], ["name", "plans", "tasks"], "allowed")).ToList();
        events.Add(audit.Event(http, user, JudgementPages.DecisionPurpose, AuditAction.Search, list, [], [], "allowed"));
        audit.RecordAll(events);
    }

    private static async Task<IResult> CreatePlan(long id, HttpContext http, AccessPolicy policy, MimamoriDatabase db, AccessAudit audit, TimeProvider clock)
    {
        var ui = Ui.For(http);
        var user = ui.User!;
        if (Refused(ui, policy, db, audit, id, "plan:new") is { } refused)
        {
            return refused;
        }

        var form = await http.Request.ReadFormAsync();
        var goals = form["goals"].ToString().Trim();
        var services = form["services"].ToString().Trim();
        var agency = form["agency"].ToString().Trim();
        long? judgement = long.TryParse(form["judgement"], NumberStyles.None, CultureInfo.InvariantCulture, out var j) ? j : null;
        if (goals.Length is 0 or > TextMaxLength || services.Length > TextMaxLength || agency.Length is 0 or > 200 || ParseDay(form["review_on"]) is not { } review
            || (judgement is { } jid && new JudgementStore(db).Find(jid)?.PersonId != id))
        {
            audit.Record(http, user, JudgementPages.DecisionPurpose, AuditAction.Change, Subject(id), [], [], "rejected");
            return Rejected(ui, id, ui.T("目標・担当機関・見直し日を確かめてください。", "Check the goals, the responsible agency and the review date."));
        }

        var plan = new PlanStore(db).Create(new NewPlan(id, judgement, goals, services, agency, review, user.Name), clock.GetUtcNow());
        audit.Record(http, user, JudgementPages.DecisionPurpose, AuditAction.Change, Subject(id), [DataCategory.Resident], ["plan"], "recorded:plan:" + plan.PlanId.ToString(CultureInfo.InvariantCulture));
        return Results.Redirect($"/children/{id}#plans");
    }

    private static async Task<IResult> UpdatePlan(long id, HttpContext http, AccessPolicy policy, MimamoriDatabase db, AccessAudit audit, TimeProvider clock)
    {
        var ui = Ui.For(http);
        var user = ui.User!;
        var store = new PlanStore(db);
        var plan = store.Find(id);
        if (Refused(ui, policy, db, audit, plan?.PersonId, "plan:" + id.ToString(CultureInfo.InvariantCulture)) is { } refused)
        {
            return refused;
        }

        var form = await http.Request.ReadFormAsync();
        var status = form["status"].ToString();
        if (ParseDay(form["review_on"]) is not { } review || !PlanStatus.All.Contains(status))
        {
            audit.Record(http, user, JudgementPages.DecisionPurpose, AuditAction.Change, Subject(plan!.PersonId), [], [], "rejected");
            return Rejected(ui, plan.PersonId, ui.T("見直し日と状態を確かめてください。", "Check the review date and the state."));
        }

        store.Update(id, review, status, user.Name, clock.GetUtcNow());
        audit.Record(http, user, JudgementPages.DecisionPurpose, AuditAction.Change, Subject(plan!.PersonId), [DataCategory.Resident], ["plan.review_on", "plan.status"], "reviewed:plan:" + id.ToString(CultureInfo.InvariantCulture));
        return Results.Redirect($"/children/{plan.PersonId}#plans");
    }

    private static async Task<IResult> AddTask(long id, HttpContext http, AccessPolicy policy, MimamoriDatabase db, AccessAudit audit, TimeProvider clock)
    {
        var ui = Ui.For(http);
        var user = ui.User!;
        var store = new PlanStore(db);
        var plan = store.Find(id);
        if (Refused(ui, policy, db, audit, plan?.PersonId, "plan:" + id.ToString(CultureInfo.InvariantCulture)) is { } refused)
        {
            return refused;
        }

        var form = await http.Request.ReadFormAsync();
        var title = form["title"].ToString().Trim();
        var assignee = form["assignee"].ToString().Trim();
        if (title.Length is 0 or > 200 || assignee.Length is 0 or > 100 || ParseDay(form["due_on"]) is not { } due || plan!.Status != PlanStatus.Active)
        {
            audit.Record(http, user, JudgementPages.DecisionPurpose, AuditAction.Change, Subject(plan!.PersonId), [], [], "rejected");
            return Rejected(ui, plan.PersonId, ui.T("タスク・期限・担当者を確かめてください（終了した計画にはタスクを追加できません）。", "Check the task, due date and assignee (an ended plan takes no new tasks)."));
        }

        var task = store.AddTask(new NewTask(id, title, due, assignee, user.Name), clock.GetUtcNow());
        audit.Record(http, user, JudgementPages.DecisionPurpose, AuditAction.Change, Subject(plan.PersonId), [DataCategory.Resident], ["task"], "recorded:task:" + task.TaskId.ToString(CultureInfo.InvariantCulture));
        return Results.Redirect($"/children/{plan.PersonId}#plans");
    }

    private static IResult CompleteTask(long id, HttpContext http, AccessPolicy policy, MimamoriDatabase db, AccessAudit audit, TimeProvider clock)
    {
        var ui = Ui.For(http);
        var user = ui.User!;
        var store = new PlanStore(db);
        var task = store.FindTask(id);
        if (Refused(ui, policy, db, audit, task?.PersonId, "task:" + id.ToString(CultureInfo.InvariantCulture)) is { } refused)
        {
            return refused;
        }

        var done = store.CompleteTask(id, user.Name, clock.GetUtcNow());
        audit.Record(http, user, JudgementPages.DecisionPurpose, AuditAction.Change, Subject(task!.PersonId), [DataCategory.Resident], ["task.status"], (done ? "done:task:" : "unchanged:task:") + id.ToString(CultureInfo.InvariantCulture));
        return Results.Redirect($"/children/{task.PersonId}#plans");
    }

    /// <summary>
    /// The refusal for a write about a child, or null when the user may decide and the child is in their scope. A
    /// missing plan or task and a child out of scope answer alike, so that ids cannot be probed.
    /// </summary>
    private static IResult? Refused(Ui ui, AccessPolicy policy, MimamoriDatabase db, AccessAudit audit, long? personId, string what)
    {
        var user = ui.User!;
        var subject = personId is { } p ? Subject(p) : what;
        if (!JudgementPages.MayDecide(policy, user))
        {
            audit.Record(ui.Http, user, JudgementPages.DecisionPurpose, AuditAction.Change, subject, [], [], "denied");
            return Forbidden(ui);
        }

        if (personId is not { } id || !new WorklistQuery(db).InScope([id], user.Scope, new Disclosure.Disclosure(policy, user, Purpose.EarlySupport).AllowedCategories).Contains(id))
        {
            audit.Record(ui.Http, user, JudgementPages.DecisionPurpose, AuditAction.Change, subject, [], [], "not_found_or_out_of_scope");
            return Layout.Page(ui, ui.T("見つかりません", "Not found"), H($"<p class=\"notice\">{ui.T("該当するものがないか、閲覧できる範囲の外です。", "Not found, or outside the children you may see.")}</p>"), StatusCodes.Status404NotFound);
        }

        return null;
    }

    private static IResult Rejected(Ui ui, long personId, string problem) =>
        Layout.Page(ui, ui.T("記録できませんでした", "Not recorded"), H($"<p class=\"error\">{problem}</p><p><a href=\"/children/{personId}#plans\">{ui.T("戻る", "Back")}</a></p>"), StatusCodes.Status400BadRequest);

    private static IResult Forbidden(Ui ui) =>
        Layout.Forbidden(ui, ui.T("支援計画は、アクセス方針で判定が認められた役割（相談員・統括・保健師）のみが扱えます。", "Only roles the access policy allows to decide (caseworkers, supervisors, public health nurses) may use support plans."));

    internal static string Subject(long personId) => "person:" + personId.ToString(CultureInfo.InvariantCulture);

    internal static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    internal static DateOnly? ParseDay(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
}
