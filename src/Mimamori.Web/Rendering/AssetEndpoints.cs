using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Mimamori.Web.Rendering;

/// <summary>
/// Serves the stylesheet and scripts compiled into this assembly: municipal networks are closed, so nothing may come
/// from a CDN, and there is no web root to misconfigure.
/// </summary>
public static class AssetEndpoints
{
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".svg"] = "image/svg+xml",
    };

    /// <summary>Maps <c>/assets/{name}</c>.</summary>
    public static IEndpointRouteBuilder MapAssets(this IEndpointRouteBuilder app)
    {
        app.MapGet("/assets/{name}", (string name, HttpContext http) =>
        {
            var extension = Path.GetExtension(name);
            if (!ContentTypes.TryGetValue(extension, out var type) || name.Contains("..", StringComparison.Ordinal))
            {
                return Results.NotFound();
            }

            var stream = typeof(AssetEndpoints).Assembly.GetManifestResourceStream("Mimamori.Web.Assets." + name);
            if (stream is null)
            {
                return Results.NotFound();
            }

            http.Response.Headers.CacheControl = "public, max-age=3600";
            return Results.Stream(stream, type);
        });
        return app;
    }
}
