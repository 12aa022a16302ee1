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

    /// <summary>Everything held about a person was gathered to answer their own request (本人開示).</summary>
    public const string Disclose = "disclose";

    /// <summary>A person's data left the system as a file (download, export).</summary>
    public const string Export = "export";

    /// <summary>Emergency access to a child outside the user's scope was opened (with the reason in the grant).</summary>
    public const string BreakGlass = "break_glass";

    /// <summary>The privacy officer reviewed an emergency access.</summary>
    public const string Review = "review";

    /// <summary>Something about a person was recorded or changed.</summary>
    public const string Change = "change";

    /// <summary>Data whose retention had passed was removed (counts per category, never names).</summary>
    public const string Purge = "purge";
}
