using System.Text;
using Mimamori.Ingestion.Readers;
using Mimamori.Ingestion.Records;
using Mimamori.Ingestion.Specs;
using Mimamori.Ingestion.Tests.Corpus;
using Mimamori.Ingestion.Validation;

namespace Mimamori.Ingestion.Tests;

public sealed class FhirBundleReaderTests
{
    private static readonly string JpCoreBundle = FhirCorpus.Bundle(
        """{"fullUrl": "urn:uuid:0b3c6a6e-0000-4000-8000-0000000000aa", "resource": {"resourceType": "Organization", "id": "h1", "name": "戸田中央こども病院"}}""",
        FhirCorpus.Patient.Replace("\"address\"", "\"telecom\": [{\"system\": \"email\", \"value\": \"a@example.jp\"}, {\"system\": \"phone\", \"value\": \"048-441-0000\"}], \"address\"", StringComparison.Ordinal),
        FhirCorpus.Encounter("e1", "\"subject\": {\"reference\": \"urn:uuid:0b3c6a6e-0000-4000-8000-000000000001\"},"),
        """{"resource": {"resourceType": "Immunization", "id": "i1", "status": "completed", "vaccineCode": {"coding": [{"system": "urn:oid:1.2.392.200119.4.403.1", "code": "2", "display": "MR"}]}, "patient": {"reference": "Patient/p1"}, "occurrenceDateTime": "2025-06-10"}}""",
        """{"resource": {"resourceType": "Observation", "id": "o1", "status": "final", "code": {"text": "体重"}, "subject": {"reference": "https://hospital.example.jp/fhir/Patient/p1/_history/3"}, "effectiveDateTime": "2025-06-10T09:00:00+09:00", "valueQuantity": {"value": 15.2, "unit": "kg"}}}""");

