using System.Text;
using Mimamori.Ingestion.Specs;

namespace Mimamori.Ingestion.Tests.Corpus;

/// <summary>Broken and awkward FHIR bundles, read with the hospital feed's real spec (data/feeds/hospital_fhir.json).</summary>
public static class FhirCorpus
{
    public const string Patient = """
        {"fullUrl": "urn:uuid:0b3c6a6e-0000-4000-8000-000000000001", "resource": {"resourceType": "Patient", "id": "p1",
          "identifier": [{"system": "urn:oid:1.2.392.100495.20.3.51.11234567890", "value": "00012345"}],
          "name": [
            {"extension": [{"url": "http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation", "valueCode": "IDE"}], "use": "official", "family": "山田", "given": ["花子"]},
            {"extension": [{"url": "http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation", "valueCode": "SYL"}], "use": "official", "family": "ヤマダ", "given": ["ハナコ"]}
          ],
          "gender": "female", "birthDate": "2019-05-06",
          "address": [{"use": "home", "text": "埼玉県戸田市上戸田一丁目2番3号", "postalCode": "335-0022"}]}}
        """;

    public static FeedSpec Spec { get; } = LoadSpec();

    public static IReadOnlyList<CorpusCase> All { get; } =
    [
        Case("fhir_not_json_but_xml", "<Bundle xmlns=\"http://hl7.org/fhir\"><type value=\"collection\"/></Bundle>", CorpusExpectation.Refusal("not JSON", 1)),
        Case("fhir_json_cut_off", Bundle(Patient)[..200], CorpusExpectation.Refusal("not JSON")),
        Case("fhir_json_but_a_patient", Patient[(Patient.IndexOf("\"resource\": ", StringComparison.Ordinal) + 12)..^1], CorpusExpectation.Refusal("a FHIR Patient, not a Bundle")),
        Case("fhir_json_array", "[{\"resourceType\": \"Bundle\"}]", CorpusExpectation.Refusal("not a FHIR resource")),
        Case("fhir_entry_not_a_list", "{\"resourceType\": \"Bundle\", \"type\": \"collection\", \"entry\": {\"resource\": {}}}", CorpusExpectation.Refusal("entry is not a list")),
        Case("fhir_deeply_nested", "{\"resourceType\": \"Bundle\", \"entry\": " + new string('[', 1000) + new string(']', 1000) + "}", CorpusExpectation.Refusal("not JSON")),
        Case("fhir_empty_file", string.Empty, CorpusExpectation.Refusal("not JSON")),
        Case("fhir_bundle_without_entries", "{\"resourceType\": \"Bundle\", \"type\": \"collection\"}", CorpusExpectation.Counts(0, 0, 0)),
        Case("fhir_encounter_without_subject", Bundle(
            Patient,
            Encounter("e1", "\"subject\": {\"reference\": \"urn:uuid:0b3c6a6e-0000-4000-8000-000000000001\"},"),
            Encounter("e2", string.Empty),
            Encounter("e3", "\"subject\": {\"reference\": \"Patient/p1\"},")), CorpusExpectation.Counts(4, 3, 1, "a value (required)")),
        Case("fhir_subject_not_in_bundle", Bundle(Patient, Encounter("e1", "\"subject\": {\"reference\": \"Patient/elsewhere\"},")), CorpusExpectation.Counts(2, 1, 1)),
        Case("fhir_invalid_birth_date", Bundle(
            Patient.Replace("2019-05-06", "2019-02-30", StringComparison.Ordinal),
            Encounter("e1", "\"subject\": {\"reference\": \"Patient/p1\"},")), CorpusExpectation.Counts(2, 0, 2, "a date as yyyy-MM-dd")),
        Case("fhir_birth_date_of_the_wrong_type", Bundle(Patient.Replace("\"2019-05-06\"", "20190506", StringComparison.Ordinal)), CorpusExpectation.Counts(1, 0, 1)),
        Case("fhir_missing_birth_date", Bundle(Patient.Replace("\"birthDate\": \"2019-05-06\",", string.Empty, StringComparison.Ordinal)), CorpusExpectation.Counts(1, 0, 1, "a value (required)")),
        Case("fhir_unknown_gender", Bundle(Patient.Replace("\"female\"", "\"f\"", StringComparison.Ordinal)), CorpusExpectation.Counts(1, 0, 1, "one of male")),
        Case("fhir_unknown_resource_type", Bundle(Patient, "{\"resource\": {\"resourceType\": \"Encounterr\", \"id\": \"x\"}}"), CorpusExpectation.Counts(2, 1, 1, "one of Patient")),
        Case("fhir_entry_without_resource", Bundle(Patient, "{\"fullUrl\": \"urn:uuid:x\"}", "42"), CorpusExpectation.Counts(3, 1, 2)),
        Case("fhir_unknown_element_is_tolerated", Bundle(Patient.Replace("\"id\": \"p1\",", "\"id\": \"p1\", \"nickname\": \"はなちゃん\",", StringComparison.Ordinal)), CorpusExpectation.Counts(1, 1, 0)),
        Case("fhir_script_and_formula_in_names", Bundle(Patient.Replace("\"花子\"", "\"<script>alert(1)</script>\"", StringComparison.Ordinal).Replace("\"山田\"", "\"=cmd|' /C calc'!A0\"", StringComparison.Ordinal)), CorpusExpectation.Counts(1, 1, 0)),
        // A given name in Shift_JIS bytes inside UTF-8 JSON.
        new("fhir_invalid_utf8_in_a_name", Spec, () => new MemoryStream(Encoding.UTF8.GetBytes(Bundle(Patient.Replace("花子", "@@", StringComparison.Ordinal))).Select(b => b == (byte)'@' ? (byte)0x89 : b).ToArray()),
            CorpusExpectation.Refusal("not valid UTF-8", 4)),
        new("fhir_declared_shift_jis", WithEncoding("shift_jis"), () => new MemoryStream(Encoding.UTF8.GetBytes(Bundle(Patient))), CorpusExpectation.Refusal("always UTF-8")),
    ];

