using System.Globalization;
using Mimamori.Ingestion.Readers;
using Mimamori.Ingestion.Records;
using Mimamori.Ingestion.Specs;
using Mimamori.Kernel.People;

namespace Mimamori.Ingestion.Validation;

/// <summary>Counts of one file's import: rows read = rows accepted + rows quarantined, always.</summary>
public sealed record ReadSummary(string File, long RowsRead, long RowsAccepted, long RowsQuarantined)
{
    /// <summary>True when the counts add up.</summary>
    public bool Reconciles => RowsRead == RowsAccepted + RowsQuarantined;
}

/// <summary>
/// Reads one file of a feed as its spec declares, validates every value, and hands each row on either as a canonical
/// record or as quarantined values with line, column, what was received and what was expected. Only structural faults
/// stop a file (<see cref="FeedStructureException"/>); a bad row never stops the good ones.
/// </summary>
public static class FeedReader
{
    /// <summary>The longest field kept as received; longer values are quarantined rather than stored.</summary>
    public const int MaxFieldLength = 4096;

    public static ReadSummary Read(FeedSpec spec, Stream stream, string file, Action<CanonicalRecord> accept, Action<QuarantinedValue> quarantine)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(accept);
        ArgumentNullException.ThrowIfNull(quarantine);

        // The reader keeps one character more than is allowed, so an oversized field is still seen as oversized.
        var rows = spec.Format switch
        {
            "xlsx" => SpreadsheetReader.Read(stream),
            "tsv" => DelimitedReader.Read(stream, DelimitedReader.EncodingFor(spec.Encoding), '\t', MaxFieldLength + 1),
            "csv" => DelimitedReader.Read(stream, DelimitedReader.EncodingFor(spec.Encoding), spec.Delimiter[0], MaxFieldLength + 1),
            "fhir" => FhirRows(spec, stream),
            _ => throw new FeedStructureException($"format '{spec.Format}' cannot be read by the tabular reader"),
        };

        using var enumerator = rows.GetEnumerator();
        int[] positions;
        // FHIR rows always come with their fixed column list as the header, whatever the spec says.
        if (spec.Header || spec.Format == "fhir")
        {
            if (!enumerator.MoveNext())
            {
                // A department export always has at least its header: zero bytes is a failed transfer, and importing
                // it as an empty full snapshot would retire everything the source sent before.
                throw new FeedStructureException("line 1: the file is empty (no header row)");
            }

            positions = MapHeader(spec, enumerator.Current);
        }
        else
        {
            positions = [.. Enumerable.Range(0, spec.Columns.Count)];
        }

        long read = 0;
        long accepted = 0;
        long quarantined = 0;
        var expectedWidth = spec.Header || spec.Format == "fhir" ? enumerator.Current.Fields.Length : spec.Columns.Count;
        var parsed = new ParsedValue[spec.Columns.Count];
        var roles = new RoleColumns(spec);
        var asOf = spec.AsOf == "file_name" ? AsOfOfFileName(file) : null;
        var problems = new List<QuarantinedValue>();
        while (enumerator.MoveNext())
        {
            var row = enumerator.Current;
            if (row.Fields.Length == 1 && row.Fields[0].Length == 0)
            {
                continue; // a blank line is not a row
            }

            read++;
            problems.Clear();
            if (Check(spec, roles, file, row, positions, expectedWidth, parsed, problems, asOf) is { } record)
            {
                accepted++;
                accept(record);
                continue;
            }

            quarantined++;
            foreach (var p in problems)
            {
                quarantine(p);
            }
        }

