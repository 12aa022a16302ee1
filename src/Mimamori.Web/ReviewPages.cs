using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Mimamori.Kernel.People;
using Mimamori.Linkage.Records;
using Mimamori.Linkage.Scoring;
using Mimamori.Privacy.Access;
using Mimamori.Privacy.Audit;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Identity;
using Mimamori.Web.Rendering;
using Mimamori.Web.Security;
using static Mimamori.Web.Rendering.Html;

namespace Mimamori.Web;

/// <summary>
/// The linkage review queue for data staff: pairs the model could not decide (a weight between the review and link
/// thresholds, two candidates alike, a 宛名番号 on a clearly different person), each shown side by side with the
/// fields the access policy lets the user see and the waterfall of its match weight. Accepting or rejecting a pair
/// is stored by the records' keys, survives reruns and overrides the model on the next link. Who may do this is the
/// policy's: a role that may see records for checking data quality. Every pair shown and every decision is audited.
/// </summary>
public static class ReviewPages
{
    /// <summary>The audit action of a decision on a pair.</summary>
    public const string DecideAction = "link_decision";

    /// <summary>Maps the area's endpoints (under <c>/review</c>).</summary>
    public static IEndpointRouteBuilder MapReviewPages(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var clock = app.ServiceProvider.GetRequiredService<TimeProvider>();
        app.MapGet("/review", List).RequireAuthorization();
        app.MapGet("/review/{id:long}", Show).RequireAuthorization();
        app.MapGet("/review/person/{id:long}", Links).RequireAuthorization();
        app.MapPost("/review/{id:long}/decide", (HttpContext http, long id, MimamoriDatabase db, AccessPolicy policy, AccessAudit audit) => Decide(http, id, db, policy, audit, clock))
            .RequireAuthorization().RequireAntiforgeryToken();
        return app;
    }

    /// <summary>The area's link in the page header, or nothing when the user may not use it.</summary>
    internal static Markup NavLink(Ui ui) =>
        ui.User is { } user && MayReview(AccessPolicy.Default, user) ? H($"<a href=\"/review\">{ui.T("名寄せの確認", "Linkage review")}</a>") : Markup.Empty;

    /// <summary>
    /// Reviewing links is data-quality work against the registry spine: a role the policy allows to see resident
    /// records for checking data quality may do it (a masked tax rule elsewhere is not enough).
    /// </summary>
    internal static bool MayReview(AccessPolicy policy, User user) => policy.Decide(user, DataCategory.Resident, Purpose.DataQuality).IsAllowed;

    private static IResult List(HttpContext http, MimamoriDatabase db, AccessPolicy policy, AccessAudit audit)
    {
        var ui = Ui.For(http);
        var user = ui.User!;
        if (!MayReview(policy, user))
        {
            audit.Record(http, user, Purpose.DataQuality, AuditAction.Search, "linkage_review", [], [], "denied");
            return Forbidden(ui);
        }

        // The list names no one (sources and weights only), so it is one search event, not one view per pair.
        audit.Record(http, user, Purpose.DataQuality, AuditAction.Search, "linkage_review", [], ["source", "weight", "reason"], "allowed");
        var items = LinkReview.List(db);
        var body = H($"""
            <p>{ui.T("モデルが決めきれなかった記録の組です。同一人物かどうかを確認してください。判断は次回以降の名寄せでモデルより優先されます。", "Pairs of records the model could not decide. Check whether they are the same person; your decision overrides the model from the next linkage run on.")}</p>
            <table class="review-queue">
            <thead><tr><th>#</th><th>{ui.T("記録", "Record")}</th><th>{ui.T("候補", "Candidate")}</th><th>{ui.T("一致の重み", "Match weight")}</th><th>{ui.T("理由", "Reason")}</th><th>{ui.T("初出", "First seen")}</th></tr></thead>
            <tbody>{Each(items, i => H($"<tr class=\"review-item\"><td><a href=\"/review/{i.ReviewId}\">{i.ReviewId}</a></td><td>{i.Source}</td><td>{i.CandidateSource}</td><td>{i.Weight:0.0}</td><td>{Reason(ui, i.Reason)}</td><td>{Seen(ui, i.FirstSeen)}</td></tr>"))}</tbody>
            </table>
            {If(items.Count == 0, H($"<p class=\"ok empty\">{ui.T("確認待ちの組はありません。", "Nothing is waiting for review.")}</p>"))}
            """);
        return Layout.Page(ui, ui.T("名寄せの確認", "Linkage review"), body);
    }

