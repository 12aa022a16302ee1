using Mimamori.Kernel.People;

namespace Mimamori.Linkage.Records;

/// <summary>
/// The identity part of one source record, as the linker sees it. <see cref="IsRegistry"/> marks records of the
/// resident registry (住民記録): they form the spine every other record is linked to.
/// </summary>
public sealed record LinkRecord(
    long RecordId,
    string Source,
    bool IsRegistry,
    string? AtenaNo,
    string? HouseholdNo,
    string? Relation,
    PersonName Name,
    DateOnly? BirthDate,
    Sex Sex,
    string? Address)
{
    /// <summary>
    /// For a record without a birth date, the days its subject can have been born on (from an age, or from a source
    /// about children only): a candidate born outside it is as far off as one with a different birth date.
    /// </summary>
    public BirthWindow? BirthWindow { get; init; }

    /// <summary>On a registry movement row (住民異動), the movement and its day; null on a snapshot row and on other sources.</summary>
    public RegistryEvent? Event { get; init; }
}
