namespace Mimamori.Privacy.Access;

/// <summary>
/// The set of children a user may look at, written as text in the user table: <c>all</c>, <c>own_school:第一小学校</c>,
/// <c>own_department</c>, <c>own_cases</c> or <c>none</c>. Unknown text parses to <see cref="ScopeKind.None"/> so a
/// typo closes access instead of opening it.
/// </summary>
public sealed record Scope
{
    private Scope(ScopeKind kind, string? school, string? holder = null)
    {
        Kind = kind;
        School = school;
        Holder = holder;
    }

    /// <summary>The kind of scope.</summary>
    public ScopeKind Kind { get; }

    /// <summary>The school name for <see cref="ScopeKind.OwnSchool"/>; otherwise null.</summary>
    public string? School { get; }

    /// <summary>
    /// For <see cref="ScopeKind.OwnCases"/>, the user whose assigned children the scope reaches; null (reaching nobody)
    /// until <see cref="For"/> ties the scope to its user.
    /// </summary>
    public string? Holder { get; }

    /// <summary>Every child.</summary>
    public static Scope All { get; } = new(ScopeKind.All, null);

    /// <summary>No child.</summary>
    public static Scope None { get; } = new(ScopeKind.None, null);

    /// <summary>Children with data from the role's own categories.</summary>
    public static Scope OwnDepartment { get; } = new(ScopeKind.OwnDepartment, null);

    /// <summary>Children assigned as cases.</summary>
    public static Scope OwnCases { get; } = new(ScopeKind.OwnCases, null);

    /// <summary>Pupils of one school.</summary>
    public static Scope OwnSchool(string school)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(school);
        return new Scope(ScopeKind.OwnSchool, school.Trim());
    }

    /// <summary>This scope tied to the user holding it: <c>own_cases</c> then means that user's current cases.</summary>
    public Scope For(string userName) =>
        Kind == ScopeKind.OwnCases && !string.IsNullOrEmpty(userName) ? new Scope(ScopeKind.OwnCases, null, userName) : this;

    /// <summary>Reads the stored text form; anything unrecognised is <see cref="None"/>.</summary>
    public static Scope Parse(string? text)
    {
        var s = (text ?? string.Empty).Trim();
        const string schoolPrefix = "own_school:";
        if (s.StartsWith(schoolPrefix, StringComparison.Ordinal) && s.Length > schoolPrefix.Length)
        {
            return OwnSchool(s[schoolPrefix.Length..]);
        }

        return s switch
        {
            "all" => All,
            "own_department" => OwnDepartment,
            "own_cases" => OwnCases,
            _ => None,
        };
    }

    /// <summary>The stored text form.</summary>
    public override string ToString() => Kind switch
    {
        ScopeKind.All => "all",
        ScopeKind.OwnSchool => "own_school:" + School,
        ScopeKind.OwnDepartment => "own_department",
        ScopeKind.OwnCases => "own_cases",
        _ => "none",
    };
}
