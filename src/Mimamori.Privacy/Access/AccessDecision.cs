namespace Mimamori.Privacy.Access;

/// <summary>The policy's answer for one user, category and purpose, with the reason to show and to audit.</summary>
/// <param name="Effect">Allow, mask or deny.</param>
/// <param name="Category">The category decided.</param>
/// <param name="Purpose">The purpose decided.</param>
/// <param name="Reason">Why, in words a person can check against the published policy.</param>
/// <param name="LegalBasis">The legal basis the access relies on, when allowed.</param>
public sealed record AccessDecision(AccessEffect Effect, string Category, string Purpose, string Reason, string? LegalBasis)
{
    /// <summary>True when values may be shown.</summary>
    public bool IsAllowed => Effect == AccessEffect.Allow;

    /// <summary>True when at least the existence of data may be shown.</summary>
    public bool IsVisible => Effect != AccessEffect.Deny;
}
