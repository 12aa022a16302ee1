using System.Text;
using Mimamori.Ingestion.Records;
using Mimamori.Ingestion.Specs;
using Mimamori.Ingestion.Validation;
using Mimamori.Kernel.People;

namespace Mimamori.Ingestion.Tests;

/// <summary>Feeds that bound a missing birth date: an age column, a subject who is a child.</summary>
public sealed class BirthWindowTests
{
    private static FeedSpec RepositorySpec(string source)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "data", "feeds", source + ".json");
            if (File.Exists(path))
            {
                var (spec, errors) = FeedSpecLoader.Parse(File.ReadAllText(path), path);
                return spec ?? throw new InvalidOperationException(errors[0].ToString());
            }
        }

        throw new FileNotFoundException($"data/feeds/{source}.json not found above the test output folder");
    }

    private static List<CanonicalRecord> Read(FeedSpec spec, string file, string text)
    {
        var accepted = new List<CanonicalRecord>();
        var quarantined = new List<QuarantinedValue>();
        FeedReader.Read(spec, new MemoryStream(Encoding.UTF8.GetBytes(text)), file, accepted.Add, quarantined.Add);
        Assert.Empty(quarantined);
        return accepted;
    }

    [Fact]
    public void NpoShokudo_AgeAtTheFilesDate_BoundsTheBirthDate_WithAYearEachSide_AndKeepsTheRowAsReceived()
    {
        var rows = Read(
            RepositorySpec("npo_shokudo"),
            "npo_shokudo/sankasha_20260331.csv",
            "No,なまえ,漢字,年齢,学年,初回参加日,参加回数,学習支援,フードパントリー\r\n1,こばやし しょうじ,,4,未就学,2025/6/1,3,,\r\n2,はらだ てん,,,,2025/6/1,3,,\r\n");
        // 4 full years on 2026-03-31: born 2021-04-01 … 2022-03-31, widened by a year each side.
        Assert.Equal(new BirthWindow(new DateOnly(2020, 4, 1), new DateOnly(2023, 3, 31)), rows[0].BirthWindow);
        Assert.Null(rows[0].BirthDate);
        Assert.Contains(new KeyValuePair<string, string>("年齢", "4"), rows[0].Original);
        Assert.Contains(rows[0].Facts, f => f.Kind == "npo.age" && f.Number == 4);
        Assert.Null(rows[1].BirthWindow); // no age, nothing bounds it
    }

    [Fact]
    public void AgeAtTheFilesDate_WithoutADateInTheFileName_BoundsNothing()
    {
        var rows = Read(
            RepositorySpec("npo_shokudo"),
            "npo_shokudo/sankasha.csv",
            "No,なまえ,漢字,年齢,学年,初回参加日,参加回数,学習支援,フードパントリー\r\n1,こばやし しょうじ,,4,未就学,2025/6/1,3,,\r\n");
        Assert.Null(Assert.Single(rows).BirthWindow);
    }

    [Fact]
    public void KateiSodan_AChildOnTheDayOfTheConsultation_UnlessTheBirthDateIsGiven()
    {
        var rows = Read(
            RepositorySpec("katei_sodan"),
            "katei_sodan/sodan_20260331.csv",
            "受付番号,宛名番号,児童氏名,児童カナ,生年月日,受付日,相談種別,養育支援訪問\n" +
            "S1,,前田 千桜,マエダ チオ,,2024-05-10,養育相談,\n" +
            "S2,,石井 正之,イシイ マサユキ,2012-02-23,2024-05-10,養育相談,\n");
        Assert.Equal(new BirthWindow(new DateOnly(2005, 5, 11), new DateOnly(2024, 5, 10)), rows[0].BirthWindow);
        Assert.Null(rows[1].BirthWindow);
        Assert.Equal(new DateOnly(2012, 2, 23), rows[1].BirthDate);
    }

    [Fact]
    public void PaperConsultation_KeyedIn_IsBoundedByItsFormDate()
    {
        var problems = new List<QuarantinedValue>();
        var record = FeedReader.ValidateEntry(RepositorySpec("paper_katei_sodan"), "entry/sato", 1, ["紙0001", "平成30年6月3日", "山田　花子", "やまだ　はなこ", string.Empty, string.Empty, "虐待通告", string.Empty], problems);
        Assert.Empty(problems);
        Assert.Equal(new BirthWindow(new DateOnly(1999, 6, 4), new DateOnly(2018, 6, 3)), record!.BirthWindow);
    }

    [Theory]
    [InlineData("sankasha_20260331.csv", "2026-03-31")]
    [InlineData("dir_20990101/2025_sankasha_20240229_v2.csv", "2024-02-29")]
    [InlineData("export_202603311200.csv", null)]
    [InlineData("export_20261340.csv", null)]
    public void AsOfOfFileName_ReadsTheFirstEightDigitDateOfTheName(string file, string? expected) =>
        Assert.Equal(expected is null ? null : DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), FeedReader.AsOfOfFileName(file));

    [Theory]
    [InlineData(""" "as_of": "file_name", """, """{"name": "年齢", "fact": "a.age", "type": "text", "birth_window": {"age_at": "as_of"}}""", "must have type int")]
    [InlineData("", """{"name": "年齢", "fact": "a.age", "type": "int", "birth_window": {"age_at": "as_of"}}""", "no \"as_of\"")]
    [InlineData(""" "as_of": "file_name", """, """{"name": "年齢", "fact": "a.age", "type": "int", "birth_window": {"age_at": "today"}}""", "is not one of fact_date, as_of")]
    [InlineData(""" "as_of": "header", """, """{"name": "年齢", "fact": "a.age", "type": "int"}""", "as_of 'header'")]
    [InlineData(""" "subject_age": {"min": 0, "max": 18}, """, """{"name": "年齢", "fact": "a.age", "type": "int"}""", "no column has the role fact_date")]
    [InlineData(""" "subject_age": {"min": 10, "max": 5, "at": "as_of"}, "as_of": "file_name", """, """{"name": "年齢", "fact": "a.age", "type": "int"}""", "must satisfy")]
    public void Spec_WithAWindowItCannotWorkOut_IsRejected(string feedLevel, string column, string message)
    {
        var json = $$"""{ "source": "a", "category": "welfare", "purpose": "early_support", "legal_basis": "consent", "files": "a/*.csv", {{feedLevel}} "columns": [ {"name": "No", "role": "record_id"}, {{column}} ] }""";
        var (spec, errors) = FeedSpecLoader.Parse(json, "a.json");
        Assert.Null(spec);
        Assert.Contains(errors, e => e.Message.Contains(message, StringComparison.Ordinal));
    }
}
