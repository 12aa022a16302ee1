using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Mimamori.Storage.Identity;

namespace Mimamori.Cli.Verbs;

/// <summary>
/// <c>mimamori explain PERSON_ID</c>: why each record belongs to a person — its method and the waterfall of its match
/// weight, comparison by comparison — and the merges and splits the id went through. It prints sources, lines and
/// weights, never names: enough to check a link against the source files, nothing more.
/// </summary>
public static class ExplainVerb
{
    public static Argument<long> PersonId { get; } = new("person-id") { Description = "The person id (as the web app and the person table show it)" };

    public static Command Create()
    {
        var command = new Command("explain", "Show how each record was linked to a person: the match weight as the sum of its comparisons (a waterfall)");
        command.Arguments.Add(PersonId);
        command.SetAction(parse =>
        {
            var settings = CommonOptions.Resolve(parse);
            settings.Database.Migrate();
            var id = parse.GetValue(PersonId);
            var links = PersonLinks.Links(settings.Database, id);
            var (events, mergedInto, retiredAt) = PersonLinks.History(settings.Database, id);
            if (links.Count == 0 && mergedInto is null && events.Count == 0)
            {
                throw new UsageException($"There is no person {id} (run `mimamori link` first, or check the id).");
            }

            var output = new StringBuilder();
            if (retiredAt is not null)
            {
                output.AppendLine(CultureInfo.InvariantCulture, $"person {id} was retired at {retiredAt}{(mergedInto is { } into ? $"; its records were merged into person {into}" : string.Empty)}");
            }

            output.AppendLine(CultureInfo.InvariantCulture, $"person {id}: {links.Count} records");
            foreach (var link in links)
            {
                output.AppendLine(CultureInfo.InvariantCulture, $"  record {link.RecordId}  {link.Source}  {link.File}:{link.Line}  {link.Method}{(link.Method is "registry" or "new" ? string.Empty : $"  weight {link.Weight:0.00}")}");
                Waterfall(output, link.Explanation);
            }

            foreach (var e in events)
            {
                var line = e.Kind switch
                {
                    "merged" => $"  {e.At}: person {e.PersonId} merged into person {e.OtherPersonId} ({e.SharedKeys} shared record keys)",
                    "split" => $"  {e.At}: person {e.PersonId} split from person {e.OtherPersonId} (took {e.SharedKeys} record keys)",
                    _ => $"  {e.At}: {e.SharedKeys} record keys moved from person {e.OtherPersonId} to person {e.PersonId}",
                };
                output.AppendLine(line);
            }

            Households(output, Storage.Reading.HouseholdHistoryQuery.Of(settings.Database, id));
            System.Console.Write(output.ToString());
            return 0;
        });
        return command;
    }

    /// <summary>The person's households over time: numbers, 続柄, dates and the other members by person id (no names).</summary>
    internal static void Households(StringBuilder output, IReadOnlyList<Storage.Reading.HouseholdPeriod> periods)
    {
        if (periods.Count == 0)
        {
            return;
        }

        output.AppendLine(CultureInfo.InvariantCulture, $"households: {periods.Count}");
        foreach (var h in periods)
        {
            output.AppendLine(CultureInfo.InvariantCulture, $"  世帯 {h.HouseholdNo}  {h.Relation}  {Period(h.From, h.To)}{(h.EndedBy is { } e ? $"  ended by {e}" : string.Empty)}{(h.Current ? "  current" : string.Empty)}");
            foreach (var m in h.Members)
            {
                output.AppendLine(CultureInfo.InvariantCulture, $"    person {m.PersonId}  {m.Relation}  {Period(m.From, m.To)}{(m.Link is { } l ? $"  {l}" : string.Empty)}");
            }
        }
    }

    private static string Period(DateOnly? from, DateOnly? to) =>
        string.Create(CultureInfo.InvariantCulture, $"{from?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "…"} – {to?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "…"}");

    /// <summary>Each comparison's contribution as a bar (█ for, ░ against), then the total: the weight is their sum.</summary>
    internal static void Waterfall(StringBuilder output, string explanationJson)
    {
        using var json = JsonDocument.Parse(explanationJson);
        if (!json.RootElement.TryGetProperty("contributions", out var parts))
        {
            return;
        }

        var running = 0.0;
        foreach (var part in parts.EnumerateArray())
        {
            var weight = part.GetProperty("weight").GetDouble();
            running += weight;
            var bar = new string(weight >= 0 ? '█' : '░', (int)Math.Min(30, Math.Round(Math.Abs(weight))));
            output.AppendLine(CultureInfo.InvariantCulture, $"      {part.GetProperty("comparison").GetString(),-12}{part.GetProperty("level").GetString(),-16}{weight,8:+0.00;-0.00;0.00}  {running,8:0.00}  {bar}");
        }

        output.AppendLine(CultureInfo.InvariantCulture, $"      {"total",-28}{json.RootElement.GetProperty("total").GetDouble(),8:0.00}");
    }
}
