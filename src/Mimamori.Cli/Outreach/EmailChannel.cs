using MailKit.Net.Smtp;
using MailKit.Security;
using Mimamori.Storage.Outreach;
using Mimamori.Support.Outreach;
using MimeKit;

namespace Mimamori.Cli.Outreach;

/// <summary>Sends a message as a plain-text e-mail over SMTP (MailKit). The subject is Japanese, encoded per RFC 2047 in UTF-8.</summary>
public sealed class EmailChannel : IOutreachChannel
{
    private readonly string host;
    private readonly int port;
    private readonly string from;

    public EmailChannel(string host, int port, string from)
    {
        this.host = host;
        this.port = port;
        this.from = from;
    }

    public string Name => "email";

    public async Task<string> DeliverAsync(long messageId, string? recipient, Letter letter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(letter);
        if (string.IsNullOrWhiteSpace(recipient))
        {
            throw new InvalidOperationException($"message {messageId} has no e-mail address");
        }

        using var message = Compose(recipient, letter);
        using var client = new SmtpClient();
        await client.ConnectAsync(host, port, SecureSocketOptions.StartTlsWhenAvailable, cancellationToken).ConfigureAwait(false);
        await client.SendAsync(message, cancellationToken).ConfigureAwait(false);
        await client.DisconnectAsync(true, cancellationToken).ConfigureAwait(false);

        // The server accepted it: as far as this system can know, delivered.
        return MessageState.Delivered;
    }

    /// <summary>The e-mail for a letter: same words, same checks.</summary>
    public MimeMessage Compose(string recipient, Letter letter)
    {
        ArgumentNullException.ThrowIfNull(letter);
        var text = EmailText(letter);
        ForbiddenWords.Ensure(letter.Message.Subject + "\n" + text, "e-mail");
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(letter.Sender, from));
        message.To.Add(new MailboxAddress(letter.Addressee, recipient));
        message.Subject = letter.Message.Subject;
        message.Body = new TextPart("plain") { Text = text };
        return message;
    }

    /// <summary>The plain-text body: greeting, offer, what to bring, where, whom to ask, and the inbox.</summary>
    public static string EmailText(Letter letter)
    {
        ArgumentNullException.ThrowIfNull(letter);
        var m = letter.Message;
        var english = m.Language == "en";
        var lines = new List<string>
        {
            english ? $"Dear {letter.Addressee}," : $"{letter.Addressee} 様",
            string.Empty,
            m.Body,
            string.Empty,
            (english ? "What to bring: " : "■ 申請に必要なもの：") + m.ApplyWith,
            (english ? "Where to apply: " : "■ 申請先：") + m.Where,
            (english ? "Contact: " : "■ お問い合わせ：") + m.Contact,
        };
        if (letter.AccessCode is { } code)
        {
            lines.Add(string.Empty);
            lines.Add(english ? $"Read and answer online: {letter.InboxAddress} (access code {code})" : $"インターネットでの確認・回答：{letter.InboxAddress}（アクセスコード {code}）");
        }

        lines.Add(string.Empty);
        lines.Add(letter.Sender);
        return string.Join("\r\n", lines);
    }
}
