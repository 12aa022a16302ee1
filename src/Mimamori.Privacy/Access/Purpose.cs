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

    /// <summary>Checking the quality of incoming feeds.</summary>
    public const string DataQuality = "data_quality";

    /// <summary>Reviewing the audit trail.</summary>
    public const string Audit = "audit";

    /// <summary>Aggregate counts only (dashboards), with small cells suppressed.</summary>
    public const string Statistics = "statistics";
}
