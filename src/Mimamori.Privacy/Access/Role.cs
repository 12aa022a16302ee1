namespace Mimamori.Privacy.Access;

/// <summary>What a user does in the organisation; the policy grants access per role, never per person.</summary>
/// <param name="Id">Stable identifier, e.g. <c>school_staff</c>.</param>
/// <param name="Ja">Japanese name.</param>
/// <param name="En">English name.</param>
/// <param name="DefaultPurpose">The purpose this role's work normally serves.</param>
/// <param name="AuditTrail">True when the role may read the audit trail.</param>
public sealed record Role(string Id, string Ja, string En, string DefaultPurpose, bool AuditTrail)
{
    /// <summary>こども家庭センター caseworker.</summary>
    public const string Caseworker = "caseworker";

    /// <summary>Caseworkers' supervisor.</summary>
    public const string Supervisor = "supervisor";

    /// <summary>Teacher or school social worker.</summary>
    public const string SchoolStaff = "school_staff";

    /// <summary>保健師.</summary>
    public const string HealthNurse = "health_nurse";

    /// <summary>Feed onboarding and data quality.</summary>
    public const string DataSteward = "data_steward";

    /// <summary>Reads the audit trail.</summary>
    public const string PrivacyOfficer = "privacy_officer";

    /// <summary>Runs the system.</summary>
    public const string Administrator = "administrator";

    /// <summary>NPO, こども食堂, hospital.</summary>
    public const string Partner = "partner";
}
