using System.Globalization;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace Mimamori.Ingestion.Readers;

/// <summary>
/// A FHIR R4 Bundle (JSON) flattened into rows, so that feed specs, validation and quarantine work on hospital data
/// exactly as on CSV. Each Patient, Encounter, Immunization and Observation entry is one row; every row carries the
/// identity of its patient (the Patient itself, or the one its <c>subject</c>/<c>patient</c> reference points at within
/// the bundle). Other resources (Organization, Practitioner ...) give no row. Columns are fixed paths
/// (<see cref="Columns"/>), the first row is that list as a header.
/// </summary>
/// <remarks>
/// Lineage: <see cref="RawRow.Line"/> is the 1-based index of the entry in the bundle ("entry N"), so a quarantined
/// value or a stored record points at the resource that produced it. The header row has line 0.
/// A file that is not JSON, or JSON that is not a Bundle, is refused whole (<see cref="FeedStructureException"/>).
/// A single faulty resource is not: each entry is deserialized on its own, values are taken as received (an invalid
/// birthDate stays the text it was), and validation then quarantines the row. JP Core names: the kanji name is the
/// HumanName marked IDE, the kana name the one marked SYL (extension iso21090-EN-representation).
/// </remarks>
public static class FhirBundleReader
{
    private const string RepresentationUrl = "http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation";

    /// <summary>The fixed column list, in row order.</summary>
    public static IReadOnlyList<string> Columns { get; } =
    [
        "resourceType", "id",
        "Patient.id", "Patient.identifier", "Patient.name.family", "Patient.name.given", "Patient.name.kana.family", "Patient.name.kana.given",
        "Patient.birthDate", "Patient.gender", "Patient.address.postalCode", "Patient.address.text", "Patient.telecom.phone",
        "Encounter.class", "Encounter.period.start", "Encounter.reasonCode.text", "Encounter.type.text",
        "Immunization.vaccineCode.text", "Immunization.occurrenceDateTime", "Immunization.status",
        "Observation.code.text", "Observation.value", "Observation.effectiveDateTime",
        "effectiveDate",
    ];

    private const int PatientColumn = 2;
    private const int EncounterColumn = 13;
    private const int ImmunizationColumn = 17;
    private const int ObservationColumn = 20;
    private const int EffectiveDateColumn = 23;

    private static readonly HashSet<string> RowTypes = ["Patient", "Encounter", "Immunization", "Observation"];

    /// <summary>Strict, so that every fault is known; the partial result still gives what could be read.</summary>
    private static readonly FhirJsonDeserializer Deserializer = new(new DeserializerSettings());

