using Microsoft.AspNetCore.Routing;
using Mimamori.Web.Rendering;

namespace Mimamori.Web;

/// <summary>The validity of the list and the model card.</summary>
public static class ValidityPages
{
    /// <summary>Maps the area's endpoints (under <c>/validity</c>).</summary>
    public static IEndpointRouteBuilder MapValidityPages(this IEndpointRouteBuilder app) => app;

    /// <summary>The area's link in the page header, or nothing when the user may not use it.</summary>
    internal static Markup NavLink(Ui ui) => Markup.Empty;
}
