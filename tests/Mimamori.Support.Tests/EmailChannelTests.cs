using Mimamori.Cli.Outreach;
using Mimamori.Support.Outreach;
using Mimamori.Support.Programs;
using MimeKit;

namespace Mimamori.Support.Tests;

public sealed class EmailChannelTests
{
    private static Letter Sample(string variant)
    {
        var program = ProgramCatalog.Default.Programs.Single(p => p.Id == "jido_fuyo");
        var message = MessageComposer.Compose(program, variant, new DateOnly(2026, 1, 31));
        return new Letter("1230045", "見守り市緑町4-5", "佐藤 由美", new DateOnly(2025, 12, 1), "見守り市 こども家庭センター", message, "ABCD-EFGH-JKMN-PQRS", "https://mimamori.example.lg.jp/inbox");
    }

    [Fact]
    public async Task Email_ArrivesAtARealSmtpListener_WithTheJapaneseSubjectAndRecipient()
    {
        await using var sink = new SmtpSink();
        var channel = new EmailChannel("127.0.0.1", sink.Port, "kodomo@mimamori.example.lg.jp");

        var state = await channel.DeliverAsync(17, "yumi@example.jp", Sample(MessageComposer.Plain), CancellationToken.None);

        Assert.Equal("delivered", state);
        var (from, to, data) = Assert.Single(sink.Received);
        Assert.Equal("kodomo@mimamori.example.lg.jp", from);
        Assert.Equal(["yumi@example.jp"], to);

        // The subject travels RFC 2047-encoded (no raw Japanese in the headers) and decodes back.
        var headerBlock = System.Text.Encoding.Latin1.GetString(data).Split("\r\n\r\n")[0];
        Assert.Contains("Subject: =?", headerBlock, StringComparison.Ordinal);
        using var received = MimeMessage.Load(new MemoryStream(data));
        Assert.Equal("児童扶養手当のご案内", received.Subject);
        Assert.Equal("yumi@example.jp", received.To.Mailboxes.Single().Address);
        Assert.Equal("佐藤 由美", received.To.Mailboxes.Single().Name);
        Assert.Contains("佐藤 由美 様", received.TextBody, StringComparison.Ordinal);
        Assert.Contains("ABCD-EFGH-JKMN-PQRS", received.TextBody, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> EveryWording() => MessageTests.EveryWording();

    [Theory]
    [MemberData(nameof(EveryWording))]
    public void EveryEmail_NeverMentionsAScoreARiskOrACategory(string programId, string variant)
    {
        var program = ProgramCatalog.Default.Programs.Single(p => p.Id == programId);
        var letter = Sample(MessageComposer.Plain) with { Message = MessageComposer.Compose(program, variant, new DateOnly(2026, 1, 31)) };
        using var message = new EmailChannel("127.0.0.1", 25, "kodomo@mimamori.example.lg.jp").Compose("a@example.jp", letter);
        Assert.Empty(ForbiddenWords.Find(message.Subject + "\n" + message.TextBody));
    }

    [Fact]
    public void EveryRenderedLetter_NeverMentionsAScoreARiskOrACategory()
    {
        foreach (var program in ProgramCatalog.Default.Programs)
        {
            foreach (var variant in MessageComposer.VariantsOf(program))
            {
                var letter = Sample(MessageComposer.Plain) with { Message = MessageComposer.Compose(program, variant, new DateOnly(2026, 1, 31)) };
                using var pdf = new MemoryStream();
                LetterPdf.Write(letter, Tools.Font(), pdf);
                var dir = Tools.TempDirectory();
                var path = Path.Combine(dir, "l.pdf");
                File.WriteAllBytes(path, pdf.ToArray());
                var text = Tools.Run("pdftotext", "-enc", "UTF-8", path, "-");
                Assert.True(ForbiddenWords.Find(text).Count == 0, $"{program.Id}/{variant}: {string.Join(", ", ForbiddenWords.Find(text))}");
                Assert.Contains("佐藤 由美", text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Email_ToAClosedPort_Throws()
    {
        int port;
        await using (var sink = new SmtpSink())
        {
            port = sink.Port;
        }

        var channel = new EmailChannel("127.0.0.1", port, "kodomo@mimamori.example.lg.jp");
        await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(() => channel.DeliverAsync(1, "a@example.jp", Sample(MessageComposer.Plain), CancellationToken.None));
    }
}
