using System.Globalization;
using ClosedXML.Excel;
using Mimamori.Kernel.Dates;
using Mimamori.Kernel.Text;

namespace Mimamori.Synthetic.Tests;

public class TruthRecordTests
{
    private static readonly string[] CsvFeeds =
        ["jumin_legacy", "juminzei", "seikatsu_hogo", "jido_fuyo", "komu_attendance", "boshi_kenshin", "katei_sodan"];

    [Fact]
    public void EveryFeedRow_HasExactlyOneTruthRecord()
    {
        var run = Runs.Small;
        var records = run.Truth("records.csv");
        var byFile = records.GroupBy(r => r["file"], StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var feedFiles = run.Files.Keys.Where(k => k.StartsWith("feeds/", StringComparison.Ordinal)).ToList();
        var rowsPerSource = new Dictionary<string, int>(StringComparer.Ordinal);

        foreach (var path in feedFiles)
        {
            var file = path["feeds/".Length..];
            if (path.EndsWith(".json", StringComparison.Ordinal))
            {
                continue; // FHIR bundles: a row's line is its entry index, checked in HospitalFhirTests
            }

            int dataRows;
            if (path.EndsWith(".xlsx", StringComparison.Ordinal))
            {
                using var workbook = new XLWorkbook(new MemoryStream(run.Files[path]));
                dataRows = workbook.Worksheet(1).LastRowUsed().RowNumber() - 1;
            }
            else
            {
                var text = GeneratedRun.IsShiftJis(file) ? run.ShiftJisText(path) : run.Text(path);
                dataRows = text.Split('\n').Count(l => l.Trim('\r').Length > 0) - 1;
            }

            // A correction file may hold no rows in a small run.
            var lines = byFile.TryGetValue(file, out var fileRecords) ? fileRecords.Select(r => int.Parse(r["line"], CultureInfo.InvariantCulture)).Order().ToList() : [];
            Assert.Equal(Enumerable.Range(2, dataRows), lines);
            Assert.All(fileRecords ?? [], r => Assert.Equal(file.Split('/')[0], r["source"]));
            rowsPerSource[file.Split('/')[0]] = rowsPerSource.GetValueOrDefault(file.Split('/')[0]) + dataRows;
        }

        Assert.All(byFile.Keys, f => Assert.Contains("feeds/" + f, feedFiles));
        foreach (var (source, rows) in rowsPerSource.Where(kv => kv.Key != "hospital_fhir"))
        {
            Assert.Equal(rows, run.Summary.RowsPerFeed[source]);
        }
    }

    [Theory]
    [MemberData(nameof(Feeds))]
    public void TruthRecords_PointAtThePersonTheRowDescribes(string source)
    {
        var run = Runs.Small;
        var persons = run.Truth("persons.csv").ToDictionary(p => p["person_id"], StringComparer.Ordinal);
        var path = run.PathIn($"feeds/{source}/");
        var file = path["feeds/".Length..];
        // Pupils from other municipalities (区域外就学) attend school here but are not residents.
        var subjects = run.Truth("records.csv").Where(r => r["file"] == file && persons.ContainsKey(r["person_id"]))
            .ToDictionary(r => int.Parse(r["line"], CultureInfo.InvariantCulture), r => persons[r["person_id"]]);
        var rows = run.Csv($"feeds/{source}/");
        Assert.NotEmpty(rows);

        int birthSame = 0, kanaSame = 0, kanaChecked = 0, atenaChecked = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if (!subjects.TryGetValue(i + 2, out var truth))
            {
                continue;
            }

            var (birthColumn, format) = source switch
            {
                "jumin_legacy" => ("生年月日", "wareki"),
                "juminzei" => ("生年月日", "wareki"),
                "jido_fuyo" => ("生年月日", "wareki"),
                "komu_attendance" => ("生年月日", "yyyy/MM/dd"),
                _ => ("生年月日", "yyyy-MM-dd"),
            };
            var birthText = row[birthColumn];
            if (birthText.Length == 0)
            {
                birthSame++;
            }
            else
            {
                Assert.True(DateText.TryParse(birthText, format, out var birth, out var error), $"{source} line {i + 2}: {birthText} {error}");
                var expected = GeneratedRun.Iso(truth["birth_date"]);
                if (birth == expected)
                {
                    birthSame++;
                }
                else
                {
                    // A typo: one digit or day and month swapped, never a different person's date.
                    Assert.InRange(Math.Abs(birth.DayNumber - expected.DayNumber), 1, 400);
                }
            }

            var kanaColumn = row.Keys.FirstOrDefault(k => k.Contains("カナ", StringComparison.Ordinal) || k == "ふりがな");
            if (kanaColumn is not null && row[kanaColumn].Length > 0)
            {
                kanaChecked++;
                var expected = JapaneseText.LooseReadingKey(truth["family_kana"] + truth["given_kana"]);
                var given = JapaneseText.LooseReadingKey(truth["given_kana"]);
                var actual = JapaneseText.LooseReadingKey(row[kanaColumn]);
                if (actual == expected)
                {
                    kanaSame++;
                }
                else
                {
                    // A surname changed by marriage or divorce still shows the old one; the given name must agree.
                    Assert.EndsWith(given, actual, StringComparison.Ordinal);
                }
            }

            var atenaColumn = row.Keys.FirstOrDefault(k => k.Contains("宛名番号", StringComparison.Ordinal));
            if (atenaColumn is not null && row[atenaColumn].Length > 0)
            {
                atenaChecked++;
                Assert.Equal(truth["atena_no"], row[atenaColumn]);
            }
        }

        Assert.InRange(birthSame / (double)rows.Count, source == "jumin_legacy" ? 1.0 : 0.97, 1.0);
        if (kanaChecked > 0)
        {
            Assert.InRange(kanaSame / (double)kanaChecked, source == "jumin_legacy" ? 1.0 : 0.93, 1.0);
        }

        Assert.Equal(source != "komu_attendance", atenaChecked > 0);
    }

