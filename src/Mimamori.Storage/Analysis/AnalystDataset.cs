using System.Text.Json;
using Dapper;
using Mimamori.Storage.Connection;

namespace Mimamori.Storage.Analysis;

/// <summary>A child as the analyst dataset may describe them: no name, address, 宛名番号 or exact birth date leaves here.</summary>
/// <param name="PersonId">Internal id, to be replaced by a keyed pseudonym before anything is written.</param>
/// <param name="HouseholdNo">世帯番号, likewise replaced by a pseudonym.</param>
/// <param name="BirthMonth">Year and month of birth (yyyy-MM), or null.</param>
/// <param name="Sex">As stored.</param>
public sealed record DatasetChild(long PersonId, string? HouseholdNo, string? BirthMonth, string? Sex);

/// <summary>A model score with the inputs it was computed from.</summary>
public sealed record DatasetScore(long PersonId, string Outcome, string ModelVersion, string Split, double Probability, string Band, string Inputs, string? FirstSignal);

/// <summary>A rule-based assessment: the rules that fired, without the evidence records or their values.</summary>
public sealed record DatasetAssessment(long PersonId, string Difficulty, double Score, string Band, IReadOnlyList<string> Rules, string ModelVersion);

/// <summary>A recorded decision as an outcome: what was decided and when (month), never the written reasons.</summary>
public sealed record DatasetDecision(long PersonId, string Decision, bool OverridesScore, bool InMeeting, string DecidedMonth, bool Superseded);

/// <summary>
/// The reading side of the pseudonymised analyst dataset. It reads only the columns an analyst may see; the caller
/// replaces ids with keyed pseudonyms. Names, kana, addresses, phone numbers, 宛名番号, free-text reasons and the
/// evidence values behind each rule are never selected.
/// </summary>
public static class AnalystDataset
{
    public static IReadOnlyList<DatasetChild> Children(MimamoriDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        using var connection = database.Open();
        return connection.Query<(long PersonId, string? HouseholdNo, string? BirthDate, string? Sex)>(
                "SELECT person_id, household_no, birth_date, sex FROM person WHERE is_child = 1 ORDER BY person_id")
            .Select(r => new DatasetChild(r.PersonId, r.HouseholdNo, r.BirthDate is { Length: >= 7 } b ? b[..7] : null, r.Sex))
            .ToList();
    }

    public static IReadOnlyList<DatasetScore> Scores(MimamoriDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        using var connection = database.Open();
        return connection.Query<DatasetScore>(
            """
            SELECT person_id AS PersonId, outcome AS Outcome, model_version AS ModelVersion, split AS Split, probability AS Probability,
                   band AS Band, inputs AS Inputs, first_signal AS FirstSignal
            FROM need_score ORDER BY outcome, person_id
            """).ToList();
    }

    public static IReadOnlyList<DatasetAssessment> Assessments(MimamoriDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        using var connection = database.Open();
        return connection.Query<(long PersonId, string Difficulty, double Score, string Band, string Signals, string ModelVersion)>(
                "SELECT person_id, difficulty, score, band, signals, model_version FROM need_assessment ORDER BY person_id, difficulty")
            .Select(r => new DatasetAssessment(r.PersonId, r.Difficulty, r.Score, r.Band, RuleIds(r.Signals), r.ModelVersion))
            .ToList();
    }

    public static IReadOnlyList<DatasetDecision> Decisions(MimamoriDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        using var connection = database.Open();
        return connection.Query<(long PersonId, string Decision, long OverridesScore, long InMeeting, string DecidedAt, long Superseded)>(
                """
                SELECT j.person_id, j.decision, j.overrides_score,
                       CASE WHEN j.meeting_id IS NULL THEN 0 ELSE 1 END,
                       j.decided_at,
                       CASE WHEN EXISTS (SELECT 1 FROM judgement later WHERE later.supersedes = j.judgement_id) THEN 1 ELSE 0 END
                FROM judgement j ORDER BY j.person_id, j.judgement_id
                """)
            .Select(r => new DatasetDecision(r.PersonId, r.Decision, r.OverridesScore != 0, r.InMeeting != 0, r.DecidedAt.Length >= 7 ? r.DecidedAt[..7] : r.DecidedAt, r.Superseded != 0))
            .ToList();
    }

    private static List<string> RuleIds(string signals)
    {
        using var doc = JsonDocument.Parse(signals);
        return doc.RootElement.EnumerateArray()
            .Select(s => s.TryGetProperty("rule", out var r) ? r.GetString() : null)
            .OfType<string>()
            .ToList();
    }
}
