using Mimamori.Privacy.Access;
using Mimamori.Storage.Reading;

namespace Mimamori.Web.Disclosure;

/// <summary>
/// What one user may see for one purpose, category by category, decided once per request from the access policy and
/// used by both the pages and the API so they can never disagree. Identity (name, reading, birth date, age) is shown
/// whenever any category is visible: nobody can act on an anonymous row.
/// </summary>
public sealed class Disclosure
{
    /// <summary>What replaces a value the user may not see.</summary>
    public const string MaskText = "＊＊＊";

    private readonly IReadOnlyDictionary<string, AccessDecision> decisions;

    /// <summary>
    /// Decides every category for the user and purpose; <paramref name="basesHeld"/> names the legal bases that hold
    /// for the person viewed (the emergency basis while a break-glass grant is in force).
    /// </summary>
    public Disclosure(AccessPolicy policy, User user, string purpose, IReadOnlySet<string>? basesHeld = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Policy = policy;
        User = user;
        Purpose = purpose;
        decisions = policy.DecideAll(user, purpose, basesHeld);
    }

    /// <summary>The policy decided with.</summary>
    public AccessPolicy Policy { get; }

    /// <summary>The user.</summary>
    public User User { get; }

    /// <summary>The purpose id.</summary>
    public string Purpose { get; }

    /// <summary>True when the user may see anything about children for this purpose.</summary>
    public bool SeesAnything => decisions.Values.Any(d => d.IsVisible);

    /// <summary>Categories shown in full.</summary>
    public IReadOnlyList<string> AllowedCategories => decisions.Values.Where(d => d.IsAllowed).Select(d => d.Category).ToList();

    /// <summary>Need assessments are casework; they are shown for early support and outreach only.</summary>
    public bool ShowsNeeds => Purpose is Privacy.Access.Purpose.EarlySupport or Privacy.Access.Purpose.Outreach;

    /// <summary>The decision for a category; unknown or missing categories are denied.</summary>
    public AccessDecision Decision(string? category) =>
        category is not null && decisions.TryGetValue(category, out var d) ? d : new AccessDecision(AccessEffect.Deny, category ?? "unknown", Purpose, "unknown category", null);

    /// <summary>True when values of the category may be shown.</summary>
    public bool Allows(string? category) => Decision(category).IsAllowed;

    /// <summary>
    /// True when a reason may be shown in words: every datum behind it must be visible, since the reason's text
    /// ("住民税非課税世帯") discloses the datum as surely as the value does.
    /// </summary>
    public bool Shows(NeedSignal signal) => signal.Evidence.All(e => Allows(e.Category));

    /// <summary>
    /// True when a need may be named with its band: at least one reason behind it is visible. A need resting only
    /// on withheld data is shown as an unnamed concern, because "経済的困窮: 中" from tax data discloses the tax data.
    /// </summary>
    public bool Shows(IReadOnlyList<NeedSignal> signals) => signals.Count == 0 || signals.Any(Shows);

    /// <summary>Categories revealed by showing these reasons.</summary>
    public IEnumerable<string> CategoriesOf(IEnumerable<NeedSignal> shownSignals) =>
        shownSignals.SelectMany(s => s.Evidence).Select(e => e.Category).OfType<string>().Distinct();

    /// <summary>The category's name in the given language.</summary>
    public string CategoryName(string? category, bool english)
    {
        var c = Policy.FindCategory(category);
        return c is null ? category ?? "?" : english ? c.En : c.Ja;
    }
}
