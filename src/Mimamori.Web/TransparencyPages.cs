using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Mimamori.Ingestion.Specs;
using Mimamori.Privacy.Access;
using Mimamori.Web.Rendering;
using static Mimamori.Web.Rendering.Html;

namespace Mimamori.Web;

/// <summary>
/// The public transparency page (no sign-in): which data items the city links, for which purposes, under which legal
/// basis, kept how long, and which staff roles may see each kind of data. It is generated from the same access policy
/// and feed specs that the software enforces, so the published description cannot drift from what the system does.
/// It shows no personal data, so reading it is not recorded in the audit trail.
/// </summary>
public static class TransparencyPages
{
    /// <summary>Maps <c>/transparency</c> (HTML) and <c>/transparency.json</c>.</summary>
    public static IEndpointRouteBuilder MapTransparencyPages(this IEndpointRouteBuilder app, IReadOnlyList<FeedSpec> feeds)
    {
        app.MapGet("/transparency", (HttpContext http, AccessPolicy policy) => Show(http, policy, feeds)).AllowAnonymous();
        app.MapGet("/transparency.json", (AccessPolicy policy) => Results.Json(Describe(policy, feeds))).AllowAnonymous();
        return app;
    }

    /// <summary>What the page says, as data: categories with their feeds and items, purposes, legal bases and roles.</summary>
    internal static object Describe(AccessPolicy policy, IReadOnlyList<FeedSpec> feeds) => new
    {
        policy_version = policy.Version,
        purposes = policy.Purposes.Select(p => new { id = p.Id, ja = p.Ja, en = p.En }),
        legal_bases = policy.LegalBases.Select(b => new { id = b.Id, ja = b.Ja, en = b.En, requires_consent = b.RequiresConsent }),
        categories = policy.Categories.Select(c => new
        {
            id = c.Id,
            ja = c.Ja,
            en = c.En,
            legal_bases = c.LegalBases,
            purposes = c.Purposes,
            retention_years = c.RetentionYears,
            feeds = FeedsOf(feeds, c.Id).Select(f => new
            {
                source = f.Source,
                ja = f.Title.Ja,
                en = f.Title.En,
                department = f.Department,
                legal_basis = f.LegalBasis,
                items = Items(f),
            }),
            roles = policy.Roles.ToDictionary(r => r.Id, r => Access(policy, r, c).Code),
        }),
    };

    private static IResult Show(HttpContext http, AccessPolicy policy, IReadOnlyList<FeedSpec> feeds)
    {
        var ui = Ui.For(http);
        var body = H($"""
            <p>{ui.T(
                "この市では、支援が必要なこどもと家庭に早く気づき、使える支援を届けるために、市が既に持っている次の情報を結び付けて利用しています。判断するのは職員であり、ソフトウェアではありません。利用はすべて記録され、個人情報保護担当が確認しています。ご自身の情報の開示・訂正を求めることができます。",
                "To notice early the children and families who need support and to tell them about support they can use, the city links the following information it already holds. Staff decide, never the software. Every use is recorded and reviewed by the privacy officer. You may ask to see or correct the information held about you.")}</p>
            <p class="meta">{ui.T("方針の版", "Policy version")}: {policy.Version}</p>
            <h2>{ui.T("利用目的", "Purposes")}</h2>
            <ul>{Each(policy.Purposes, p => H($"<li>{ui.T(p.Ja, p.En)}</li>"))}</ul>
            <h2>{ui.T("法的根拠", "Legal bases")}</h2>
            <ul>{Each(policy.LegalBases, b => H($"<li>{ui.T(b.Ja, b.En)}{If(b.RequiresConsent, H($"（{ui.T("同意が必要", "consent required")}）"))}</li>"))}</ul>
            <h2>{ui.T("利用する情報の区分", "Kinds of information used")}</h2>
            {Each(policy.Categories, c => Category(ui, policy, feeds, c))}
            <h2>{ui.T("職員の役割ごとに見られる情報", "What each staff role may see")}</h2>
            <table class="matrix">
            <thead><tr><th>{ui.T("役割", "Role")}</th>{Each(policy.Categories, c => H($"<th>{ui.T(c.Ja, c.En)}</th>"))}</tr></thead>
            <tbody>{Each(policy.Roles, r => H($"<tr><th>{ui.T(r.Ja, r.En)}</th>{Each(policy.Categories, c => Cell(ui, Access(policy, r, c)))}</tr>"))}</tbody>
            </table>
            <p class="meta">{ui.T("この内容は機械で読める形式でも公開しています", "Also published in machine-readable form")}: <a href="/transparency.json">/transparency.json</a></p>
            """);
        return Layout.Page(ui, ui.T("情報の利用について", "How your information is used"), body);
    }

