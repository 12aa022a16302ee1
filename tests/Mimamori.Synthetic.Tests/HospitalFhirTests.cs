using System.Globalization;
using System.Text.Json;

namespace Mimamori.Synthetic.Tests;

/// <summary>The hospital FHIR feed: JP Core bundles per hospital and month, truth for every flattened row, no 宛名番号.</summary>
public class HospitalFhirTests
{
    private static readonly HashSet<string> RowTypes = ["Patient", "Encounter", "Immunization", "Observation"];

    private static List<string> BundlePaths(GeneratedRun run) =>
        [.. run.Files.Keys.Where(k => k.StartsWith("feeds/hospital_fhir/", StringComparison.Ordinal))];

    [Fact]
    public void Bundles_AreOnePerHospitalAndMonth_InTheTwelveMonthsBeforeAsOf()
    {
        var paths = BundlePaths(Runs.Small);
        Assert.NotEmpty(paths);
        var months = paths.Select(p => p[^11..^5]).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.All(months, m => Assert.InRange(string.CompareOrdinal(m, "202504"), 0, int.MaxValue));
        Assert.All(months, m => Assert.InRange(string.CompareOrdinal(m, "202603"), int.MinValue, 0));
        Assert.True(paths.Select(p => p.Split('/')[2].Split('_')[0]).Distinct().Count() >= 2, "at least two hospitals");
        foreach (var path in paths)
        {
            using var doc = JsonDocument.Parse(Runs.Small.Files[path]);
            Assert.Equal("Bundle", doc.RootElement.GetProperty("resourceType").GetString());
            Assert.Equal("collection", doc.RootElement.GetProperty("type").GetString());
        }
    }

    [Fact]
    public void EveryFlattenedRow_HasExactlyOneTruthRecord_AtItsEntryIndex()
    {
        var run = Runs.Small;
        var persons = run.Truth("persons.csv").ToDictionary(p => p["person_id"], StringComparer.Ordinal);
        var truth = run.Truth("records.csv").Where(r => r["source"] == "hospital_fhir").ToLookup(r => r["file"], StringComparer.Ordinal);
        var total = 0;
        foreach (var path in BundlePaths(run))
        {
            var file = path["feeds/".Length..];
            using var doc = JsonDocument.Parse(run.Files[path]);
            var entries = doc.RootElement.GetProperty("entry").EnumerateArray().ToList();
            var rowLines = Enumerable.Range(1, entries.Count).Where(i => RowTypes.Contains(entries[i - 1].GetProperty("resource").GetProperty("resourceType").GetString()!)).ToList();
            var records = truth[file].ToDictionary(r => int.Parse(r["line"], CultureInfo.InvariantCulture));
            Assert.Equal(rowLines, records.Keys.Order());
            total += rowLines.Count;

            // Every row's patient is the truth's person (sex always; birth date apart from the rare typo).
            var patients = entries.Select(e => e.GetProperty("resource")).Where(r => r.GetProperty("resourceType").GetString() == "Patient")
                .ToDictionary(r => "Patient/" + r.GetProperty("id").GetString(), StringComparer.Ordinal);
            foreach (var line in rowLines)
            {
                var resource = entries[line - 1].GetProperty("resource");
                var person = persons[records[line]["person_id"]];
                if (resource.GetProperty("resourceType").GetString() == "Patient")
                {
                    Assert.Equal(person["sex"] == "M" ? "male" : "female", resource.GetProperty("gender").GetString());
                    var birth = GeneratedRun.Iso(resource.GetProperty("birthDate").GetString()!);
                    Assert.InRange(Math.Abs(birth.DayNumber - GeneratedRun.Iso(person["birth_date"]).DayNumber), 0, 400);
                }
            }
        }

        Assert.Equal(run.Summary.RowsPerFeed["hospital_fhir"], total);
    }

    [Fact]
    public void Patients_FollowJpCore_AndCarryNoAtenaNumber()
    {
        var run = Runs.Small;
        foreach (var path in BundlePaths(run))
        {
            var text = run.Text(path);
            Assert.DoesNotContain("宛名", text, StringComparison.Ordinal);
            using var doc = JsonDocument.Parse(text);
            foreach (var entry in doc.RootElement.GetProperty("entry").EnumerateArray())
            {
                var r = entry.GetProperty("resource");
                Assert.StartsWith("urn:uuid:", entry.GetProperty("fullUrl").GetString(), StringComparison.Ordinal);
                if (r.GetProperty("resourceType").GetString() != "Patient")
                {
                    continue;
                }

                var names = r.GetProperty("name").EnumerateArray().ToList();
                var representations = names.Select(n => n.GetProperty("extension")[0].GetProperty("valueCode").GetString()).ToList();
                Assert.Equal(["IDE", "SYL"], representations);
                Assert.Matches("^[ァ-ヶー]+$", names[1].GetProperty("family").GetString()!);
                var identifier = Assert.Single(r.GetProperty("identifier").EnumerateArray());
                Assert.Matches("^[0-9]{8}$", identifier.GetProperty("value").GetString()!);
            }
        }
    }