    public static TheoryData<string> Feeds() => [.. CsvFeeds];

    [Fact]
    public void ShugakuWorkbook_RowsPointAtPupilsOfTheRightBirthDate()
    {
        var run = Runs.Small;
        var persons = run.Truth("persons.csv").ToDictionary(p => p["person_id"], StringComparer.Ordinal);
        var path = run.PathIn("feeds/shugaku_enjo/");
        var subjects = run.Truth("records.csv").Where(r => r["source"] == "shugaku_enjo")
            .ToDictionary(r => int.Parse(r["line"], CultureInfo.InvariantCulture), r => persons[r["person_id"]]);
        using var workbook = new XLWorkbook(new MemoryStream(run.Files[path]));
        var sheet = workbook.Worksheet(1);
        var same = 0;
        foreach (var (line, truth) in subjects)
        {
            var birth = DateOnly.FromDateTime(sheet.Cell(line, 4).GetDateTime());
            same += birth == GeneratedRun.Iso(truth["birth_date"]) ? 1 : 0;
            var age = AgeOn(GeneratedRun.Iso(truth["birth_date"]), new DateOnly(2025, 4, 1));
            Assert.InRange(age, 6, 14);
        }

        Assert.InRange(same / (double)subjects.Count, 0.95, 1.0);
    }

    [Fact]
    public void JuminRows_AreTheTruthExactly()
    {
        var run = Runs.Small;
        var persons = run.Truth("persons.csv").ToDictionary(p => p["atena_no"], StringComparer.Ordinal);
        var rows = run.Csv("feeds/jumin_legacy/");
        Assert.Equal(persons.Count, rows.Count);
        foreach (var row in rows)
        {
            var p = persons[row["宛名番号"]];
            // 𠮷 is outside CP932: the legacy export writes 〓 for it.
            Assert.Equal((p["family_name"] + "\u3000" + p["given_name"]).Replace("\U00020BB7", "〓", StringComparison.Ordinal), JapaneseText.FoldWidth(row["氏名"]).Replace(" ", "\u3000", StringComparison.Ordinal));
            Assert.Equal(JapaneseText.ToHalfWidthKatakana(p["family_kana"]) + " " + JapaneseText.ToHalfWidthKatakana(p["given_kana"]), row["氏名カナ"]);
            Assert.True(Wareki.TryParse(row["生年月日"], out var birth, out _));
            Assert.Equal(GeneratedRun.Iso(p["birth_date"]), birth);
            Assert.Equal(p["sex"] == "M" ? "1" : "2", row["性別"]);
        }
    }

    internal static int AgeOn(DateOnly birth, DateOnly date)
    {
        var age = date.Year - birth.Year;
        return date.Month < birth.Month || (date.Month == birth.Month && date.Day < birth.Day) ? age - 1 : age;
    }
}
