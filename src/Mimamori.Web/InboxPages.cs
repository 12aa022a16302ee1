using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
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
/// The resident inbox (like マイナポータル's お知らせ), with no staff account: a household types the access code
/// printed on its letter and sees the offers sent to it, reads them (recorded as read) and answers — apply, not this
/// time, or no more notices (respected by every later campaign). Code attempts are limited per client address, and
/// every inbox access, failed or not, is in the audit trail under the household, never with the code itself.
/// </summary>
public static class InboxPages
{
    /// <summary>The inbox session cookie: the household number, protected and time-limited by the server's data protection keys.</summary>
    public const string InboxCookie = "mimamori.inbox";

    /// <summary>Failed code attempts allowed per client address in <see cref="ThrottleWindow"/>.</summary>
    public const int MaxFailures = 5;

    public static readonly TimeSpan ThrottleWindow = TimeSpan.FromMinutes(15);

    private static readonly TimeSpan SessionLifetime = TimeSpan.FromMinutes(30);

    /// <summary>Maps <c>/inbox</c> and its forms.</summary>
    public static IEndpointRouteBuilder MapInboxPages(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var clock = app.ServiceProvider.GetRequiredService<TimeProvider>();
        var throttle = new Throttle(clock);
        app.MapGet("/inbox", (HttpContext http, MimamoriDatabase db, AccessAudit audit) => Show(http, db, audit, clock));
        app.MapPost("/inbox", (HttpContext http, MimamoriDatabase db, AccessAudit audit) => Enter(http, db, audit, throttle)).RequireAntiforgeryToken();
        app.MapGet("/inbox/messages/{id:long}", (HttpContext http, long id, MimamoriDatabase db, AccessAudit audit) => Read(http, id, db, audit, clock));
        app.MapPost("/inbox/messages/{id:long}/respond", (HttpContext http, long id, MimamoriDatabase db, AccessAudit audit) => Respond(http, id, db, audit, clock)).RequireAntiforgeryToken();
        app.MapPost("/inbox/email", (HttpContext http, MimamoriDatabase db, AccessAudit audit) => RegisterEmail(http, db, audit, clock)).RequireAntiforgeryToken();
        app.MapPost("/inbox/leave", Leave).RequireAntiforgeryToken();
        return app;
    }

    private static IResult Show(HttpContext http, MimamoriDatabase db, AccessAudit audit, TimeProvider clock)
    {
        var ui = Ui.For(http);
        var household = Household(http);
        if (household is null)
        {
            return CodeForm(ui, null, StatusCodes.Status200OK);
        }

        var messages = new InboxStore(db).Messages(household);
        Record(http, audit, household, AuditAction.Search, "household:" + household, "allowed");
        var notice = http.Request.Query["done"].ToString() switch
        {
            "applied" => ui.T("お申し込みのご意向を受け付けました。担当からご連絡します。", "Thank you. The office will contact you about applying."),
            "declined" => ui.T("回答を受け付けました。", "Your answer has been recorded."),
            "opted_out" => ui.T("今後、このようなお知らせはお送りしません。", "You will not receive such notices any more."),
            "email" => ui.T("メールアドレスを登録しました。", "Your e-mail address has been registered."),
            _ => null,
        };
        var body = H($"""
            {If(notice is not null, H($"<p class=\"ok\">{notice}</p>"))}
            <p>{ui.T("市からのお知らせです。件名を押すと内容が表示されます。", "Notices from the city. Choose a subject to read it.")}</p>
            <ul class="inbox">{Each(messages, m => H($"<li class=\"{(m.ReadAt is null ? "unread" : "read")}\"><a href=\"/inbox/messages/{m.MessageId}\">{Subject(ui, m)}</a> <span class=\"when\">{Sent(ui, m.SentAt)}</span>{If(m.ReadAt is null, H($" <span class=\"badge\">{ui.T("未読", "Unread")}</span>"))}</li>"))}</ul>
            {If(messages.Count == 0, H($"<p>{ui.T("お知らせはありません。", "There are no notices.")}</p>"))}
            <form method="post" action="/inbox/email" class="inbox-email">{AntiforgeryCheck.Field(http)}
              <label>{ui.T("今後のお知らせをメールでも受け取る（メールアドレス）", "Also receive future notices by e-mail (address)")} <input type="email" name="email" maxlength="254" required></label>
              <button type="submit">{ui.T("登録する", "Register")}</button>
            </form>
            <form method="post" action="/inbox/leave">{AntiforgeryCheck.Field(http)}<button type="submit">{ui.T("終了する", "Close the inbox")}</button></form>
            """);
        return Layout.Page(ui, ui.T("お知らせ", "Notices"), body);
    }

