using System.Text;
using Mimamori.Ingestion.Readers;
using Mimamori.Ingestion.Records;
using Mimamori.Ingestion.Specs;
using Mimamori.Ingestion.Validation;

namespace Mimamori.Ingestion.Tests;

public sealed class ReadAheadTests
{
    // The registry spec of the plain reader's tests, as UTF-8.
    private static FeedSpec Spec() => FeedReaderTests.Spec("utf-8");

    // Every 7th row has a day count out of range and every 11th an impossible date: quarantines fall inside chunks.
    private static byte[] File(int rows, string tail = "")
    {
        var text = new StringBuilder("宛名番号,氏名,氏名カナ,生年月日,性別,欠席日数\n");
        for (var i = 1; i <= rows; i++)
        {
            var days = i % 7 == 0 ? "40" : (i % 31).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var born = i % 11 == 0 ? "令和2年2月30日" : "平成27年4月3日";
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{i:D10},山田　太郎{i},ﾔﾏﾀﾞ ﾀﾛｳ,{born},1,{days}\n");
        }

        return Encoding.UTF8.GetBytes(text.Append(tail).ToString());
    }

    private static (ReadSummary? Summary, List<string> Calls, Exception? Fault) Plain(byte[] bytes)
    {
        var calls = new List<string>();
        try
        {
            var summary = FeedReader.Read(Spec(), new MemoryStream(bytes), "jumin/a.csv", r => calls.Add($"a{r.Line}:{r.AtenaNo}"), q => calls.Add($"q{q.Line}:{q.Column}"));
            return (summary, calls, null);
        }
        catch (FeedStructureException e)
        {
            return (null, calls, e);
        }
    }

    [Fact]
    public void Read_MakesTheSameCallsInTheSameOrderAsThePlainReader_OnTheCallersThread()
    {
        var bytes = File(5_000);
        var (plainSummary, plainCalls, _) = Plain(bytes);
        var calls = new List<string>();
        var caller = Environment.CurrentManagedThreadId;
        var threads = new HashSet<int>();
        var summary = ReadAhead.Read(
            Spec(), new MemoryStream(bytes), "jumin/a.csv",
            r => { threads.Add(Environment.CurrentManagedThreadId); calls.Add($"a{r.Line}:{r.AtenaNo}"); },
            q => { threads.Add(Environment.CurrentManagedThreadId); calls.Add($"q{q.Line}:{q.Column}"); });

        Assert.Equal(plainSummary, summary);
        Assert.True(summary.RowsQuarantined > 500, "the file should quarantine rows spread through every chunk");
        Assert.Equal(plainCalls, calls);
        Assert.Equal([caller], threads);
    }

    [Fact]
    public void Read_AFaultInTheFile_IsThrownAsItself_AfterTheRowsBeforeItWereHandedOver()
    {
        var bytes = File(3_000, "0000009999,\"山田　花子,ﾔﾏﾀﾞ ﾊﾅｺ,平成27年4月3日,2,1\n");
        var (_, plainCalls, plainFault) = Plain(bytes);
        Assert.NotNull(plainFault);
        Assert.NotEmpty(plainCalls);

        var calls = new List<string>();
        var fault = Assert.Throws<FeedStructureException>(() => ReadAhead.Read(Spec(), new MemoryStream(bytes), "jumin/a.csv", r => calls.Add($"a{r.Line}:{r.AtenaNo}"), q => calls.Add($"q{q.Line}:{q.Column}")));

        Assert.Equal(plainFault.Message, fault.Message);
        Assert.Equal(plainCalls, calls);
    }

    [Fact]
    public void Read_AFaultInTheStore_IsThrownAsItself_AndStopsTheReading()
    {
        var bytes = File(200_000);
        var stream = new MemoryStream(bytes);
        var stored = 0;
        var fault = Assert.Throws<InvalidOperationException>(() => ReadAhead.Read(
            Spec(), stream, "jumin/a.csv",
            _ =>
            {
                if (++stored == 1_500)
                {
                    throw new InvalidOperationException("disk full");
                }
            },
            _ => { }));

        Assert.Equal("disk full", fault.Message);
        Assert.Equal(1_500, stored);
        // The reader keeps at most a few chunks ahead, so it stopped long before the end of the file.
        Assert.True(stream.Position < bytes.Length / 2, $"read {stream.Position:N0} of {bytes.Length:N0} bytes");
    }
}
