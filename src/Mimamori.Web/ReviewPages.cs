using Microsoft.AspNetCore.Routing;
using Mimamori.Web.Rendering;

namespace Mimamori.Web;

/// <summary>The linkage review queue for data staff.</summary>
public static class ReviewPages
{
    /// <summary>Maps the area's endpoints (under <c>/review</c>).</summary>
    public static IEndpointRouteBuilder MapReviewPages(this IEndpointRouteBuilder app) => app;

    /// <summary>The area's link in the page header, or nothing when the user may not use it.</summary>
    internal static Markup NavLink(Ui ui) => Markup.Empty;
}