    private static async Task<IResult> Enter(HttpContext http, MimamoriDatabase db, AccessAudit audit, Throttle throttle)
    {
        var ui = Ui.For(http);
        var client = AccessAudit.Client(http);
        if (throttle.Blocked(client))
        {
            Record(http, audit, null, AuditAction.Login, "inbox", "throttled");
            return CodeForm(ui, ui.T("入力の誤りが続いたため、しばらく受け付けません。15分ほどしてからお試しください。", "Too many wrong codes. Please try again in about 15 minutes."), StatusCodes.Status429TooManyRequests);
        }

        var form = await http.Request.ReadFormAsync();
        var typed = form["code"].ToString();
        var household = typed.Length <= 64 ? new InboxStore(db).FindHousehold(typed) : null;
        if (household is null)
        {
            throttle.Fail(client);
            Record(http, audit, null, AuditAction.Login, "inbox", "denied");
            return CodeForm(ui, ui.T("アクセスコードが正しくありません。お手紙に書かれたコードをご確認ください。", "The access code is not correct. Please check the code printed on your letter."), StatusCodes.Status200OK);
        }

        Record(http, audit, household, AuditAction.Login, "household:" + household, "allowed");
        var protector = Protector(http);
        http.Response.Cookies.Append(InboxCookie, protector.Protect(household, SessionLifetime), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = http.Request.IsHttps,
            IsEssential = true,
            Path = "/inbox",
        });
        return Results.Redirect("/inbox");
    }

    private static IResult Read(HttpContext http, long id, MimamoriDatabase db, AccessAudit audit, TimeProvider clock)
    {
        var ui = Ui.For(http);
        var household = Household(http);
        if (household is null)
        {
            return Results.Redirect("/inbox");
        }

        var message = new InboxStore(db).Open(household, id, clock.GetUtcNow());
        var subject = "message:" + id.ToString(CultureInfo.InvariantCulture);
        if (message is null)
        {
            Record(http, audit, household, AuditAction.View, subject, "not_found");
            return Layout.Page(ui, ui.T("お知らせが見つかりません", "Notice not found"), H($"<p><a href=\"/inbox\">{ui.T("お知らせ一覧へ", "Back to the notices")}</a></p>"), StatusCodes.Status404NotFound);
        }

        Record(http, audit, household, AuditAction.View, subject, "allowed");
        var composed = Wording(ui, message);
        var answered = message.Response switch
        {
            MessageResponse.Applied => ui.T("「申し込みたい」と回答済みです。", "You answered: I would like to apply."),
            MessageResponse.Declined => ui.T("「今回は利用しない」と回答済みです。", "You answered: not this time."),
            MessageResponse.OptedOut => ui.T("今後のお知らせは不要と回答済みです。", "You asked not to receive such notices."),
            _ => null,
        };
        var body = H($"""
            <article class="notice-letter">
            <p class="body">{composed?.Body ?? message.Body}</p>
            {If(composed is not null, H($"""
              <dl>
              <dt>{ui.T("申請に必要なもの", "What to bring")}</dt><dd>{composed?.ApplyWith}</dd>
              <dt>{ui.T("申請先", "Where to apply")}</dt><dd>{composed?.Where}</dd>
              <dt>{ui.T("お問い合わせ", "Contact")}</dt><dd>{composed?.Contact}</dd>
              </dl>
              """))}
            </article>
            {If(answered is not null, H($"<p class=\"ok\">{answered}</p>"))}
            <form method="post" action="/inbox/messages/{id}/respond" class="respond">{AntiforgeryCheck.Field(http)}
              <button type="submit" name="response" value="applied">{ui.T("申し込みたい（担当から連絡します）", "I would like to apply (the office will contact you)")}</button>
              <button type="submit" name="response" value="declined">{ui.T("今回は利用しない", "Not this time")}</button>
              <button type="submit" name="response" value="opted_out">{ui.T("今後このようなお知らせは不要", "No more notices like this")}</button>
            </form>
            <p><a href="/inbox">{ui.T("お知らせ一覧へ", "Back to the notices")}</a></p>
            """);
        return Layout.Page(ui, composed?.Subject ?? message.Subject, body);
    }

    private static async Task<IResult> Respond(HttpContext http, long id, MimamoriDatabase db, AccessAudit audit, TimeProvider clock)
    {
        var household = Household(http);
        if (household is null)
        {
            return Results.Redirect("/inbox");
        }

        var form = await http.Request.ReadFormAsync();
        var response = form["response"].ToString();
        var subject = "message:" + id.ToString(CultureInfo.InvariantCulture);
        if (!new InboxStore(db).Respond(household, id, response, clock.GetUtcNow()))
        {
            Record(http, audit, household, "respond", subject, "refused");
            return Results.Text("回答を受け付けられませんでした。 / The answer could not be recorded.", "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
        }

        Record(http, audit, household, "respond", subject, response);
        return Results.Redirect("/inbox?done=" + response);
    }

    private static async Task<IResult> RegisterEmail(HttpContext http, MimamoriDatabase db, AccessAudit audit, TimeProvider clock)
    {
        var household = Household(http);
        if (household is null)
        {
            return Results.Redirect("/inbox");
        }

        var form = await http.Request.ReadFormAsync();
        var email = form["email"].ToString().Trim();
        if (email.Length is < 3 or > 254 || !System.Net.Mail.MailAddress.TryCreate(email, out var parsed) || parsed.Address != email)
        {
            return Results.Text("メールアドレスの形式が正しくありません。 / The e-mail address is not valid.", "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
        }

        new InboxStore(db).SetEmail(household, email, clock.GetUtcNow());
        Record(http, audit, household, "register_email", "household:" + household, "allowed");
        return Results.Redirect("/inbox?done=email");
    }

    private static IResult Leave(HttpContext http)
    {
        http.Response.Cookies.Delete(InboxCookie, new CookieOptions { Path = "/inbox" });
        return Results.Redirect("/inbox");
    }

    private static IResult CodeForm(Ui ui, string? error, int status)
    {
        var body = H($"""
            <p>{ui.T("市から届いたお手紙に書かれている「アクセスコード」を入力すると、お知らせの確認と回答ができます。", "Enter the access code printed on the letter from the city to read and answer its notices.")}</p>
            {If(error is not null, H($"<p class=\"error\" role=\"alert\">{error}</p>"))}
            <form method="post" action="/inbox" class="inbox-code">{AntiforgeryCheck.Field(ui.Http)}
              <label>{ui.T("アクセスコード", "Access code")} <input name="code" autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="64" required placeholder="XXXX-XXXX-XXXX-XXXX"></label>
              <button type="submit">{ui.T("確認する", "Open")}</button>
            </form>
            """);
        return Layout.Page(ui, ui.T("お知らせの確認", "Your notices"), body, status);
    }

    /// <summary>The household of this request's inbox session, or null.</summary>
    private static string? Household(HttpContext http)
    {
        if (!http.Request.Cookies.TryGetValue(InboxCookie, out var cookie) || string.IsNullOrEmpty(cookie))
        {
            return null;
        }

        try
        {
            return Protector(http).Unprotect(cookie);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // Expired, tampered with, or from before a key change: the household enters its code again.
            return null;
        }
    }

    private static ITimeLimitedDataProtector Protector(HttpContext http) =>
        http.RequestServices.GetRequiredService<IDataProtectionProvider>().CreateProtector("Mimamori.Inbox.v1").ToTimeLimitedDataProtector();

    /// <summary>The English wording when the page is in English and the program has one; else the stored (approved) wording.</summary>
    private static ComposedMessage? Wording(Ui ui, InboxMessage message)
    {
        var program = ProgramCatalog.Default.Programs.FirstOrDefault(p => p.Id == message.Program);
        if (program is null)
        {
            return null;
        }

        var variant = ui.English && program.Letter.Variants.ContainsKey(MessageComposer.English) ? MessageComposer.English
            : MessageComposer.VariantsOf(program).Contains(message.Variant) ? message.Variant : MessageComposer.Plain;
        // The date only fills {deadline} in texts that the stored (approved) subject and body replace below.
        var composed = MessageComposer.Compose(program, variant, DateOnly.FromDateTime(DateTime.UtcNow));
        return variant == MessageComposer.English ? composed : composed with { Subject = message.Subject, Body = message.Body };
    }

    private static string Subject(Ui ui, InboxMessage m) => Wording(ui, m)?.Subject ?? m.Subject;

    private static string Sent(Ui ui, string? at) =>
        at is not null && DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? Labels.Date(ui, DateOnly.FromDateTime(JapanTime.ToJapan(t).DateTime))
            : string.Empty;

    /// <summary>Every inbox access goes to the audit trail: the household (or "anonymous" before a code matched) is the actor.</summary>
    private static void Record(HttpContext http, AccessAudit audit, string? household, string action, string subject, string outcome)
    {
        var who = household is null
            ? new User("anonymous", "anonymous", "resident", "household", Scope.None)
            : new User("household:" + household, "household:" + household, "resident", "household", Scope.None);
        audit.Record(http, who, Purpose.Outreach, action, subject, [], [], outcome);
    }

    /// <summary>
    /// Failed code attempts per client address in a sliding window. In memory: a restart forgives, which is
    /// acceptable because 80-bit codes cannot be found by any number of attempts a window allows.
    /// </summary>
    private sealed class Throttle(TimeProvider clock)
    {
        private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> failures = new(StringComparer.Ordinal);

        public bool Blocked(string client)
        {
            if (!failures.TryGetValue(client, out var queue))
            {
                return false;
            }

            lock (queue)
            {
                Prune(queue);
                return queue.Count >= MaxFailures;
            }
        }

        public void Fail(string client)
        {
            var queue = failures.GetOrAdd(client, _ => new Queue<DateTimeOffset>());
            lock (queue)
            {
                Prune(queue);
                queue.Enqueue(clock.GetUtcNow());
            }
        }

        private void Prune(Queue<DateTimeOffset> queue)
        {
            var since = clock.GetUtcNow() - ThrottleWindow;
            while (queue.Count > 0 && queue.Peek() < since)
            {
                queue.Dequeue();
            }
        }
    }
}
