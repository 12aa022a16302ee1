using Mimamori.Cli.Console;
using Mimamori.Storage.Outreach;
using Mimamori.Support.Outreach;
using Mimamori.Support.Programs;

namespace Mimamori.Cli.Outreach;

/// <summary>
/// Sends approved messages: issues each household a fresh inbox code (printed once, stored hashed), then e-mails
/// households that registered an address when a mail server is configured, and prints a letter for everyone else.
/// An e-mail that fails falls back to a letter, with the failure kept on the message.
/// </summary>
public sealed class OutreachSender
{
    private readonly CampaignStore campaigns;
    private readonly InboxStore inbox;
    private readonly LetterChannel letters;
    private readonly IOutreachChannel? email;
    private readonly OutreachSettings settings;
    private readonly TimeProvider clock;

    public OutreachSender(CampaignStore campaigns, InboxStore inbox, LetterChannel letters, IOutreachChannel? email, OutreachSettings settings, TimeProvider clock)
    {
        this.campaigns = campaigns;
        this.inbox = inbox;
        this.letters = letters;
        this.email = email;
        this.settings = settings;
        this.clock = clock;
    }

    /// <summary>Sends what is approved (in one campaign, or all); returns counts by channel and state.</summary>
    public async Task<IReadOnlyDictionary<string, int>> SendAsync(string? campaign, ProgressLog log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var programs = ProgramCatalog.Default.Programs.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var pending = campaigns.ToSend(campaign);
        foreach (var m in pending)
        {
            var now = clock.GetUtcNow();
            var code = inbox.IssueCode(m.HouseholdNo, m.MessageId, now);
            var composed = Recompose(programs, m, DateOnly.FromDateTime(now.UtcDateTime));
            var letter = new Letter(m.PostalCode, m.Address, m.Addressee, DateOnly.FromDateTime(now.ToOffset(TimeSpan.FromHours(9)).DateTime), settings.Sender, composed, code, settings.InboxAddress);
            string? failure = null;
            if (email is not null && m.Email is not null)
            {
                try
                {
                    var state = await email.DeliverAsync(m.MessageId, m.Email, letter, cancellationToken).ConfigureAwait(false);
                    campaigns.MarkDelivery(m.MessageId, email.Name, state, clock.GetUtcNow());
                    Count(counts, email.Name + "/" + state);
                    continue;
                }
                catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or MailKit.ProtocolException or MailKit.Net.Smtp.SmtpCommandException or MailKit.Net.Smtp.SmtpProtocolException or InvalidOperationException)
                {
                    failure = "email: " + e.Message;
                    log.Line($"outreach: e-mail for message {m.MessageId} failed ({e.Message}); printing a letter instead");
                }
            }

            var letterState = await letters.DeliverAsync(m.MessageId, null, letter, cancellationToken).ConfigureAwait(false);
            campaigns.MarkDelivery(m.MessageId, letters.Name, letterState, clock.GetUtcNow(), failure);
            Count(counts, letters.Name + "/" + letterState);
        }

        foreach (var c in pending.Select(p => p.Campaign).Distinct(StringComparer.Ordinal))
        {
            campaigns.CloseIfSent(c, clock.GetUtcNow());
        }

        return counts;
    }

    /// <summary>
    /// The structured offer for the stored message. The stored subject and body are what was approved and are used
    /// as they are; the program supplies what to bring, where and whom to ask in the same wording.
    /// </summary>
    private static ComposedMessage Recompose(Dictionary<string, SupportProgram> programs, CampaignMessage m, DateOnly today)
    {
        if (!programs.TryGetValue(m.Program, out var program))
        {
            return new ComposedMessage(m.Program, m.Variant, "ja", m.Subject, m.Body, string.Empty, string.Empty, string.Empty);
        }

        var variant = MessageComposer.VariantsOf(program).Contains(m.Variant) ? m.Variant : MessageComposer.Plain;
        // The date only fills {deadline} in texts replaced below by the stored ones.
        var composed = MessageComposer.Compose(program, variant, today);
        return composed with { Subject = m.Subject, Body = m.Body };
    }

    private static void Count(Dictionary<string, int> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;
}
