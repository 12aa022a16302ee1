namespace Mimamori.Ingestion.Specs;

/// <summary>The identity roles a column can play; everything else a feed carries is a fact.</summary>
public static class Roles
{
    public const string RecordId = "record_id";
    public const string AtenaNo = "atena_no";
    public const string HouseholdNo = "household_no";
    public const string FamilyName = "family_name";
    public const string GivenName = "given_name";
    public const string FullName = "full_name";
    public const string FamilyKana = "family_kana";
    public const string GivenKana = "given_kana";
    public const string FullKana = "full_kana";
    public const string BirthDate = "birth_date";
    public const string Sex = "sex";
    public const string PostalCode = "postal_code";
    public const string Address = "address";
    public const string Phone = "phone";
    public const string Relation = "relation";
    public const string FactDate = "fact_date";

    /// <summary>Every role a spec may name.</summary>
    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        RecordId, AtenaNo, HouseholdNo, FamilyName, GivenName, FullName, FamilyKana, GivenKana, FullKana,
        BirthDate, Sex, PostalCode, Address, Phone, Relation, FactDate,
    };

    /// <summary>The column types a spec may name.</summary>
    public static IReadOnlySet<string> Types { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "text", "kana", "int", "decimal", "date", "code", "bool",
    };
}
