using System.Globalization;
using System.Text.Json;
using Dapper;
using Mimamori.Linkage.Records;
using Mimamori.Linkage.Scoring;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Pipeline;

namespace Mimamori.Storage.Identity;

/// <summary>A pair of the review queue, with where each record came from.</summary>
public sealed record ReviewItem(long ReviewId, string PairKey, long RecordId, long CandidateRecordId, double Weight, string Reason, string FirstSeen, string Source, string CandidateSource);

/// <summary>One side of a pair as shown to data staff: lineage, category (for the access policy) and identity fields.</summary>
public sealed record ReviewRecord(long RecordId, string Source, string Category, string File, long Line, string? LocalId, long? PersonId, LinkRecord Identity);

/// <summary>The review queue as the web app reads and answers it.</summary>
public static class LinkReview
{
    private static readonly JsonSerializerOptions ModelJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Undecided pairs, strongest first.</summary>
    public static IReadOnlyList<ReviewItem> List(MimamoriDatabase database, int limit = 500)
    {
        ArgumentNullException.ThrowIfNull(database);
        using var connection = database.Open();
        return connection.Query<ReviewItem>(Select + " ORDER BY q.review_id LIMIT @limit", new { limit }).ToList();
    }

    /// <summary>One pair, or null when the queue no longer holds it (decided, or gone in a later run).</summary>
    public static ReviewItem? Find(MimamoriDatabase database, long reviewId)
    {
        ArgumentNullException.ThrowIfNull(database);
        using var connection = database.Open();
        return connection.QuerySingleOrDefault<ReviewItem>(Select + " WHERE q.review_id = @reviewId", new { reviewId });
    }

    /// <summary>Both records of a pair.</summary>
    public static IReadOnlyDictionary<long, ReviewRecord> Records(MimamoriDatabase database, params long[] recordIds)
    {
        ArgumentNullException.ThrowIfNull(database);
        var identities = LinkageStore.LoadRecords(database, recordIds);
        using var connection = database.Open();
        var rows = connection.Query<(long RecordId, string Source, string Category, string File, long Line, string? LocalId, long? PersonId)>(
            """
            SELECT r.record_id, r.source, r.category, r.file, r.line, r.local_id, l.person_id
            FROM source_record r LEFT JOIN person_record l ON l.record_id = r.record_id
            WHERE r.record_id IN
            """ + SqlLists.Ids(recordIds));
        return rows.Where(r => identities.ContainsKey(r.RecordId))
            .ToDictionary(r => r.RecordId, r => new ReviewRecord(r.RecordId, r.Source, r.Category, r.File, r.Line, r.LocalId, r.PersonId, identities[r.RecordId]));
    }

    /// <summary>The model the last successful link run used, to explain a pair exactly as it was scored.</summary>
    public static LinkageModel? LatestModel(MimamoriDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        using var connection = database.Open();
        var detail = connection.QueryFirstOrDefault<string>("SELECT detail FROM pipeline_run WHERE stage = 'link' AND status = 'succeeded' ORDER BY run_id DESC LIMIT 1");
        return detail is null ? null : JsonSerializer.Deserialize<LinkageModel>(detail, ModelJson);
    }

    /// <summary>
    /// Records a person's decision on a pair by its records' keys (it survives re-imports) and takes it off the queue.
    /// The next link applies it above the model.
    /// </summary>
    public static StoredDecision Decide(MimamoriDatabase database, ReviewItem item, bool same, string decidedBy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(item);
        var keys = RecordKeys.Load(database, [item.RecordId, item.CandidateRecordId]);
        if (!keys.TryGetValue(item.RecordId, out var a) || !keys.TryGetValue(item.CandidateRecordId, out var b))
        {
            throw new InvalidOperationException($"The records of review pair {item.ReviewId} are no longer stored.");
        }

        var decision = new StoredDecision(
            RecordKeys.Pair(a.Key, b.Key), a.Key, b.Key, same ? StoredDecision.Same : StoredDecision.Different, item.Weight, item.Reason, decidedBy,
            now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        IdentityStore.Decide(database, decision);
        using var connection = database.Open();
        connection.Execute("DELETE FROM link_review WHERE review_id = @ReviewId OR pair_key = @PairKey", new { item.ReviewId, decision.PairKey });
        return decision;
    }

    private const string Select = """
        SELECT q.review_id AS ReviewId, q.pair_key AS PairKey, q.record_id AS RecordId, q.candidate_record_id AS CandidateRecordId, q.weight AS Weight,
               q.reason AS Reason, q.first_seen AS FirstSeen, a.source AS Source, b.source AS CandidateSource
        FROM link_review q JOIN source_record a ON a.record_id = q.record_id JOIN source_record b ON b.record_id = q.candidate_record_id
        """;
}
