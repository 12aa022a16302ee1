using Mimamori.Cli.Console;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Pipeline;

namespace Mimamori.Cli.Pipeline;

/// <summary>The link stage's last step: households over time are rebuilt for the persons just saved, and counted.</summary>
public static class HouseholdHistoryLog
{
    public static HouseholdHistoryCounts Rebuild(MimamoriDatabase database, ProgressLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var c = HouseholdHistoryStore.Rebuild(database);
        log.Line($"link: households over time: {c.Memberships:N0} memberships of {c.Persons:N0} persons ({c.PersonsInSeveralHouseholds:N0} in more than one household), {c.Guardians:N0} guardian–child and {c.Siblings:N0} sibling relations");
        return c;
    }
}
