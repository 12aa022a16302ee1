using Dapper;
using Mimamori.Cli.Console;
using Mimamori.Cli.Outreach;
using Mimamori.Cli.Pipeline;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Outreach;
using Mimamori.Support.Outreach;
using Mimamori.Support.Programs;
using MimeKit;

namespace Mimamori.Support.Tests;

/// <summary>Draft → approve → send on a real SQLite file, with letters written as PDF and e-mail to a real SMTP listener.</summary>
public sealed class CampaignFlowTests : IDisposable
{
    private static readonly DateOnly ReferenceDate = new(2026, 3, 31);
    private readonly string dir = Tools.TempDirectory();
    private readonly MimamoriDatabase db;

    public CampaignFlowTests()
    {
        db = MimamoriDatabase.FromSetting(Path.Combine(dir, "m.db"));
        db.Migrate();
        using var connection = db.Open();
        connection.Execute(
            """
            INSERT INTO person (person_id, family_name, given_name, family_kana, given_kana, birth_date, sex, address, atena_no, household_no, is_child) VALUES
              (1, '田中', '一郎', 'タナカ', 'イチロウ', '1980-01-01', '1', '見守り市本町1-1', 'A1', 'H1', 0),
              (2, '田中', '花', 'タナカ', 'ハナ', '2015-05-05', '2', '見守り市本町1-1', 'A2', 'H1', 1),
              (3, '高橋', '和子', 'タカハシ', 'カズコ', '1985-02-02', '2', '見守り市緑町2-2', 'A3', 'H2', 0),
              (4, '高橋', '陸', 'タカハシ', 'リク', '2016-06-06', '1', '見守り市緑町2-2', 'A4', 'H2', 1);
            INSERT INTO source_record (record_id, batch_id, source, category, file, line, postal_code, original) VALUES
              (10, 1, 'jumin', 'resident', 'jumin.csv', 2, '3350035', '{}'),
              (30, 1, 'jumin', 'resident', 'jumin.csv', 4, '335-0036', '{}');
            INSERT INTO person_record (record_id, person_id, method, weight, explanation) VALUES (10, 1, 'registry', 20, '{}'), (30, 3, 'registry', 20, '{}');
            """);
    }

    private static List<UnclaimedSupport> Unclaimed() =>
    [
        new("H1", 2, "shugaku_enjo", ["世帯に学齢のこどもがいる"]),
        new("H2", 4, "shugaku_enjo", ["世帯に学齢のこどもがいる"]),
        new("H2", 4, "jido_fuyo", ["世帯の大人が1人"]),
    ];

    [Fact]
    public async Task DraftApproveSend_EmailsWhoRegistered_PrintsLettersForTheRest_AndRecordsEveryState()
    {
        var store = new CampaignStore(db);
        var plan = OutreachStage.Plan(store, ProgramCatalog.Default, Unclaimed(), ReferenceDate);
        Assert.Equal("unclaimed-2026-03", plan.Campaign.Campaign);
        Assert.Equal(3, plan.Messages.Count);

        // Both offers to one family use one wording.
        Assert.Single(plan.Messages.Where(m => m.HouseholdNo == "H2").Select(m => m.Variant).Distinct());
        Assert.True(store.SaveDraft(plan.Campaign, plan.Messages, plan.Variants, DateTimeOffset.UtcNow));

        // A rerun keeps the recorded seed and therefore every wording.
        var again = OutreachStage.Plan(store, ProgramCatalog.Default, Unclaimed(), ReferenceDate);
        Assert.Equal(plan.Campaign.Seed, again.Campaign.Seed);
        Assert.Equal(plan.Messages.Select(m => m.Variant), again.Messages.Select(m => m.Variant));

        Assert.Equal(3, store.Approve(plan.Campaign.Campaign, "supervisor", DateTimeOffset.UtcNow));
        Assert.False(store.SaveDraft(again.Campaign, again.Messages, again.Variants, DateTimeOffset.UtcNow)); // approved: not re-drafted
        var dryRun = store.Messages(plan.Campaign.Campaign);
        Assert.Equal(["田中 一郎", "高橋 和子", "高橋 和子"], dryRun.Select(m => m.Addressee));
        Assert.Equal("3350035", dryRun[0].PostalCode);

        new InboxStore(db).SetEmail("H1", "tanaka@example.jp", DateTimeOffset.UtcNow);
        await using var sink = new SmtpSink();
        var settings = OutreachSettings.From(name => name switch { "MIMAMORI_SMTP_HOST" => "127.0.0.1", "MIMAMORI_SMTP_PORT" => sink.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), _ => null });
        Assert.True(settings.EmailEnabled);
        var letters = new LetterChannel(Path.Combine(dir, "letters"), Tools.Font());
        var sender = new OutreachSender(store, new InboxStore(db), letters, new EmailChannel(settings.SmtpHost!, settings.SmtpPort, settings.MailFrom), settings, TimeProvider.System);
        var counts = await sender.SendAsync(null, new ProgressLog(TextWriter.Null, false), CancellationToken.None);

