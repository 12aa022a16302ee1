using Mimamori.Storage.Reading;

namespace Mimamori.Storage.Judgement;

/// <summary>The four decisions a person can record about a flagged child.</summary>
public static class Decision
{
    /// <summary>支援が必要: the centre takes the child on (a plan follows).</summary>
    public const string SupportNeeded = "support_needed";

    /// <summary>見守り: no support now, look again later.</summary>
    public const string Watch = "watch";

    /// <summary>支援不要: looked at, no support needed.</summary>
    public const string NotNeeded = "not_needed";

    /// <summary>つなぐ: refer to another body (要対協, 児童相談所, school, health centre).</summary>
    public const string Refer = "refer";

    /// <summary>Every decision, in the order forms list them.</summary>
    public static IReadOnlyList<string> All { get; } = [SupportNeeded, Watch, NotNeeded, Refer];

    /// <summary>True for a known decision id.</summary>
    public static bool IsKnown(string? decision) => decision is not null && All.Contains(decision, StringComparer.Ordinal);
}

/// <summary>
/// What the person deciding was shown, frozen at the moment of the decision: the need assessments (bands, the rules
/// that fired, their evidence, the sources with no data), the model's probability with its reasons and inputs, and the
/// versions of rules, model and access policy. A later pipeline run changes the live view, never this.
/// </summary>
/// <param name="ReferenceDate">The data's reference date, when known.</param>
/// <param name="Needs">The assessments as shown (only those the decider's access let them see).</param>
/// <param name="Model">The model's score as shown, or null when no model scored the child.</param>
/// <param name="PolicyVersion">The access policy version in force.</param>
/// <param name="Purpose">The purpose the data was shown for.</param>
public sealed record JudgementSnapshot(
    DateOnly? ReferenceDate,
    IReadOnlyList<NeedView> Needs,
    SnapshotScore? Model,
    string PolicyVersion,
    string Purpose)
{
    /// <summary>The versions of what produced the figures shown ("rules-2026.2", model version), for the list and the audit.</summary>
    public string Versions => string.Join(" / ", Needs.Select(n => n.ModelVersion).Append(Model?.ModelVersion).OfType<string>().Where(v => v.Length > 0).Distinct(StringComparer.Ordinal));
}

/// <summary>The model's score of a child: calibrated probability, band, top reasons in plain words and the inputs (to reproduce it).</summary>
public sealed record SnapshotScore(string ModelVersion, double Probability, string Band, IReadOnlyList<SnapshotReason> Reasons, string Inputs);

/// <summary>One of the model's reasons: the feature, its group, its contribution and the words shown.</summary>
public sealed record SnapshotReason(string Feature, string Group, double Contribution, string Ja, string En);

/// <summary>A decision to record.</summary>
/// <param name="PersonId">The child.</param>
/// <param name="Decision">One of <see cref="Judgement.Decision.All"/>.</param>
/// <param name="Reasons">Why, in the decider's words (required).</param>
/// <param name="By">Who decided, as they were at the time.</param>
/// <param name="MeetingId">The meeting the decision was taken in, or null (decided outside a meeting).</param>
/// <param name="OverridesScore">True when the decision goes against what the bands suggested.</param>
/// <param name="Snapshot">What was shown.</param>
public sealed record NewJudgement(
    long PersonId,
    string Decision,
    string Reasons,
    Decider By,
    long? MeetingId,
    bool OverridesScore,
    JudgementSnapshot Snapshot);

/// <summary>Who took a decision: user name, display name, role and organisation at the time.</summary>
public sealed record Decider(string UserName, string DisplayName, string Role, string Organisation);

/// <summary>A recorded decision.</summary>
/// <param name="SupersededBy">The later decision about the same child that replaced this one, or null when it is the current one.</param>
public sealed record StoredJudgement(
    long JudgementId,
    long PersonId,
    string Decision,
    string Reasons,
    Decider By,
    long? MeetingId,
    string? MeetingTitle,
    DateOnly? MeetingDate,
    bool OverridesScore,
    DateTimeOffset DecidedAt,
    long? Supersedes,
    long? SupersededBy,
    string ModelVersion,
    JudgementSnapshot Snapshot);

/// <summary>A meeting to hold (ケース会議, 要対協 実務者会議...).</summary>
public sealed record NewMeeting(DateOnly HeldOn, string Title, string Kind, IReadOnlyList<string> Attendees, string CreatedBy);

/// <summary>A meeting with the size of its agenda and how many of those children have a decision taken in it.</summary>
public sealed record Meeting(long MeetingId, DateOnly HeldOn, string Title, string Kind, IReadOnlyList<string> Attendees, string CreatedBy, DateTimeOffset CreatedAt, int Agenda, int Decided);

/// <summary>A child on a meeting's agenda, with the latest decision taken in that meeting (null: not yet decided).</summary>
public sealed record AgendaItem(long PersonId, string FamilyName, string GivenName, string FamilyKana, string GivenKana, DateOnly? BirthDate, string AddedBy, StoredJudgement? Decision);

/// <summary>Where a child stands in the judgement process, as the worklist filters it.</summary>
public static class JudgementStatus
{
    /// <summary>未判定: no decision recorded yet.</summary>
    public const string Undecided = "undecided";

    /// <summary>会議待ち: on a meeting's agenda, no decision yet.</summary>
    public const string OnAgenda = "on_agenda";

    /// <summary>要対協未登録: support needed or referred, but no open 要対協 registration in the linked data.</summary>
    public const string NotRegistered = "not_registered";

    /// <summary>支援中: the latest decision is "support needed".</summary>
    public const string Supporting = "supporting";

    /// <summary>見守り中: the latest decision is "watch".</summary>
    public const string Watching = "watching";

    /// <summary>つないだ: the latest decision is "refer".</summary>
    public const string Referred = "referred";

    /// <summary>支援不要: the latest decision is "not needed".</summary>
    public const string NotNeeded = "not_needed";

    /// <summary>Every status, in the order filters list them.</summary>
    public static IReadOnlyList<string> All { get; } = [Undecided, OnAgenda, NotRegistered, Supporting, Watching, Referred, NotNeeded];
}
