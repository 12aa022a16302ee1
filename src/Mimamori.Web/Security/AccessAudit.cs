using Microsoft.AspNetCore.Http;
using Mimamori.Privacy.Access;
using Mimamori.Privacy.Audit;
using Mimamori.Storage.Audit;

namespace Mimamori.Web.Security;

/// <summary>
/// Writes the audit trail for web requests: who, in which role and organisation, for which purpose, saw what,
/// with which outcome, from which address. Every page or API response that shows a person's data goes through here
/// before the response is sent, so a failure to audit is a failure to show.
/// </summary>
public sealed class AccessAudit
{
    /// <summary>Purpose recorded for sign-in and sign-out, which serve no data purpose of their own.</summary>
    public const string AuthenticationPurpose = "authentication";

    private readonly AuditLog log;
    private readonly TimeProvider clock;

    /// <summary>Writes to the given log with the given clock.</summary>
    public AccessAudit(AuditLog log, TimeProvider clock)
    {
        this.log = log;
        this.clock = clock;
    }

    /// <summary>Records one access.</summary>
    public AuditEvent Record(HttpContext http, User user, string purpose, string action, string subject, IEnumerable<string> categories, IEnumerable<string> fields, string outcome) =>
        log.Append(Event(http, user, purpose, action, subject, categories, fields, outcome));

    /// <summary>Records several accesses in one transaction (one per person listed on a page).</summary>
    public IReadOnlyList<AuditEvent> RecordAll(IReadOnlyList<AuditEvent> events) => log.Append(events);

    /// <summary>An event for this request, not yet stored.</summary>
    public AuditEvent Event(HttpContext http, User user, string purpose, string action, string subject, IEnumerable<string> categories, IEnumerable<string> fields, string outcome)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(user);
        return AuditEvent.Create(clock, user.Name, user.Role, user.Organisation, purpose, action, subject, categories.Distinct().ToList(), fields.Distinct().ToList(), outcome, Client(http));
    }

    /// <summary>Records a sign-in attempt; the user name is kept even when unknown, to show guessing.</summary>
    public AuditEvent RecordLogin(HttpContext http, string userName, User? user, string outcome)
    {
        var name = userName.Length > 64 ? userName[..64] : userName;
        var who = user ?? new User(name, name, "unknown", "unknown", Scope.None);
        return Record(http, who, AuthenticationPurpose, AuditAction.Login, "user:" + name, [], [], outcome);
    }

    /// <summary>The client's network address as the server saw it.</summary>
    public static string Client(HttpContext http) => http?.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
