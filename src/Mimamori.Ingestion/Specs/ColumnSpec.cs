using System.Text.Json.Serialization;

namespace Mimamori.Ingestion.Specs;

/// <summary>One column of a feed: its header, what it means (an identity role or a fact kind), and how to validate it.</summary>
public sealed class ColumnSpec
{
    /// <summary>The header text as the source writes it.</summary>
    [JsonPropertyName("name")]
    public string Name { get; init; } = string.Empty;

    /// <summary>An identity role (see <see cref="Roles"/>), or null for a fact column.</summary>
    [JsonPropertyName("role")]
    public string? Role { get; init; }

    /// <summary>A fact kind named domain.item (school.absence_days), or null for an identity column.</summary>
    [JsonPropertyName("fact")]
    public string? Fact { get; init; }

    /// <summary>text, kana, int, decimal, date, code or bool.</summary>
    [JsonPropertyName("type")]
    public string Type { get; init; } = "text";

    /// <summary>For dates: a .NET pattern (yyyy-MM-dd), <c>wareki</c>, <c>auto</c> or <c>excel</c>.</summary>
    [JsonPropertyName("format")]
    public string? Format { get; init; }

    /// <summary>For code and bool columns: raw value → canonical value.</summary>
    [JsonPropertyName("codes")]
    public Dictionary<string, string>? Codes { get; init; }

    [JsonPropertyName("required")]
    public bool Required { get; init; }

    [JsonPropertyName("min")]
    public double? Min { get; init; }

    [JsonPropertyName("max")]
    public double? Max { get; init; }

    /// <summary>For an int column stating the subject's age: how it bounds the birth date of a row that has none.</summary>
    [JsonPropertyName("birth_window")]
    public BirthWindowSpec? BirthWindow { get; init; }
}
