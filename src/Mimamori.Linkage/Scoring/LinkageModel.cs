using System.Text.Json;
using System.Text.Json.Serialization;
using Mimamori.Linkage.Comparisons;

namespace Mimamori.Linkage.Scoring;

/// <summary>
/// A Fellegi–Sunter model: comparisons with m and u per level, and the thresholds that turn a total match weight into a
/// link, a pair for review, or no link. It is data: serialised with each run so that every link can be re-explained.
/// </summary>
public sealed record LinkageModel(string Version, double LinkThreshold, double ReviewThreshold, IReadOnlyList<Comparison> Comparisons)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    /// <summary>
    /// Starting parameters, set from what the registry and feeds are known to look like (m: how often a true match
    /// agrees at that level; u: how often two different people do by chance). Later runs estimate them by EM.
    /// </summary>
    public static LinkageModel Default { get; } = new(
        "fs-1",
        LinkThreshold: 10,
        ReviewThreshold: 5,
        [
            new("name", [new("exact", 0.80, 0.00002), new("folded", 0.06, 0.00001), new("reading", 0.08, 0.0002), new("loose_reading", 0.03, 0.001), new("swapped", 0.005, 0.0001), new("different", 0.025, 0.99869), new("missing", 1, 1)]),
            new("birth_date", [new("exact", 0.985, 0.0001), new("one_digit", 0.007, 0.0008), new("day_month_swap", 0.002, 0.0001), new("year_month", 0.003, 0.0025), new("year_slip", 0.002, 0.0001), new("different", 0.003, 0.9966), new("missing", 1, 1)]),
            new("sex", [new("agree", 0.995, 0.5), new("disagree", 0.005, 0.5), new("missing", 1, 1)]),
            new("address", [new("exact", 0.85, 0.001), new("same_area", 0.08, 0.05), new("different", 0.07, 0.949), new("missing", 1, 1)]),
            new("atena_no", [new("agree", 0.97, 0.000001), new("disagree", 0.03, 0.999999), new("missing", 1, 1)]),
        ]);

    /// <summary>
    /// The municipality whose registry is the spine (福岡市), left out of addresses that write it (see
    /// <see cref="OwnMunicipality"/>); empty when not known.
    /// </summary>
    public string Municipality { get; init; } = string.Empty;

    /// <summary>The comparison with this id.</summary>
    public Comparison Comparison(string id) => Comparisons.First(c => c.Id == id);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>
    /// The model as <see cref="ToJson()"/> writes it (a reader of the model is served as before), with how EM went and
    /// the candidate pairs (and, once known, pair recall) per blocking rule: what is stored with a run.
    /// </summary>
    public string ToJson(TrainingSummary training, IReadOnlyList<Blocking.RuleCount> blocking)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(blocking);
        var json = System.Text.Json.Nodes.JsonNode.Parse(ToJson())!.AsObject();
        json["training"] = System.Text.Json.Nodes.JsonNode.Parse(JsonSerializer.Serialize(training, Json));
        json["blocking"] = new System.Text.Json.Nodes.JsonArray([.. blocking.Select(r => (System.Text.Json.Nodes.JsonNode)new System.Text.Json.Nodes.JsonObject
        {
            ["rule"] = r.Rule,
            ["pairs"] = r.Pairs,
            ["shared_pairs"] = r.SharedPairs,
            ["skipped_blocks"] = r.SkippedBlocks,
            ["recall"] = double.IsNaN(r.Recall) ? null : (double?)Math.Round(r.Recall, 4),
            ["recall_kind"] = r.RecallKind,
        })]);
        return json.ToJsonString();
    }
}

/// <summary>How a model was trained: whether every EM run converged, in how many iterations, the prior among candidates, and the pairs seen.</summary>
public sealed record TrainingSummary(bool EmConverged, int EmIterations, double Prior, long SampledPairs, long CandidatePairs);
