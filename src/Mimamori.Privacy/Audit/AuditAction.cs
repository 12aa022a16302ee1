namespace Mimamori.Privacy.Audit;

/// <summary>The actions the audit trail records.</summary>
public static class AuditAction
{
    /// <summary>A person's data was displayed in detail.</summary>
    public const string View = "view";

    /// <summary>A person appeared in a list or search result.</summary>
    public const string Search = "search";

    /// <summary>A sign-in attempt.</summary>
    public const string Login = "login";

    /// <summary>A sign-out.</summary>
    public const string Logout = "logout";
}
