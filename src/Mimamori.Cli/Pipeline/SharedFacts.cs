using System.Diagnostics;
using System.Globalization;
using Mimamori.Cli.Console;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Pipeline;

namespace Mimamori.Cli.Pipeline;

/// <summary>
/// Linked facts read once for detection and outreach in one run: of everyone when a stage looks at everyone, or of
/// the persons a link changed after a generation, when both stages last saw the same one.
/// </summary>
public sealed class SharedFacts(MimamoriDatabase database, ProgressLog log)
{
    private LinkedFacts? all;
    private (long Seen, long Latest, LinkedFacts Facts)? changed;

    /// <summary>Everyone's facts.</summary>
    public LinkedFacts All()
    {
        if (all is null)
        {
            var watch = Stopwatch.StartNew();
            all = LinkedFacts.Load(database);
            log.Line(string.Create(CultureInfo.InvariantCulture, $"linked facts of {all.Persons.Count:N0} persons loaded in {watch.Elapsed.TotalSeconds:0.0} s"));
        }

        return all;
    }

    /// <summary>The facts of the persons changed after generation <paramref name="seen"/>, and of everyone in their households.</summary>
    public LinkedFacts Changed(long seen, ChangesSince changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changed is { } c && c.Seen == seen && c.Latest == changes.Generation)
        {
            return c.Facts;
        }

        var watch = Stopwatch.StartNew();
        var facts = LinkedFacts.Load(database, changes.Persons, changes.Households);
        log.Line(string.Create(CultureInfo.InvariantCulture, $"linked facts of {facts.Persons.Count:N0} persons ({changes.Persons.Count:N0} persons and {changes.Households.Count:N0} households changed by the link) loaded in {watch.Elapsed.TotalSeconds:0.0} s"));
        changed = (seen, changes.Generation, facts);
        return facts;
    }
}
