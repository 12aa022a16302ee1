using System.Text.Json.Serialization;

namespace Mimamori.Ingestion.Specs;

/// <summary>
/// A declarative description of one department's export: how to read it, what each column means, and under which
/// data category, purpose and legal basis it is used. A new feed needs a spec file, not code.
/// </summary>
public sealed class FeedSpec
{
    /// <summary>Stable id of the source system, e.g. <c>jumin_legacy</c>.</summary>
    [JsonPropertyName("source")]
    public string Source { get; init; } = string.Empty;

    [JsonPropertyName("title")]
    public LocalizedText Title { get; init; } = new();

    /// <summary>The owning department (市民課, 税務課 ...).</summary>
    [JsonPropertyName("department")]
    public string Department { get; init; } = string.Empty;

    /// <summary>Data category id of the privacy policy (resident, tax, welfare, health, education, child_welfare, medical).</summary>
    [JsonPropertyName("category")]
    public string Category { get; init; } = string.Empty;

    /// <summary>The purpose the data is used for, an id of the privacy policy.</summary>
    [JsonPropertyName("purpose")]
    public string Purpose { get; init; } = string.Empty;

    /// <summary>The legal basis for this use, an id of the privacy policy.</summary>
    [JsonPropertyName("legal_basis")]
    public string LegalBasis { get; init; } = string.Empty;

    /// <summary>csv, tsv, xlsx, fhir, or form (records that exist only on paper, keyed in by staff in the web app).</summary>
    [JsonPropertyName("format")]
    public string Format { get; init; } = "csv";

    /// <summary>utf-8 (with or without BOM) or shift_jis (CP932).</summary>
    [JsonPropertyName("encoding")]
    public string Encoding { get; init; } = "utf-8";

    [JsonPropertyName("delimiter")]
    public string Delimiter { get; init; } = ",";

    [JsonPropertyName("header")]
    public bool Header { get; init; } = true;

    /// <summary>Glob of the feed's files relative to the feeds folder, e.g. <c>jumin_legacy/*.csv</c>.</summary>
    [JsonPropertyName("files")]
    public string Files { get; init; } = string.Empty;

    /// <summary>full (each file is the whole truth) or delta (each file adds to what came before).</summary>
    [JsonPropertyName("snapshot")]
    public string Snapshot { get; init; } = "full";

    /// <summary>Who a row is about (person).</summary>
    [JsonPropertyName("subject")]
    public string Subject { get; init; } = "person";

    [JsonPropertyName("columns")]
    public List<ColumnSpec> Columns { get; init; } = [];

    /// <summary>
    /// Where the file's as-of date comes from, for values stated "as of the file" (an age): <c>file_name</c> reads the
    /// first yyyyMMdd in the file's name (sankasha_20260331.csv). Null when the feed has no such date.
    /// </summary>
    [JsonPropertyName("as_of")]
    public string? AsOf { get; init; }

    /// <summary>
    /// The age range every row's subject is in at a date (a consultation about a child: 0–18 on the day it was
    /// received). It bounds the birth date of rows that carry none; see <see cref="SubjectAge"/>.
    /// </summary>
    [JsonPropertyName("subject_age")]
    public SubjectAge? SubjectAge { get; init; }
}

/// <summary>The subject's age, in full years, lies between <see cref="Min"/> and <see cref="Max"/> on the date named by <see cref="At"/>.</summary>
public sealed class SubjectAge
{
    [JsonPropertyName("min")]
    public int Min { get; init; }

    [JsonPropertyName("max")]
    public int Max { get; init; }

    /// <summary><c>fact_date</c> (the row's fact date) or <c>as_of</c> (the file's as-of date).</summary>
    [JsonPropertyName("at")]
    public string At { get; init; } = "fact_date";
}

/// <summary>An int column holding the subject's age in full years on the date named by <see cref="AgeAt"/>, which bounds a missing birth date.</summary>
public sealed class BirthWindowSpec
{
    /// <summary><c>fact_date</c> (the row's fact date) or <c>as_of</c> (the file's as-of date).</summary>
    [JsonPropertyName("age_at")]
    public string AgeAt { get; init; } = "fact_date";

    /// <summary>Years of slack on each side, for an age written some time before or after that date.</summary>
    [JsonPropertyName("slack_years")]
    public int SlackYears { get; init; }
}

/// <summary>Text in Japanese and English.</summary>
public sealed class LocalizedText
{
    [JsonPropertyName("ja")]
    public string Ja { get; init; } = string.Empty;

    [JsonPropertyName("en")]
    public string En { get; init; } = string.Empty;
}
