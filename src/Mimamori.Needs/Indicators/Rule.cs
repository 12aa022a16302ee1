using System.Text.Json.Serialization;

namespace Mimamori.Needs.Indicators;

/// <summary>
/// One signal rule, as a municipality writes it in the rule catalog: a condition over linked facts within a time
/// window, the difficulty it points to, its weight, and a description in Japanese and English shown with every score.
/// </summary>
public sealed class Rule
{
    [JsonPropertyName("id")]
    public string Id { get; init; } = string.Empty;

    /// <summary>poverty, abuse_neglect, futoko, young_carer, developmental, postnatal_depression, health_neglect or no_contact.</summary>
    [JsonPropertyName("difficulty")]
    public string Difficulty { get; init; } = string.Empty;

    [JsonPropertyName("ja")]
    public string Ja { get; init; } = string.Empty;

    [JsonPropertyName("en")]
    public string En { get; init; } = string.Empty;

    /// <summary>How strongly the signal points to the difficulty, 0..1 (combined across rules as a noisy-OR).</summary>
    [JsonPropertyName("weight")]
    public double Weight { get; init; }

    /// <summary>child (the child's own facts) or household (any member's facts).</summary>
    [JsonPropertyName("scope")]
    public string Scope { get; init; } = "child";

    /// <summary>The fact kind looked at (school.absence_days); empty for the <c>absent</c> aggregate.</summary>
    [JsonPropertyName("fact")]
    public string Fact { get; init; } = string.Empty;

    /// <summary>Only facts whose text equals this value count (the feed spec's code, e.g. abuse_report, false).</summary>
    [JsonPropertyName("equals")]
    public string? EqualsText { get; init; }

    /// <summary>sum, count, max, rise (last 3 months minus the 3 before), exists, or absent (no record in <see cref="Sources"/>).</summary>
    [JsonPropertyName("aggregate")]
    public string Aggregate { get; init; } = "count";

    /// <summary>How many months before the reference date count; 0 for all history.</summary>
    [JsonPropertyName("window_months")]
    public int WindowMonths { get; init; }

    [JsonPropertyName("threshold")]
    public double Threshold { get; init; } = 1;

    /// <summary>Youngest and oldest age (in whole years at the reference date) the rule applies to.</summary>
    [JsonPropertyName("ages")]
    public int[] Ages { get; init; } = [0, 17];

    /// <summary>For <c>absent</c>: the sources whose silence is the signal.</summary>
    [JsonPropertyName("sources")]
    public string[] Sources { get; init; } = [];
}