    private static IResult Show(HttpContext http, long id, MimamoriDatabase db, AccessPolicy policy, AccessAudit audit)
    {
        var ui = Ui.For(http);
        var user = ui.User!;
        var subject = "review:" + id.ToString(CultureInfo.InvariantCulture);
        if (!MayReview(policy, user))
        {
            audit.Record(http, user, Purpose.DataQuality, AuditAction.View, subject, [], [], "denied");
            return Forbidden(ui);
        }

        var item = LinkReview.Find(db, id);
        var records = item is null ? null : LinkReview.Records(db, item.RecordId, item.CandidateRecordId);
        if (item is null || records is null || !records.TryGetValue(item.RecordId, out var a) || !records.TryGetValue(item.CandidateRecordId, out var b))
        {
            audit.Record(http, user, Purpose.DataQuality, AuditAction.View, subject, [], [], "not_found");
            return Layout.Page(ui, ui.T("見つかりません", "Not found"), H($"<p class=\"notice\">{ui.T("この組はすでに判断済みか、再実行で変わりました。", "This pair has been decided or changed in a later run.")} <a href=\"/review\">{ui.T("一覧へ", "Back to the queue")}</a></p>"), StatusCodes.Status404NotFound);
        }

        // Both records are disclosed: one event per record, in one transaction, before the page is sent.
        var sides = new[] { a, b }.Select(r => (Record: r, Decision: policy.Decide(user, r.Category, Purpose.DataQuality))).ToList();
        audit.RecordAll([.. sides.Select(s => audit.Event(http, user, Purpose.DataQuality, AuditAction.View, "record:" + s.Record.RecordId.ToString(CultureInfo.InvariantCulture), [s.Record.Category], Fields(s.Decision), s.Decision.IsVisible ? "allowed" : "denied"))]);
        var model = LinkReview.LatestModel(db);
        var explanation = model is null ? null : new PairScorer(model).Explain(a.Identity, LinkKeys.Of(a.Identity), b.Identity, LinkKeys.Of(b.Identity));
        var body = H($"""
            <p class="notice">{ui.T("利用目的", "Purpose")}: {ui.T("データ品質の確認", "Checking data quality")}。{ui.T("この閲覧と判断は記録されます。", "This view and your decision are recorded.")}</p>
            <dl class="review-facts">
              <dt>{ui.T("理由", "Reason")}</dt><dd class="reason">{Reason(ui, item.Reason)}</dd>
              <dt>{ui.T("一致の重み", "Match weight")}</dt><dd class="weight">{item.Weight:0.00}</dd>
              <dt>{ui.T("初出", "First seen")}</dt><dd>{Seen(ui, item.FirstSeen)}</dd>
            </dl>
            <table class="review-pair">
            <thead><tr><th></th><th>{ui.T("記録", "Record")}</th><th>{ui.T("候補（既存の人）", "Candidate (existing person)")}</th></tr></thead>
            <tbody>
            {Row(ui, ui.T("出典", "Source"), sides, (r, _) => H($"{r.Source}（{r.File} {ui.T("行", "line")} {r.Line}）"))}
            {Row(ui, ui.T("氏名", "Name"), sides, (r, _) => H($"{r.Identity.Name.Family} {r.Identity.Name.Given}"))}
            {Row(ui, ui.T("ふりがな", "Reading"), sides, (r, _) => H($"{r.Identity.Name.FamilyKana} {r.Identity.Name.GivenKana}"))}
            {Row(ui, ui.T("生年月日", "Date of birth"), sides, (r, _) => H($"{Labels.Date(ui, r.Identity.BirthDate)}"))}
            {Row(ui, ui.T("性別", "Sex"), sides, (r, d) => Guarded(ui, d, Labels.Sex(ui, SexCode(r.Identity.Sex))))}
            {Row(ui, ui.T("住所", "Address"), sides, (r, d) => Guarded(ui, d, r.Identity.Address ?? "—"))}
            {Row(ui, ui.T("宛名番号", "Resident number"), sides, (r, d) => Guarded(ui, d, r.Identity.AtenaNo ?? "—"))}
            </tbody>
            </table>
            <h2>{ui.T("一致の重みの内訳", "How the match weight adds up")}</h2>
            {(explanation is null ? H($"<p class=\"notice\">{ui.T("名寄せのモデルが見つかりません（mimamori link を実行してください）。", "No linkage model is stored (run mimamori link).")}</p>") : Waterfall(ui, explanation, model!))}
            <form method="post" action="/review/{id}/decide" class="decide">
              {AntiforgeryCheck.Field(http)}
              <button type="submit" name="decision" value="same" class="accept">{ui.T("同一人物としてつなぐ", "Same person: link")}</button>
              <button type="submit" name="decision" value="different" class="reject">{ui.T("別人としてつながない", "Different people: keep apart")}</button>
            </form>
            {If(b.PersonId is not null, H($"<p><a href=\"/review/person/{b.PersonId}\">{ui.T("候補の人につながっている記録と重みを見る", "Records linked to the candidate person, with their weights")}</a></p>"))}
            <p><a href="/review">{ui.T("一覧へ戻る", "Back to the queue")}</a></p>
            """);
        return Layout.Page(ui, ui.T($"名寄せの確認 #{id}", $"Linkage review #{id}"), body);
    }

