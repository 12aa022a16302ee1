using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Mimamori.Web.Security;

/// <summary>Rejects a form POST whose antiforgery token is missing or wrong, before the handler runs.</summary>
public static class AntiforgeryCheck
{
    /// <summary>Adds the check to an endpoint.</summary>
    public static RouteHandlerBuilder RequireAntiforgeryToken(this RouteHandlerBuilder endpoint) =>
        endpoint.AddEndpointFilter(async (context, next) =>
        {
            var antiforgery = context.HttpContext.RequestServices.GetRequiredService<IAntiforgery>();
            if (!await antiforgery.IsRequestValidAsync(context.HttpContext))
            {
                return Results.Text("不正なリクエストです（フォームの有効期限が切れた可能性があります）。 / Invalid request (the form may have expired).", "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
            }

            return await next(context);
        });

    /// <summary>The hidden form field carrying the token for this request.</summary>
    public static Rendering.Markup Field(HttpContext http)
    {
        var tokens = http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http);
        return Rendering.Html.H($"<input type=\"hidden\" name=\"{tokens.FormFieldName}\" value=\"{tokens.RequestToken}\">");
    }
}
