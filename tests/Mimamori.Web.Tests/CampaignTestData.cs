using System.Text.RegularExpressions;
using Mimamori.Storage.Outreach;

namespace Mimamori.Web.Tests;

/// <summary>Campaigns written through the stores, each under its own name so that tests sharing the database do not meet.</summary>
public static partial class CampaignTestData
{
    public static readonly DateTimeOffset Now = new(2025, 12, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A draft campaign with one message per household given (program 就学援助, wordings in turn).</summary>
    public static string Draft(WebFixture fixture, params (string Household, long Person)[] households) => Draft(fixture, ["plain", "easy", "deadline"], households);

    /// <summary>A draft campaign offering one program of the catalog, in its plain wording, to each household given.</summary>
    public static string DraftOf(WebFixture fixture, string program, params (string Household, long Person)[] households)
    {
        var name = "test-" + Guid.NewGuid().ToString("N")[..8];
        var offer = Mimamori.Support.Programs.ProgramCatalog.Default.Programs.Single(p => p.Id == program);
        var messages = households.Select(h => new DraftMessage(h.Household, h.Person, program, "letter", "plain", "ja", offer.Letter.Subject, offer.Letter.Body));
        new CampaignStore(fixture.Database).SaveDraft(new CampaignDraft(name, "unclaimed", 4242, new DateOnly(2025, 11, 28), new DateOnly(2025, 12, 28), "programs-test"), messages, [], Now);
        return name;
    }

    private static string Draft(WebFixture fixture, string[] variants, (string Household, long Person)[] households)
    {
        var name = "test-" + Guid.NewGuid().ToString("N")[..8];
        var messages = households.Select((h, i) => new DraftMessage(h.Household, h.Person, "shugaku_enjo", "letter", variants[i % 3], "ja", "就学援助のご案内", "お子さまの学用品や給食費などを市が援助する「就学援助」という制度があります。"));
        new CampaignStore(fixture.Database).SaveDraft(new CampaignDraft(name, "unclaimed", 4242, new DateOnly(2025, 11, 28), new DateOnly(2025, 12, 28), "programs-test"), messages, [], Now);
        return name;
    }

    /// <summary>A campaign approved and sent to one household, with a fresh inbox code: (campaign, message id, code).</summary>
    public static (string Campaign, long MessageId, string Code) Sent(WebFixture fixture, string household, long person, string variant = "plain")
    {
        var campaign = Draft(fixture, [variant], [(household, person)]);
        var store = new CampaignStore(fixture.Database);
        store.Approve(campaign, "supervisor", Now);
        var message = store.Messages(campaign).Single();
        store.MarkDelivery(message.MessageId, "letter", MessageState.Sent, Now);
        var code = new InboxStore(fixture.Database).IssueCode(household, message.MessageId, Now);
        return (campaign, message.MessageId, code);
    }

    /// <summary>The antiforgery token on a page, for a form post.</summary>
    public static async Task<string> Token(HttpClient client, string path)
    {
        var html = await client.GetStringAsync(path);
        return AntiforgeryField().Match(html).Groups[1].Value;
    }

    public static Task<HttpResponseMessage> Post(HttpClient client, string path, string token, params (string Key, string Value)[] fields) =>
        client.PostAsync(path, new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)).Append(new("__af", token))));

    [GeneratedRegex("name=\"__af\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