    /// <summary>Every record linked to one person, each with how it was linked and the waterfall of its weight (no names).</summary>
    private static IResult Links(HttpContext http, long id, MimamoriDatabase db, AccessPolicy policy, AccessAudit audit)
    {
        var ui = Ui.For(http);
        var user = ui.User!;
        var subject = "person:" + id.ToString(CultureInfo.InvariantCulture);
        if (!MayReview(policy, user))
        {
            audit.Record(http, user, Purpose.DataQuality, AuditAction.View, subject, [], [], "denied");
            return Forbidden(ui);
        }

        var links = PersonLinks.Links(db, id);
        audit.Record(http, user, Purpose.DataQuality, AuditAction.View, subject, [], ["source", "link_method", "match_weight"], links.Count == 0 ? "not_found" : "allowed");
        var model = LinkReview.LatestModel(db);
        var body = H($"""
            <p>{ui.T($"{links.Count}件の記録がこの人につながっています。重みは各比較の寄与の合計です。", $"{links.Count} records are linked to this person. Each weight is the sum of its comparisons' contributions.")}</p>
            {Each(links, l => H($"""
                <section class="link">
                <h2>{l.Source}（{l.File} {ui.T("行", "line")} {l.Line}）</h2>
                <p class="method">{Method(ui, l.Method, l.Weight)}</p>
                {(model is not null && Parse(l.Explanation) is { } e ? Waterfall(ui, e, model) : Markup.Empty)}
                </section>
                """))}
            """);
        return Layout.Page(ui, ui.T($"記録のつながり（人 {id}）", $"Links of person {id}"), body, links.Count == 0 ? StatusCodes.Status404NotFound : StatusCodes.Status200OK);
    }

    /// <summary>A stored explanation (JSON), or null for a record that was not scored (the registry record itself, a new person).</summary>
    internal static MatchExplanation? Parse(string json)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        if (!doc.RootElement.TryGetProperty("contributions", out var parts))
        {
            return null;
        }