    /// <summary>Reads the bundle in <paramref name="stream"/>: the header row, then one row per Patient, Encounter, Immunization and Observation entry.</summary>
    public static IEnumerable<RawRow> Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var entries = Parse(stream);
        return Rows(entries);
    }

    private static IEnumerable<RawRow> Rows(List<Entry> entries)
    {
        yield return new RawRow(0, [.. Columns]);

        // Patients first, so a reference resolves wherever in the bundle its Patient stands.
        var patients = new Dictionary<string, Patient>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (entry.Resource is Patient p)
            {
                if (entry.FullUrl is { Length: > 0 } url)
                {
                    patients.TryAdd(url, p);
                }

                if (p.Id is { Length: > 0 } id)
                {
                    patients.TryAdd("Patient/" + id, p);
                }
            }
        }

        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (entry.Known && !RowTypes.Contains(entry.TypeName))
            {
                continue;
            }

            var fields = new string[Columns.Count];
            Array.Fill(fields, string.Empty);
            fields[0] = entry.TypeName;
            fields[1] = Text(entry.Resource?.IdElement);
            switch (entry.Resource)
            {
                case Patient p:
                    FillPatient(fields, p);
                    break;
                case Encounter e:
                    FillPatient(fields, Resolve(patients, e.Subject));
                    fields[EncounterColumn] = Text(e.Class?.CodeElement);
                    fields[EncounterColumn + 1] = Text(e.Period?.StartElement);
                    fields[EncounterColumn + 2] = ConceptText(e.ReasonCode.FirstOrDefault());
                    fields[EncounterColumn + 3] = ConceptText(e.Type.FirstOrDefault());
                    fields[EffectiveDateColumn] = DatePart(fields[EncounterColumn + 1]);
                    break;
                case Immunization m:
                    FillPatient(fields, Resolve(patients, m.Patient));
                    fields[ImmunizationColumn] = ConceptText(m.VaccineCode);
                    fields[ImmunizationColumn + 1] = m.Occurrence is PrimitiveType occurrence ? Text(occurrence) : string.Empty;
                    fields[ImmunizationColumn + 2] = Text(m.StatusElement);
                    fields[EffectiveDateColumn] = DatePart(fields[ImmunizationColumn + 1]);
                    break;
                case Observation o:
                    FillPatient(fields, Resolve(patients, o.Subject));
                    fields[ObservationColumn] = ConceptText(o.Code);
                    fields[ObservationColumn + 1] = ObservationValue(o.Value);
                    fields[ObservationColumn + 2] = o.Effective switch
                    {
                        PrimitiveType t => Text(t),
                        Period period => Text(period.StartElement),
                        _ => string.Empty,
                    };
                    fields[EffectiveDateColumn] = DatePart(fields[ObservationColumn + 2]);
                    break;
                default:
                    // An entry whose resource could not be identified: an almost empty row that validation quarantines.
                    break;
            }

            yield return new RawRow(i + 1, fields);
        }
    }

    private static List<Entry> Parse(Stream stream)
    {
        var bytes = Utf8Bytes(stream);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 128 });
        }
        catch (JsonException e)
        {
            throw new FeedStructureException($"line {(e.LineNumber ?? 0) + 1}: the file is not JSON, so not a FHIR Bundle ({e.Message.Split(" LineNumber:")[0].TrimEnd('.')})", e);
        }

        using (document)
        {
            var root = document.RootElement;
            var type = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("resourceType", out var rt) && rt.ValueKind == JsonValueKind.String ? rt.GetString() : null;
            if (type != "Bundle")
            {
                throw new FeedStructureException(type is null
                    ? "the file is JSON but not a FHIR resource (no resourceType), so not a Bundle"
                    : $"the file is a FHIR {type}, not a Bundle");
            }

            var entries = new List<Entry>();
            if (!root.TryGetProperty("entry", out var list))
            {
                return entries;
            }

            if (list.ValueKind != JsonValueKind.Array)
            {
                throw new FeedStructureException("the Bundle's entry is not a list of entries");
            }

            foreach (var item in list.EnumerateArray())
            {
                entries.Add(ReadEntry(item));
            }

            return entries;
        }
    }

    /// <summary>
    /// The file's bytes, checked as UTF-8 line by line first: the JSON parser accepts invalid bytes inside strings and
    /// fails only when a value is read, far from the line that holds them.
    /// </summary>
    private static ReadOnlyMemory<byte> Utf8Bytes(Stream stream)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var all = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        if (all.Span.StartsWith("\uFEFF"u8))
        {
            all = all[3..];
        }

        var rest = all.Span;
        for (long line = 1; rest.Length > 0; line++)
        {
            var newline = rest.IndexOf((byte)'\n');
            var current = newline < 0 ? rest : rest[..newline];
            if (!System.Text.Unicode.Utf8.IsValid(current))
            {
                throw new FeedStructureException($"line {line}: bytes that are not valid UTF-8; FHIR JSON is always UTF-8");
            }

            rest = newline < 0 ? [] : rest[(newline + 1)..];
        }

        return all;
    }

    private static Entry ReadEntry(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return new Entry(null, string.Empty, false, null);
        }

        var fullUrl = item.TryGetProperty("fullUrl", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
        if (!item.TryGetProperty("resource", out var json) || json.ValueKind != JsonValueKind.Object)
        {
            return new Entry(fullUrl, string.Empty, false, null);
        }

        var typeName = json.TryGetProperty("resourceType", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() ?? string.Empty : string.Empty;
        Resource? resource;
        try
        {
            resource = Deserializer.DeserializeResource(json.GetRawText());
        }
        catch (DeserializationFailedException e)
        {
            // Faults in one resource belong to its row: keep what could be read and let validation judge the values.
            resource = e.PartialResult as Resource;
        }

        // An unknown resource type is not skipped like an Organization would be: it becomes a row that validation
        // quarantines, so that a misspelt "Encounterr" is seen rather than silently lost.
        var known = ModelInfo.IsKnownResource(typeName);
        return new Entry(fullUrl, typeName, known, known ? resource : null);
    }

    private static Patient? Resolve(Dictionary<string, Patient> patients, ResourceReference? reference)
    {
        var target = Text(reference?.ReferenceElement);
        if (target.Length == 0)
        {
            return null;
        }

        if (patients.TryGetValue(target, out var patient))
        {
            return patient;
        }

        // An absolute URL (https://host/fhir/Patient/123, possibly with /_history/n) names the same Patient/123.
        var history = target.IndexOf("/_history/", StringComparison.Ordinal);
        var path = history >= 0 ? target[..history] : target;
        var at = path.LastIndexOf("Patient/", StringComparison.Ordinal);
        return at >= 0 && patients.TryGetValue(path[at..], out patient) ? patient : null;
    }

    private static void FillPatient(string[] fields, Patient? p)
    {
        if (p is null)
        {
            return;
        }

        var kanji = p.Name.FirstOrDefault(n => Representation(n) == "IDE") ?? p.Name.FirstOrDefault(n => Representation(n) != "SYL");
        var kana = p.Name.FirstOrDefault(n => Representation(n) == "SYL");
        var address = p.Address.FirstOrDefault(a => a.Use == Address.AddressUse.Home) ?? p.Address.FirstOrDefault();
        var phone = p.Telecom.FirstOrDefault(t => Text(t.SystemElement) == "phone");
        string[] values =
        [
            Text(p.IdElement),
            Text(p.Identifier.FirstOrDefault()?.ValueElement),
            Text(kanji?.FamilyElement),
            Given(kanji),
            Text(kana?.FamilyElement),
            Given(kana),
            Text(p.BirthDateElement),
            Text(p.GenderElement),
            Text(address?.PostalCodeElement),
            AddressText(address),
            Text(phone?.ValueElement),
        ];
        values.CopyTo(fields, PatientColumn);
    }

    private static string? Representation(HumanName name)
    {
        var extension = name.Extension.FirstOrDefault(e => e.Url == RepresentationUrl);
        return extension?.Value is PrimitiveType code ? Text(code) : null;
    }

    private static string Given(HumanName? name) =>
        name is null ? string.Empty : string.Join(' ', name.GivenElement.Select(g => Text(g)).Where(g => g.Length > 0));

    private static string AddressText(Address? address)
    {
        if (address is null)
        {
            return string.Empty;
        }

        var text = Text(address.TextElement);
        if (text.Length > 0)
        {
            return text;
        }

        // Structured parts only: prefecture, city, district and lines, joined as a Japanese address is written.
        return string.Concat(new[] { Text(address.StateElement), Text(address.CityElement), Text(address.DistrictElement) }
            .Concat(address.LineElement.Select(l => Text(l))));
    }

    private static string ConceptText(CodeableConcept? concept)
    {
        if (concept is null)
        {
            return string.Empty;
        }

        var text = Text(concept.TextElement);
        if (text.Length > 0)
        {
            return text;
        }

        var coding = concept.Coding.FirstOrDefault();
        var display = Text(coding?.DisplayElement);
        return display.Length > 0 ? display : Text(coding?.CodeElement);
    }

    private static string ObservationValue(DataType? value) => value switch
    {
        null => string.Empty,
        Quantity q => string.Join(' ', new[] { Text(q.ValueElement), Text(q.UnitElement) }.Where(s => s.Length > 0)),
        CodeableConcept c => ConceptText(c),
        PrimitiveType p => Text(p),
        _ => string.Empty,
    };

    /// <summary>The date of a FHIR dateTime as written (2025-06-03 of 2025-06-03T10:15:00+09:00); partial dates stay partial.</summary>
    private static string DatePart(string dateTime)
    {
        var t = dateTime.IndexOf('T', StringComparison.Ordinal);
        return t >= 0 ? dateTime[..t] : dateTime;
    }

    /// <summary>A primitive's value as received: a wrong type or an invalid literal stays the text it was, for validation to judge.</summary>
    private static string Text(PrimitiveType? primitive) =>
        primitive?.JsonValue is { } value ? Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty : string.Empty;

    private sealed record Entry(string? FullUrl, string TypeName, bool Known, Resource? Resource);
}
