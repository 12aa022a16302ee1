using Microsoft.AspNetCore.Routing;
using Mimamori.Web.Rendering;

namespace Mimamori.Web;

/// <summary>The data-quality page per feed (imports, quarantine, completeness, trend).</summary>
public static class QualityPages
{
    /// <summary>Maps the area's endpoints (under <c>/quality</c>).</summary>
    public static IEndpointRouteBuilder MapQualityPages(this IEndpointRouteBuilder app) => app;

    /// <summary>The area's link in the page header, or nothing when the user may not use it.</summary>
    internal static Markup NavLink(Ui ui) => Markup.Empty;
}
