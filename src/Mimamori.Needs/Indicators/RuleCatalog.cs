using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mimamori.Needs.Indicators;

/// <summary>
/// The versioned catalog of rules and, per difficulty, the sources that must hold data for a child of a given age
/// before "no signal" can be read as anything but "unknown".
/// </summary>
public sealed class RuleCatalog
{
    private static readonly string[] Aggregates = ["sum", "count", "max", "rise", "exists", "absent"];
    private static readonly JsonSerializerOptions JsonOptions = new() { ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    [JsonPropertyName("version")]
    public string Version { get; init; } = string.Empty;

    [JsonPropertyName("rules")]
    public List<Rule> Rules { get; init; } = [];

    /// <summary>Difficulty → the sources relevant to it, each with the ages it covers.</summary>
    [JsonPropertyName("relevant_sources")]
    public Dictionary<string, List<RelevantSource>> RelevantSources { get; init; } = [];

    /// <summary>The catalog shipped with Mimamori (data/needs/rules.json).</summary>
    public static RuleCatalog Default { get; } = Load(typeof(RuleCatalog).Assembly.GetManifestResourceStream("needs/rules.json")!, "data/needs/rules.json");

    /// <summary>Reads and checks a catalog; a fault names the rule.</summary>
    public static RuleCatalog Load(Stream json, string name)
    {
        var catalog = JsonSerializer.Deserialize<RuleCatalog>(json, JsonOptions)
            ?? throw new InvalidDataException($"{name}: empty rule catalog");
        foreach (var rule in catalog.Rules)
        {
            if (!Aggregates.Contains(rule.Aggregate))
            {
                throw new InvalidDataException($"{name}: rule {rule.Id}: unknown aggregate '{rule.Aggregate}'");
            }

            if (rule.Weight is <= 0 or > 1)
            {
                throw new InvalidDataException($"{name}: rule {rule.Id}: weight must be in (0, 1]");
            }

            if (rule.Ages.Length != 2 || rule.Ages[0] > rule.Ages[1])
            {
                throw new InvalidDataException($"{name}: rule {rule.Id}: ages must be [youngest, oldest]");
            }
        }

        return catalog;
    }
}

/// <summary>A source relevant to a difficulty for children of these ages.</summary>
public sealed class RelevantSource
{
    [JsonPropertyName("source")]
    public string Source { get; init; } = string.Empty;

    [JsonPropertyName("ages")]
    public int[] Ages { get; init; } = [0, 17];
}
