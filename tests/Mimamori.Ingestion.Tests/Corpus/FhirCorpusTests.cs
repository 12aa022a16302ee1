namespace Mimamori.Ingestion.Tests.Corpus;

public sealed class FhirCorpusTests
{
    public static TheoryData<string> Cases() => [.. FhirCorpus.All.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case_GivesItsExpectedOutcome_WithoutCrashing(string name) => FhirCorpus.Get(name).Check();

    [Fact]
    public void EncounterWithoutSubject_IsQuarantinedAtItsEntry_TheOthersAreKept()
    {
        var outcome = FhirCorpus.Get("fhir_encounter_without_subject").Check();
        Assert.All(outcome.Quarantined, q => Assert.Equal(3, q.Line));
        Assert.Contains(outcome.Quarantined, q => q.Column == "Patient.birthDate");
        Assert.Equal([1L, 2L, 4L], outcome.Accepted.Select(a => a.Line));
    }

    [Fact]
    public void InvalidBirthDate_IsQuarantinedAsReceived()
    {
        var outcome = FhirCorpus.Get("fhir_invalid_birth_date").Check();
        Assert.Contains(outcome.Quarantined, q => q.Line == 1 && q.Column == "Patient.birthDate" && q.Received == "2019-02-30");
    }

    [Fact]
    public void ScriptAndFormulaInNames_AreStoredAsReceived()
    {
        var record = Assert.Single(FhirCorpus.Get("fhir_script_and_formula_in_names").Check().Accepted);
        Assert.Equal(("=cmd|' /C calc'!A0", "<script>alert(1)</script>"), (record.Name.Family, record.Name.Given));
        Assert.True(Validation.FormulaGuard.IsRisky(record.Name.Family));
    }
}
