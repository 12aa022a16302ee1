using System.Text;
using Mimamori.Linkage.Clustering;
using Mimamori.Linkage.Records;
using Mimamori.Linkage.Specs;

namespace Mimamori.Linkage.Tests.Files;

public sealed class FileLinkageTests
{
    static FileLinkageTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    [Fact]
    public void Dedupe_JapaneseList_JoinsVariantsTyposAndSwapsButNotTwins()
    {
        const string csv = """
            rec_id,氏,名,シ,メイ,生年月日,性別,住所
            1,渡辺,翔太,ワタナベ,ショウタ,20160612,男,戸田市上戸田一丁目2番3号
            2,渡邊,翔太,ﾜﾀﾅﾍﾞ,ｼｮｳﾀ,20160612,1,上戸田1-2-3
            3,佐藤,陽翔,サトウ,ハルト,20150401,男,戸田市本町3-4-5
            4,佐藤,陽菜,サトウ,ヒナ,20150401,女,戸田市本町3-4-5
            5,佐藤,陽翔,サトウ,ハルト,20150407,男,戸田市本町3-4-5
            6,陽翔,佐藤,ハルト,サトウ,20150401,,
            7,鈴木,一郎,スズキ,イチロウ,,男,戸田市新曽100
            8,鈴木,一郎,スズキ,イチロー,,,戸田市新曽100
            9,田中,美咲,タナカ,ミサキ,20180101,女,戸田市中町1-1
            10,田中,美咲,タナカ,ミサキ,19800101,女,
            11,髙橋,花子,タカハシ,ハナコ,20170305,女,戸田市喜沢1-1-1
            12,高橋,花子,たかはし,はなこ,20170503,F,喜沢1丁目1番1号
            13,伊藤,健,イトウ,ケン,20140909,男,戸田市美女木5-5
            14,加藤,大輔,カトウ,ダイスケ,20131111,男,戸田市下戸田2-2
            """;
        var spec = """
            {"mode": "dedupe", "files": [{"path": "a.csv", "encoding": "utf-8", "id": "rec_id",
              "fields": {"family_name": "氏", "given_name": "名", "family_kana": "シ", "given_kana": "メイ",
                         "birth_date": {"column": "生年月日", "format": "yyyyMMdd"}, "sex": "性別", "address": "住所"}}]}
            """;
        var clusters = Link(spec, ("a.csv", Encoding.UTF8.GetBytes(csv)));
        AssertClusters(clusters, ["a.csv:1", "a.csv:2"], ["a.csv:3", "a.csv:5", "a.csv:6"], ["a.csv:4"], ["a.csv:7", "a.csv:8"], ["a.csv:9"], ["a.csv:10"], ["a.csv:11", "a.csv:12"], ["a.csv:13"], ["a.csv:14"]);
    }

    [Fact]
    public void Dedupe_KanaOnlyListWithoutBirthDates_JoinsNamesWrittenGivenNameFirst()
    {
        // A volunteers' list: hiragana as the child says it, often given name first, sometimes without a space.
        const string csv = """
            no,なまえ,住所
            1,さとう はなこ,戸田市新曽100
            2,はなこ さとう,戸田市新曽100
            3,ハナコサトウ,戸田市新曽100
            4,すずき いちろう,戸田市本町3-4-5
            5,いちろう すずき,戸田市本町3-4-5
            6,たなか みさき,戸田市中町1-1
            7,やまだ けん,戸田市喜沢1-1-1
            8,こばやし ゆい,戸田市美女木5-5
            9,かとう だいすけ,戸田市下戸田2-2
            10,いとう けん,戸田市新曽200
            """;
        var spec = """{"mode": "dedupe", "files": [{"path": "n.csv", "id": "no", "fields": {"full_kana": "なまえ", "address": "住所"}}]}""";
        var clusters = Link(spec, ("n.csv", Encoding.UTF8.GetBytes(csv)));
        AssertClusters(clusters, ["n.csv:1", "n.csv:2", "n.csv:3"], ["n.csv:4", "n.csv:5"], ["n.csv:6"], ["n.csv:7"], ["n.csv:8"], ["n.csv:9"], ["n.csv:10"]);
    }

    [Fact]
    public void Link_LatinNamesAcrossAUtf8AndAShiftJisFile_JoinsOnlyAcrossFiles()
    {
        const string a = """
            id,name,dob,sex,zip
            a1,John Smith,1985-03-12,M,10001
            a2,Mary O'Brien,1990-07-04,F,20002
            a3,José García,1978-11-30,M,
            a4,Emma Johnson,2012-05-05,F,30003
            a5,Ella Johnson,2012-05-05,F,30003
            a6,Wei Zhang,2000-01-01,M,
            a7,Robert Brown,1970-02-02,M,40004
            a8,Robert Brown,1970-02-02,M,40004
            a9,グエン アン,2019-08-08,F,
            """;
        const string b = """
            番号;氏名;生年月日;性別
            b1;SMITH John;12/03/1985;male
            b2;Mary OBrien;04/07/1990;female
            b3;Jose Garcia;30/11/1978;
            b4;Ella Johnson;05/05/2012;F
            b5;Wei Zang;01/01/2000;M
            b6;Peter Parker;09/09/1999;M
            b7;グエン　アン;08/08/2019;女
            """;
        var spec = """
            {"mode": "link", "files": [
              {"path": "a.csv", "id": "id", "fields": {"full_name": "name", "birth_date": {"column": "dob", "format": "yyyy-MM-dd"}, "sex": "sex", "postal_code": "zip"}},
              {"path": "b.csv", "encoding": "shift_jis", "delimiter": ";", "id": "番号", "fields": {"full_name": "氏名", "birth_date": {"column": "生年月日", "format": "dd/MM/yyyy"}, "sex": "性別"}}]}
            """;
        var clusters = Link(spec, ("a.csv", Encoding.UTF8.GetBytes(a)), ("b.csv", Encoding.GetEncoding(932).GetBytes(b)));
        AssertClusters(
            clusters,
            ["a.csv:a1", "b.csv:b1"], ["a.csv:a2", "b.csv:b2"], ["a.csv:a3", "b.csv:b3"], ["a.csv:a4"], ["a.csv:a5", "b.csv:b4"], ["a.csv:a6", "b.csv:b5"],
            ["a.csv:a7"], ["a.csv:a8"], ["a.csv:a9", "b.csv:b7"], ["b.csv:b6"]);
    }

