namespace Mimamori.Storage.Outreach;

/// <summary>Message states: <c>draft</c> → <c>approved</c> (by a supervisor) → <c>sent</c> (printed or e-mailed) / <c>delivered</c> (accepted by the mail server) / <c>failed</c>.</summary>
public static class MessageState
{
    public const string Draft = "draft";
    public const string Approved = "approved";
    public const string Sent = "sent";
    public const string Delivered = "delivered";
    public const string Failed = "failed";

    /// <summary>States in which the family can see the message in its inbox.</summary>
    public static IReadOnlyList<string> Visible { get; } = [Sent, Delivered];
}

/// <summary>A family's answer to a message.</summary>
public static class MessageResponse
{
    public const string Applied = "applied";
    public const string Declined = "declined";

    /// <summary>No more offers to this household; every later campaign leaves it out.</summary>
    public const string OptedOut = "opted_out";

    public static IReadOnlyList<string> All { get; } = [Applied, Declined, OptedOut];
}

/// <summary>A campaign as drafted by the outreach stage.</summary>
/// <param name="Target">How households were selected: <c>unclaimed</c> (eligible, not receiving), later <c>approved_children</c>.</param>
/// <param name="Seed">The seed the wordings were assigned with (recorded, so the assignment can be reproduced).</param>
/// <param name="Deadline">The reply-by date the deadline wording names.</param>
public sealed record CampaignDraft(string Campaign, string Target, long Seed, DateOnly ReferenceDate, DateOnly Deadline, string ProgramsVersion);

/// <summary>One drafted message.</summary>
public sealed record DraftMessage(string HouseholdNo, long PersonId, string Program, string Channel, string Variant, string Language, string Subject, string Body);

/// <summary>A campaign with its messages counted by state and by response.</summary>
public sealed record CampaignSummary(
    string Campaign,
    string Target,
    string State,
    long Seed,
    string ReferenceDate,
    string Deadline,
    string ProgramsVersion,
    string CreatedAt,
    string? ApprovedBy,
    string? ApprovedAt,
    IReadOnlyDictionary<string, long> Messages,
    IReadOnlyDictionary<string, long> Responses);

/// <summary>A message as staff see it before and after approval: to whom (the addressee and address), what and in which wording.</summary>
public sealed record CampaignMessage(
    long MessageId,
    string Campaign,
    string HouseholdNo,
    long PersonId,
    string Program,
    string Channel,
    string Variant,
    string State,
    string Subject,
    string Body,
    string Addressee,
    string PostalCode,
    string Address,
    string? Email,
    string? SentAt,
    string? ReadAt,
    string? Response,
    string? Failure);

/// <summary>Uptake counts of one wording in one campaign: messages that reached the family, and answers.</summary>
public sealed record VariantCounts(string Variant, long Sent, long Applied, long Declined, long OptedOut, long Read);
