using System.Globalization;

namespace Mimamori.Cli.Outreach;

/// <summary>
/// Where letters and e-mails go, from the environment (see docs/outreach.md). Without MIMAMORI_SMTP_HOST no e-mail
/// is sent: every message becomes a printed letter, so a demo needs no mail server.
/// </summary>
public sealed record OutreachSettings(string? SmtpHost, int SmtpPort, string MailFrom, string FontPath, string InboxAddress, string Sender)
{
    public const string DefaultFont = "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf";

    public bool EmailEnabled => !string.IsNullOrWhiteSpace(SmtpHost);

    public static OutreachSettings FromEnvironment() => From(Environment.GetEnvironmentVariable);

    /// <summary>Reads the settings through <paramref name="get"/> (the environment, or a dictionary in tests).</summary>
    public static OutreachSettings From(Func<string, string?> get)
    {
        ArgumentNullException.ThrowIfNull(get);
        var portText = get("MIMAMORI_SMTP_PORT");
        var port = 25;
        if (!string.IsNullOrWhiteSpace(portText) && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            throw new UsageException($"MIMAMORI_SMTP_PORT '{portText}' is not a port number.");
        }

        return new OutreachSettings(
            NullIfBlank(get("MIMAMORI_SMTP_HOST")),
            port,
            NullIfBlank(get("MIMAMORI_MAIL_FROM")) ?? "kodomo@mimamori.example.lg.jp",
            NullIfBlank(get("MIMAMORI_LETTER_FONT")) ?? DefaultFont,
            NullIfBlank(get("MIMAMORI_INBOX_URL")) ?? "http://127.0.0.1:5080/inbox",
            NullIfBlank(get("MIMAMORI_SENDER")) ?? "見守り市 こども家庭センター");
    }

    /// <summary>The letter font's bytes; a clear message when the font is missing.</summary>
    public byte[] ReadFont()
    {
        if (!File.Exists(FontPath))
        {
            throw new UsageException($"The letter font {FontPath} does not exist. Install it (apt-get install fonts-ipafont) or set MIMAMORI_LETTER_FONT to a Japanese TrueType (.ttf) font.");
        }

        return File.ReadAllBytes(FontPath);
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
