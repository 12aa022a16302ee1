using System.Diagnostics;
using System.Globalization;
using Mimamori.Cli.Console;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Pipeline;

namespace Mimamori.Cli.Pipeline;

/// <summary>The link stage's last step: households over time are rebuilt for the persons just saved, and counted.</summary>
public static class HouseholdHistoryLog
{
    /// <summary>Every household rebuilt: after a full link, when every person id may have changed.</summary>
    public static HouseholdHistoryCounts Rebuild(MimamoriDatabase database, ProgressLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var watch = Stopwatch.StartNew();
        var c = HouseholdHistoryStore.Rebuild(database);
        log.Line(string.Create(CultureInfo.InvariantCulture, $"link: households over time rebuilt in full: {c.Persons:N0} persons, every household ({watch.Elapsed.TotalSeconds:0.0} s)"));
        Counts(log, c);
        return c;
    }

    /// <summary>Only the persons the link changed and their households recomputed, or every household when the store cannot say what changed.</summary>
    public static HouseholdHistoryCounts Update(MimamoriDatabase database, ProgressLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var watch = Stopwatch.StartNew();
        var u = HouseholdHistoryStore.Update(database);
        log.Line(u.Full
            ? string.Create(CultureInfo.InvariantCulture, $"link: households over time rebuilt in full ({u.Reason}): {u.Persons:N0} persons, every household ({watch.Elapsed.TotalSeconds:0.0} s)")
            : string.Create(CultureInfo.InvariantCulture, $"link: households over time updated: {u.Persons:N0} persons changed, relations of {u.Households:N0} households recomputed ({watch.Elapsed.TotalSeconds:0.0} s)"));
        Counts(log, u.Counts);
        return u.Counts;
    }

    private static void Counts(ProgressLog log, HouseholdHistoryCounts c) =>
        log.Line($"link: households over time: {c.Memberships:N0} memberships of {c.Persons:N0} persons ({c.PersonsInSeveralHouseholds:N0} in more than one household), {c.Guardians:N0} guardian–child and {c.Siblings:N0} sibling relations");
}
