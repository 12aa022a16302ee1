using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Dapper;
using Mimamori.Needs.Scoring;
using Mimamori.Storage.Connection;
using Mimamori.Support.Programs;

namespace Mimamori.Storage.Pipeline;

/// <summary>Writes need assessments, unclaimed support and outreach messages, each stage replacing its previous output in one transaction.</summary>
public static class AssessmentStore
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static void SaveAssessments(MimamoriDatabase database, IEnumerable<NeedAssessment> assessments, string modelVersion)
    {
        using var connection = database.Open();
        using var tx = connection.BeginTransaction();
        connection.Execute("DELETE FROM need_assessment", transaction: tx);
        WriteAssessments(connection, tx, assessments, modelVersion);

        // The worklist's order is derived from these assessments: it changes with them, in the same transaction.
        Reading.WorklistRanking.Rebuild(connection, tx, DateTimeOffset.UtcNow);
        tx.Commit();
    }

    /// <summary>
    /// Replaces the assessments of <paramref name="persons"/> only (those reassessed, and any no longer a child or no
    /// longer known, whose assessments go), and the worklist ranking of the same persons, in one transaction.
    /// </summary>
    /// <param name="schoolsAfterRecord">Facts of records after this one may name schools the worklist filter does not offer yet.</param>
    public static void ReplaceAssessments(MimamoriDatabase database, IReadOnlyCollection<long> persons, IEnumerable<NeedAssessment> assessments, string modelVersion, long schoolsAfterRecord)
    {
        ArgumentNullException.ThrowIfNull(persons);
        using var connection = database.Open();
        using var tx = connection.BeginTransaction();
        foreach (var chunk in persons.Chunk(500))
        {
            connection.Execute("DELETE FROM need_assessment WHERE person_id IN " + SqlLists.Ids(chunk), transaction: tx);
        }

        WriteAssessments(connection, tx, assessments, modelVersion);
        Reading.WorklistRanking.Update(connection, tx, persons, schoolsAfterRecord, DateTimeOffset.UtcNow);
        tx.Commit();
    }

    private static void WriteAssessments(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction tx, IEnumerable<NeedAssessment> assessments, string modelVersion)
    {
        using (var writer = new BulkWriter(connection, tx, "need_assessment", ["person_id", "difficulty", "score", "band", "signals", "missing", "model_version"]))
        {
            foreach (var a in assessments)
            {
                var signals = a.Signals.Select(s => new
                {
                    rule = s.RuleId,
                    ja = s.Ja,
                    en = s.En,
                    weight = s.Weight,
                    observed = s.Observed,
                    evidence = s.Evidence.Select(e => new { source = e.Source, record_id = e.RecordId, date = e.Date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), value = e.Value }),
                });
                writer.Write(a.PersonId, a.Difficulty, a.Score, a.Band, JsonSerializer.Serialize(signals, Json), JsonSerializer.Serialize(a.MissingSources, Json), modelVersion);
            }

            writer.Complete();
        }
    }

    public static void SaveUnclaimed(MimamoriDatabase database, IEnumerable<UnclaimedSupport> unclaimed) => SaveUnclaimed(database, null, unclaimed);

    /// <summary>Replaces the unclaimed support of every household (<paramref name="households"/> null) or of the households listed.</summary>
    public static void SaveUnclaimed(MimamoriDatabase database, IReadOnlyCollection<string>? households, IEnumerable<UnclaimedSupport> unclaimed)
    {
        using var connection = database.Open();
        using var tx = connection.BeginTransaction();
        if (households is null)
        {
            connection.Execute("DELETE FROM unclaimed_support", transaction: tx);
        }
        else
        {
            foreach (var chunk in households.Chunk(500))
            {
                connection.Execute("DELETE FROM unclaimed_support WHERE household_no IN " + SqlLists.Texts(chunk), transaction: tx);
            }
        }

        using (var writer = new BulkWriter(connection, tx, "unclaimed_support", ["household_no", "person_id", "program", "reasons"]))
        {
            foreach (var u in unclaimed)
            {
                writer.Write(u.HouseholdNo, u.PersonId, u.Program, JsonSerializer.Serialize(u.Reasons, Json));
            }

            writer.Complete();
        }

        tx.Commit();
    }

    /// <summary>The unclaimed support stored, in the order a finding over every household gives (household, then program in catalog order).</summary>
    public static IReadOnlyList<UnclaimedSupport> Unclaimed(MimamoriDatabase database, IReadOnlyList<string> programOrder)
    {
        ArgumentNullException.ThrowIfNull(programOrder);
        var rank = programOrder.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => x.i, StringComparer.Ordinal);
        using var connection = database.Open();
        return connection.Query<(string HouseholdNo, long PersonId, string Program, string Reasons)>("SELECT household_no, person_id, program, reasons FROM unclaimed_support")
            .OrderBy(u => u.HouseholdNo, StringComparer.Ordinal)
            .ThenBy(u => rank.GetValueOrDefault(u.Program, int.MaxValue))
            .Select(u => new UnclaimedSupport(u.HouseholdNo, u.PersonId, u.Program, JsonSerializer.Deserialize<List<string>>(u.Reasons) ?? []))
            .ToList();
    }

    /// <summary>Replaces the messages of a campaign (a rerun of the same campaign does not send twice).</summary>
    public static void SaveMessages(MimamoriDatabase database, string campaign, IEnumerable<(string HouseholdNo, long PersonId, string Program, string Channel, string Subject, string Body)> messages, DateTimeOffset now)
    {
        using var connection = database.Open();
        using var tx = connection.BeginTransaction();
        connection.Execute("DELETE FROM outreach_message WHERE campaign = @campaign AND state = 'draft'", new { campaign }, tx);
        var next = connection.ExecuteScalar<long>("SELECT COALESCE(MAX(message_id), 0) + 1 FROM outreach_message", transaction: tx);
        using (var writer = new BulkWriter(connection, tx, "outreach_message", ["message_id", "campaign", "household_no", "person_id", "program", "channel", "state", "subject", "body", "created_at"]))
        {
            foreach (var m in messages)
            {
                writer.Write(next++, campaign, m.HouseholdNo, m.PersonId, m.Program, m.Channel, "draft", m.Subject, m.Body, now.ToString("O", CultureInfo.InvariantCulture));
            }

            writer.Complete();
        }

        tx.Commit();
    }
}
