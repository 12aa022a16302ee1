using Mimamori.Cli.Console;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Pipeline;
using Mimamori.Support.Programs;

namespace Mimamori.Cli.Pipeline;

/// <summary>Unclaimed support found from program eligibility, and a draft letter per household and program.</summary>
public static class OutreachStage
{
    public static IReadOnlyList<UnclaimedSupport> Run(MimamoriDatabase database, DateOnly referenceDate, TimeProvider clock, ProgressLog log, LinkedFacts? facts = null)
    {
        var catalog = ProgramCatalog.Default;
        var run = RunLog.Start(database, "outreach", clock.GetUtcNow());
        facts ??= LinkedFacts.Load(database);
        var unclaimed = UnclaimedFinder.Find(catalog, facts.HouseholdsAt(referenceDate));
        AssessmentStore.SaveUnclaimed(database, unclaimed);
        var programs = catalog.Programs.ToDictionary(p => p.Id);
        var campaign = $"unclaimed-{referenceDate:yyyy-MM}";
        AssessmentStore.SaveMessages(
            database,
            campaign,
            unclaimed.Select(u => (u.HouseholdNo, u.PersonId, u.Program, "letter", programs[u.Program].Letter.Subject, programs[u.Program].Letter.Body)),
            clock.GetUtcNow());
        RunLog.Finish(database, run, clock.GetUtcNow(), unclaimed.Count, "succeeded", $"{{\"programs\":\"{catalog.Version}\",\"campaign\":\"{campaign}\"}}");
        foreach (var group in unclaimed.GroupBy(u => u.Program).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            log.Line($"outreach: {group.Key}: {group.Count():N0} households appear eligible but do not receive it; draft letters in campaign {campaign}");
        }

        return unclaimed;
    }
}
