using System.Security.Claims;
using Mimamori.Privacy.Access;

namespace Mimamori.Web.Security;

/// <summary>Carries the user in the session cookie's claims, and reads it back on each request.</summary>
public static class SignedInUser
{
    private const string RoleClaim = "mimamori:role";
    private const string OrganisationClaim = "mimamori:organisation";
    private const string ScopeClaim = "mimamori:scope";

    /// <summary>The claims principal for a user who just signed in.</summary>
    public static ClaimsPrincipal Principal(User user, string scheme)
    {
        ArgumentNullException.ThrowIfNull(user);
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, user.Name),
                new Claim(ClaimTypes.Name, user.DisplayName),
                new Claim(RoleClaim, user.Role),
                new Claim(OrganisationClaim, user.Organisation),
                new Claim(ScopeClaim, user.Scope.ToString()),
            ],
            scheme);
        return new ClaimsPrincipal(identity);
    }

    /// <summary>The signed-in user, or null for an anonymous request.</summary>
    public static User? Find(ClaimsPrincipal? principal)
    {
        if (principal?.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        var name = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        var role = principal.FindFirstValue(RoleClaim);
        if (name is null || role is null)
        {
            return null;
        }

        return new User(
            name,
            principal.FindFirstValue(ClaimTypes.Name) ?? name,
            role,
            principal.FindFirstValue(OrganisationClaim) ?? string.Empty,
            Scope.Parse(principal.FindFirstValue(ScopeClaim)).For(name));
    }
}
