namespace Mimamori.Privacy.Access;

/// <summary>Which children a user's access reaches, before categories are considered.</summary>
public enum ScopeKind
{
    /// <summary>No child at all.</summary>
    None,

    /// <summary>Every child of the municipality.</summary>
    All,

    /// <summary>Pupils whose latest school is the user's school.</summary>
    OwnSchool,

    /// <summary>Children with data from the categories the user's role may see.</summary>
    OwnDepartment,

    /// <summary>Children assigned to the user as cases.</summary>
    OwnCases,
}
