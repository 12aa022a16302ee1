using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Mimamori.Privacy.Audit;
using Mimamori.Storage.People;
using Mimamori.Web.Rendering;
using Mimamori.Web.Security;
using static Mimamori.Web.Rendering.Html;

namespace Mimamori.Web;

/// <summary>Sign-in and sign-out pages. Every attempt, successful or not, is recorded in the audit trail.</summary>
public static class LoginPages
{
    /// <summary>Maps <c>/login</c> and <c>/logout</c>.</summary>
    public static IEndpointRouteBuilder MapLoginPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/login", (HttpContext http) => Form(Ui.For(http), null, http.Request.Query["returnUrl"].ToString()));
        app.MapPost("/login", SignIn).RequireAntiforgeryToken();
        app.MapGet("/logout", (HttpContext http) =>
        {
            var ui = Ui.For(http);
            return Layout.Page(ui, ui.T("ログアウト", "Sign out"), H($"""
                <form method="post" action="/logout">{AntiforgeryCheck.Field(http)}<button type="submit">{ui.T("ログアウトする", "Sign out now")}</button></form>
                """));
        });
        app.MapPost("/logout", SignOut).RequireAntiforgeryToken();
        return app;
    }

    /// <summary>Checks a sign-in, records it, and on success issues the session cookie. Shared with the API.</summary>
    internal static async Task<LoginResult> Authenticate(HttpContext http, string userName, string password, UserStore users, AccessAudit audit)
    {
        var result = users.Authenticate(userName, password);
        var outcome = result.Outcome switch
        {
            LoginOutcome.Success => "success",
            LoginOutcome.LockedOut => "locked",
            _ => "failure",
        };
        audit.RecordLogin(http, userName, result.User, outcome);
        if (result.Outcome == LoginOutcome.Success)
        {
            await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, SignedInUser.Principal(result.User!, CookieAuthenticationDefaults.AuthenticationScheme));
        }

        return result;
    }

    private static async Task<IResult> SignIn(HttpContext http, UserStore users, AccessAudit audit)
    {
        var ui = Ui.For(http);
        var form = await http.Request.ReadFormAsync();
        var name = form["user"].ToString().Trim();
        var password = form["password"].ToString();
        var returnUrl = form["returnUrl"].ToString();
        if (name.Length == 0 || password.Length == 0)
        {
            return Form(ui, ui.T("ユーザー名とパスワードを入力してください。", "Enter your user name and password."), returnUrl);
        }

        var result = await Authenticate(http, name, password, users, audit);
        switch (result.Outcome)
        {
            case LoginOutcome.Success:
                return Results.Redirect(IsLocal(returnUrl) ? returnUrl : Home(result.User!));
            case LoginOutcome.LockedOut:
                var until = JapanTime.ToJapan(result.LockedUntil!.Value);
                return Form(ui, ui.T($"ログインの失敗が続いたため、このアカウントは{until:H:mm}まで利用できません。", $"Too many failed sign-ins; this account is locked until {until:H:mm} (Japan time)."), returnUrl);
            default:
                return Form(ui, ui.T("ユーザー名またはパスワードが違います。", "Wrong user name or password."), returnUrl);
        }
    }

    private static async Task<IResult> SignOut(HttpContext http, AccessAudit audit)
    {
        var user = SignedInUser.Find(http.User);
        if (user is not null)
        {
            audit.Record(http, user, AccessAudit.AuthenticationPurpose, AuditAction.Logout, "user:" + user.Name, [], [], "success");
        }

        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Results.Redirect("/login");
    }

    private static IResult Form(Ui ui, string? error, string? returnUrl)
    {
        var body = H($"""
            {If(error is not null, H($"<p class=\"error\" role=\"alert\">{error}</p>"))}
            <form class="login" method="post" action="/login">
              {AntiforgeryCheck.Field(ui.Http)}
              <input type="hidden" name="returnUrl" value="{(IsLocal(returnUrl) ? returnUrl : string.Empty)}">
              <label for="user">{ui.T("ユーザー名", "User name")}</label>
              <input id="user" name="user" autocomplete="username" required>
              <label for="password">{ui.T("パスワード", "Password")}</label>
              <input id="password" name="password" type="password" autocomplete="current-password" required>
              <p><button type="submit">{ui.T("ログイン", "Sign in")}</button></p>
            </form>
            <p class="note">{ui.T("ログインの記録は保存されます。5回続けて失敗するとアカウントは15分間ロックされます。", "Sign-ins are recorded. Five failures in a row lock the account for 15 minutes.")}</p>
            """);
        return Layout.Page(ui, ui.T("ログイン", "Sign in"), body, error is null ? StatusCodes.Status200OK : StatusCodes.Status401Unauthorized);
    }

    // Where a role's work starts: the worklist, or the audit trail for the privacy officer who sees no child data.
    private static string Home(Privacy.Access.User user) =>
        !Privacy.Access.AccessPolicy.Default.SeesChildren(user, Privacy.Access.Purpose.EarlySupport) && Privacy.Access.AccessPolicy.Default.ReadsAuditTrail(user) ? "/audit" : "/";

    // Only same-site paths: an open redirect after sign-in would hand the fresh session to a phishing page.
    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));
}