    private static List<RawRow> Rows(string json) => [.. FhirBundleReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(json)))];

    private static string Field(RawRow row, string column) => row.Fields[FhirBundleReader.Columns.ToList().IndexOf(column)];

    [Fact]
    public void Read_GivesTheFixedHeader_ThenOneRowPerPatientEncounterImmunizationObservation_LinedByEntryIndex()
    {
        var rows = Rows(JpCoreBundle);
        Assert.Equal(0, rows[0].Line);
        Assert.Equal(FhirBundleReader.Columns, rows[0].Fields);
        // Entry 1 (the Organization) gives no row; every other row carries its entry's 1-based index.
        Assert.Equal([2L, 3L, 4L, 5L], rows.Skip(1).Select(r => r.Line));
        Assert.Equal(["Patient", "Encounter", "Immunization", "Observation"], rows.Skip(1).Select(r => Field(r, "resourceType")));
        Assert.All(rows.Skip(1), r => Assert.Equal(FhirBundleReader.Columns.Count, r.Fields.Length));
    }

    [Fact]
    public void Read_PatientFollowsJpCore_KanjiNameIsIde_KanaNameIsSyl()
    {
        var patient = Rows(JpCoreBundle)[1];
        Assert.Equal(("山田", "花子", "ヤマダ", "ハナコ"), (Field(patient, "Patient.name.family"), Field(patient, "Patient.name.given"), Field(patient, "Patient.name.kana.family"), Field(patient, "Patient.name.kana.given")));
        Assert.Equal(("00012345", "2019-05-06", "female"), (Field(patient, "Patient.identifier"), Field(patient, "Patient.birthDate"), Field(patient, "Patient.gender")));
        Assert.Equal(("335-0022", "埼玉県戸田市上戸田一丁目2番3号", "048-441-0000"), (Field(patient, "Patient.address.postalCode"), Field(patient, "Patient.address.text"), Field(patient, "Patient.telecom.phone")));
        Assert.Equal(string.Empty, Field(patient, "effectiveDate"));
    }

    [Fact]
    public void Read_ResolvesReferencesByFullUrl_ByPatientId_AndByAbsoluteUrl()
    {
        var rows = Rows(JpCoreBundle);
        Assert.All(rows.Skip(1), r => Assert.Equal("p1", Field(r, "Patient.id")));
        Assert.All(rows.Skip(1), r => Assert.Equal("2019-05-06", Field(r, "Patient.birthDate")));
    }

    [Fact]
    public void Read_TakesEachResourcesOwnValuesAndDate()
    {
        var rows = Rows(JpCoreBundle);
        Assert.Equal(("EMER", "2025-11-02T21:40:00+09:00", "頭部打撲", "救急外来", "2025-11-02"),
            (Field(rows[2], "Encounter.class"), Field(rows[2], "Encounter.period.start"), Field(rows[2], "Encounter.reasonCode.text"), Field(rows[2], "Encounter.type.text"), Field(rows[2], "effectiveDate")));
        Assert.Equal(("MR", "2025-06-10", "completed", "2025-06-10"),
            (Field(rows[3], "Immunization.vaccineCode.text"), Field(rows[3], "Immunization.occurrenceDateTime"), Field(rows[3], "Immunization.status"), Field(rows[3], "effectiveDate")));
        Assert.Equal(("体重", "15.2 kg", "2025-06-10"), (Field(rows[4], "Observation.code.text"), Field(rows[4], "Observation.value"), Field(rows[4], "effectiveDate")));
    }

    [Fact]
    public void FeedReader_WithTheHospitalSpec_GivesCanonicalRecordsWithoutAtenaNumbers()
    {
        var accepted = new List<CanonicalRecord>();
        var quarantined = new List<QuarantinedValue>();
        var summary = FeedReader.Read(FhirCorpus.Spec, new MemoryStream(Encoding.UTF8.GetBytes(JpCoreBundle)), "hospital_fhir/h1_202506.json", accepted.Add, quarantined.Add);
        Assert.Empty(quarantined);
        Assert.Equal(new ReadSummary("hospital_fhir/h1_202506.json", 4, 4, 0), summary);
        Assert.All(accepted, r =>
        {
            Assert.Null(r.AtenaNo);
            Assert.Equal(("山田", "花子", "ヤマダ", "ハナコ"), (r.Name.Family, r.Name.Given, r.Name.FamilyKana, r.Name.GivenKana));
            Assert.Equal((new DateOnly(2019, 5, 6), Kernel.People.Sex.Female, "00012345"), (r.BirthDate, r.Sex, r.LocalId));
            Assert.Equal("medical", r.Category);
        });
        var encounter = accepted[1];
        Assert.Contains(encounter.Facts, f => f.Kind == "medical.encounter_class" && f.Text == "emergency" && f.Date == new DateOnly(2025, 11, 2));
        Assert.Contains(encounter.Facts, f => f.Kind == "medical.encounter_reason" && f.Text == "頭部打撲");
        Assert.Contains(accepted[2].Facts, f => f.Kind == "medical.vaccine" && f.Text == "MR");
    }

    [Fact]
    public void FeedReader_RefusesASpecNamingAColumnTheReaderDoesNotProduce()
    {
        var json = File.ReadAllText(FhirCorpus.SpecPath()).Replace("\"Patient.birthDate\"", "\"Patient.birthdate\"", StringComparison.Ordinal);
        var (spec, errors) = FeedSpecLoader.Parse(json, "hospital_fhir.json");
        Assert.Empty(errors);
        var e = Assert.Throws<FeedStructureException>(() => FeedReader.Read(spec!, new MemoryStream(Encoding.UTF8.GetBytes(JpCoreBundle)), "x.json", _ => { }, _ => { }));
        Assert.Contains("Patient.birthdate", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NameWithoutRepresentationExtension_IsTakenAsTheKanjiName()
    {
        var plain = FhirCorpus.Bundle("""{"resource": {"resourceType": "Patient", "id": "p9", "name": [{"family": "佐藤", "given": ["一", "郎"]}], "birthDate": "2020-01-01"}}""");
        var row = Rows(plain)[1];
        Assert.Equal(("佐藤", "一 郎", string.Empty), (Field(row, "Patient.name.family"), Field(row, "Patient.name.given"), Field(row, "Patient.name.kana.family")));
    }
}
