namespace Mimamori.Needs.Scoring;

/// <summary>A fact cited as evidence for a fired rule.</summary>
public sealed record Evidence(string Source, long RecordId, DateOnly? Date, string Value);

/// <summary>A rule that fired for a child, with the value it saw and the facts behind it.</summary>
public sealed record FiredSignal(string RuleId, string Ja, string En, double Weight, double Observed, IReadOnlyList<Evidence> Evidence);

/// <summary>
/// One difficulty's assessment for one child: the combined score (0..1), its band, the signals that fired, and the
/// relevant sources that hold nothing for this child — shown as unknown, never read as "no risk".
/// </summary>
public sealed record NeedAssessment(long PersonId, string Difficulty, double Score, string Band, IReadOnlyList<FiredSignal> Signals, IReadOnlyList<string> MissingSources);