        var list = parts.EnumerateArray().Select(p => new Contribution(p.GetProperty("comparison").GetString() ?? string.Empty, p.GetProperty("level").GetString() ?? string.Empty, p.GetProperty("weight").GetDouble())).ToList();
        return new MatchExplanation(doc.RootElement.GetProperty("total").GetDouble(), list);
    }

    private static string Method(Ui ui, string method, double weight) => method switch
    {
        "registry" => ui.T("住民記録（この人の基準となる記録）", "Resident registry (the record this person is built on)"),
        "review" => ui.T($"職員の判断でつないだ（重み {weight:0.0}）", $"Linked by a staff decision (weight {weight:0.0})"),
        _ => Labels.Method(ui, method, weight),
    };

    private static async Task<IResult> Decide(HttpContext http, long id, MimamoriDatabase db, AccessPolicy policy, AccessAudit audit, TimeProvider clock)
    {
        var ui = Ui.For(http);
        var user = ui.User!;
        var subject = "review:" + id.ToString(CultureInfo.InvariantCulture);
        if (!MayReview(policy, user))
        {
            audit.Record(http, user, Purpose.DataQuality, DecideAction, subject, [], [], "denied");
            return Forbidden(ui);
        }

        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var decision = form["decision"].ToString();
        if (decision is not (StoredDecision.Same or StoredDecision.Different))
        {
            return Results.Text("判断（same または different）がありません。 / The decision (same or different) is missing.", "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
        }

        var item = LinkReview.Find(db, id);
        if (item is null)
        {
            audit.Record(http, user, Purpose.DataQuality, DecideAction, subject, [], [], "not_found");
            return Results.Redirect("/review");
        }

        var stored = LinkReview.Decide(db, item, decision == StoredDecision.Same, user.Name, clock.GetUtcNow());
        audit.Record(http, user, Purpose.DataQuality, DecideAction, subject, [], ["pair:" + stored.PairKey], stored.Decision);
        return Results.Redirect("/review");
    }

    /// <summary>
    /// The match weight as a waterfall: each comparison's contribution from where the last one ended,
    /// to the total; the link and review thresholds as lines. Inline SVG with presentation attributes only, which
    /// the page's CSP (no inline style) allows.
    /// </summary>
    internal static Markup Waterfall(Ui ui, MatchExplanation explanation, LinkageModel model)
    {
        const int rowHeight = 26, labelWidth = 210, chartWidth = 420;
        var steps = new List<(string Label, double From, double To)>();
        var running = 0.0;
        foreach (var c in explanation.Contributions)
        {
            steps.Add(($"{Comparison(ui, c.Comparison)}: {c.Level}", running, running + c.Weight));
            running += c.Weight;
        }

        steps.Add((ui.T("合計", "Total"), 0, running));
        var values = steps.SelectMany(s => new[] { s.From, s.To }).Append(model.LinkThreshold).Append(model.ReviewThreshold).Append(0).ToList();
        double min = values.Min() - 1, max = values.Max() + 1;
        double X(double v) => labelWidth + ((v - min) / (max - min) * chartWidth);
        var height = (steps.Count + 1) * rowHeight;
        var bars = steps.Select((s, i) =>
        {
            var (left, right) = s.From <= s.To ? (X(s.From), X(s.To)) : (X(s.To), X(s.From));
            var fill = i == steps.Count - 1 ? "#34495e" : s.To >= s.From ? "#2e7d32" : "#c62828";
            var y = (i * rowHeight) + 4;
            var delta = s.To - s.From;
            return H($"""<g class="step"><text x="4" y="{y + 14}" font-size="12">{s.Label}</text><rect x="{left:0.0}" y="{y}" width="{Math.Max(1, right - left):0.0}" height="{rowHeight - 8}" fill="{fill}"></rect><text x="{X(Math.Max(s.From, s.To)) + 4:0.0}" y="{y + 14}" font-size="11">{(i == steps.Count - 1 ? s.To : delta):+0.00;-0.00;0.00}</text></g>""");
        });
        var line = (double v, string label, string colour) => H($"""<line x1="{X(v):0.0}" x2="{X(v):0.0}" y1="0" y2="{height - rowHeight + 4}" stroke="{colour}" stroke-dasharray="4 3"></line><text x="{X(v) + 2:0.0}" y="{height - 6}" font-size="11" fill="{colour}">{label}</text>""");
        return H($"""
            <svg class="waterfall" role="img" aria-label="{ui.T("一致の重みの内訳", "Match weight waterfall")}" width="{labelWidth + chartWidth + 60}" height="{height}" viewBox="0 0 {labelWidth + chartWidth + 60} {height}" xmlns="http://www.w3.org/2000/svg">
            {line(0, "0", "#888888")}
            {line(model.ReviewThreshold, ui.T($"確認 {model.ReviewThreshold:0}", $"review {model.ReviewThreshold:0}"), "#b26a00")}
            {line(model.LinkThreshold, ui.T($"リンク {model.LinkThreshold:0}", $"link {model.LinkThreshold:0}"), "#1b5e20")}
            {Markup.Join(bars)}
            </svg>
            <table class="waterfall-table">
            <thead><tr><th>{ui.T("比較", "Comparison")}</th><th>{ui.T("水準", "Level")}</th><th>{ui.T("寄与", "Contribution")}</th></tr></thead>
            <tbody>{Each(explanation.Contributions, c => H($"<tr class=\"contribution\"><td>{Comparison(ui, c.Comparison)}</td><td>{c.Level}</td><td>{c.Weight:+0.00;-0.00;0.00}</td></tr>"))}
            <tr class="total"><th colspan="2">{ui.T("合計", "Total")}</th><th>{explanation.Total:0.00}</th></tr></tbody>
            </table>
            """);
    }

    private static Markup Row(Ui ui, string label, List<(ReviewRecord Record, AccessDecision Decision)> sides, Func<ReviewRecord, AccessDecision, Markup> value) =>
        H($"<tr><th>{label}</th>{Each(sides, s => s.Decision.IsVisible ? H($"<td>{value(s.Record, s.Decision)}</td>") : H($"<td>{Layout.Masked(ui, ui.T("この区分の記録は閲覧できません", "No access to this category"))}</td>"))}</tr>");

    // Identity fields (name, reading, birth date) are shown to whoever may see the record at all; the rest follows the category.
    private static Markup Guarded(Ui ui, AccessDecision decision, string value) =>
        decision.IsAllowed ? H($"{value}") : Layout.Masked(ui, ui.T("この区分では表示しません（アクセス方針）", "Withheld for this category (access policy)"));

    private static List<string> Fields(AccessDecision decision) =>
        !decision.IsVisible ? [] : decision.IsAllowed ? ["name", "kana", "birth_date", "sex", "address", "atena_no", "source"] : ["name", "kana", "birth_date", "source"];

    private static string? SexCode(Sex sex) => sex switch { Sex.Male => "M", Sex.Female => "F", _ => null };

    private static string Comparison(Ui ui, string id) => id switch
    {
        "prior" => ui.T("事前", "Prior"),
        "name" => ui.T("氏名", "Name"),
        "birth_date" => ui.T("生年月日", "Birth date"),
        "sex" => ui.T("性別", "Sex"),
        "address" => ui.T("住所", "Address"),
        "atena_no" => ui.T("宛名番号", "Resident number"),
        _ => id,
    };

    private static string Reason(Ui ui, string reason) => reason switch
    {
        Linkage.Clustering.IdentityResolver.NumberConflictReason => ui.T("宛名番号は同じだが別人に見える", "Same 宛名番号, but looks like a different person"),
        "two candidates score alike" => ui.T("候補が2人いて差がない", "Two candidates score alike"),
        "weight between the review and link thresholds" => ui.T("重みが確認とリンクの閾値の間", "Weight between the review and link thresholds"),
        Linkage.Clustering.ReturnedResidents.AmbiguousReason => ui.T("転出後の再転入（新しい宛名番号）と見えるが候補が複数", "Came back under a new 宛名番号, but more than one candidate"),
        Linkage.Clustering.ReturnedResidents.WeakReason => ui.T("転出後の再転入（新しい宛名番号）と見えるが重みが閾値の間", "Came back under a new 宛名番号? Weight between the review and link thresholds"),
        _ => reason,
    };

    private static string Seen(Ui ui, string at) =>
        DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? Labels.Date(ui, DateOnly.FromDateTime(JapanTime.ToJapan(t).DateTime)) : at;

    private static IResult Forbidden(Ui ui) =>
        Layout.Forbidden(ui, ui.T("名寄せの確認はデータ品質の確認を担当する役割のみが行えます（アクセス方針）。", "Only roles that check data quality may review linkage (access policy)."));
}
