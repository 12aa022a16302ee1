using System.Collections.Concurrent;
using System.Globalization;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Mimamori.Needs.Indicators;
using Mimamori.Needs.Model;
using Mimamori.Needs.Scoring;
using Mimamori.Needs.Validation;
using Mimamori.Privacy.Access;
using Mimamori.Privacy.Audit;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Judgement;
using Mimamori.Storage.Pipeline;
using Mimamori.Web.Rendering;
using Mimamori.Web.Security;
using static Mimamori.Web.Rendering.Html;

namespace Mimamori.Web;

/// <summary>
/// Is the list valid? (福岡市's question.) The list as the rules would have drawn it at a past reference date, against
/// the needs confirmed afterwards in the linked data: precision, recall and lead time per difficulty, with plots drawn
/// here as inline SVG (no script, no outside request). Then the model card: how the statistical model was trained and
/// tested, its calibration plot, and each band with what it means written next to it. Figures are aggregates; counts
/// from 1 to 4 are not shown.
/// </summary>
public static class ValidityPages
{
    /// <summary>How far back the list may be taken, in months before the data's reference date (0: the stored list).</summary>
    public static IReadOnlyList<int> MonthsBack { get; } = [0, 6, 12, 18, 24];

    private const string Outcome = "confirmed_need";

    // A backtest reads every linked fact once; the figures are kept per database, detection run and period.
    private static readonly ConcurrentDictionary<(string Database, long Run, int Back), Lazy<Backtest>> Cache = new();

