using Microsoft.AspNetCore.Routing;
using Mimamori.Web.Rendering;

namespace Mimamori.Web;

/// <summary>The human judgement of flagged children (decisions, meetings).</summary>
public static class JudgementPages
{
    /// <summary>Maps the area's endpoints (under <c>/judgements</c>).</summary>
    public static IEndpointRouteBuilder MapJudgementPages(this IEndpointRouteBuilder app) => app;

    /// <summary>The area's link in the page header, or nothing when the user may not use it.</summary>
    internal static Markup NavLink(Ui ui) => Markup.Empty;
}
