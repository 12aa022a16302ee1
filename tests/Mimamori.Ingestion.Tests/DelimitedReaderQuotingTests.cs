using System.Text;
using Mimamori.Ingestion.Readers;

namespace Mimamori.Ingestion.Tests;

/// <summary>RFC 4180 corners, including ones that fall on the boundaries of the reader's runs and buffers.</summary>
public sealed class DelimitedReaderQuotingTests
{
    private static List<string[]> Read(string text, char delimiter = ',', int max = DelimitedReader.DefaultMaxFieldLength) =>
        [.. DelimitedReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), DelimitedReader.EncodingFor("utf-8"), delimiter, max).Select(r => r.Fields)];

    [Theory]
    [InlineData("a,b,c\n", new[] { "a", "b", "c" })]
    [InlineData("\"a\"\"b\",c\n", new[] { "a\"b", "c" })]
    [InlineData("\"a,b\",\"c\r\nd\"\n", new[] { "a,b", "c\r\nd" })]
    [InlineData("ab\"cd,e\n", new[] { "ab\"cd", "e" })]
    [InlineData("\"ab\"cd,e\n", new[] { "abcd", "e" })]
    [InlineData("a\rb,c\r\n", new[] { "ab", "c" })]
    [InlineData(",,\n", new[] { "", "", "" })]
    [InlineData("\"\"\n", new[] { "" })]
    [InlineData("\"\"\"\"\n", new[] { "\"" })]
    [InlineData("x,\"y\"", new[] { "x", "y" })]
    [InlineData("佐藤　花子,\"髙橋,﨑\"\n", new[] { "佐藤　花子", "髙橋,﨑" })]
    public void Fields_AreSplitAsRfc4180Says(string text, string[] expected) => Assert.Equal(expected, Read(text).Single());

    [Fact]
    public void QuotedNewlines_CountTowardsTheNextRowsLine()
    {
        var rows = DelimitedReader.Read(new MemoryStream(Encoding.UTF8.GetBytes("h\n\"a\nb\nc\",d\ne\n")), DelimitedReader.EncodingFor("utf-8"), ',').ToList();
        Assert.Equal([1L, 2L, 5L], rows.Select(r => r.Line));
    }

    [Fact]
    public void TabDelimited_KeepsCommas()
    {
        Assert.Equal(["a,b", "c"], Read("a,b\tc\n", '\t').Single());
    }

    [Fact]
    public void ACapHitInTheMiddleOfARun_KeepsTheRestOfTheRowAligned()
    {
        var rows = Read("abcdefghij,k\n\"lmnopqrst\",u\n", max: 4);
        Assert.Equal(["abcd", "k"], rows[0]);
        Assert.Equal(["lmno", "u"], rows[1]);
    }

    [Fact]
    public void AQuoteClosedAtTheEndOfABuffer_IsResolvedByTheNextOne()
    {
        // The closing quote of the first field is the last byte of the 64 KB read buffer; the next byte decides.
        var head = "\"" + new string('x', 65_534) + "\"";
        Assert.Equal([new string('x', 65_534) + "\"y", "z"], Read(head + "\"y\",z\n").Single().Select(f => f).ToArray());
        Assert.Equal([new string('x', 65_534), "z"], Read(head + ",z\n").Single());
    }
}
