using System.Text.Json;

namespace Mimamori.Ingestion.Specs;

/// <summary>
/// Reads and checks a feed spec. Every fault is reported with the spec's file and line, because the person fixing it
/// is a data steward with a text editor, not a developer with a debugger.
/// </summary>
public static class FeedSpecLoader
{
    private static readonly JsonSerializerOptions Options = new()
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    private static readonly HashSet<string> Formats = ["csv", "tsv", "xlsx", "fhir", "form"];
    private static readonly HashSet<string> Encodings = ["utf-8", "shift_jis"];
    private static readonly HashSet<string> Snapshots = ["full", "delta"];

    /// <summary>Parses <paramref name="json"/> (the content of <paramref name="file"/>) into a spec, or returns its errors.</summary>
    /// <param name="knownCategories">Data categories of the privacy policy; null skips the check.</param>
    /// <param name="knownLegalBases">Legal bases of the privacy policy; null skips the check.</param>
    public static (FeedSpec? Spec, IReadOnlyList<SpecError> Errors) Parse(
        string json, string file, IReadOnlySet<string>? knownCategories = null, IReadOnlySet<string>? knownLegalBases = null)
    {
        FeedSpec? spec;
        try
        {
            spec = JsonSerializer.Deserialize<FeedSpec>(json, Options);
        }
        catch (JsonException e)
        {
            return (null, [new SpecError(file, (e.LineNumber ?? 0) + 1, e.Message.Split(" Path:")[0])]);
        }

        if (spec is null)
        {
            return (null, [new SpecError(file, 1, "the spec is empty")]);
        }

        var errors = new List<SpecError>();
        void Fail(string key, string message) => errors.Add(new SpecError(file, LineOf(json, key), message));

        if (spec.Source.Length == 0)
        {
            Fail("\"source\"", "\"source\" is required");
        }

        if (!Formats.Contains(spec.Format))
        {
            Fail("\"format\"", $"format '{spec.Format}' is not one of csv, tsv, xlsx, fhir, form");
        }

        if (!Encodings.Contains(spec.Encoding))
        {
            Fail("\"encoding\"", $"encoding '{spec.Encoding}' is not one of utf-8, shift_jis");
        }

        if (!Snapshots.Contains(spec.Snapshot))
        {
            Fail("\"snapshot\"", $"snapshot '{spec.Snapshot}' is not one of full, delta");
        }

        // A form is keyed in by staff in the web app; it has no files.
        if (spec.Files.Length == 0 && spec.Format != "form")
        {
            Fail("\"files\"", "\"files\" (a glob such as jumin/*.csv) is required");
        }

        if (spec.Category.Length == 0 || (knownCategories is not null && !knownCategories.Contains(spec.Category)))
        {
            Fail("\"category\"", $"category '{spec.Category}' is not a data category of the privacy policy");
        }

        if (spec.LegalBasis.Length == 0 || (knownLegalBases is not null && !knownLegalBases.Contains(spec.LegalBasis)))
        {
            Fail("\"legal_basis\"", $"legal basis '{spec.LegalBasis}' is not one of the privacy policy");
        }

        if (spec.Purpose.Length == 0)
        {
            Fail("\"purpose\"", "\"purpose\" is required: every use of personal data has a stated purpose");
        }

        if (spec.Format is "csv" or "tsv" && spec.Delimiter.Length != 1)
        {
            Fail("\"delimiter\"", "the delimiter must be one character");
        }

        if (spec.Columns.Count == 0)
        {
            Fail("\"columns\"", "a spec needs at least one column");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var column in spec.Columns)
        {
            var key = $"\"{column.Name}\"";
            if (column.Name.Length == 0)
            {
                Fail("\"columns\"", "a column has no name");
                continue;
            }

            if (!seen.Add(column.Name))
            {
                Fail(key, $"column '{column.Name}' appears twice");
            }

            if ((column.Role is null) == (column.Fact is null))
            {
                Fail(key, $"column '{column.Name}' needs exactly one of \"role\" or \"fact\"");
            }

            if (column.Role is not null && !Roles.All.Contains(column.Role))
            {
                Fail(key, $"column '{column.Name}': unknown role '{column.Role}' (expected one of {string.Join(", ", Roles.All)})");
            }

            if (!Roles.Types.Contains(column.Type))
            {
                Fail(key, $"column '{column.Name}': unknown type '{column.Type}' (expected one of {string.Join(", ", Roles.Types)})");
            }

            if (column.Type == "date" && string.IsNullOrEmpty(column.Format))
            {
                Fail(key, $"column '{column.Name}': a date column needs a \"format\" (a pattern such as yyyy-MM-dd, wareki, auto or excel)");
            }

            if (column.Type is "code" && (column.Codes is null || column.Codes.Count == 0))
            {
                Fail(key, $"column '{column.Name}': a code column needs \"codes\"");
            }
        }

        CheckBirthWindow(spec, Fail);
        return (errors.Count == 0 ? spec : null, errors);
    }

    /// <summary>An age bounds a birth date only on a known date: the row's fact date, or the file's as-of date.</summary>
    private static void CheckBirthWindow(FeedSpec spec, Action<string, string> fail)
    {
        var hasFactDate = spec.Columns.Any(c => c.Role == Roles.FactDate);
        void CheckDate(string key, string what, string at)
        {
            if (at is not ("fact_date" or "as_of"))
            {
                fail(key, $"{what}: '{at}' is not one of fact_date, as_of");
            }
            else if (at == "fact_date" && !hasFactDate)
            {
                fail(key, $"{what}: the age is given at the fact date, but no column has the role fact_date");
            }
            else if (at == "as_of" && spec.AsOf is null)
            {
                fail(key, $"{what}: the age is given at the file's as-of date, but the spec has no \"as_of\"");
            }
        }

        if (spec.AsOf is not null and not "file_name")
        {
            fail("\"as_of\"", $"as_of '{spec.AsOf}' is not one of file_name");
        }

        if (spec.SubjectAge is { } subject)
        {
            if (subject.Min < 0 || subject.Max < subject.Min || subject.Max > 150)
            {
                fail("\"subject_age\"", $"subject_age: min {subject.Min} and max {subject.Max} must satisfy 0 ≤ min ≤ max ≤ 150");
            }

            CheckDate("\"subject_age\"", "subject_age", subject.At);
        }

        foreach (var column in spec.Columns.Where(c => c.BirthWindow is not null))
        {
            var what = $"column '{column.Name}' birth_window";
            if (column.Type != "int")
            {
                fail($"\"{column.Name}\"", $"{what}: an age column must have type int");
            }

            if (column.BirthWindow!.SlackYears is < 0 or > 10)
            {
                fail($"\"{column.Name}\"", $"{what}: slack_years must be between 0 and 10");
            }

            CheckDate($"\"{column.Name}\"", what, column.BirthWindow.AgeAt);
        }
    }

    /// <summary>The 1-based line of the first occurrence of <paramref name="token"/>, or 1.</summary>
    private static long LineOf(string json, string token)
    {
        var index = json.IndexOf(token, StringComparison.Ordinal);
        if (index < 0)
        {
            return 1;
        }

        long line = 1;
        for (var i = 0; i < index; i++)
        {
            if (json[i] == '\n')
            {
                line++;
            }
        }

        return line;
    }
}