    private static Markup Category(Ui ui, AccessPolicy policy, IReadOnlyList<FeedSpec> feeds, DataCategory c)
    {
        var bases = c.LegalBases.Select(policy.FindLegalBasis).OfType<LegalBasis>().Select(b => ui.T(b.Ja, b.En));
        var purposes = c.Purposes.Select(policy.FindPurpose).OfType<Purpose>().Select(p => ui.T(p.Ja, p.En));
        var years = c.RetentionYears.ToString(CultureInfo.InvariantCulture);
        return H($"""
            <section class="category" id="category-{c.Id}">
            <h3>{ui.T(c.Ja, c.En)}</h3>
            <dl>
              <dt>{ui.T("法的根拠", "Legal basis")}</dt><dd>{string.Join(ui.T("、", "; "), bases)}</dd>
              <dt>{ui.T("利用目的", "Purposes")}</dt><dd>{string.Join(ui.T("、", "; "), purposes)}</dd>
              <dt>{ui.T("保存期間", "Kept for")}</dt><dd>{ui.T($"最終更新から{years}年", $"{years} years after the last update")}</dd>
            </dl>
            {If(FeedsOf(feeds, c.Id).Count == 0, H($"<p class=\"meta\">{ui.T("現在この区分の情報は受け入れていません。", "No information of this kind is taken in at present.")}</p>"))}
            {Each(FeedsOf(feeds, c.Id), f => H($"<p><strong>{ui.T(f.Title.Ja, f.Title.En)}</strong>（{f.Department}）: {string.Join("、", Items(f))}</p>"))}
            </section>
            """);
    }

    private static Markup Cell(Ui ui, RoleAccess access) => H($"<td class=\"access-{access.Code}\">{access.Text(ui)}</td>");

    private static List<FeedSpec> FeedsOf(IReadOnlyList<FeedSpec> feeds, string category) =>
        feeds.Where(f => f.Category == category).OrderBy(f => f.Source, StringComparer.Ordinal).ToList();

    // The items as the department names them (the column headings of its export); columns that are neither a
    // person's identity nor a fact (e.g. a vendor's internal flags) are not taken in and so are not listed.
    private static List<string> Items(FeedSpec feed) =>
        feed.Columns.Where(c => c.Role is not null || c.Fact is not null).Select(c => c.Name).Distinct(StringComparer.Ordinal).ToList();

    private static RoleAccess Access(AccessPolicy policy, Role role, DataCategory category)
    {
        var user = new User("transparency", role.Id, role.Id, string.Empty, Scope.All);
        var plain = policy.Decide(user, category.Id, role.DefaultPurpose);
        if (plain.IsAllowed)
        {
            return RoleAccess.Allowed;
        }

        var withConsent = policy.Decide(user, category.Id, role.DefaultPurpose, new HashSet<string>(policy.LegalBases.Select(b => b.Id), StringComparer.Ordinal));
        return withConsent.IsAllowed ? RoleAccess.WithConsent
            : plain.IsVisible ? RoleAccess.Masked
            : RoleAccess.None;
    }

    private sealed record RoleAccess(string Code, string Ja, string En)
    {
        public static readonly RoleAccess Allowed = new("allow", "閲覧可", "yes");
        public static readonly RoleAccess WithConsent = new("consent", "同意等がある場合のみ", "only with consent or a specific legal basis");
        public static readonly RoleAccess Masked = new("mask", "有無のみ（内容は伏字）", "existence only (values masked)");
        public static readonly RoleAccess None = new("deny", "不可", "no");

        public string Text(Ui ui) => ui.T(Ja, En);
    }
}
