using System.Text;
using Mimamori.Ingestion.Readers;

namespace Mimamori.Ingestion.Tests;

public sealed class DelimitedReaderTests
{
    private static List<RawRow> Read(string text, int max = DelimitedReader.DefaultMaxFieldLength) =>
        [.. DelimitedReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), DelimitedReader.EncodingFor("utf-8"), ',', max)];

    [Fact]
    public void AFieldLongerThanTheCap_IsCutToTheCap_AndTheRowStaysWhole()
    {
        var rows = Read("a,\"" + new string('x', 100) + "\n" + new string('y', 100) + "\",c\nd,e,f\n", max: 10);
        Assert.Equal(["a", "xxxxxxxxxx", "c"], rows[0].Fields);
        Assert.Equal((1L, 3L), (rows[0].Line, rows[1].Line));
    }

    [Fact]
    public void ARowWithMoreFieldsThanAllowed_KeepsOneMoreThanTheLimit()
    {
        var row = Assert.Single(Read(new string(',', 5000) + "\n"));
        Assert.Equal(DelimitedReader.MaxFieldsPerRow + 1, row.Fields.Length);
    }

    [Fact]
    public void ALineSplitAcrossReadBuffers_IsDecodedWhole()
    {
        // 3-byte characters across the 64 KB chunk boundary.
        var text = "h\n" + new string('あ', 30_000) + ",x\n";
        var rows = Read(text);
        Assert.Equal(new string('あ', 30_000), rows[1].Fields[0]);
    }

    [Fact]
    public void Utf8ByteOrderMark_AtTheStart_IsSkipped()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("宛名番号\n1\n")).ToArray();
        var rows = DelimitedReader.Read(new MemoryStream(bytes), DelimitedReader.EncodingFor("utf-8"), ',').ToList();
        Assert.Equal("宛名番号", rows[0].Fields[0]);
    }
}