    public static CorpusCase Get(string name) => All.Single(c => c.Name == name);

    public static string Bundle(params string[] entries) =>
        "{\"resourceType\": \"Bundle\", \"id\": \"b1\", \"type\": \"collection\", \"entry\": [" + string.Join(",\n", entries) + "]}";

    public static string Encounter(string id, string subject) =>
        "{\"resource\": {\"resourceType\": \"Encounter\", \"id\": \"" + id + "\", \"status\": \"finished\", " + subject
        + " \"class\": {\"system\": \"http://terminology.hl7.org/CodeSystem/v3-ActCode\", \"code\": \"EMER\"}, \"type\": [{\"text\": \"救急外来\"}],"
        + " \"reasonCode\": [{\"text\": \"頭部打撲\"}], \"period\": {\"start\": \"2025-11-02T21:40:00+09:00\"}}}";

    public static string SpecPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "data", "feeds", "hospital_fhir.json");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("data/feeds/hospital_fhir.json not found above the test output folder");
    }

    private static FeedSpec LoadSpec()
    {
        var (spec, errors) = FeedSpecLoader.Parse(File.ReadAllText(SpecPath()), "hospital_fhir.json");
        Assert.Empty(errors);
        return spec!;
    }

    private static FeedSpec WithEncoding(string encoding)
    {
        var (spec, errors) = FeedSpecLoader.Parse(File.ReadAllText(SpecPath()).Replace("\"utf-8\"", $"\"{encoding}\"", StringComparison.Ordinal), "hospital_fhir.json");
        Assert.Empty(errors);
        return spec!;
    }

    private static CorpusCase Case(string name, string json, CorpusExpectation expected) =>
        new(name, Spec, () => new MemoryStream(Encoding.UTF8.GetBytes(json), writable: false), expected);
}
