using Mimamori.Kernel.People;

namespace Mimamori.Ingestion.Records;

/// <summary>
/// One accepted feed row in canonical form: who it is about (identity fields, as received apart from trimming), the
/// facts it states, and its lineage (source, file, line and the original values exactly as they arrived).
/// </summary>
public sealed record CanonicalRecord(
    string Source,
    string Category,
    string File,
    long Line,
    string? LocalId,
    string? AtenaNo,
    string? HouseholdNo,
    PersonName Name,
    DateOnly? BirthDate,
    Sex Sex,
    string? PostalCode,
    string? Address,
    string? Phone,
    string? Relation,
    IReadOnlyList<Fact> Facts,
    IReadOnlyList<KeyValuePair<string, string>> Original)
{
    /// <summary>
    /// For a row without a birth date, the days its subject can have been born on, from what the feed spec says about
    /// the row (an age column, the subject's age range); null when the row has a birth date or nothing bounds it.
    /// </summary>
    public BirthWindow? BirthWindow { get; init; }
}

/// <summary>A fact a source states about the row's subject at a date (an absence count for a month, a check-up attended).</summary>
public sealed record Fact(string Kind, DateOnly? Date, string? Text, double? Number);

/// <summary>A rejected value: where it was and what was expected instead. The row it belongs to is kept out of the store.</summary>
public sealed record QuarantinedValue(string File, long Line, string Column, string Received, string Expected);
