using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Dapper;
using Mimamori.Storage.Connection;

namespace Mimamori.Storage.Pipeline;

/// <summary>A stored child score: enough, with the stored model, to compute the same probability again.</summary>
public sealed record StoredScore(long PersonId, string Outcome, string ModelVersion, string Split, double Probability, string Band, string Contributions, string Inputs, string? FirstSignal);

/// <summary>
/// Need models and the scores they gave. A model is stored whole (base64 text, which both SQLite and PostgreSQL hold
/// as TEXT) with its card, so a score can always be reproduced from its stored inputs and model version.
/// </summary>
public static class ModelStore
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void SaveModel(MimamoriDatabase database, string version, string outcome, DateTimeOffset createdAt, string cardJson, byte[] model)
    {
        using var connection = database.Open();
        using var tx = connection.BeginTransaction();
        connection.Execute("DELETE FROM need_model WHERE version = @version", new { version }, tx);
        connection.Execute(
            "INSERT INTO need_model (version, outcome, created_at, card, model) VALUES (@version, @outcome, @createdAt, @cardJson, @model)",
            new { version, outcome, createdAt = createdAt.ToString("O", CultureInfo.InvariantCulture), cardJson, model = Convert.ToBase64String(model) },
            tx);
        tx.Commit();
    }

    /// <summary>The latest model for an outcome: version, card JSON and bytes; null when none was trained.</summary>
    public static (string Version, string Card, byte[] Model)? LatestModel(MimamoriDatabase database, string outcome)
    {
        using var connection = database.Open();
        var row = connection.QueryFirstOrDefault<(string, string, string)?>(
            "SELECT version, card, model FROM need_model WHERE outcome = @outcome ORDER BY created_at DESC, version DESC LIMIT 1", new { outcome });
        return row is { } r ? (r.Item1, r.Item2, Convert.FromBase64String(r.Item3)) : null;
    }

    /// <summary>The version of the latest model of an outcome, without reading the model itself.</summary>
    public static string? LatestModelVersion(MimamoriDatabase database, string outcome)
    {
        using var connection = database.Open();
        return connection.QueryFirstOrDefault<string?>(
            "SELECT version FROM need_model WHERE outcome = @outcome ORDER BY created_at DESC, version DESC LIMIT 1", new { outcome });
    }

    /// <summary>A model by version (to reproduce a past score).</summary>
    public static byte[]? Model(MimamoriDatabase database, string version)
    {
        using var connection = database.Open();
        var text = connection.QueryFirstOrDefault<string?>("SELECT model FROM need_model WHERE version = @version", new { version });
        return text is null ? null : Convert.FromBase64String(text);
    }

    /// <summary>When the latest model for an outcome was trained; null when none was.</summary>
    public static DateTimeOffset? LatestModelCreatedAt(MimamoriDatabase database, string outcome)
    {
        using var connection = database.Open();
        var at = connection.QueryFirstOrDefault<string?>(
            "SELECT created_at FROM need_model WHERE outcome = @outcome ORDER BY created_at DESC, version DESC LIMIT 1", new { outcome });
        return at is null ? null : DateTimeOffset.Parse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
    }

    /// <summary>Replaces an outcome's scores in one transaction.</summary>
    public static void SaveScores(MimamoriDatabase database, string outcome, IEnumerable<StoredScore> scores) => SaveScores(database, outcome, null, scores);

    /// <summary>Replaces an outcome's scores of every child (<paramref name="persons"/> null) or of the persons listed, in one transaction.</summary>
    public static void SaveScores(MimamoriDatabase database, string outcome, IReadOnlyCollection<long>? persons, IEnumerable<StoredScore> scores)
    {
        using var connection = database.Open();
        using var tx = connection.BeginTransaction();
        if (persons is null)
        {
            connection.Execute("DELETE FROM need_score WHERE outcome = @outcome", new { outcome }, tx);
        }
        else
        {
            foreach (var chunk in persons.Chunk(500))
            {
                connection.Execute("DELETE FROM need_score WHERE outcome = @outcome AND person_id IN " + SqlLists.Ids(chunk), new { outcome }, tx);
            }
        }

        using (var writer = new BulkWriter(connection, tx, "need_score", ["person_id", "outcome", "model_version", "split", "probability", "band", "contributions", "inputs", "first_signal"]))
        {
            foreach (var s in scores)
            {
                writer.Write(s.PersonId, s.Outcome, s.ModelVersion, s.Split, s.Probability, s.Band, s.Contributions, s.Inputs, s.FirstSignal);
            }

            writer.Complete();
        }

        tx.Commit();
    }

    public static IReadOnlyList<StoredScore> Scores(MimamoriDatabase database, string outcome)
    {
        using var connection = database.Open();
        return connection.Query<StoredScore>(
            """
            SELECT person_id AS PersonId, outcome AS Outcome, model_version AS ModelVersion, split AS Split, probability AS Probability, band AS Band,
                   contributions AS Contributions, inputs AS Inputs, first_signal AS FirstSignal
            FROM need_score WHERE outcome = @outcome
            """,
            new { outcome }).ToList();
    }

    /// <summary>Each person's address (for results by area) and 宛名番号 (to join a municipality's outcome history).</summary>
    public static IReadOnlyList<(long PersonId, string? Address, string? AtenaNo)> PersonAddresses(MimamoriDatabase database)
    {
        using var connection = database.Open();
        return connection.Query<(long, string?, string?)>("SELECT person_id, address, atena_no FROM person").ToList();
    }

    /// <summary>Inputs as stored: the feature values in column order, null for unknown.</summary>
    public static string InputsJson(IReadOnlyList<double> values) =>
        JsonSerializer.Serialize(values.Select(v => double.IsNaN(v) ? (double?)null : Math.Round(v, 6)), Json);

    /// <summary>The feature values back from <see cref="InputsJson"/>.</summary>
    public static double[] ParseInputs(string json) =>
        (JsonSerializer.Deserialize<double?[]>(json) ?? []).Select(v => v ?? double.NaN).ToArray();
}
