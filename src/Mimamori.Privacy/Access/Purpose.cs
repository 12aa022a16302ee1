namespace Mimamori.Privacy.Access;

/// <summary>
/// Why data is being used. Every access is bound to one purpose, recorded in the audit trail, and the policy
/// decides per purpose: the same person may see a category for one purpose and not for another.
/// </summary>
/// <param name="Id">Stable identifier, e.g. <c>early_support</c>.</param>
/// <param name="Ja">Japanese name shown to staff.</param>
/// <param name="En">English name.</param>
public sealed record Purpose(string Id, string Ja, string En)
{
    /// <summary>支援が必要なこどもの早期発見.</summary>
    public const string EarlySupport = "early_support";

    /// <summary>Telling families about support they can use.</summary>
    public const string Outreach = "outreach";

    /// <summary>Deciding whether a child needs support (case meetings, 要対協).</summary>
    public const string SupportDecision = "support_decision";

    /// <summary>Entering records that exist only on paper.</summary>
    public const string RecordEntry = "record_entry";

    /// <summary>Answering a person's own request to see what is held (本人開示).</summary>
    public const string Disclosure = "disclosure";

    /// <summary>Checking the quality of incoming feeds.</summary>
    public const string DataQuality = "data_quality";

    /// <summary>Emergency access to one child outside the user's scope, with a written reason, for a limited time.</summary>
    public const string BreakGlass = "break_glass";

    /// <summary>Reviewing the audit trail.</summary>
    public const string Audit = "audit";

    /// <summary>Aggregate counts only (dashboards), with small cells suppressed.</summary>
    public const string Statistics = "statistics";

    /// <summary>転出時の引継ぎ: a minimal package for the municipality a family under support moves to.</summary>
    public const string Handover = "handover";

    /// <summary>
    /// The legal bases one of which must be chosen, and recorded, for each use under this purpose (empty when the
    /// purpose's rules and categories carry the basis). A basis that requires consent needs a recorded consent.
    /// </summary>
    public IReadOnlyList<string> LegalBases { get; init; } = [];
}
