using System.Text;
using Mimamori.Ingestion.Readers;
using Mimamori.Ingestion.Records;
using Mimamori.Ingestion.Specs;
using Mimamori.Ingestion.Validation;

namespace Mimamori.Ingestion.Tests;

public sealed class FeedReaderTests
{
    static FeedReaderTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private const string SpecJson = """
        {
          "source": "jumin_legacy", "title": {"ja": "住民記録", "en": "Resident registry"}, "department": "市民課",
          "category": "resident", "purpose": "early_support", "legal_basis": "appi_69_2_2",
          "format": "csv", "encoding": "shift_jis", "delimiter": ",", "header": true, "files": "jumin/*.csv", "snapshot": "full",
          "subject": "person",
          "columns": [
            {"name": "宛名番号", "role": "atena_no", "type": "text", "required": true},
            {"name": "氏名", "role": "full_name", "type": "text", "required": true},
            {"name": "氏名カナ", "role": "full_kana", "type": "kana"},
            {"name": "生年月日", "role": "birth_date", "type": "date", "format": "wareki", "required": true},
            {"name": "性別", "role": "sex", "type": "code", "codes": {"1": "M", "2": "F"}},
            {"name": "欠席日数", "fact": "school.absence_days", "type": "int", "min": 0, "max": 31}
          ]
        }
        """;

    internal static FeedSpec Spec(string encoding = "shift_jis")
    {
        var (spec, errors) = FeedSpecLoader.Parse(SpecJson.Replace("\"shift_jis\"", $"\"{encoding}\"", StringComparison.Ordinal), "jumin.json");
        Assert.Empty(errors);
        return spec!;
    }

    private static (ReadSummary Summary, List<CanonicalRecord> Accepted, List<QuarantinedValue> Quarantined) Read(string text, string encoding = "shift_jis")
    {
        var bytes = DelimitedReader.EncodingFor(encoding).GetBytes(text);
        var accepted = new List<CanonicalRecord>();
        var quarantined = new List<QuarantinedValue>();
        var summary = FeedReader.Read(Spec(encoding), new MemoryStream(bytes), "jumin/jumin.csv", accepted.Add, quarantined.Add);
        return (summary, accepted, quarantined);
    }

    [Fact]
    public void Read_ShiftJisWithWarekiAndHalfWidthKana_GivesCanonicalRecords()
    {
        var (summary, accepted, quarantined) = Read("宛名番号,氏名,氏名カナ,生年月日,性別,欠席日数\r\n0000000001,髙橋　花子,ﾀｶﾊｼ ﾊﾅｺ,平成27年4月3日,2,3\r\n");
        Assert.Equal(new ReadSummary("jumin/jumin.csv", 1, 1, 0), summary);
        Assert.Empty(quarantined);
        var r = Assert.Single(accepted);
        Assert.Equal(("髙橋", "花子"), (r.Name.Family, r.Name.Given));
        Assert.Equal("ﾀｶﾊｼ", r.Name.FamilyKana);
        Assert.Equal(new DateOnly(2015, 4, 3), r.BirthDate);
        Assert.Equal(Kernel.People.Sex.Female, r.Sex);
        Assert.Equal(2, r.Line);
        Assert.Equal(3, Assert.Single(r.Facts).Number);
        Assert.Contains(new KeyValuePair<string, string>("氏名", "髙橋　花子"), r.Original);
    }

