namespace Mimamori.Privacy.Access;

/// <summary>
/// One line of the policy: for a role, category and purpose (each may be <c>*</c>), the effect and why. When
/// <paramref name="Requires"/> names a legal basis, the rule allows only if that basis holds for the person
/// (e.g. consent for tax data) and masks otherwise.
/// </summary>
public sealed record AccessRule(string Role, string Category, string Purpose, AccessEffect Effect, string? Requires, string Why)
{
    /// <summary>True when the rule applies to the given role, category and purpose.</summary>
    public bool Matches(string role, string category, string purpose) =>
        Fits(Role, role) && Fits(Category, category) && Fits(Purpose, purpose);

    private static bool Fits(string pattern, string value) => pattern == "*" || string.Equals(pattern, value, StringComparison.Ordinal);
}
