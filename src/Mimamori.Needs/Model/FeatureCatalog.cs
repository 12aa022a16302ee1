using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mimamori.Needs.Model;

/// <summary>
/// The model's features as data (data/needs/features.json): each is an aggregate of one fact kind over a window, in a
/// group whose sources decide whether the values are known. Adding a fact kind is one entry, not code.
/// </summary>
public sealed class FeatureCatalog
{
    private static readonly string[] Aggregates = ["sum", "count", "max", "min", "mean", "latest", "exists", "rise", "months_since_latest", "age_at_first"];
    private static readonly string[] Scopes = ["child", "household", "family"];
    private static readonly JsonSerializerOptions JsonOptions = new() { ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    [JsonPropertyName("version")]
    public string Version { get; init; } = string.Empty;

    /// <summary>Probability thresholds of the bands (high, medium, low); below low is "none".</summary>
    [JsonPropertyName("bands")]
    public Dictionary<string, double> Bands { get; init; } = [];

    /// <summary>Candidate tree parameters: [leaves, trees, learning rate, minimum children per leaf]; the best on the calibration part is kept.</summary>
    [JsonPropertyName("grid")]
    public List<double[]> Grid { get; init; } = [];

    [JsonPropertyName("groups")]
    public List<FeatureGroup> Groups { get; init; } = [];

    [JsonPropertyName("features")]
    public List<FeatureDefinition> Features { get; init; } = [];

    /// <summary>The catalog shipped with Mimamori.</summary>
    public static FeatureCatalog Default { get; } = Load(typeof(FeatureCatalog).Assembly.GetManifestResourceStream("needs/features.json")!, "data/needs/features.json");

    /// <summary>Reads and checks a catalog; a fault names the feature.</summary>
    public static FeatureCatalog Load(Stream json, string name)
    {
        var catalog = JsonSerializer.Deserialize<FeatureCatalog>(json, JsonOptions)
            ?? throw new InvalidDataException($"{name}: empty feature catalog");
        var groups = catalog.Groups.Select(g => g.Id).ToHashSet(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var g in catalog.Groups)
        {
            if (!Scopes.Contains(g.Scope))
            {
                throw new InvalidDataException($"{name}: group {g.Id}: unknown scope '{g.Scope}'");
            }
        }

        foreach (var f in catalog.Features)
        {
            if (!names.Add(f.Name))
            {
                throw new InvalidDataException($"{name}: feature {f.Name} is defined twice");
            }

            if (!groups.Contains(f.Group))
            {
                throw new InvalidDataException($"{name}: feature {f.Name}: unknown group '{f.Group}'");
            }

            if (!Aggregates.Contains(f.Aggregate))
            {
                throw new InvalidDataException($"{name}: feature {f.Name}: unknown aggregate '{f.Aggregate}'");
            }

            if (!Scopes.Contains(f.Scope))
            {
                throw new InvalidDataException($"{name}: feature {f.Name}: unknown scope '{f.Scope}'");
            }

            if (f.EqualsText is not null && f.AnyOf is not null)
            {
                throw new InvalidDataException($"{name}: feature {f.Name}: give either 'equals' or 'any_of', not both");
            }
        }

        return catalog;
    }

    /// <summary>The grid as parameters (the trainer's default when the catalog names none).</summary>
    public IReadOnlyList<TreeParameters> TreeGrid() =>
        Grid.Count == 0 ? TrainingOptions.DefaultGrid : Grid.Select(g => new TreeParameters((int)g[0], (int)g[1], g[2], (int)g[3])).ToList();

    /// <summary>The band of a calibrated probability.</summary>
    public string BandOf(double probability) =>
        probability >= Bands.GetValueOrDefault("high", 0.3) ? "high"
        : probability >= Bands.GetValueOrDefault("medium", 0.1) ? "medium"
        : probability >= Bands.GetValueOrDefault("low", 0.03) ? "low"
        : "none";
}

/// <summary>Sources that together make a group of features known; when none holds a record, the group is missing.</summary>
public sealed class FeatureGroup
{
    [JsonPropertyName("id")]
    public string Id { get; init; } = string.Empty;

    [JsonPropertyName("sources")]
    public string[] Sources { get; init; } = [];

    /// <summary>Whose records count: child, household (the other members) or family (both).</summary>
    [JsonPropertyName("scope")]
    public string Scope { get; init; } = "child";

    [JsonPropertyName("ja")]
    public string Ja { get; init; } = string.Empty;

    [JsonPropertyName("en")]
    public string En { get; init; } = string.Empty;
}

/// <summary>One numeric feature: an aggregate of one fact kind over a time window, with its explanation in plain words.</summary>
public sealed class FeatureDefinition
{
    [JsonPropertyName("name")]
    public string Name { get; init; } = string.Empty;

    [JsonPropertyName("group")]
    public string Group { get; init; } = string.Empty;

    [JsonPropertyName("scope")]
    public string Scope { get; init; } = "child";

    [JsonPropertyName("fact")]
    public string Fact { get; init; } = string.Empty;

    [JsonPropertyName("equals")]
    public string? EqualsText { get; init; }

    /// <summary>Only facts whose text is one of these (several hospital reasons that mean the same to a worker).</summary>
    [JsonPropertyName("any_of")]
    public string[]? AnyOf { get; init; }

    /// <summary>Text answers as numbers (a survey's yes … no as 4 … 1); a text not listed is no value.</summary>
    [JsonPropertyName("map")]
    public Dictionary<string, double>? Map { get; init; }

    /// <summary>Only facts whose number is at least this count (a month with 5 or more absences).</summary>
    [JsonPropertyName("min_value")]
    public double? MinValue { get; init; }

    [JsonPropertyName("aggregate")]
    public string Aggregate { get; init; } = "count";

    [JsonPropertyName("window_months")]
    public int WindowMonths { get; init; }

    [JsonPropertyName("skip_months")]
    public int SkipMonths { get; init; }

    /// <summary>The value given to the model when the feature is unknown (next to the group's missing indicator).</summary>
    [JsonPropertyName("fill")]
    public double Fill { get; init; }

    /// <summary>A fact at or above this value is a signal (dates the first signal for lead time); null: never a signal.</summary>
    [JsonPropertyName("signal_min")]
    public double? SignalMin { get; init; }

    [JsonPropertyName("ja")]
    public string Ja { get; init; } = string.Empty;

    [JsonPropertyName("en")]
    public string En { get; init; } = string.Empty;
}
