namespace Mimamori.Synthetic.Tests;

public class DeterminismTests
{
    [Fact]
    public void SameSeed_GivesIdenticalBytes()
    {
        var again = GeneratedRun.Create(3000, 7);
        Assert.Equal(Runs.Small.Files.Keys, again.Files.Keys);
        foreach (var (path, bytes) in Runs.Small.Files)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(again.Files[path]), $"{path} differs between two runs with the same seed");
        }
    }

    [Fact]
    public void DifferentSeed_GivesDifferentFiles()
    {
        var other = GeneratedRun.Create(3000, 8);
        // The town list of a real city does not depend on the seed; everything else must.
        // Files that may hold only a header in a small run (corrections, renumbered residents) can agree.
        foreach (var (path, bytes) in Runs.Small.Files.Where(f => f.Key != "truth/towns.csv" && (f.Key.EndsWith(".xlsx", StringComparison.Ordinal) || LineCount(f.Value) > 1)))
        {
            Assert.False(bytes.AsSpan().SequenceEqual(other.Files[path]), $"{path} is the same for seeds 7 and 8");
        }
    }

    private static int LineCount(byte[] bytes) => bytes.Count(b => b == (byte)'\n');

    [Fact]
    public void Generate_WritesEveryFeedAndTruthFile()
    {
        string[] expected =
        [
            "feeds/boshi_kenshin/kenshin_20260331.csv",
            "feeds/gakko_kenshin/kenshin_2025.csv",
            "feeds/gakureibo/gakureibo_2025.csv",
            "feeds/gakuryoku_chosa/gakuryoku_2025.xlsx",
            "feeds/hinin_survey/hinin_2025.csv",
            "feeds/hoiku/hoiku_2025.xlsx",
            "feeds/jido_fuyo/jido_fuyo_20260331.csv",
            "feeds/jido_teate/jido_teate_20260331.csv",
            "feeds/jisou/jisou_20260331.csv",
            "feeds/jumin_idou/idou_20230331_20260331.csv",
            "feeds/jumin_idou/idou_20260331_teisei.csv",
            "feeds/jumin_legacy/jumin_20260331.csv",
            "feeds/juminzei/juminzei_2025.csv",
            "feeds/katei_sodan/sodan_20260331.csv",
            "feeds/komu_attendance/attendance_2025.csv",
            "feeds/ninshin_todoke/boshi_20260331.csv",
            "feeds/npo_shokudo/sankasha_20260331.csv",
            "feeds/seikatsu_hogo/hogo_20260331.csv",
            "feeds/shogai_fukushi/shogai_20260331.csv",
            "feeds/shugaku_enjo/shugaku_enjo_2025.xlsx",
            "feeds/yobo_sesshu/yobo_20260331.csv",
            "feeds/yotaikyo/yotaikyo_20260331.csv",
            "paper/katei_sodan_paper.csv",
            "truth/eligibility.csv",
            "truth/nonresidents.csv",
            "truth/outcomes.csv",
            "truth/paper_records.csv",
            "truth/persons.csv",
            "truth/records.csv",
            "truth/renumbered.csv",
            "truth/towns.csv",
        ];
        // Hospital bundles are one per hospital and month, so their names depend on the data (HospitalFhirTests).
        Assert.Equal(expected, Runs.Small.Files.Keys.Where(k => !k.StartsWith("feeds/hospital_fhir/", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Contains(Runs.Small.Files.Keys, k => k.StartsWith("feeds/hospital_fhir/", StringComparison.Ordinal) && k.EndsWith(".json", StringComparison.Ordinal));
        Assert.All(Runs.Small.Summary.RowsPerFeed.Where(kv => kv.Key != "npo_shokudo"), kv => Assert.True(kv.Value > 0, $"{kv.Key} is empty"));
    }

    [Fact]
    public void Summary_MatchesTruth()
    {
        var run = Runs.Small;
        var persons = run.Truth("persons.csv");
        Assert.Equal(run.Summary.Residents, persons.Count);
        Assert.InRange(run.Summary.Residents, 3000, 3020);
        Assert.Equal(run.Summary.Households, persons.Select(p => p["household_id"]).Distinct().Count());
        Assert.Equal(run.Summary.Children, persons.Count(p => p["is_child"] == "1"));
        Assert.Equal(run.Summary.Children, run.Truth("outcomes.csv").Count);
        Assert.Equal(run.Summary.RowsPerFeed["jumin_legacy"], run.Summary.Residents);
    }

    [Fact]
    public void Presets_HaveThePilotPopulations()
    {
        var toda = SynthPresets.Get("toda", 5);
        Assert.Equal(new SynthOptions(140_000, 5, 3, new DateOnly(2026, 3, 31), "戸田市", "toda"), toda);
        Assert.Equal(1_620_000, SynthPresets.Get("fukuoka", 1).Population);
        Assert.Equal("福岡市", SynthPresets.Get("fukuoka", 1).City);
        Assert.Equal(7_510_000, SynthPresets.Get("aichi", 1).Population);
        Assert.Throws<ArgumentException>(() => SynthPresets.Get("atlantis", 1));
    }

    [Fact]
    public void OtherCity_GetsGeneratedTownsFlagged()
    {
        var run = GeneratedRun.Create(2000, 3, city: "加賀市");
        var towns = run.Truth("towns.csv");
        Assert.NotEmpty(towns);
        Assert.All(towns, t => Assert.Equal("1", t["generated"]));
        Assert.All(run.Truth("towns.csv"), t => Assert.Equal(7, t["postal_code"].Length));
        Assert.All(Runs.Small.Truth("towns.csv"), t => Assert.Equal("0", t["generated"]));
    }
}