    [Fact]
    public void Patients_AFewRegisteredGivenNameFirst_InTheKanjiAndTheKanaName_StillNamedByTheTruth()
    {
        var run = Runs.Large;
        var persons = run.Truth("persons.csv").ToDictionary(p => p["person_id"], StringComparer.Ordinal);
        var truth = run.Truth("records.csv").Where(r => r["source"] == "hospital_fhir")
            .ToDictionary(r => (r["file"], int.Parse(r["line"], CultureInfo.InvariantCulture)), r => r["person_id"]);
        var patients = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var path in BundlePaths(run))
        {
            using var doc = JsonDocument.Parse(run.Files[path]);
            var entries = doc.RootElement.GetProperty("entry").EnumerateArray().ToList();
            for (var i = 0; i < entries.Count; i++)
            {
                var r = entries[i].GetProperty("resource");
                if (r.GetProperty("resourceType").GetString() != "Patient")
                {
                    continue;
                }

                var person = persons[truth[(path["feeds/".Length..], i + 1)]];
                var names = r.GetProperty("name").EnumerateArray().ToList();
                var (kanjiFamily, kanaFamily) = (names[0].GetProperty("family").GetString(), names[1].GetProperty("family").GetString());
                var swapped = kanjiFamily == person["given_name"] && kanaFamily == person["given_kana"];
                if (swapped)
                {
                    // The family name moved to the given-name fields, not a copy of the given name.
                    Assert.NotEqual(person["given_name"], names[0].GetProperty("given")[0].GetString());
                    Assert.NotEqual(person["given_kana"], names[1].GetProperty("given")[0].GetString());
                }

                // A patient is registered once per hospital: every bundle of that hospital repeats the same order.
                var key = path.Split('/')[2].Split('_')[0] + "|" + person["person_id"];
                Assert.True(!patients.TryGetValue(key, out var before) || before == swapped, $"{key} written in both orders");
                patients[key] = swapped;
            }
        }

        var share = patients.Values.Count(s => s) / (double)patients.Count;
        Assert.True(patients.Count > 500, $"{patients.Count} patients");
        Assert.InRange(share, 0.003, 0.03);
    }

    [Fact]
    public void EmergencyVisits_AreMoreCommonAmongAbusedChildren_ButMostlyOrdinaryAccidents()
    {
        var run = Runs.Large;
        var outcomes = run.Truth("outcomes.csv").ToDictionary(o => o["person_id"], StringComparer.Ordinal);
        var truth = run.Truth("records.csv").Where(r => r["source"] == "hospital_fhir")
            .ToDictionary(r => (r["file"], int.Parse(r["line"], CultureInfo.InvariantCulture)), r => r["person_id"]);
        var emergency = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var path in BundlePaths(run))
        {
            using var doc = JsonDocument.Parse(run.Files[path]);
            var entries = doc.RootElement.GetProperty("entry").EnumerateArray().ToList();
            for (var i = 0; i < entries.Count; i++)
            {
                var r = entries[i].GetProperty("resource");
                if (r.GetProperty("resourceType").GetString() == "Encounter" && r.GetProperty("class").GetProperty("code").GetString() == "EMER")
                {
                    var person = truth[(path["feeds/".Length..], i + 1)];
                    emergency[person] = emergency.GetValueOrDefault(person) + 1;
                }
            }
        }

        double Rate(bool abused)
        {
            var children = outcomes.Values.Where(o => (o["abuse_neglect"] == "1") == abused).ToList();
            return children.Count(o => emergency.ContainsKey(o["person_id"])) / (double)children.Count;
        }

        Assert.True(Rate(true) > 3 * Rate(false), $"abused {Rate(true):P1} vs others {Rate(false):P1}");
        // Ordinary accidents: most children with an emergency visit are not abused.
        Assert.True(emergency.Keys.Count(k => outcomes.TryGetValue(k, out var o) && o["abuse_neglect"] == "0") > emergency.Count / 2);
    }
}