    /// <summary>Maps the area's endpoints (under <c>/validity</c>).</summary>
    public static IEndpointRouteBuilder MapValidityPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/validity", Show).RequireAuthorization();
        return app;
    }

    /// <summary>
    /// Who may see the figures: city-wide aggregates, so only users whose scope is the whole city and whose role decides
    /// about children or checks data quality.
    /// </summary>
    internal static bool MaySee(AccessPolicy policy, User user) =>
        user.Scope.Kind == ScopeKind.All && (JudgementPages.MayDecide(policy, user) || policy.SeesChildren(user, Purpose.DataQuality));

    /// <summary>The area's link in the page header, or nothing when the user may not use it.</summary>
    internal static Markup NavLink(Ui ui) =>
        ui.User is { } user && MaySee(AccessPolicy.Default, user) ? H($"<a href=\"/validity\">{ui.T("リストの妥当性", "Validity of the list")}</a>") : Markup.Empty;

    /// <summary>The figures for one period, or why there are none.</summary>
    public sealed record Backtest(ListValidityReport? Report, string? WhyNone, DateOnly Reference, string Rules);

    private static IResult Show(HttpContext http, AccessPolicy policy, MimamoriDatabase db, AccessAudit audit)
    {
        var ui = Ui.For(http);
        var user = ui.User!;
        var purpose = JudgementPages.MayDecide(policy, user) ? JudgementPages.DecisionPurpose : Purpose.DataQuality;
        if (!MaySee(policy, user))
        {
            audit.Record(http, user, purpose, AuditAction.View, "validity", [], [], "denied");
            return Layout.Forbidden(ui, ui.T("リストの妥当性は、市全体を担当し判定またはデータ品質確認を行う役割のみが閲覧できます。", "Only city-wide roles that decide about children or check data quality may see the validity figures."));
        }

        var back = int.TryParse(http.Request.Query["months"], NumberStyles.None, CultureInfo.InvariantCulture, out var m) && MonthsBack.Contains(m) ? m : 12;
        var (asOf, run) = LatestDetection(db);
        Backtest? test = asOf is { } r0 ? Cache.GetOrAdd((db.Display, run, back), _ => new Lazy<Backtest>(() => Compute(db, r0, back))).Value : null;
        var card = ModelStore.LatestModel(db, Outcome) is { } latest ? ModelCard.FromJson(latest.Card) : null;
        audit.Record(http, user, purpose, AuditAction.View, "validity", ["child_welfare", "education"], ["aggregate_counts", "model_card"], "allowed");

        var body = H($"""
            <p class="notice">{ui.T("過去のある時点（基準日）に見守りリストに載っていたこども（段階が「高」または「中」）が、その後に支援が必要と確認されたかを、連携データで確かめます。判定はその時点までのデータだけで計算し直しています。人数が1〜4人の欄は表示しません。", "Whether the children on the watch list at a past reference date (band high or medium) later had a need confirmed, checked in the linked data. The list is recomputed from the data available at that date only. Counts of 1 to 4 are not shown.")}</p>
            <p>{ui.T("支援が必要と確認された、とは", "A need counts as confirmed by")}: {ui.T("要対協への登録（要保護・要支援児童）または児童相談所の虐待相談（虐待・ネグレクト）、年度内の欠席30日以上（不登校、文部科学省の定義）。基準日までに確認済みのこどもは、すでに把握されているため数えません。", "a 要対協 registration (children requiring protection or support) or a 児童相談所 abuse case (abuse and neglect); 30 or more days' absence within a school year (不登校, MEXT's definition). Children already confirmed by the reference date were known, so they are left out.")}</p>
            <p class="periods">{ui.T("基準日", "Reference date")}: {Each(MonthsBack, b => b == back ? H($"<strong>{Period(ui, b)}</strong> ") : H($"<a href=\"/validity?months={b}\">{Period(ui, b)}</a> "))}</p>
            {(test is null ? H($"<p class=\"missing\">{ui.T("まだ判定（detect）が実行されていません。", "Detection has not run yet.")}</p>") : Figures(ui, test))}
            <h2 id="model-card">{ui.T("モデルカード", "Model card")}</h2>
            {(card is null ? H($"<p class=\"missing\">{ui.T("統計モデルはまだ学習されていません（ルールによる判定のみ）。", "No statistical model has been trained (rules only).")}</p>") : ModelCardSection(ui, card))}
            """);
        return Layout.Page(ui, ui.T("リストの妥当性とモデルカード", "Validity of the list and the model card"), body);
    }

    private static string Period(Ui ui, int back) => back == 0 ? ui.T("保存されているリスト", "the stored list") : ui.T($"{back}か月前", $"{back} months back");

    private static (DateOnly? AsOf, long Run) LatestDetection(MimamoriDatabase db)
    {
        using var connection = db.Open();
        var run = connection.QueryFirstOrDefault<long?>("SELECT MAX(run_id) FROM pipeline_run WHERE stage = 'detect' AND status = 'succeeded'") ?? 0;
        return (new JudgementStore(db).ReferenceDate(), run);
    }

    /// <summary>
    /// The list at <paramref name="back"/> months before the data's reference date — the stored assessments for 0, the
    /// rules applied again to the facts dated up to then otherwise — against confirmations up to 12 months later.
    /// </summary>
    public static Backtest Compute(MimamoriDatabase db, DateOnly asOf, int back)
    {
        var reference = asOf.AddMonths(-back);
        var facts = LinkedFacts.Load(db);
        var rules = RuleCatalog.Default.Version;
        List<ListFlag> flags;
        HashSet<long> children;
        if (back == 0)
        {
            using var connection = db.Open();
            var stored = connection.Query<(long PersonId, string Difficulty, string Band, string Version)>("SELECT person_id, difficulty, band, model_version FROM need_assessment").ToList();
            flags = stored.Select(s => new ListFlag(s.PersonId, s.Difficulty, s.Band)).ToList();
            children = stored.Select(s => s.PersonId).ToHashSet();
            rules = string.Join(", ", stored.Select(s => s.Version).Distinct(StringComparer.Ordinal));
        }
        else
        {
            var scorer = new NeedScorer(RuleCatalog.Default, reference);
            var assessed = facts.Children().SelectMany(scorer.Assess).ToList();
            flags = assessed.Select(a => new ListFlag(a.PersonId, a.Difficulty, a.Band)).ToList();
            children = assessed.Select(a => a.PersonId).ToHashSet();
        }

        var kinds = ListValidity.OutcomeKinds.ToHashSet(StringComparer.Ordinal);
        var outcomes = children.SelectMany(p => (facts.Facts.GetValueOrDefault(p) ?? []).Where(f => f.Date is not null && kinds.Contains(f.Kind))
            .Select(f => new OutcomeFact(p, f.Kind, f.Date!.Value, f.Text, f.Number))).ToList();

        // The window is a year, cut at the last date the data can speak for: the run's own date, or later when the
        // exports hold records after it (a run with --as-of in the past).
        var dataEnd = outcomes.Select(o => o.Date).Append(asOf).Max();
        var end = reference.AddMonths(12) < dataEnd ? reference.AddMonths(12) : dataEnd;
        if (end <= reference)
        {
            return new Backtest(null, "window", reference, rules);
        }

        return new Backtest(ListValidity.Compute(children, flags, ListValidity.Confirmations(outcomes), reference, end), null, reference, rules);
    }

    private static Markup Figures(Ui ui, Backtest test)
    {
        if (test.Report is not { } report)
        {
            return H($"<p class=\"missing\">{ui.T($"基準日 {Labels.Date(ui, test.Reference)} の後の観察期間がまだありません。過去の基準日を選んでください。", $"No time has passed since {Labels.Date(ui, test.Reference)}; choose an earlier reference date.")}</p>");
        }

        return H($"""
            <p class="period">{ui.T("基準日", "Reference date")} <strong>{Labels.Date(ui, report.ReferenceDate)}</strong>、{ui.T("観察期間の終わり", "observed until")} <strong>{Labels.Date(ui, report.End)}</strong>。{ui.T("判定ルール", "Rules")}: {test.Rules}</p>
            <table class="validity">
            <thead><tr><th>{ui.T("困りごと", "Difficulty")}</th><th>{ui.T("対象のこども", "Children")}</th><th>{ui.T("基準日までに確認済み（除外）", "Already known (left out)")}</th><th>{ui.T("リストに掲載", "On the list")}</th><th>{ui.T("その後に確認", "Confirmed afterwards")}</th><th>{ui.T("掲載かつ確認", "On the list and confirmed")}</th><th>{ui.T("適合率", "Precision")}</th><th>{ui.T("再現率", "Recall")}</th><th>{ui.T("確認までの月数（中央値）", "Months ahead (median)")}</th></tr></thead>
            <tbody>{Each(report.Rows, r => H($"<tr class=\"validity-row\" data-difficulty=\"{r.Difficulty}\"><td>{DifficultyName(ui, r.Difficulty)}</td><td>{Count(ui, r.Children)}</td><td>{Count(ui, r.AlreadyKnown)}</td><td>{Count(ui, r.Flagged)}</td><td>{Count(ui, r.Confirmed)}</td><td>{Count(ui, r.FlaggedConfirmed)}</td><td class=\"precision\">{Rate(ui, r.PrecisionShown)}</td><td class=\"recall\">{Rate(ui, r.RecallShown)}</td><td class=\"lead\">{Months(ui, r.MedianLeadMonthsShown)}</td></tr>"))}</tbody>
            </table>
            <p class="note">{ui.T("適合率 = リストに載ったこどものうち、その後に確認された割合。再現率 = その後に確認されたこどものうち、基準日にリストに載っていた割合。月数 = 基準日から最初の確認までの月数（リストがどれだけ早く気づけたか）。「いずれか」の掲載は、確認の記録で測れる困りごと（虐待・ネグレクト、不登校）での掲載です。", "Precision: of the children on the list, the share confirmed afterwards. Recall: of the children confirmed afterwards, the share on the list at the reference date. Months ahead: from the reference date to the first confirmation (how early the list noticed). \"Any\" counts the children on the list for a difficulty a confirmation can measure (abuse and neglect, non-attendance).")}</p>
            {If(report.Unmeasured.Count > 0, H($"<p class=\"note unmeasured\">{ui.T("確認の記録がデータにないため測れない困りごと", "Difficulties no confirmation in the data can measure")}: {string.Join("、", report.Unmeasured.Select(d => Labels.Difficulty(ui, d)))}（{ui.T("適合率が0なのではなく、不明です", "their precision is unknown, not zero")}）</p>"))}
            <h3>{ui.T("困りごと別の適合率と再現率", "Precision and recall by difficulty")}</h3>
            {RateChart(ui, report.Rows)}
            <h3>{ui.T("確認までの月数（リスト掲載かつ確認されたこども）", "Months from the list to the confirmation (children on the list and confirmed)")}</h3>
            {LeadChart(ui, report.Rows[0].LeadMonths)}
            """);
    }

    private static string DifficultyName(Ui ui, string difficulty) => difficulty == ListValidity.Any ? ui.T("いずれか", "Any") : Labels.Difficulty(ui, difficulty);

    private static string Count(Ui ui, int n) => ListValidity.IsSuppressed(n) ? ui.T("5未満", "under 5") : n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Rate(Ui ui, double? rate) => rate is { } r ? (r * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : ui.T("（非表示）", "(not shown)");

    private static string Months(Ui ui, double? months) => months is { } v ? ui.T($"{v:0.#}か月", $"{v:0.#} months") : ui.T("（非表示）", "(not shown)");

    /// <summary>Paired bars per difficulty, precision and recall on a 0–100% axis; a suppressed figure gets no bar.</summary>
    private static Markup RateChart(Ui ui, IReadOnlyList<ValidityFigures> rows)
    {
        const int left = 150, barHeight = 14, gap = 12, width = 420;
        var height = (rows.Count * ((2 * barHeight) + gap)) + 40;
        Markup Bar(double? value, int y, string cls, string label) => value is { } v
            ? H($"<rect class=\"{cls}\" x=\"{left}\" y=\"{y}\" width=\"{Math.Round(v * width, 1)}\" height=\"{barHeight}\" fill=\"{(cls == "precision" ? "#1f5f8b" : "#9a6700")}\"><title>{label}</title></rect><text x=\"{left + Math.Round(v * width, 1) + 4}\" y=\"{y + barHeight - 3}\" font-size=\"11\">{(v * 100).ToString("0.0", CultureInfo.InvariantCulture)}%</text>")
            : H($"<text x=\"{left + 4}\" y=\"{y + barHeight - 3}\" font-size=\"11\" fill=\"#5b6774\">{ui.T("非表示（5未満）", "not shown (under 5)")}</text>");
        return H($"""
            <svg class="chart rate-chart" role="img" aria-label="{ui.T("困りごと別の適合率と再現率", "Precision and recall by difficulty")}" viewBox="0 0 {left + width + 60} {height}" width="{left + width + 60}" height="{height}" xmlns="http://www.w3.org/2000/svg">
            <line x1="{left}" y1="0" x2="{left}" y2="{height - 30}" stroke="#5b6774"/>
            {Each(Enumerable.Range(0, 5), i => H($"<line x1=\"{left + (i * width / 4)}\" y1=\"{height - 30}\" x2=\"{left + (i * width / 4)}\" y2=\"{height - 25}\" stroke=\"#5b6774\"/><text x=\"{left + (i * width / 4) - 8}\" y=\"{height - 12}\" font-size=\"11\">{i * 25}%</text>"))}
            {Each(rows.Select((r, i) => (r, y: 8 + (i * ((2 * barHeight) + gap)))), x => H($"""
                <text x="{left - 6}" y="{x.y + barHeight + 4}" font-size="12" text-anchor="end">{DifficultyName(ui, x.r.Difficulty)}</text>
                {Bar(x.r.PrecisionShown, x.y, "precision", ui.T("適合率", "Precision"))}
                {Bar(x.r.RecallShown, x.y + barHeight, "recall", ui.T("再現率", "Recall"))}
                """))}
            </svg>
            <p class="legend note"><span class="swatch-precision">■</span> {ui.T("適合率", "Precision")}　<span class="swatch-recall">■</span> {ui.T("再現率", "Recall")}</p>
            """);
    }

    /// <summary>How many children were confirmed 0, 1, … 12 months after the reference date; months with 1–4 children show no bar.</summary>
    private static Markup LeadChart(Ui ui, IReadOnlyList<int> leadMonths)
    {
        if (leadMonths.Count < ListValidity.MinimumCount)
        {
            return H($"<p class=\"note\">{ui.T("該当するこどもが5人未満のため表示しません。", "Fewer than 5 children: not shown.")}</p>");
        }

        const int left = 40, top = 10, plotHeight = 160, barWidth = 28;
        var counts = Enumerable.Range(0, 13).Select(month => leadMonths.Count(l => l == month)).ToList();
        var max = Math.Max(1, counts.Where(c => !ListValidity.IsSuppressed(c)).DefaultIfEmpty(1).Max());
        var width = left + (13 * (barWidth + 4)) + 10;
        return H($"""
            <svg class="chart lead-chart" role="img" aria-label="{ui.T("確認までの月数の分布", "Distribution of months to confirmation")}" viewBox="0 0 {width} {plotHeight + 50}" width="{width}" height="{plotHeight + 50}" xmlns="http://www.w3.org/2000/svg">
            <line x1="{left}" y1="{top + plotHeight}" x2="{width - 5}" y2="{top + plotHeight}" stroke="#5b6774"/>
            <text x="2" y="{top + 10}" font-size="11">{max}</text><text x="2" y="{top + plotHeight}" font-size="11">0</text>
            {Each(counts.Select((c, month) => (c, month)), x =>
            {
                var xPos = left + (x.month * (barWidth + 4));
                var suppressed = ListValidity.IsSuppressed(x.c);
                var h = suppressed ? 0 : Math.Round((double)x.c / max * plotHeight, 1);
                return H($"""
                    <rect class="lead-bar" data-month="{x.month}" x="{xPos}" y="{top + plotHeight - h}" width="{barWidth}" height="{h}" fill="#1f5f8b"><title>{ui.T($"{x.month}か月", $"{x.month} months")}: {(suppressed ? ui.T("5未満", "under 5") : x.c.ToString(CultureInfo.InvariantCulture))}</title></rect>
                    {If(suppressed, H($"<text x=\"{xPos + 2}\" y=\"{top + plotHeight - 4}\" font-size=\"9\" fill=\"#5b6774\">&lt;5</text>"))}
                    <text x="{xPos + 8}" y="{top + plotHeight + 14}" font-size="11">{x.month}</text>
                    """);
            })}
            <text x="{left}" y="{top + plotHeight + 34}" font-size="11">{ui.T("基準日から確認までの月数", "months from the reference date to the confirmation")}</text>
            </svg>
            """);
    }

    private static Markup ModelCardSection(Ui ui, ModelReport card)
    {
        static string F(double v) => double.IsNaN(v) ? "–" : v.ToString("0.000", CultureInfo.InvariantCulture);
        var bands = FeatureCatalog.Default.Bands;
        var high = bands.GetValueOrDefault("high", 0.3);
        var medium = bands.GetValueOrDefault("medium", 0.1);
        var low = bands.GetValueOrDefault("low", 0.03);
        string Pct(double v) => (v * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";
        var bandRows = new (string Band, string Range, string Calibrated)[]
        {
            ("high", $"{Pct(high)} {ui.T("以上", "or more")}", ui.T($"似たデータのこどもの{Pct(high)}以上が、その後12か月以内に支援が必要と確認されています", $"{Pct(high)} or more of children with similar data had a need confirmed within 12 months")),
            ("medium", $"{Pct(medium)}〜{Pct(high)}", ui.T($"似たデータのこどもの{Pct(medium)}〜{Pct(high)}が確認されています", $"{Pct(medium)} to {Pct(high)} of children with similar data had a need confirmed")),
            ("low", $"{Pct(low)}〜{Pct(medium)}", ui.T($"似たデータのこどもの{Pct(low)}〜{Pct(medium)}が確認されています", $"{Pct(low)} to {Pct(medium)} of children with similar data had a need confirmed")),
            ("none", $"{Pct(low)} {ui.T("未満", "below")}", ui.T("確認された割合は低いですが、データのない項目は判定していません（リスクなしではありません）", "Few were confirmed, but sources without data were not judged (not \"no risk\")")),
        };
        return H($"""
            <p class="notice">{ui.T("モデルは確認の優先度を示す目安で、判断ではありません。判断するのは人です。", "The model prompts a person to look; it decides nothing. A person decides.")}</p>
            <dl class="model-facts">
              <dt>{ui.T("版", "Version")}</dt><dd class="model-version">{card.Version}</dd>
              <dt>{ui.T("予測するもの", "Predicts")}</dt><dd>{card.Outcome}（{card.OutcomeWindow}）</dd>
              <dt>{ui.T("特徴量の基準日", "Features as of")}</dt><dd>{Labels.Date(ui, card.FeaturesAsOf)}</dd>
              <dt>{ui.T("学習・較正・検証", "Fit, calibration, test")}</dt><dd>{card.FitChildren:N0} / {card.CalibrationChildren:N0} / {card.TestChildren:N0}{ui.T("人（世帯単位で分割。検証で確認あり", " children (split by household; test with the outcome")} {Count(ui, card.TestPositives)}{ui.T("人）", ")")}</dd>
            </dl>
            <h3>{ui.T("段階とその意味", "Bands and what they mean")}</h3>
            <table class="bands">
            <thead><tr><th>{ui.T("段階", "Band")}</th><th>{ui.T("較正済み確率", "Calibrated probability")}</th><th>{ui.T("意味", "Meaning")}</th><th>{ui.T("担当者へのお願い", "What it asks of staff")}</th></tr></thead>
            <tbody>{Each(bandRows, b => H($"<tr class=\"band-row\" data-band=\"{b.Band}\"><td><span class=\"band band-{b.Band}\">{Labels.Band(ui, b.Band)}</span></td><td>{b.Range}</td><td class=\"band-calibrated\">{b.Calibrated}</td><td class=\"band-meaning\">{Labels.BandMeaning(ui, b.Band)}</td></tr>"))}</tbody>
            </table>
            <h3>{ui.T("性能（検証用のこどものみ）", "How well it works (test split only)")}</h3>
            <table class="model-measures">
            <thead><tr><th>{ui.T("指標", "Measure")}</th><th>{ui.T("モデル", "Model")}</th><th>{ui.T("ロジスティック回帰", "Logistic regression")}</th><th>{ui.T("ルールのみ", "Rules only")}</th></tr></thead>
            <tbody>
            <tr><td>AUC</td><td class="auc">{F(card.Auc)}</td><td>{F(card.AucLogistic)}</td><td>{F(card.AucRulesOnly)}</td></tr>
            <tr><td>PR-AUC</td><td>{F(card.PrAuc)}</td><td></td><td></td></tr>
            <tr><td>{ui.T($"対応できる人数（上位{Pct(card.Capacity)}）での適合率", $"Precision at capacity (top {Pct(card.Capacity)})")}</td><td>{F(card.AtCapacity.Precision)}</td><td></td><td>{F(card.RulesAtCapacity.Precision)}</td></tr>
            <tr><td>{ui.T("同・再現率", "Recall at capacity")}</td><td>{F(card.AtCapacity.Recall)}</td><td></td><td>{F(card.RulesAtCapacity.Recall)}</td></tr>
            <tr><td>{ui.T("較正誤差（ECE）", "Calibration error (ECE)")}</td><td class="ece">{F(card.Ece)}</td><td></td><td></td></tr>
            <tr><td>{ui.T("最初のサインからの月数（中央値）", "Months since the first signal (median)")}</td><td>{(double.IsNaN(card.MedianLeadTimeMonths) ? "–" : card.MedianLeadTimeMonths.ToString("0.0", CultureInfo.InvariantCulture))}</td><td></td><td></td></tr>
            </tbody>
            </table>
            <h3>{ui.T("較正（予測した確率と実際の割合）", "Calibration (predicted against observed)")}</h3>
            {ReliabilityChart(ui, card.Reliability)}
            <h3>{ui.T("グループ別の結果", "Results by group")}</h3>
            <table class="groups">
            <thead><tr><th>{ui.T("グループ", "Group")}</th><th>{ui.T("値", "Value")}</th><th>{ui.T("こども", "Children")}</th><th>{ui.T("確認あり", "With the outcome")}</th><th>AUC</th><th>{ui.T("掲載率", "Flagged")}</th><th>{ui.T("適合率", "Precision")}</th><th>{ui.T("再現率", "Recall")}</th></tr></thead>
            <tbody>{Each(card.GroupResults, g => ListValidity.IsSuppressed(g.Children) || ListValidity.IsSuppressed(g.Positives)
                ? H($"<tr><td>{g.Group}</td><td>{g.Value}</td><td colspan=\"6\">{ui.T("5未満のため非表示", "under 5: not shown")}</td></tr>")
                : H($"<tr><td>{g.Group}</td><td>{g.Value}</td><td>{g.Children:N0}</td><td>{g.Positives:N0}</td><td>{F(g.Auc)}</td><td>{Pct(g.FlagRate)}</td><td>{F(g.Precision)}</td><td>{F(g.Recall)}</td></tr>"))}</tbody>
            </table>
            <h3>{ui.T("使ってはいけないこと", "Must not be used for")}</h3>
            <ul class="must-not">
              <li>{ui.T("人の判断を経ずに、こどもや家庭について何かを決めること", "Deciding anything about a child or family without a person's judgement")}</li>
              <li>{ui.T("支援の打ち切り・制裁・受給資格や優先順位の決定", "Removing support, sanctions, eligibility or priority for services")}</li>
              <li>{ui.T("低い確率を「リスクなし」と読むこと（データのない項目は不明です）", "Reading a low probability as \"no risk\" (missing data is unknown)")}</li>
              <li>{ui.T("学校・地域・職員の比較や順位付け、目的外の利用", "Comparing or ranking schools, areas or staff; any other purpose")}</li>
              <li>{ui.T("学び直しと較正・グループ差の再確認をしないまま、他の自治体や他の年度に使うこと", "Another municipality or year without retraining and re-checking calibration and group gaps")}</li>
            </ul>
            """);
    }

    /// <summary>Mean predicted probability against the observed rate per bin, with the diagonal of perfect calibration; bins of 1–4 children are left out.</summary>
    private static Markup ReliabilityChart(Ui ui, IReadOnlyList<ReliabilityBin> bins)
    {
        const int size = 240, left = 40, top = 10;
        var shown = bins.Where(b => b.Count >= ListValidity.MinimumCount).ToList();
        double X(double p) => Math.Round(left + (p * size), 1);
        double Y(double p) => Math.Round(top + size - (Math.Clamp(p, 0, 1) * size), 1);
        return H($"""
            <svg class="chart reliability-chart" role="img" aria-label="{ui.T("較正プロット", "Calibration plot")}" viewBox="0 0 {left + size + 20} {size + 50}" width="{left + size + 20}" height="{size + 50}" xmlns="http://www.w3.org/2000/svg">
            <rect x="{left}" y="{top}" width="{size}" height="{size}" fill="none" stroke="#5b6774"/>
            <line x1="{X(0)}" y1="{Y(0)}" x2="{X(1)}" y2="{Y(1)}" stroke="#d5dbe1" stroke-dasharray="4 3"/>
            <polyline fill="none" stroke="#1f5f8b" stroke-width="2" points="{string.Join(" ", shown.Select(b => $"{X(b.MeanPredicted).ToString(CultureInfo.InvariantCulture)},{Y(b.Observed).ToString(CultureInfo.InvariantCulture)}"))}"/>
            {Each(shown, b => H($"<circle class=\"reliability-point\" cx=\"{X(b.MeanPredicted)}\" cy=\"{Y(b.Observed)}\" r=\"4\" fill=\"#1f5f8b\"><title>{ui.T("予測", "predicted")} {b.MeanPredicted:0.000} / {ui.T("実際", "observed")} {b.Observed:0.000} ({b.Count:N0})</title></circle>"))}
            <text x="{left}" y="{top + size + 16}" font-size="11">0</text><text x="{left + size - 8}" y="{top + size + 16}" font-size="11">1</text>
            <text x="{left + 50}" y="{top + size + 34}" font-size="11">{ui.T("予測した確率", "predicted probability")}</text>
            <text x="2" y="{top + 10}" font-size="11">1</text><text x="2" y="{top + size}" font-size="11">0</text>
            </svg>
            <p class="note">{ui.T("点線に近いほど、確率がそのまま実際の割合を表しています（5人未満の区間は表示しません）。", "The closer to the dashed line, the more the probability means what it says (bins of fewer than 5 children are not shown).")}</p>
            """);
    }
}
