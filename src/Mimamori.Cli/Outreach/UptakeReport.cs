using System.Globalization;
using Mimamori.Storage.Outreach;
using Mimamori.Support.Outreach;

namespace Mimamori.Cli.Outreach;

/// <summary>Uptake per wording with 95% Wilson intervals, for every campaign that has sent messages.</summary>
public static class UptakeReport
{
    public static void Print(CampaignStore store, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(output);
        foreach (var campaign in store.List())
        {
            var counts = store.CountsByVariant(campaign.Campaign);
            if (counts.Count == 0)
            {
                output.WriteLine($"uptake {campaign.Campaign}: nothing sent yet (state {campaign.State}; {campaign.Messages.Values.Sum():N0} messages)");
                continue;
            }

            output.WriteLine($"uptake {campaign.Campaign} (seed {campaign.Seed}; applied / sent, 95% Wilson interval):");
            foreach (var c in counts)
            {
                var u = Uptake.Of(c.Variant, c.Sent, c.Applied);
                output.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"  {c.Variant,-9} {c.Applied,6:N0} / {c.Sent,-6:N0} {u.Rate,7:P1}  [{u.Low:P1} – {u.High:P1}]  read {c.Read:N0}, declined {c.Declined:N0}, opted out {c.OptedOut:N0}"));
            }
        }
    }
}
