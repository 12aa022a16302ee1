namespace Mimamori.Storage.Reading;

/// <summary>Everything linked to one person, as stored; the web layer applies the access policy before showing it.</summary>
/// <param name="Person">The resolved person.</param>
/// <param name="School">Latest school name, or null.</param>
/// <param name="Household">Members of the person's household(s), the person included.</param>
/// <param name="Records">Source records linked to the person.</param>
/// <param name="Timeline">Facts from those records, oldest first, undated last.</param>
/// <param name="Needs">Need assessments, highest band first.</param>
public sealed record ChildView(
    ChildPerson Person,
    string? School,
    IReadOnlyList<HouseholdMember> Household,
    IReadOnlyList<LinkedRecord> Records,
    IReadOnlyList<TimelineFact> Timeline,
    IReadOnlyList<NeedView> Needs);

/// <summary>A row of <c>person</c>.</summary>
public sealed record ChildPerson(
    long PersonId,
    string FamilyName,
    string GivenName,
    string FamilyKana,
    string GivenKana,
    DateOnly? BirthDate,
    int? Age,
    string? Sex,
    string? Address,
    string? AtenaNo,
    string? HouseholdNo,
    bool IsChild);

/// <summary>A member of a household with the relation recorded for them (続柄).</summary>
public sealed record HouseholdMember(long PersonId, string FamilyName, string GivenName, string Relation, DateOnly? BirthDate, int? Age, bool IsChild);

/// <summary>A source record linked to the person: where it came from (source, file, line) and the row as received.</summary>
/// <param name="RecordId">source_record.record_id.</param>
/// <param name="Source">Feed id.</param>
/// <param name="Category">Data category id.</param>
/// <param name="File">File name the row came from.</param>
/// <param name="Line">Line in that file.</param>
/// <param name="Method">How it was linked: atena, probabilistic or new.</param>
/// <param name="Weight">Match weight of the link.</param>
/// <param name="Explanation">The linkage explanation (JSON).</param>
/// <param name="Original">The row's columns as received, in file order.</param>
public sealed record LinkedRecord(
    long RecordId,
    string Source,
    string Category,
    string File,
    long Line,
    string Method,
    double Weight,
    string Explanation,
    IReadOnlyList<KeyValuePair<string, string?>> Original);

/// <summary>One fact of the timeline, with the record and category it came from.</summary>
public sealed record TimelineFact(long RecordId, string Source, string Category, string Kind, DateOnly? Date, string? ValueText, double? ValueNum);

/// <summary>A need assessment with its reasons and the feeds that had no data.</summary>
/// <param name="Difficulty">poverty, abuse_neglect, futoko, young_carer, developmental, postnatal_depression, health_neglect or no_contact.</param>
/// <param name="Score">0..1.</param>
/// <param name="Band">high, medium, low or none.</param>
/// <param name="Signals">The rules that fired, with evidence.</param>
/// <param name="Missing">Source ids with no data for this child: unknown, not "no risk".</param>
/// <param name="ModelVersion">Rules or model version that produced it.</param>
public sealed record NeedView(string Difficulty, double Score, string Band, IReadOnlyList<NeedSignal> Signals, IReadOnlyList<string> Missing, string ModelVersion);

/// <summary>One reason behind a need assessment.</summary>
public sealed record NeedSignal(string Rule, string Ja, string En, double Weight, IReadOnlyList<SignalEvidence> Evidence);

/// <summary>A datum behind a reason; <paramref name="Category"/> is looked up from the record so access can be decided.</summary>
public sealed record SignalEvidence(string Source, long? RecordId, string? Category, DateOnly? Date, string? Value);