        return new ReadSummary(file, read, accepted, quarantined);
    }

    /// <summary>
    /// Validates one record keyed in by hand (a paper form), exactly as a file row would be: <paramref name="values"/>
    /// are in the order of the spec's columns. Returns the record, or null with every problem in <paramref name="problems"/>.
    /// </summary>
    public static CanonicalRecord? ValidateEntry(FeedSpec spec, string file, long line, IReadOnlyList<string> values, List<QuarantinedValue> problems)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(problems);
        var positions = Enumerable.Range(0, spec.Columns.Count).ToArray();
        return Check(spec, new RoleColumns(spec), file, new RawRow(line, [.. values]), positions, spec.Columns.Count, new ParsedValue[spec.Columns.Count], problems, null);
    }

    /// <summary>The checks every row goes through; the record when they all pass, otherwise null and the problems.</summary>
    private static CanonicalRecord? Check(FeedSpec spec, RoleColumns roles, string file, RawRow row, int[] positions, int expectedWidth, ParsedValue[] parsed, List<QuarantinedValue> problems, DateOnly? asOf)
    {
        if (row.Fields.Length != expectedWidth)
        {
            var found = row.Fields.Length > DelimitedReader.MaxFieldsPerRow ? $"more than {DelimitedReader.MaxFieldsPerRow}" : row.Fields.Length.ToString(CultureInfo.InvariantCulture);
            problems.Add(new QuarantinedValue(file, row.Line, "(row)", Preview(string.Join(spec.Delimiter, row.Fields)), $"{expectedWidth} columns, found {found}"));
        }
        else if (Array.FindIndex(row.Fields, f => f.Contains('\uFEFF', StringComparison.Ordinal)) is var bom and >= 0)
        {
            // A byte-order mark inside the file means two exports were joined; the invisible character would
            // also keep a name from ever matching, so the row is held back rather than stored.
            problems.Add(new QuarantinedValue(file, row.Line, "(row)", Preview(row.Fields[bom]), "no byte-order mark (U+FEFF) inside the file: were two files joined?"));
        }
        else
        {
            for (var i = 0; i < spec.Columns.Count; i++)
            {
                var raw = positions[i] < 0 ? string.Empty : row.Fields[positions[i]];
                if (raw.Length > MaxFieldLength)
                {
                    problems.Add(new QuarantinedValue(file, row.Line, spec.Columns[i].Name, Preview(raw), $"at most {MaxFieldLength} characters"));
                    continue;
                }

                parsed[i] = ValueParser.Parse(spec.Columns[i], raw);
                if (!parsed[i].Ok)
                {
                    problems.Add(new QuarantinedValue(file, row.Line, spec.Columns[i].Name, Preview(raw), parsed[i].Expected!));
                }
            }
        }

        return problems.Count > 0 ? null : ToRecord(spec, roles, file, row, positions, parsed, asOf);
    }

    private static IEnumerable<RawRow> FhirRows(FeedSpec spec, Stream stream)
    {
        if (spec.Encoding != "utf-8")
        {
            throw new FeedStructureException($"the spec declares {spec.Encoding}, but FHIR JSON is always UTF-8");
        }

        // FHIR columns are fixed paths; a misspelt one would otherwise read as empty on every row without a word.
        var unknown = spec.Columns.Select(c => c.Name).Where(n => !FhirBundleReader.Columns.Contains(n, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            throw new FeedStructureException($"the spec names column(s) {string.Join(", ", unknown)}, which are not FHIR paths the bundle reader produces (such as Patient.birthDate)");
        }

        return FhirBundleReader.Read(stream);
    }

    private static int[] MapHeader(FeedSpec spec, RawRow header)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Fields.Length; i++)
        {
            // A UTF-8 BOM that survived decoding, or padding around the header text, must not hide a column.
            index.TryAdd(header.Fields[i].Trim().TrimStart('\uFEFF'), i);
        }

        var positions = new int[spec.Columns.Count];
        var missing = new List<string>();
        for (var i = 0; i < spec.Columns.Count; i++)
        {
            if (index.TryGetValue(spec.Columns[i].Name, out var p))
            {
                positions[i] = p;
            }
            else
            {
                positions[i] = -1;
                if (spec.Columns[i].Required)
                {
                    missing.Add(spec.Columns[i].Name);
                }
            }
        }

        if (missing.Count > 0)
        {
            throw new FeedStructureException($"line {header.Line}: required column(s) {string.Join(", ", missing)} missing from the header");
        }

        return positions;
    }

    /// <summary>Which column plays each identity role (-1 for none), worked out once per file rather than per row.</summary>
    private sealed class RoleColumns(FeedSpec spec)
    {
        public int RecordId { get; } = Find(spec, Roles.RecordId);

        public int AtenaNo { get; } = Find(spec, Roles.AtenaNo);

        public int HouseholdNo { get; } = Find(spec, Roles.HouseholdNo);

        public int FamilyName { get; } = Find(spec, Roles.FamilyName);

        public int GivenName { get; } = Find(spec, Roles.GivenName);

        public int FullName { get; } = Find(spec, Roles.FullName);

        public int FamilyKana { get; } = Find(spec, Roles.FamilyKana);

        public int GivenKana { get; } = Find(spec, Roles.GivenKana);

        public int FullKana { get; } = Find(spec, Roles.FullKana);

        public int BirthDate { get; } = Find(spec, Roles.BirthDate);

        public int Sex { get; } = Find(spec, Roles.Sex);

        public int PostalCode { get; } = Find(spec, Roles.PostalCode);

        public int Address { get; } = Find(spec, Roles.Address);

        public int Phone { get; } = Find(spec, Roles.Phone);

        public int Relation { get; } = Find(spec, Roles.Relation);

        public int FactDate { get; } = Find(spec, Roles.FactDate);

        public bool[] IsFact { get; } = [.. spec.Columns.Select(c => c.Fact is not null)];

        public int FactCount { get; } = spec.Columns.Count(c => c.Fact is not null);

        public bool HasAgeColumn { get; } = spec.Columns.Any(c => c.BirthWindow is not null);

        private static int Find(FeedSpec spec, string role) => spec.Columns.FindIndex(c => c.Role == role);
    }

    /// <summary>The first run of eight digits in the file's name read as yyyyMMdd (exports are named by their date), or null.</summary>
    public static DateOnly? AsOfOfFileName(string file)
    {
        var name = Path.GetFileName(file ?? string.Empty);
        for (var i = 0; i + 8 <= name.Length; i++)
        {
            if (!char.IsAsciiDigit(name[i]) || (i > 0 && char.IsAsciiDigit(name[i - 1])))
            {
                continue;
            }

            var end = i;
            while (end < name.Length && char.IsAsciiDigit(name[end]))
            {
                end++;
            }

            if (end - i == 8 && DateOnly.TryParseExact(name.AsSpan(i, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return date;
            }

            i = end;
        }

        return null;
    }

    /// <summary>
    /// What the spec lets a row without a birth date say about it: each age column (at the fact date or the file's
    /// as-of date, with its slack) and the subject's age range, intersected. The row's values stay as received.
    /// </summary>
    private static BirthWindow? WindowOf(FeedSpec spec, ParsedValue[] parsed, DateOnly? factDate, DateOnly? asOf)
    {
        DateOnly? At(string at) => at == "as_of" ? asOf : factDate;
        BirthWindow? window = null;
        for (var i = 0; i < spec.Columns.Count; i++)
        {
            if (spec.Columns[i].BirthWindow is { } w && parsed[i].Number is { } age && At(w.AgeAt) is { } on)
            {
                window = BirthWindow.Intersect(window, BirthWindow.OfAge(on, (int)age, w.SlackYears));
            }
        }

        if (spec.SubjectAge is { } subject && At(subject.At) is { } day)
        {
            window = BirthWindow.Intersect(window, BirthWindow.OfAges(day, subject.Min, subject.Max));
        }

        return window;
    }

    private static CanonicalRecord ToRecord(FeedSpec spec, RoleColumns roles, string file, RawRow row, int[] positions, ParsedValue[] parsed, DateOnly? asOf)
    {
        string? Role(int column) => column < 0 ? null : parsed[column].Text;
        DateOnly? RoleDate(int column) => column < 0 ? null : parsed[column].Date;

        var fullName = Role(roles.FullName);
        var fullKana = Role(roles.FullKana);
        var name = fullName is not null
            ? PersonName.FromFull(fullName, fullKana)
            : new PersonName(Role(roles.FamilyName) ?? string.Empty, Role(roles.GivenName) ?? string.Empty, Role(roles.FamilyKana) ?? string.Empty, Role(roles.GivenKana) ?? string.Empty);
        if (fullName is null && fullKana is not null)
        {
            var split = PersonName.FromFull(null, fullKana);
            name = name with { FamilyKana = split.FamilyKana, GivenKana = split.GivenKana };
        }

        var sex = Role(roles.Sex) switch
        {
            "M" => Sex.Male,
            "F" => Sex.Female,
            _ => Sex.Unknown,
        };

        var factDate = RoleDate(roles.FactDate);
        var facts = new List<Fact>(roles.FactCount);
        var original = new KeyValuePair<string, string>[spec.Columns.Count];
        for (var i = 0; i < original.Length; i++)
        {
            var column = spec.Columns[i];
            if (roles.IsFact[i] && parsed[i].Text is not null)
            {
                facts.Add(new Fact(column.Fact!, parsed[i].Date ?? factDate, parsed[i].Text, parsed[i].Number));
            }

            original[i] = new(column.Name, positions[i] < 0 ? string.Empty : row.Fields[positions[i]]);
        }

        var birthDate = RoleDate(roles.BirthDate);
        return new CanonicalRecord(
            spec.Source, spec.Category, file, row.Line, Role(roles.RecordId), Role(roles.AtenaNo), Role(roles.HouseholdNo), name, birthDate, sex,
            Role(roles.PostalCode), Role(roles.Address), Role(roles.Phone), Role(roles.Relation), facts, original)
        {
            BirthWindow = birthDate is null && (spec.SubjectAge is not null || roles.HasAgeColumn) ? WindowOf(spec, parsed, factDate, asOf) : null,
        };
    }

    private static string Preview(string value) =>
        value.Length <= 200 ? value
        : value.Length > MaxFieldLength ? string.Create(CultureInfo.InvariantCulture, $"{value[..200]}… (more than {MaxFieldLength} characters)")
        : string.Create(CultureInfo.InvariantCulture, $"{value[..200]}… ({value.Length} characters)");
}
