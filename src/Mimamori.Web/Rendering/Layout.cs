using Microsoft.AspNetCore.Http;
using Mimamori.Privacy.Access;
using Mimamori.Web.Security;
using static Mimamori.Web.Rendering.Html;

namespace Mimamori.Web.Rendering;

/// <summary>The page frame: header with navigation, language switch and sign-out, then the page body.</summary>
public static class Layout
{
    /// <summary>A full HTML page as the response.</summary>
    public static IResult Page(Ui ui, string title, Markup body, int status = StatusCodes.Status200OK)
    {
        ArgumentNullException.ThrowIfNull(ui);
        var user = ui.User;
        var nav = Markup.Empty;
        if (user is not null)
        {
            var role = AccessPolicy.Default.FindRole(user.Role);
            var roleName = role is null ? user.Role : ui.T(role.Ja, role.En);
            nav = H($"""
                <nav aria-label="{ui.T("メニュー", "Menu")}">
                  {If(AccessPolicy.Default.SeesChildren(user, Purpose.EarlySupport), H($"<a href=\"/\">{ui.T("見守りリスト", "Watch list")}</a>"))}
                  {If(AccessPolicy.Default.ReadsAuditTrail(user), H($"<a href=\"/audit\">{ui.T("アクセス記録", "Audit trail")}</a>"))}
                  {JudgementPages.NavLink(ui)}
                  {PlanPages.NavLink(ui)}
                  {ReferralPages.NavLink(ui)}
                  {HandoverPages.NavLink(ui)}
                  {ValidityPages.NavLink(ui)}
                  {DashboardPages.NavLink(ui)}
                  {ReviewPages.NavLink(ui)}
                  {EntryPages.NavLink(ui)}
                  {QualityPages.NavLink(ui)}
                  {RightsPages.NavLink(ui)}
                </nav>
                <div class="who"><span class="user-name">{user.DisplayName}</span> <span class="role">{roleName}・{user.Organisation}</span>
                  <form method="post" action="/logout" class="inline">{AntiforgeryCheck.Field(ui.Http)}<button type="submit">{ui.T("ログアウト", "Sign out")}</button></form>
                </div>
                """);
        }

        var page = H($"""
            <!DOCTYPE html>
            <html lang="{ui.Lang}">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{title} — {ui.T("見守り", "Mimamori")}</title>
            <link rel="stylesheet" href="/assets/site.css">
            </head>
            <body>
            <header>
              <a class="brand" href="/">{ui.T("見守り", "Mimamori")}</a>
              {nav}
              <div class="lang"><a href="{ui.WithLanguage("ja")}" lang="ja">日本語</a> | <a href="{ui.WithLanguage("en")}" lang="en">English</a></div>
            </header>
            <main>
            <h1>{title}</h1>
            {body}
            </main>
            <footer>{ui.T("判断するのは人です。この画面の表示は記録されています。", "People decide, not the software. Every view of this screen is recorded.")} <a href="/transparency">{ui.T("情報の利用について", "How information is used")}</a></footer>
            </body>
            </html>
            """);
        return Results.Content(page.Html, "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);
    }

    /// <summary>A page that says the user's role may not see this, and why.</summary>
    public static IResult Forbidden(Ui ui, string why) =>
        Page(ui, ui.T("閲覧できません", "Not permitted"), H($"<p class=\"notice\">{why}</p>"), StatusCodes.Status403Forbidden);

    /// <summary>The masked-value marker with its explanation.</summary>
    public static Markup Masked(Ui ui, string note) =>
        H($"<span class=\"masked\" title=\"{note}\">＊＊＊</span> <span class=\"mask-note\">{note}</span>");
}
