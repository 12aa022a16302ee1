using Mimamori.Ingestion.Records;
using Mimamori.Ingestion.Specs;
using Mimamori.Ingestion.Validation;

namespace Mimamori.Ingestion.Tests;

/// <summary>Paper forms: specs of format form, and entries validated as file rows are.</summary>
public sealed class PaperEntryTests
{
    private static FeedSpec PaperSpec()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "data", "feeds", "paper_katei_sodan.json");
            if (File.Exists(path))
            {
                var (spec, errors) = FeedSpecLoader.Parse(File.ReadAllText(path), path);
                return spec ?? throw new InvalidOperationException(errors[0].ToString());
            }
        }

        throw new FileNotFoundException("data/feeds/paper_katei_sodan.json not found above the test output folder");
    }

    [Fact]
    public void AFormSpec_NeedsNoFiles_ButAFileFeedStillDoes()
    {
        const string Columns = """ "columns": [ {"name": "番号", "role": "record_id"} ] """;
        var form = FeedSpecLoader.Parse($$"""{ "source": "p", "category": "resident", "purpose": "early_support", "legal_basis": "appi_69_2_2", "format": "form", {{Columns}} }""", "p.json");
        Assert.NotNull(form.Spec);
        var csv = FeedSpecLoader.Parse($$"""{ "source": "c", "category": "resident", "purpose": "early_support", "legal_basis": "appi_69_2_2", "format": "csv", {{Columns}} }""", "c.json");
        Assert.Contains(csv.Errors, e => e.Message.Contains("\"files\"", StringComparison.Ordinal));
    }

    [Fact]
    public void AValidEntry_BecomesACanonicalRecord_WithItsFactDatedByTheFormDate()
    {
        var problems = new List<QuarantinedValue>();
        var record = FeedReader.ValidateEntry(PaperSpec(), "entry/sato", 1, ["紙0001", "平成30年6月3日", "山田　花子", "やまだ　はなこ", "H22.2.1", "戸田市上戸田1-2-3", "虐待通告", "相談員A"], problems);
        Assert.Empty(problems);
        Assert.NotNull(record);
        Assert.Equal(("紙0001", "山田", "花子", new DateOnly(2010, 2, 1)), (record.LocalId, record.Name.Family, record.Name.Given, record.BirthDate));
        var fact = Assert.Single(record.Facts, f => f.Kind == "cw.consultation_type");
        Assert.Equal(("abuse_report", new DateOnly(2018, 6, 3)), (fact.Text, fact.Date));
        Assert.Equal("やまだ　はなこ", record.Original[3].Value);
    }

    [Fact]
    public void AnInvalidEntry_ListsEveryProblemByColumn_AndGivesNoRecord()
    {
        var problems = new List<QuarantinedValue>();
        var record = FeedReader.ValidateEntry(PaperSpec(), "entry/sato", 1, ["紙0002", "平成31年5月1日", "", "Yamada", "", "", "その他", ""], problems);
        Assert.Null(record);
        Assert.Equal(["受付日", "児童氏名", "ふりがな", "相談種別"], problems.Select(p => p.Column));
        Assert.All(problems, p => Assert.Equal("entry/sato", p.File));
    }
}
