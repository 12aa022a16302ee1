namespace Mimamori.Storage.Casework;

/// <summary>An organisation that takes part in casework.</summary>
/// <param name="Name">Its name, as the organisation of its users' accounts (the referral inbox matches on it).</param>
/// <param name="Kind">One of the <see cref="Agencies"/> kinds.</param>
public sealed record Agency(string Name, string Kind)
{
    /// <summary>True for an organisation outside the municipality's own services, to which data go only with consent.</summary>
    public bool IsOutsidePartner => Kind == Agencies.Partner;
}

/// <summary>
/// The organisations referrals go between. Schools are named by the school (the organisation of school staff
/// accounts); the others are listed here. Any organisation not listed is treated as an outside partner, so that a
/// mistyped or new name can never skip the consent check.
/// </summary>
public static class Agencies
{
    /// <summary>こども家庭センター.</summary>
    public const string FamilyCentre = "family_centre";

    /// <summary>A school (the name is the school's).</summary>
    public const string School = "school";

    /// <summary>児童相談所 (prefectural).</summary>
    public const string ChildGuidance = "child_guidance";

    /// <summary>保健センター.</summary>
    public const string HealthCentre = "health_centre";

    /// <summary>An outside partner: NPO, こども食堂, 学習支援.</summary>
    public const string Partner = "partner";

    /// <summary>The municipality's own and statutory organisations, schools aside.</summary>
    public static IReadOnlyList<Agency> Internal { get; } =
    [
        new("こども家庭センター", FamilyCentre),
        new("保健センター", HealthCentre),
        new("児童相談所", ChildGuidance),
    ];

    /// <summary>The outside partners a referral may go to with consent.</summary>
    public static IReadOnlyList<Agency> Partners { get; } =
    [
        new("こども食堂ネットワーク", Partner),
        new("学習支援教室（NPO）", Partner),
        new("NPO法人 子育てひろば", Partner),
    ];

    /// <summary>The agency of a name: a listed one, a school when <paramref name="schools"/> holds it, else an outside partner.</summary>
    public static Agency Of(string name, IReadOnlyCollection<string> schools)
    {
        ArgumentNullException.ThrowIfNull(schools);
        return Internal.Concat(Partners).FirstOrDefault(a => a.Name == name)
            ?? (schools.Contains(name) ? new Agency(name, School) : new Agency(name, Partner));
    }
}
