namespace Mimamori.Linkage.Records;

/// <summary>
/// One record of a data-staff list, its values sorted into identity roles as the spec maps them. Values are kept as
/// read (trimmed); keys for comparison are derived by <see cref="PreparedRecord"/>. Roles a file lacks are empty.
/// </summary>
/// <param name="File">Index of the file in the spec.</param>
/// <param name="BirthDateText">The birth date as written, kept when it did not parse (the date is then missing).</param>
public sealed record FieldRecord(
    int File,
    string RecordId,
    string FullName,
    string FamilyName,
    string GivenName,
    string FullKana,
    string FamilyKana,
    string GivenKana,
    DateOnly? BirthDate,
    string BirthDateText,
    string Sex,
    string PostalCode,
    string Address,
    string Phone,
    string Identifier,
    IReadOnlyList<string> Other)
{
    /// <summary>An empty record of a file, to fill with <c>with</c>.</summary>
    public static FieldRecord Empty(int file, string recordId) =>
        new(file, recordId, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, null, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, []);
}