    [Fact]
    public void Dedupe_ShiftJisFullNamesWithWarekiAndMissingFields_UsesWhatIsThere()
    {
        const string csv = """
            氏名,生年月日,電話
            山田 太郎,平成28年6月12日,090-1234-5678
            山田太郎,H28.06.12,09012345678
            山田 次郎,平成28年6月12日,090-1234-5678
            田中 花子,令和2年1月1日,
            小林 さくら,,03-1111-2222
            小林 さくら,,03-1111-2222
            中村 優,令和3年3月3日,
            """;
        var spec = """{"mode": "dedupe", "files": [{"path": "s.csv", "encoding": "shift_jis", "fields": {"full_name": "氏名", "birth_date": {"column": "生年月日", "format": "wareki"}, "phone": "電話"}}]}""";
        var clusters = Link(spec, ("s.csv", Encoding.GetEncoding(932).GetBytes(csv)));
        // Without an id column, the record id is the line number.
        AssertClusters(clusters, ["s.csv:2", "s.csv:3"], ["s.csv:4"], ["s.csv:5"], ["s.csv:6", "s.csv:7"], ["s.csv:8"]);
    }

    [Theory]
    [InlineData("""{"files": []}""", "no \"mode\"")]
    [InlineData("""{"mode": "merge", "files": [{"path": "a.csv", "fields": {"full_name": "n"}}]}""", "not one of \"dedupe\" or \"link\"")]
    [InlineData("""{"mode": "link", "files": [{"path": "a.csv", "fields": {"full_name": "n"}}]}""", "at least two files")]
    [InlineData("""{"mode": "dedupe", "files": [{"path": "a.csv", "fields": {"nickname": "n"}}]}""", "role \"nickname\"")]
    [InlineData("""{"mode": "dedupe", "files": [{"path": "a.csv", "encoding": "latin1", "fields": {"full_name": "n"}}]}""", "encoding \"latin1\"")]
    [InlineData("""{"mode": "dedupe", "files": [{"path": "a.csv", "fields": {"birth_date": {"column": "d", "format": "dd"}}}]}""", "not a .NET date pattern")]
    [InlineData("""{"mode": "dedupe", "files": [{"path": "a.csv", "fields": {"sex": {"column": "s", "format": "x"}}}]}""", "only birth_date")]
    [InlineData("""{"mode": "dedupe", "files": [{"fields": {"full_name": "n"}}]}""", "no \"path\"")]
    [InlineData("""{"mode": "dedupe", """, "not valid JSON")]
    public void Parse_BadSpec_SaysWhatIsWrongInOneSentence(string json, string expected)
    {
        var e = Assert.Throws<LinkSpecException>(() => LinkSpec.Parse(json));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Read_MissingColumn_NamesTheColumnAndTheFile()
    {
        var spec = LinkSpec.Parse("""{"mode": "dedupe", "files": [{"path": "a.csv", "fields": {"family_name": "氏"}}]}""");
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("姓,名\n山田,太郎\n"));
        var e = Assert.Throws<LinkSpecException>(() => FieldRecordReader.Read(stream, spec.Files[0], 0));
        Assert.Contains("no column \"氏\"", e.Message, StringComparison.Ordinal);
        Assert.Contains("a.csv", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Utf8DeclaredAsShiftJis_IsRefused()
    {
        var spec = LinkSpec.Parse("""{"mode": "dedupe", "files": [{"path": "a.csv", "encoding": "shift_jis", "fields": {"family_name": "氏"}}]}""");
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("氏\n佐藤\n"));
        var e = Assert.Throws<LinkSpecException>(() => FieldRecordReader.Read(stream, spec.Files[0], 0));
        Assert.Contains("not valid shift_jis", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Runs the linkage on in-memory files; returns "file:id" → cluster.</summary>
    internal static Dictionary<string, int> Link(string specJson, params (string Path, byte[] Bytes)[] files)
    {
        var spec = LinkSpec.Parse(specJson);
        var records = new List<FieldRecord>();
        for (var i = 0; i < spec.Files.Count; i++)
        {
            using var stream = new MemoryStream(files.Single(f => f.Path == spec.Files[i].Path).Bytes);
            records.AddRange(FieldRecordReader.Read(stream, spec.Files[i], i));
        }

        var result = FileLinkage.Run(records, spec.Mode);
        return records.Select((r, i) => (Key: $"{spec.Files[r.File].Path}:{r.RecordId}", Cluster: result.Cluster[i])).ToDictionary(x => x.Key, x => x.Cluster);
    }

    private static void AssertClusters(Dictionary<string, int> clusters, params string[][] expected)
    {
        var actual = clusters.GroupBy(kv => kv.Value).Select(g => string.Join(" ", g.Select(kv => kv.Key).Order(StringComparer.Ordinal))).Order(StringComparer.Ordinal).ToList();
        var wanted = expected.Select(g => string.Join(" ", g.Order(StringComparer.Ordinal))).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(string.Join(" | ", wanted), string.Join(" | ", actual));
    }
}
