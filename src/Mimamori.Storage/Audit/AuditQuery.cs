namespace Mimamori.Storage.Audit;

/// <summary>A search of the audit trail; null criteria match everything. Dates are inclusive local calendar days in UTC.</summary>
/// <param name="Subject">Exact subject, e.g. <c>person:42</c>.</param>
/// <param name="User">Exact login name.</param>
/// <param name="From">First day (UTC) to include.</param>
/// <param name="To">Last day (UTC) to include.</param>
/// <param name="Limit">Most entries to return, newest first.</param>
public sealed record AuditQuery(string? Subject = null, string? User = null, DateOnly? From = null, DateOnly? To = null, int Limit = 500);
