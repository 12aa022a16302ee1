using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mimamori.Privacy.Access;
using Mimamori.Storage.Access;
using Mimamori.Storage.Audit;
using Mimamori.Storage.Notes;
using Mimamori.Storage.People;
using Mimamori.Storage.Reading;
using Mimamori.Web.Api;
using Mimamori.Web.Notes;
using Mimamori.Web.Observability;
using Mimamori.Web.Rendering;
using Mimamori.Web.Security;

namespace Mimamori.Web;

/// <summary>Wires the web app: services, security middleware and each area's endpoints. Nothing else lives here.</summary>
public static class WebApp
{
    /// <summary>The session cookie's name.</summary>
    public const string SessionCookie = "mimamori.session";

    /// <summary>Builds the app; call <c>RunAsync</c> or <c>StartAsync</c> on the result.</summary>
    public static WebApplication Build(WebOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clock = options.Clock ?? TimeProvider.System;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(WebApp).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        // Antiforgery warns on every form page that it made the response uncacheable, which is what a page with personal
        // data must be anyway; at warning level it would drown the log.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Antiforgery", LogLevel.Error);

        var services = builder.Services;
        services.AddSingleton(clock);
        services.AddSingleton(options.Database);
        services.AddSingleton(AccessPolicy.Default);
        services.AddSingleton(new AuditLog(options.Database));
        services.AddSingleton(new UserStore(options.Database, clock));
        services.AddSingleton(new WorklistQuery(options.Database));
        services.AddSingleton(new ChildQuery(options.Database));
        services.AddSingleton(new WorklistViews(options.Database));
        services.AddSingleton(new ConsultationNotes(options.Database));
        services.AddSingleton(new NoteSettings(options.Transcriber ?? new WhisperTranscriber(null), options.AudioDirectory ?? Path.Combine(Path.GetTempPath(), "mimamori-audio")));
        services.AddSingleton(new HandoverSettings(options.HandoverDirectory is { } handover ? new Storage.Handover.HandoverKeyFolder(handover) : null));
        services.AddSingleton<AccessAudit>();
        services.AddSingleton(new CaseAssignments(options.Database));
        services.AddSingleton(new BreakGlassGrants(options.Database));
        var requestMetrics = new RequestMetrics();
        services.AddSingleton(requestMetrics);

        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(o =>
        {
            o.Cookie.Name = SessionCookie;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromMinutes(30);
            o.SlidingExpiration = true;
            o.TimeProvider = clock;
            o.LoginPath = "/login";
            o.LogoutPath = "/logout";
            o.Events.OnRedirectToLogin = context => Refuse(context, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = context => Refuse(context, StatusCodes.Status403Forbidden);
        });
        services.AddAuthorization();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "mimamori.af";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.FormFieldName = "__af";
            o.SuppressXFrameOptionsHeader = true; // SecurityHeaders sends DENY on every response instead.
        });

        var app = builder.Build();
        app.UseExceptionHandler(error => error.Run(context =>
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            context.Response.ContentType = "text/plain; charset=utf-8";
            return context.Response.WriteAsync("内部エラーが発生しました。管理者に連絡してください。 / Internal error; please contact the administrator.");
        }));
        // Behind the reverse proxy (deploy/nginx-mimamori.conf) the audit trail records the client's address, not the
        // proxy's; only a proxy on this machine (loopback, the default) is trusted to say so.
        app.UseForwardedHeaders(new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto });
        app.UseSecurityHeaders();
        app.UseRouting();
        app.UseRequestTiming(requestMetrics);
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapAssets();
        app.MapHealth();
        app.MapMetrics();
        app.MapLoginPages();
        app.MapWorklistPages();
        app.MapChildPages(options.BreakGlassDuration);
        app.MapAuditPages();
        app.MapInboxPages();
        app.MapCampaignPages();
        app.MapQualityPages();
        app.MapEntryPages();
        app.MapJudgementPages();
        app.MapPlanPages();
        app.MapReferralPages();
        app.MapYotaikyoPages();
        app.MapValidityPages();
        app.MapDashboardPages();
        app.MapNotePages();
        app.MapReviewPages();
        app.MapHandoverPages();
        app.MapTransparencyPages(options.Feeds);
        app.MapRightsPages(options.PdfFont, clock);
        app.MapLoginApi();
        app.MapWorklistApi();
        app.MapChildApi();
        app.MapAuditApi();
        app.MapOpenApiDocument();
        return app;
    }

    // The API answers 401/403 as a status; pages go to the sign-in form and come back afterwards.
    private static Task Refuse(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
