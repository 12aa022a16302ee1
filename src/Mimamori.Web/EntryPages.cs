using Microsoft.AspNetCore.Routing;
using Mimamori.Web.Rendering;

namespace Mimamori.Web;

/// <summary>The back-entry of paper records by staff.</summary>
public static class EntryPages
{
    /// <summary>Maps the area's endpoints (under <c>/entry</c>).</summary>
    public static IEndpointRouteBuilder MapEntryPages(this IEndpointRouteBuilder app) => app;

    /// <summary>The area's link in the page header, or nothing when the user may not use it.</summary>
    internal static Markup NavLink(Ui ui) => Markup.Empty;
}
