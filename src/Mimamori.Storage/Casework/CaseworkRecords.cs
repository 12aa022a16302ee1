namespace Mimamori.Storage.Casework;

/// <summary>The states of a support plan.</summary>
public static class PlanStatus
{
    /// <summary>Support under way; the plan is reviewed by its review date.</summary>
    public const string Active = "active";

    /// <summary>Support ended; the plan stays readable.</summary>
    public const string Ended = "ended";

    /// <summary>Every state.</summary>
    public static IReadOnlyList<string> All { get; } = [Active, Ended];
}

/// <summary>The states of a task.</summary>
public static class PlanTaskStatus
{
    /// <summary>Still to do.</summary>
    public const string Open = "open";

    /// <summary>Done, by whom and when is recorded.</summary>
    public const string Done = "done";
}

/// <summary>A support plan to be created.</summary>
/// <param name="PersonId">The child.</param>
/// <param name="JudgementId">The decision the plan follows from, when made after one.</param>
/// <param name="Goals">What the support should achieve, in the caseworker's words.</param>
/// <param name="Services">The services and programs used.</param>
/// <param name="Agency">The agency responsible for the plan.</param>
/// <param name="ReviewOn">When the plan is to be reviewed.</param>
/// <param name="By">The user name of who creates it.</param>
public sealed record NewPlan(long PersonId, long? JudgementId, string Goals, string Services, string Agency, DateOnly ReviewOn, string By);

/// <summary>A support plan as stored.</summary>
public sealed record SupportPlan(
    long PlanId,
    long PersonId,
    long? JudgementId,
    string Goals,
    string Services,
    string Agency,
    DateOnly ReviewOn,
    string Status,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    string UpdatedBy,
    DateTimeOffset UpdatedAt);

/// <summary>A task or follow-up to be added to a plan.</summary>
public sealed record NewTask(long PlanId, string Title, DateOnly DueOn, string Assignee, string By);

/// <summary>A task as stored; the child is copied from its plan so that the overdue view needs no join to filter.</summary>
public sealed record PlanTask(
    long TaskId,
    long PlanId,
    long PersonId,
    string Title,
    DateOnly DueOn,
    string Assignee,
    string Status,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    string? DoneBy,
    DateTimeOffset? DoneAt);

/// <summary>What is late on a date: open tasks past their due date, active plans past their review date.</summary>
public sealed record Overdue(IReadOnlyList<PlanTask> Tasks, IReadOnlyList<SupportPlan> Plans);

/// <summary>The fields a referral or a consent can name: the minimum another organisation needs to act.</summary>
public static class ReferralField
{
    /// <summary>Name and reading.</summary>
    public const string Name = "name";

    /// <summary>Date of birth.</summary>
    public const string BirthDate = "birth_date";

    /// <summary>Address.</summary>
    public const string Address = "address";

    /// <summary>The school attended.</summary>
    public const string School = "school";

    /// <summary>The guardians' names.</summary>
    public const string Guardian = "guardian";

    /// <summary>Every field, in display order.</summary>
    public static IReadOnlyList<string> All { get; } = [Name, BirthDate, Address, School, Guardian];
}

/// <summary>A consent to be recorded: who agreed that what may go to which partner.</summary>
/// <param name="PersonId">The child the consent is about.</param>
/// <param name="HouseholdNo">The child's household.</param>
/// <param name="Partner">The partner organisation it covers.</param>
/// <param name="Purpose">What the partner is to do, in words.</param>
/// <param name="Fields">The <see cref="ReferralField"/>s it covers.</param>
/// <param name="GivenBy">Who gave it (the guardian, or the young person).</param>
/// <param name="GivenOn">When it was given.</param>
/// <param name="RecordedBy">The user name of the member of staff who recorded it.</param>
public sealed record NewConsent(long PersonId, string HouseholdNo, string Partner, string Purpose, IReadOnlyList<string> Fields, string GivenBy, DateOnly GivenOn, string RecordedBy);

