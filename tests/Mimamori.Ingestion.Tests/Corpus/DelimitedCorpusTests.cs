using System.Text;
using Mimamori.Ingestion.Validation;

namespace Mimamori.Ingestion.Tests.Corpus;

public sealed class DelimitedCorpusTests
{
    public static TheoryData<string> Cases() => [.. DelimitedCorpus.All.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case_GivesItsExpectedOutcome_WithoutCrashing(string name) => DelimitedCorpus.Get(name).Check();

    [Fact]
    public void Corpus_CoversEveryKindOfBadInputOfIssue4()
    {
        string[] required =
        [
            "utf8_declared_shift_jis", "shift_jis_declared_utf8", "mixed_encoding_silent", "utf8_cut_multibyte_at_end", "unbalanced_quotes",
            "extra_column", "missing_column", "empty_file", "header_only", "bom_in_the_middle", "invalid_dates", "invalid_codes",
            "field_of_50_mb", "binary_junk_as_utf8", "formula_injection", "script_in_name", "nul_bytes",
        ];
        Assert.Empty(required.Except(DelimitedCorpus.All.Select(c => c.Name)));
    }

    [Fact]
    public void FieldOf50Mb_IsReadInBoundedMemory_AndQuarantinedWithItsLine()
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var outcome = DelimitedCorpus.Get("field_of_50_mb").Check();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Holding the field would take 100 MB of UTF-16; the reader keeps 4 KB of it.
        Assert.True(allocated < 16L << 20, $"reading allocated {allocated / (1 << 20)} MB");
        var q = Assert.Single(outcome.Quarantined);
        Assert.Equal((3L, "氏名"), (q.Line, q.Column));
        Assert.Contains($"more than {FeedReader.MaxFieldLength} characters", q.Received, StringComparison.Ordinal);
        Assert.Equal([2L, 4L], outcome.Accepted.Select(a => a.Line));
    }

    [Fact]
    public void FormulaInjection_IsStoredAsReceived_AndFlaggedForExport()
    {
        var outcome = DelimitedCorpus.Get("formula_injection").Check();
        var names = outcome.Accepted.Select(a => a.Original.Single(kv => kv.Key == "氏名").Value).ToList();
        Assert.Equal([DelimitedCorpus.Formula, "=HYPERLINK(\"http://x\")"], names);
        Assert.All(names, n => Assert.True(FormulaGuard.IsRisky(n)));
        Assert.Equal("'" + DelimitedCorpus.Formula, FormulaGuard.Neutralise(names[0]));
    }

    [Fact]
    public void ScriptInAName_IsStoredAsReceived()
    {
        // Storage keeps what the source sent; the web layer encodes on output.
        var record = Assert.Single(DelimitedCorpus.Get("script_in_name").Check().Accepted);
        Assert.Equal(DelimitedCorpus.Script, record.Original.Single(kv => kv.Key == "氏名").Value);
        Assert.Contains("<script>", record.Name.Family + record.Name.Given, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidDates_SayWhatWasWrong()
    {
        var q = DelimitedCorpus.Get("invalid_dates").Check().Quarantined;
        Assert.Equal([2L, 3L, 4L, 5L], q.Select(v => v.Line));
        Assert.All(q, v => Assert.Equal("生年月日", v.Column));
        Assert.Contains("does not exist", q[1].Expected, StringComparison.Ordinal);
        Assert.Contains("is not a calendar date", q[2].Expected, StringComparison.Ordinal);
    }

    [Fact]
    public void BomInTheMiddle_HoldsBackTheJoinedHeader_AndKeepsTheRowsAroundIt()
    {
        var outcome = DelimitedCorpus.Get("bom_in_the_middle").Check();
        Assert.Equal(3, Assert.Single(outcome.Quarantined).Line);
        Assert.Equal([2L, 4L], outcome.Accepted.Select(a => a.Line));
    }

    [Fact]
    public void RealShiftJisText_IsNotMistakenForUtf8()
    {
        // Level-2 kanji, variants, full-width and half-width kana, 〒 and ① — all valid CP932 that must pass the UTF-8 probe.
        string[] names = ["鷗外　森", "髙﨑　蓮", "齋藤　アキ", "渡邊　ミナミ", "薔薇　ヱ", "①丁目　㈱"];
        var text = new StringBuilder(DelimitedCorpus.Header).Append("\r\n");
        var i = 0;
        foreach (var n in names)
        {
            text.Append($"{++i:0000000000},{n},ｱｷ,平成27年4月3日,1,0\r\n");
        }

        var bytes = Encoding.GetEncoding(932).GetBytes(text.ToString());
        var outcome = new CorpusCase("sjis_real", DelimitedCorpus.ShiftJisSpec, () => new MemoryStream(bytes), CorpusExpectation.Counts(names.Length, names.Length, 0)).Check();
        Assert.Equal("髙﨑", outcome.Accepted[1].Name.Family);
    }

    [Fact]
    public void EncodingFault_NamesTheLineThatHoldsIt_FarFromTheStart()
    {
        // The fault is 200 KB into the file, well past the first read buffer.
        var sjis = Encoding.GetEncoding(932);
        var body = new StringBuilder(DelimitedCorpus.Header).Append("\r\n");
        for (var n = 0; n < 3000; n++)
        {
            body.Append(DelimitedCorpus.Row2).Append("\r\n");
        }

        var bytes = sjis.GetBytes(body.ToString()).Concat(new byte[] { 0x81, 0x20, 0x0D, 0x0A }).ToArray();
        var outcome = new CorpusCase("late_fault", DelimitedCorpus.ShiftJisSpec, () => new MemoryStream(bytes), CorpusExpectation.Refusal("line 3002")).Check();
        Assert.Contains("(81", outcome.Refusal!.Message, StringComparison.Ordinal);
    }
}
