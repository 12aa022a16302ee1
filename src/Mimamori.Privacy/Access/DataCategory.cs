namespace Mimamori.Privacy.Access;

/// <summary>
/// A kind of personal data, grouped by the department and law that govern it. Access is decided per category,
/// because the legal basis and the people entitled to see it differ per category (tax secrecy is not school data).
/// </summary>
/// <param name="Id">Stable identifier matching <c>source_record.category</c>, e.g. <c>education</c>.</param>
/// <param name="Ja">Japanese name.</param>
/// <param name="En">English name.</param>
/// <param name="LegalBases">Ids of the legal bases this category may be used under.</param>
/// <param name="Purposes">Ids of the purposes this category may serve at all, whatever the role.</param>
/// <param name="RetentionYears">How long linked data of this category is kept after its last update.</param>
public sealed record DataCategory(
    string Id,
    string Ja,
    string En,
    IReadOnlyList<string> LegalBases,
    IReadOnlyList<string> Purposes,
    int RetentionYears)
{
    /// <summary>住民記録: name, address, household.</summary>
    public const string Resident = "resident";

    /// <summary>税: income band, 非課税, arrears.</summary>
    public const string Tax = "tax";

    /// <summary>福祉・手当.</summary>
    public const string Welfare = "welfare";

    /// <summary>母子保健・健康.</summary>
    public const string Health = "health";

    /// <summary>教育・学校.</summary>
    public const string Education = "education";

    /// <summary>児童福祉: consultations, 要対協.</summary>
    public const string ChildWelfare = "child_welfare";

    /// <summary>医療.</summary>
    public const string Medical = "medical";

    /// <summary>How long data of this category is kept.</summary>
    public TimeSpan Retention => TimeSpan.FromDays(365.25 * RetentionYears);
}