/// <summary>A consent as stored, with its withdrawal if any.</summary>
public sealed record Consent(
    long ConsentId,
    long? PersonId,
    string HouseholdNo,
    string Partner,
    string Purpose,
    IReadOnlyList<string> Fields,
    string? GivenBy,
    DateOnly GivenOn,
    string RecordedBy,
    DateTimeOffset? WithdrawnAt,
    string? WithdrawnBy,
    string? WithdrawalReason)
{
    /// <summary>True while not withdrawn.</summary>
    public bool InForce => WithdrawnAt is null;

    /// <summary>True when in force for this partner and every field asked.</summary>
    public bool Covers(string partner, IEnumerable<string> fields) => InForce && Partner == partner && fields.All(Fields.Contains);
}

/// <summary>The states of a referral.</summary>
public static class ReferralStatus
{
    /// <summary>Sent, not yet answered.</summary>
    public const string Sent = "sent";

    /// <summary>The receiving organisation took the child on.</summary>
    public const string Accepted = "accepted";

    /// <summary>The receiving organisation declined, with its reason.</summary>
    public const string Declined = "declined";
}

/// <summary>A referral to be sent.</summary>
/// <param name="PersonId">The child.</param>
/// <param name="HouseholdNo">The child's household, if known.</param>
/// <param name="FromOrg">The sending organisation.</param>
/// <param name="FromUser">The user name of the sender.</param>
/// <param name="To">The receiving organisation.</param>
/// <param name="Reason">Why, in the sender's words.</param>
/// <param name="Fields">The values passed on, by <see cref="ReferralField"/> (frozen: the receiver sees what was sent).</param>
/// <param name="ConsentId">The consent that allows it; required for an outside partner.</param>
public sealed record NewReferral(long PersonId, string? HouseholdNo, string FromOrg, string FromUser, Agency To, string Reason, IReadOnlyDictionary<string, string> Fields, long? ConsentId);

/// <summary>A referral as stored.</summary>
public sealed record Referral(
    long ReferralId,
    long PersonId,
    string? HouseholdNo,
    string FromOrg,
    string FromUser,
    string ToOrg,
    string ToKind,
    string Reason,
    IReadOnlyDictionary<string, string> Fields,
    long? ConsentId,
    DateTimeOffset SentAt,
    string Status,
    string? AnsweredBy,
    DateTimeOffset? AnsweredAt,
    string? AnswerReason);

/// <summary>Kinds of 要対協 registration (児童福祉法 25条の2: 要保護児童, 要支援児童, 特定妊婦).</summary>
public static class YotaikyoKind
{
    /// <summary>要保護児童.</summary>
    public const string Protection = "protection";

    /// <summary>要支援児童.</summary>
    public const string Support = "support";

    /// <summary>特定妊婦.</summary>
    public const string ExpectantMother = "expectant_mother";

    /// <summary>Every kind.</summary>
    public static IReadOnlyList<string> All { get; } = [Protection, Support, ExpectantMother];
}

/// <summary>The worklist filter on 要対協 registration.</summary>
public static class YotaikyoFilter
{
    /// <summary>An open registration, recorded by staff or in the linked data.</summary>
    public const string Registered = "registered";

    /// <summary>No open registration.</summary>
    public const string NotRegistered = "not_registered";

    /// <summary>Every value.</summary>
    public static IReadOnlyList<string> All { get; } = [Registered, NotRegistered];
}

/// <summary>A 要対協 registration recorded by staff: when it began and, once the case is closed, when it ended and why.</summary>
public sealed record YotaikyoRegistration(
    long RegistrationId,
    long PersonId,
    string Kind,
    DateOnly RegisteredOn,
    DateOnly? EndedOn,
    string? EndReason,
    string RecordedBy,
    DateTimeOffset RecordedAt)
{
    /// <summary>True while not ended.</summary>
    public bool IsOpen => EndedOn is null;
}
