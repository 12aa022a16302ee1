namespace Mimamori.Privacy.Audit;

/// <summary>
/// One entry of the audit trail: who (user, role, organisation) did what (action) to whom (subject) for which purpose,
/// which categories and fields were shown, with what outcome and from where. <see cref="PrevHash"/> and
/// <see cref="Hash"/> chain the entries (see <see cref="AuditChain"/>) so that editing, deleting or reordering
/// entries is detectable.
/// </summary>
/// <param name="Seq">Position in the trail, 1 for the first entry, without gaps.</param>
/// <param name="At">When it happened (stored in UTC).</param>
/// <param name="User">Login name.</param>
/// <param name="Role">Role id at the time.</param>
/// <param name="Organisation">Organisation at the time.</param>
/// <param name="Purpose">Purpose id the access was made for.</param>
/// <param name="Action">view, search, login, logout or export.</param>
/// <param name="Subject">What was accessed, e.g. <c>person:42</c>, <c>user:sato</c> or <c>audit</c>.</param>
/// <param name="Categories">Data category ids whose values were shown.</param>
/// <param name="Fields">Field or section names shown.</param>
/// <param name="Outcome">allowed, denied, success, failure or locked.</param>
/// <param name="Client">Client network address.</param>
/// <param name="PrevHash">Hash of the previous entry (64 zeros for the first).</param>
/// <param name="Hash">This entry's hash.</param>
public sealed record AuditEvent(
    long Seq,
    DateTimeOffset At,
    string User,
    string Role,
    string Organisation,
    string Purpose,
    string Action,
    string Subject,
    IReadOnlyList<string> Categories,
    IReadOnlyList<string> Fields,
    string Outcome,
    string Client,
    string PrevHash,
    string Hash)
{
    /// <summary>A new entry before the log assigns its position and hashes.</summary>
    public static AuditEvent Create(
        TimeProvider clock,
        string user,
        string role,
        string organisation,
        string purpose,
        string action,
        string subject,
        IReadOnlyList<string> categories,
        IReadOnlyList<string> fields,
        string outcome,
        string client)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return new AuditEvent(0, clock.GetUtcNow(), user, role, organisation, purpose, action, subject, categories, fields, outcome, client, string.Empty, string.Empty);
    }
}
