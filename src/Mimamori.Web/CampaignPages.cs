using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Mimamori.Privacy.Access;
using Mimamori.Privacy.Audit;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Outreach;
using Mimamori.Support.Outreach;
using Mimamori.Support.Programs;
using Mimamori.Web.Rendering;
using Mimamori.Web.Security;
using static Mimamori.Web.Rendering.Html;

namespace Mimamori.Web;

/// <summary>
/// Outreach campaigns for staff: the dry run (who would receive which offer, in which wording, at which address),
/// supervisor approval before anything is sent, delivery and answers per message, and the nudge experiment's
/// uptake per wording with 95% Wilson intervals. Every household shown is recorded in the audit trail.
/// </summary>
public static class CampaignPages
{
    /// <summary>Households listed on one campaign page (each listing is an audited disclosure of name and address).</summary>
    public const int PageSize = 200;

    /// <summary>Maps <c>/campaigns</c>.</summary>
    public static IEndpointRouteBuilder MapCampaignPages(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var clock = app.ServiceProvider.GetRequiredService<TimeProvider>();
        app.MapGet("/campaigns", List).RequireAuthorization();
        app.MapGet("/campaigns/{id}", Show).RequireAuthorization();
        app.MapGet("/campaigns/{id}/results", Results_).RequireAuthorization();
        app.MapPost("/campaigns/{id}/approve", (HttpContext http, string id, MimamoriDatabase db, AccessAudit audit) => Approve(http, id, db, audit, clock))
            .RequireAuthorization().RequireAntiforgeryToken();
        return app;
    }

    /// <summary>Caseworkers prepare outreach and supervisors approve it; no other role sees families' addresses here.</summary>
    internal static bool MaySee(User user) => user.Role is Role.Caseworker or Role.Supervisor;

    /// <summary>Who a campaign is addressed to, in words.</summary>
    private static string TargetLabel(Ui ui, string target) => target switch
    {
        "unclaimed" => ui.T("受給資格がありそうで未利用の世帯", "Households that appear eligible but do not receive the support"),
        "judged" => ui.T("相談員が支援が必要と判定し、案内を承認したこどもの世帯", "Households of children a caseworker judged to need support and approved for an offer"),
        _ => target,
    };

    private static IResult List(HttpContext http, MimamoriDatabase db, AccessAudit audit)
    {
        var ui = Ui.For(http);
        var user = ui.User!;
        if (!MaySee(user))
        {
            audit.Record(http, user, Purpose.Outreach, AuditAction.Search, "campaigns", [], [], "denied");
            return Forbidden(ui);
        }

        audit.Record(http, user, Purpose.Outreach, AuditAction.Search, "campaigns", [], [], "allowed");
        var campaigns = new CampaignStore(db).List();
        var body = H($"""
            <p>{ui.T("支援制度のお知らせ（プッシュ型支援）のキャンペーンです。統括の承認があるまで何も送られません。", "Campaigns offering support to families. Nothing is sent until a supervisor approves.")}</p>
            <table class="campaigns">
            <thead><tr><th>{ui.T("キャンペーン", "Campaign")}</th><th>{ui.T("状態", "State")}</th><th>{ui.T("通数", "Messages")}</th><th>{ui.T("承認", "Approved by")}</th><th>{ui.T("回答", "Answers")}</th><th></th></tr></thead>
            <tbody>{Each(campaigns, c => H($"<tr class=\"campaign\"><td><a href=\"/campaigns/{c.Campaign}\">{c.Campaign}</a></td><td>{State(ui, c.State)}</td><td>{c.Messages.Values.Sum()}</td><td>{c.ApprovedBy}</td><td>{c.Responses.Values.Sum()}</td><td><a href=\"/campaigns/{c.Campaign}/results\">{ui.T("効果", "Results")}</a></td></tr>"))}</tbody>
            </table>
            {If(campaigns.Count == 0, H($"<p>{ui.T("キャンペーンはまだありません（mimamori outreach で作成されます）。", "No campaigns yet (mimamori outreach drafts one).")}</p>"))}
            """);
        return Layout.Page(ui, ui.T("お知らせキャンペーン", "Outreach campaigns"), body);
    }