        Assert.Equal(1, counts["email/delivered"]);
        Assert.Equal(2, counts["letter/sent"]);
        Assert.Equal(2, letters.Written.Count);
        var letterText = Tools.Run("pdftotext", "-enc", "UTF-8", letters.Written[0], "-");
        Assert.Contains("高橋 和子", letterText, StringComparison.Ordinal);
        Assert.Contains("〒335-0036", letterText, StringComparison.Ordinal);
        Assert.Empty(ForbiddenWords.Find(letterText));

        var (_, to, data) = Assert.Single(sink.Received);
        Assert.Equal(["tanaka@example.jp"], to);
        using var mail = MimeMessage.Load(new MemoryStream(data));
        Assert.Empty(ForbiddenWords.Find(mail.Subject + mail.TextBody));

        // The code in the e-mail opens the household's inbox; only its hash is stored.
        var code = System.Text.RegularExpressions.Regex.Match(mail.TextBody ?? string.Empty, "[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}").Value;
        Assert.Equal("H1", new InboxStore(db).FindHousehold(code));
        using (var connection = db.Open())
        {
            Assert.Equal(0, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM household_access_code WHERE code_hash LIKE @c", new { c = "%" + code + "%" }));
        }

        var sent = store.Messages(plan.Campaign.Campaign);
        Assert.Equal(["delivered", "sent", "sent"], sent.Select(m => m.State));
        Assert.Equal(["email", "letter", "letter"], sent.Select(m => m.Channel));
        Assert.Equal("sent", store.Find(plan.Campaign.Campaign)!.State);
        Assert.Empty(store.ToSend());
    }

    [Fact]
    public void OptedOutHouseholds_AreLeftOutOfTheNextCampaign()
    {
        var store = new CampaignStore(db);
        var plan = OutreachStage.Plan(store, ProgramCatalog.Default, Unclaimed(), ReferenceDate);
        store.SaveDraft(plan.Campaign, plan.Messages, plan.Variants, DateTimeOffset.UtcNow);
        store.Approve(plan.Campaign.Campaign, "supervisor", DateTimeOffset.UtcNow);
        var h2 = store.Messages(plan.Campaign.Campaign).First(m => m.HouseholdNo == "H2");
        store.MarkDelivery(h2.MessageId, "letter", MessageState.Sent, DateTimeOffset.UtcNow);
        Assert.True(new InboxStore(db).Respond("H2", h2.MessageId, MessageResponse.OptedOut, DateTimeOffset.UtcNow));

        var next = OutreachStage.Plan(store, ProgramCatalog.Default, Unclaimed(), ReferenceDate.AddMonths(1));
        Assert.Equal(["H1"], next.Messages.Select(m => m.HouseholdNo));
        Assert.Equal(2, next.OptedOut);
        Assert.DoesNotContain(store.ToSend(), m => m.HouseholdNo == "H2");
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is harmless.
        }
    }
}