    [Fact]
    public void Read_BadValues_AreQuarantinedWithLineColumnAndExpectation_AndCountsReconcile()
    {
        var (summary, accepted, quarantined) = Read(
            "宛名番号,氏名,氏名カナ,生年月日,性別,欠席日数\n" +
            "0000000001,山田　太郎,ﾔﾏﾀﾞ ﾀﾛｳ,平成32年1月1日,1,0\n" +
            "0000000002,山田　次郎,ﾔﾏﾀﾞ ｼﾞﾛｳ,令和2年2月30日,1,0\n" +
            "0000000003,山田　三郎,ﾔﾏﾀﾞ ｻﾌﾞﾛｳ,令和2年2月3日,9,0\n" +
            "0000000004,山田　四郎,ﾔﾏﾀﾞ ｼﾛｳ,令和2年2月3日,1,40\n" +
            "0000000005,山田　五郎,ﾔﾏﾀﾞ ｺﾞﾛｳ,令和2年2月3日,1,2\n");
        Assert.Equal(5, summary.RowsRead);
        Assert.Equal(1, summary.RowsAccepted);
        Assert.Equal(4, summary.RowsQuarantined);
        Assert.True(summary.Reconciles);
        Assert.Single(accepted);
        Assert.Contains(quarantined, q => q.Line == 2 && q.Column == "生年月日" && q.Received == "平成32年1月1日");
        Assert.Contains(quarantined, q => q.Line == 3 && q.Column == "生年月日");
        Assert.Contains(quarantined, q => q.Line == 4 && q.Column == "性別" && q.Expected.Contains('1', StringComparison.Ordinal));
        Assert.Contains(quarantined, q => q.Line == 5 && q.Column == "欠席日数");
    }

    [Fact]
    public void Read_QuotedNewlineInAField_KeepsPhysicalLineNumbers()
    {
        var (_, accepted, _) = Read("宛名番号,氏名,氏名カナ,生年月日,性別,欠席日数\n0000000001,\"山田\n太郎\",ﾔﾏﾀﾞ,令和2年2月3日,1,0\n0000000002,鈴木　一,ｽｽﾞｷ ﾊｼﾞﾒ,令和2年2月3日,1,0\n");
        Assert.Equal([2L, 4L], accepted.Select(a => a.Line));
    }

    [Fact]
    public void Read_WrongColumnCount_QuarantinesTheRow()
    {
        var (summary, _, quarantined) = Read("宛名番号,氏名,氏名カナ,生年月日,性別,欠席日数\n0000000001,山田　太郎,ﾔﾏﾀﾞ,令和2年2月3日\n");
        Assert.Equal(1, summary.RowsQuarantined);
        Assert.Equal("(row)", Assert.Single(quarantined).Column);
    }

    [Fact]
    public void Read_MissingRequiredColumn_RefusesTheFileSayingWhich()
    {
        var e = Assert.Throws<FeedStructureException>(() => Read("宛名番号,氏名カナ,生年月日\n0000000001,ﾔﾏﾀﾞ,令和2年2月3日\n"));
        Assert.Contains("氏名", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Utf8BytesDeclaredAsShiftJis_RefusesTheFileWithItsLine()
    {
        var utf8 = Encoding.UTF8.GetBytes("宛名番号,氏名,氏名カナ,生年月日,性別,欠席日数\n0000000001,髙橋　花子,ﾀｶﾊｼ,平成27年4月3日,2,0\n");
        var e = Assert.Throws<FeedStructureException>(() => FeedReader.Read(Spec(), new MemoryStream(utf8), "x.csv", _ => { }, _ => { }));
        Assert.Contains("line", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnbalancedQuote_RefusesTheFile()
    {
        Assert.Throws<FeedStructureException>(() => Read("宛名番号,氏名,氏名カナ,生年月日,性別,欠席日数\n0000000001,\"山田,ﾔﾏﾀﾞ,令和2年2月3日,1,0\n", "utf-8"));
    }

    [Fact]
    public void Read_EmptyFile_IsRefused_HeaderOnly_ReconcilesAtZero()
    {
        // Zero bytes is a failed transfer, not an empty snapshot: importing it would retire the source's current data.
        Assert.Contains("empty", Assert.Throws<FeedStructureException>(() => Read(string.Empty)).Message, StringComparison.Ordinal);
        Assert.Equal(0, Read("宛名番号,氏名,氏名カナ,生年月日,性別,欠席日数\n").Summary.RowsRead);
    }

    [Fact]
    public void Read_Utf8WithBom_FindsTheFirstColumn()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("宛名番号,氏名,氏名カナ,生年月日,性別,欠席日数\n0000000001,山田　太郎,ﾔﾏﾀﾞ ﾀﾛｳ,令和2年2月3日,1,0\n")).ToArray();
        var accepted = new List<CanonicalRecord>();
        FeedReader.Read(Spec("utf-8"), new MemoryStream(bytes), "x.csv", accepted.Add, _ => { });
        Assert.Equal("0000000001", Assert.Single(accepted).AtenaNo);
    }
}
