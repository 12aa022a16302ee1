using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Mimamori.Storage.People;
using Mimamori.Web.Security;

namespace Mimamori.Web.Api;

/// <summary>
/// <c>POST /api/login</c>: JSON sign-in that issues the same session cookie as the page. It takes no antiforgery
/// token: a JSON body cannot be sent cross-site without a CORS preflight, which this app never grants, and the
/// cookie is SameSite=Strict. Failures count toward lockout exactly like the page.
/// </summary>
public static class LoginApi
{
    /// <summary>The request body.</summary>
    /// <param name="User">Login name.</param>
    /// <param name="Password">Password.</param>
    public sealed record LoginRequest(string? User, string? Password);

    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapLoginApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/login", async (HttpContext http, UserStore users, AccessAudit audit) =>
        {
            if (!http.Request.HasJsonContentType())
            {
                return Results.Json(new { error = "expected application/json" }, statusCode: StatusCodes.Status415UnsupportedMediaType);
            }

            LoginRequest? body;
            try
            {
                body = await http.Request.ReadFromJsonAsync<LoginRequest>();
            }
            catch (System.Text.Json.JsonException)
            {
                return Results.Json(new { error = "malformed JSON" }, statusCode: StatusCodes.Status400BadRequest);
            }

            if (string.IsNullOrWhiteSpace(body?.User) || string.IsNullOrEmpty(body.Password))
            {
                return Results.Json(new { error = "user and password are required" }, statusCode: StatusCodes.Status400BadRequest);
            }

            var result = await LoginPages.Authenticate(http, body.User.Trim(), body.Password, users, audit);
            return result.Outcome switch
            {
                LoginOutcome.Success => Results.Json(new
                {
                    user = result.User!.Name,
                    displayName = result.User.DisplayName,
                    role = result.User.Role,
                    organisation = result.User.Organisation,
                    scope = result.User.Scope.ToString(),
                }),
                LoginOutcome.LockedOut => Results.Json(new { error = "locked", lockedUntil = result.LockedUntil }, statusCode: StatusCodes.Status401Unauthorized),
                _ => Results.Json(new { error = "wrong user name or password" }, statusCode: StatusCodes.Status401Unauthorized),
            };
        });
        return app;
    }
}
