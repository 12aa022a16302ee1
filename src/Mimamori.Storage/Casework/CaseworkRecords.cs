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
