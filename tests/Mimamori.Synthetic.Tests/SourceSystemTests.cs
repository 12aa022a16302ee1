using System.Globalization;
using ClosedXML.Excel;

namespace Mimamori.Synthetic.Tests;

/// <summary>The extended source systems: movements, people outside the registry, identity hazards, and hidden states showing through.</summary>
public class SourceSystemTests
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static Dictionary<string, Dictionary<string, string>> Outcomes(GeneratedRun run) =>
        run.Truth("outcomes.csv").ToDictionary(o => o["person_id"], StringComparer.Ordinal);

    private static Dictionary<(string File, int Line), string> Subjects(GeneratedRun run) =>
        run.Truth("records.csv").ToDictionary(r => (r["file"], int.Parse(r["line"], Inv)), r => r["person_id"]);

    private static List<(Dictionary<string, string> Row, string Person)> RowsWithSubjects(GeneratedRun run, string folder)
    {
        var path = run.PathIn(folder);
        var subjects = Subjects(run);
        return [.. run.Csv(folder).Select((row, i) => (row, subjects[(path["feeds/".Length..], i + 2)]))];
    }

    [Fact]
    public void Idou_HoldsFormerResidentsAndOldNumbersOfReturnedResidents()
    {
        var run = Runs.Large;
        var rows = GeneratedRun.Parse(run.Text("feeds/jumin_idou/idou_20230331_20260331.csv"));
        var registry = run.Truth("persons.csv").Select(p => p["atena_no"]).ToHashSet(StringComparer.Ordinal);
        var former = run.Truth("nonresidents.csv").Where(n => n["kind"] is "moved_out" or "died").ToList();
        var renumbered = run.Truth("renumbered.csv");
        Assert.NotEmpty(former);
        Assert.NotEmpty(renumbered);
        var numbers = rows.Select(r => r["宛名番号"]).ToHashSet(StringComparer.Ordinal);
        Assert.All(former, f => Assert.Contains(f["atena_no"], numbers));
        Assert.All(renumbered, r => Assert.Contains(r["old_atena_no"], numbers));
        Assert.All(renumbered, r => Assert.DoesNotContain(r["old_atena_no"], registry));
        Assert.Contains(rows, r => r["異動事由"] == "転出" && !registry.Contains(r["宛名番号"]));
        Assert.Contains(rows, r => r["異動事由"] == "婚姻");
        // Full-width katakana and separate 氏 and 名, ISO dates.
        Assert.All(rows, r => Assert.Matches("^[ァ-ヶー]+$", r["氏カナ"]));
        Assert.All(rows, r => Assert.Matches("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", r["異動日"]));
    }

    [Fact]
    public void NonResidentPupils_HaveTheirOwnNumbersInTheSchoolRegister()
    {
        var run = Runs.Large;
        var pupils = run.Truth("nonresidents.csv").Where(n => n["kind"] == "nonresident_pupil").ToList();
        Assert.NotEmpty(pupils);
        var rows = RowsWithSubjects(run, "feeds/gakureibo/");
        var ids = pupils.Select(p => p["person_id"]).ToHashSet(StringComparer.Ordinal);
        var accepted = rows.Where(r => ids.Contains(r.Person)).ToList();
        Assert.NotEmpty(accepted);
        Assert.All(accepted, r => Assert.Equal("区域外就学（受入）", r.Row["就学区分"]));
        Assert.All(accepted, r => Assert.StartsWith("9", r.Row["宛名番号"], StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Row["就学区分"] == "外国籍（就学義務なし）" || r.Row["就学区分"] == "私立・国立");
    }

    [Fact]
    public void SameNameAndBirthday_PairsExist()
    {
        var persons = Runs.Large.Truth("persons.csv");
        var pairs = persons.GroupBy(p => (p["family_name"], p["given_name"], p["birth_date"], p["sex"])).Count(g => g.Count() > 1);
        Assert.InRange(pairs, 2, 50);
    }

    [Fact]
    public void CharactersOutsideShiftJis_BecomeGetaOrAsterisk()
    {
        var run = GeneratedRun.Create(3000, 21, NoiseOptions.Default with { GaijiSurnameRate = 1 });
        var persons = run.Truth("persons.csv");
        Assert.Contains(persons, p => p["family_name"].Contains("\U00020BB7", StringComparison.Ordinal));
        Assert.Contains("〓", run.ShiftJisText(run.PathIn("feeds/jumin_legacy/")), StringComparison.Ordinal);
        Assert.Contains("\U00020BB7", run.Text("feeds/jumin_idou/idou_20230331_20260331.csv"), StringComparison.Ordinal);
    }

    [Fact]
    public void Jisou_HasNoAtenaAndCompactWareki()
    {
        var rows = Runs.Large.Csv("feeds/jisou/");
        Assert.NotEmpty(rows);
        Assert.DoesNotContain(rows[0].Keys, k => k.Contains("宛名", StringComparison.Ordinal));
        Assert.All(rows, r => Assert.Matches("^[SHR][0-9]{2}\\.[0-9]{2}\\.[0-9]{2}$", r["受理年月日"]));
    }

    [Fact]
    public void PostnatalDepression_DrivesEpds()
    {
        var run = Runs.Large;
        var outcomes = Outcomes(run);
        var persons = run.Truth("persons.csv");
        // Mothers of infants flagged with postnatal depression: their household shares the flag.
        var depressedHouseholds = persons.Where(p => outcomes.TryGetValue(p["person_id"], out var o) && o["postnatal_depression"] == "1").Select(p => p["household_id"]).ToHashSet(StringComparer.Ordinal);
        var household = persons.ToDictionary(p => p["person_id"], p => p["household_id"], StringComparer.Ordinal);
        var epds = RowsWithSubjects(run, "feeds/ninshin_todoke/").Where(r => r.Row["区分"] == "EPDS").ToList();
        double HighShare(bool depressed)
        {
            var group = epds.Where(r => depressedHouseholds.Contains(household[r.Person]) == depressed).ToList();
            return group.Count(r => int.Parse(r.Row["EPDS点数"], Inv) >= 9) / (double)group.Count;
        }

        Assert.InRange(HighShare(true), 0.5, 0.98);
        Assert.InRange(HighShare(false), 0.01, 0.25);
        Assert.Contains(RowsWithSubjects(run, "feeds/ninshin_todoke/"), r => r.Row["区分"] == "妊娠届" && int.Parse(r.Row["妊娠週数"], Inv) >= 20);
    }

    [Fact]
    public void HealthNeglect_DrivesCariesAndLateVaccination()
    {
        var run = Runs.Large;
        var outcomes = Outcomes(run);
        var kenshin = RowsWithSubjects(run, "feeds/gakko_kenshin/").Where(r => outcomes.ContainsKey(r.Person)).ToList();
        double Caries(bool neglect) => kenshin.Where(r => (outcomes[r.Person]["health_neglect"] == "1") == neglect).Average(r => int.Parse(r.Row["未処置歯数"], Inv));
        Assert.True(Caries(true) > 2 * Caries(false), $"{Caries(true)} vs {Caries(false)}");

        var doses = RowsWithSubjects(run, "feeds/yobo_sesshu/").Where(r => outcomes.ContainsKey(r.Person)).GroupBy(r => r.Person).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var young = outcomes.Values.Where(o => doses.ContainsKey(o["person_id"])).ToList();
        double Doses(bool neglect) => young.Where(o => (o["health_neglect"] == "1") == neglect).Average(o => doses[o["person_id"]]);
        Assert.True(Doses(true) < Doses(false), $"{Doses(true)} vs {Doses(false)}");
    }

    [Fact]
    public void Developmental_DrivesRyoikuAndServices_NotDeterministically()
    {
        var run = Runs.Large;
        var outcomes = Outcomes(run);
        var path = run.PathIn("feeds/shogai_fukushi/");
        var subjects = Subjects(run);
        var rows = GeneratedRun.Parse(run.ShiftJisText(path)).Select((row, i) => (Row: row, Person: subjects[(path["feeds/".Length..], i + 2)])).ToList();
        var withService = rows.Where(r => r.Row["種別"] is "療育手帳" or "児童発達支援" or "放課後等デイサービス" && outcomes.ContainsKey(r.Person)).Select(r => r.Person).ToHashSet(StringComparer.Ordinal);
        var dev = outcomes.Values.Where(o => o["developmental"] == "1").ToList();
        var share = dev.Count(o => withService.Contains(o["person_id"])) / (double)dev.Count;
        Assert.InRange(share, 0.2, 0.9);
        Assert.Contains(rows, r => !outcomes.ContainsKey(r.Person));
    }

    [Fact]
    public void Poverty_DrivesBreakfastAnswer()
    {
        var run = Runs.Large;
        var outcomes = Outcomes(run);
        var path = run.PathIn("feeds/gakuryoku_chosa/");
        var subjects = Subjects(run);
        using var workbook = new XLWorkbook(new MemoryStream(run.Files[path]));
        var sheet = workbook.Worksheet(1);
        var column = Enumerable.Range(1, sheet.LastColumnUsed().ColumnNumber()).First(c => sheet.Cell(1, c).GetString() == "朝食を毎日食べていますか");
        var answers = new List<(bool Poor, int Answer)>();
        for (var r = 2; r <= sheet.LastRowUsed().RowNumber(); r++)
        {
            var person = subjects[(path["feeds/".Length..], r)];
            if (outcomes.TryGetValue(person, out var o) && !sheet.Cell(r, column).IsEmpty())
            {
                answers.Add((o["poverty"] == "1", sheet.Cell(r, column).GetValue<int>()));
            }
        }

        double Skips(bool poor) => answers.Where(a => a.Poor == poor).Count(a => a.Answer >= 3) / (double)answers.Count(a => a.Poor == poor);
        Assert.True(Skips(true) > 1.5 * Skips(false), $"{Skips(true)} vs {Skips(false)}");
    }

    [Fact]
    public void PaperRecords_HaveTheirOwnTruth()
    {
        var run = Runs.Large;
        var paper = GeneratedRun.Parse(run.Text("paper/katei_sodan_paper.csv"));
        Assert.NotEmpty(paper);
        Assert.Equal(paper.Count, run.Truth("paper_records.csv").Count);
        Assert.DoesNotContain(run.Truth("records.csv"), r => r["file"].StartsWith("paper/", StringComparison.Ordinal));
    }
}