    private static IResult Show(HttpContext http, string id, MimamoriDatabase db, AccessAudit audit)
    {
        var ui = Ui.For(http);
        var user = ui.User!;
        if (!MaySee(user))
        {
            audit.Record(http, user, Purpose.Outreach, AuditAction.View, "campaign:" + id, [], [], "denied");
            return Forbidden(ui);
        }

        var store = new CampaignStore(db);
        var campaign = store.Find(id);
        if (campaign is null)
        {
            return Layout.Page(ui, ui.T("見つかりません", "Not found"), H($"<p><a href=\"/campaigns\">{ui.T("一覧へ", "Back")}</a></p>"), StatusCodes.Status404NotFound);
        }

        var page = int.TryParse(http.Request.Query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p > 0 ? p : 1;
        var all = store.Messages(id);
        var shown = all.Skip((page - 1) * PageSize).Take(PageSize).ToList();

        // One event per household listed, in one transaction, before the page is sent.
        audit.RecordAll(shown.Select(m => audit.Event(http, user, Purpose.Outreach, AuditAction.Search, "household:" + m.HouseholdNo, ["resident"], ["name", "address", "postal_code"], "allowed")).ToList());
        var programs = ProgramCatalog.Default.Programs.ToDictionary(x => x.Id, StringComparer.Ordinal);
        var approve = campaign.State == MessageState.Draft && user.Role == Role.Supervisor
            ? H($"""<form method="post" action="/campaigns/{id}/approve" class="approve">{AntiforgeryCheck.Field(http)}<button type="submit">{ui.T($"{all.Count}通の送付を承認する", $"Approve sending {all.Count} messages")}</button></form>""")
            : campaign.State == MessageState.Draft
                ? H($"<p class=\"notice\">{ui.T("送付には統括の承認が必要です。", "A supervisor must approve before anything is sent.")}</p>")
                : H($"<p class=\"ok\">{ui.T($"承認済み（{campaign.ApprovedBy}、{campaign.ApprovedAt}）", $"Approved by {campaign.ApprovedBy} at {campaign.ApprovedAt}")}</p>");
        var pages = (all.Count + PageSize - 1) / PageSize;

        // A supervisor approving offers of a program the data cannot decide should know these are families to tell,
        // not families known to qualify, and why.
        var undetermined = all.Select(m => m.Program).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(x => programs.GetValueOrDefault(x)).OfType<SupportProgram>().Where(x => !x.DeterminedByData).ToList();
        var undeterminedNote = If(undetermined.Count > 0, H($"""
            <section class="undetermined">
            <h2>{ui.T("データだけでは対象かどうか決まらない制度", "Programs the data cannot decide")}</h2>
            <p>{ui.T("次の制度のお知らせは、対象と決まった世帯ではなく、知らせておきたい世帯に送るものです。", "Offers of these programs go to households worth telling, not to households known to qualify.")}</p>
            <ul>{Each(undetermined, x => H($"<li data-program=\"{x.Id}\"><strong>{ui.T(x.Ja, x.En)}</strong>: {ui.T(x.UndeterminedReason?.Ja ?? string.Empty, x.UndeterminedReason?.En ?? string.Empty)}</li>"))}</ul>
            </section>
            """));
        var body = H($"""
            <dl class="campaign-facts">
              <dt>{ui.T("状態", "State")}</dt><dd class="state">{State(ui, campaign.State)}</dd>
              <dt>{ui.T("対象", "Target")}</dt><dd>{TargetLabel(ui, campaign.Target)}</dd>
              <dt>{ui.T("基準日", "Reference date")}</dt><dd>{campaign.ReferenceDate}</dd>
              <dt>{ui.T("回答期限（期限付き文面）", "Reply-by date (deadline wording)")}</dt><dd>{campaign.Deadline}</dd>
              <dt>{ui.T("文面の割り当て（乱数シード）", "Wording assignment (random seed)")}</dt><dd>{campaign.Seed}</dd>
              <dt>{ui.T("制度カタログ", "Program catalog")}</dt><dd>{campaign.ProgramsVersion}</dd>
            </dl>
            {approve}
            {undeterminedNote}
            <p><a href="/campaigns/{id}/results">{ui.T("文面ごとの効果を見る", "Uptake per wording")}</a></p>
            <h2>{ui.T("送付先と内容（ドライラン）", "Who receives what (dry run)")}</h2>
            <p class="count">{ui.T($"{all.Count}通中 {(page - 1) * PageSize + 1}〜{(page - 1) * PageSize + shown.Count}通目", $"{(page - 1) * PageSize + 1}–{(page - 1) * PageSize + shown.Count} of {all.Count}")}</p>
            <table class="messages">
            <thead><tr><th>#</th><th>{ui.T("世帯", "Household")}</th><th>{ui.T("宛名", "Addressee")}</th><th>{ui.T("住所", "Address")}</th><th>{ui.T("制度", "Program")}</th><th>{ui.T("文面", "Wording")}</th><th>{ui.T("件名", "Subject")}</th><th>{ui.T("経路", "Channel")}</th><th>{ui.T("状態", "State")}</th><th>{ui.T("既読", "Read")}</th><th>{ui.T("回答", "Answer")}</th></tr></thead>
            <tbody>{Each(shown, m => H($"<tr class=\"message\"><td>{m.MessageId}</td><td>{m.HouseholdNo}</td><td>{m.Addressee}</td><td>〒{m.PostalCode} {m.Address}</td><td>{(programs.TryGetValue(m.Program, out var prog) ? ui.T(prog.Ja, prog.En) : m.Program)}</td><td>{Variant(ui, m.Variant)}</td><td>{m.Subject}</td><td>{(m.Email is not null ? ui.T("メール", "e-mail") : ui.T("郵送", "letter"))}</td><td>{State(ui, m.State)}</td><td>{(m.ReadAt is null ? string.Empty : "✓")}</td><td>{Answer(ui, m.Response)}</td></tr>"))}</tbody>
            </table>
            {If(page < pages, H($"<p><a href=\"/campaigns/{id}?page={page + 1}\">{ui.T("次へ", "Next")}</a></p>"))}
            """);
        return Layout.Page(ui, ui.T($"キャンペーン {id}", $"Campaign {id}"), body);
    }

    private static IResult Results_(HttpContext http, string id, MimamoriDatabase db, AccessAudit audit)
    {
        var ui = Ui.For(http);
        var user = ui.User!;
        if (!MaySee(user))
        {
            audit.Record(http, user, Purpose.Outreach, AuditAction.View, "campaign:" + id + ":results", [], [], "denied");
            return Forbidden(ui);
        }

        var store = new CampaignStore(db);
        var campaign = store.Find(id);
        if (campaign is null)
        {
            return Layout.Page(ui, ui.T("見つかりません", "Not found"), H($"<p><a href=\"/campaigns\">{ui.T("一覧へ", "Back")}</a></p>"), StatusCodes.Status404NotFound);
        }

        audit.Record(http, user, Purpose.Outreach, AuditAction.View, "campaign:" + id + ":results", [], [], "allowed");
        var rows = store.CountsByVariant(id).Select(c => (Counts: c, Uptake: Uptake.Of(c.Variant, c.Sent, c.Applied))).ToList();
        var body = H($"""
            <p>{ui.T($"文面は世帯ごとに乱数で割り当てました（シード {campaign.Seed}。同じシードで割り当てを再現できます）。申込率は「申し込みたい」と回答した世帯の割合で、括弧内は95%信頼区間（Wilson法）です。区間が重なる文面の差は偶然の範囲かもしれません。", $"Wordings were assigned to households at random (seed {campaign.Seed}; the same seed reproduces the assignment). Uptake is the share of households that answered \"apply\"; brackets give the 95% Wilson interval. Differences between wordings whose intervals overlap may be chance.")}</p>
            <table class="uptake">
            <thead><tr><th>{ui.T("文面", "Wording")}</th><th>{ui.T("送付", "Sent")}</th><th>{ui.T("既読", "Read")}</th><th>{ui.T("申込", "Applied")}</th><th>{ui.T("辞退", "Declined")}</th><th>{ui.T("配信停止", "Opted out")}</th><th>{ui.T("申込率", "Uptake")}</th><th>{ui.T("95%信頼区間", "95% interval")}</th></tr></thead>
            <tbody>{Each(rows, r => H($"<tr class=\"variant\" data-variant=\"{r.Counts.Variant}\"><td>{Variant(ui, r.Counts.Variant)}</td><td>{r.Counts.Sent}</td><td>{r.Counts.Read}</td><td>{r.Counts.Applied}</td><td>{r.Counts.Declined}</td><td>{r.Counts.OptedOut}</td><td class=\"rate\">{Percent(r.Uptake.Rate)}</td><td class=\"interval\">{Percent(r.Uptake.Low)} – {Percent(r.Uptake.High)}</td></tr>"))}</tbody>
            </table>
            {If(rows.Count == 0, H($"<p>{ui.T("まだ送付されていません。", "Nothing has been sent yet.")}</p>"))}
            <p><a href="/campaigns/{id}">{ui.T("キャンペーンへ戻る", "Back to the campaign")}</a></p>
            """);
        return Layout.Page(ui, ui.T($"文面ごとの効果: {id}", $"Uptake per wording: {id}"), body);
    }

    private static IResult Approve(HttpContext http, string id, MimamoriDatabase db, AccessAudit audit, TimeProvider clock)
    {
        var ui = Ui.For(http);
        var user = ui.User!;
        if (user.Role != Role.Supervisor)
        {
            audit.Record(http, user, Purpose.Outreach, "approve", "campaign:" + id, [], [], "denied");
            return Layout.Forbidden(ui, ui.T("送付の承認はこども家庭センター統括のみが行えます。", "Only the supervisor may approve sending."));
        }

        var count = new CampaignStore(db).Approve(id, user.Name, clock.GetUtcNow());
        audit.Record(http, user, Purpose.Outreach, "approve", "campaign:" + id, [], [], count > 0 ? "approved:" + count.ToString(CultureInfo.InvariantCulture) : "nothing_to_approve");
        return Results.Redirect("/campaigns/" + Uri.EscapeDataString(id));
    }

    private static IResult Forbidden(Ui ui) =>
        Layout.Forbidden(ui, ui.T("お知らせキャンペーンは相談員と統括のみが閲覧できます。", "Only caseworkers and supervisors may see outreach campaigns."));

    private static string Percent(double value) => (value * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static string State(Ui ui, string state) => state switch
    {
        MessageState.Draft => ui.T("下書き（未承認）", "Draft (not approved)"),
        MessageState.Approved => ui.T("承認済み・未送付", "Approved, not sent"),
        MessageState.Sent => ui.T("送付済み", "Sent"),
        MessageState.Delivered => ui.T("配信済み", "Delivered"),
        MessageState.Failed => ui.T("送付失敗", "Failed"),
        _ => state,
    };

    private static string Variant(Ui ui, string variant) => variant switch
    {
        MessageComposer.Plain => ui.T("標準", "Plain"),
        MessageComposer.Easy => ui.T("やさしい日本語", "Easy Japanese"),
        MessageComposer.Deadline => ui.T("期限付き", "Deadline"),
        MessageComposer.English => ui.T("英語", "English"),
        _ => variant,
    };

    private static string Answer(Ui ui, string? response) => response switch
    {
        MessageResponse.Applied => ui.T("申込希望", "Apply"),
        MessageResponse.Declined => ui.T("辞退", "Declined"),
        MessageResponse.OptedOut => ui.T("配信停止", "Opted out"),
        _ => string.Empty,
    };
}
