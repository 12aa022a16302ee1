using System.Globalization;
using Mimamori.Cli.Console;
using Mimamori.Cli.Outreach;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Judgement;
using Mimamori.Storage.Outreach;
using Mimamori.Storage.Pipeline;
using Mimamori.Support.Outreach;
using Mimamori.Support.Programs;

namespace Mimamori.Cli.Pipeline;

/// <summary>What a campaign would send: the campaign, its messages, and the households left out because they opted out.</summary>
public sealed record OutreachPlan(CampaignDraft Campaign, IReadOnlyList<DraftMessage> Messages, IReadOnlyList<(string Program, string Variant, string Language, string Subject)> Variants, int OptedOut);

/// <summary>
/// Unclaimed support found from program eligibility, and a draft campaign: one offer per household and program, in a
/// wording assigned at random (plain, やさしい日本語, deadline) with the campaign's recorded seed. Nothing is sent
/// here; a supervisor approves the campaign and <c>mimamori outreach --send</c> delivers it.
/// </summary>
public static class OutreachStage
{
    /// <summary>The wordings a nudge experiment compares; English is offered on request, not at random.</summary>
    public static IReadOnlyList<string> ExperimentVariants { get; } = [MessageComposer.Plain, MessageComposer.Easy, MessageComposer.Deadline];

    /// <summary>
    /// Finds unclaimed support and drafts the month's campaigns. When the last run used the same program catalog and
    /// reference date, only the households a link changed since (those persons the link changed left or are in) are
    /// looked at again, and their rows replaced; the result equals looking at every household.
    /// </summary>
    /// <param name="shared">Linked facts of everyone, loaded only when every household is looked at (detect may share them).</param>
    /// <param name="full">Look at every household whatever changed.</param>
    /// <returns>The unclaimed support of every household, as stored after this run.</returns>
    public static IReadOnlyList<UnclaimedSupport> Run(MimamoriDatabase database, DateOnly referenceDate, TimeProvider clock, ProgressLog log, SharedFacts? shared = null, bool full = false)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(clock);
        var catalog = ProgramCatalog.Default;
        var run = RunLog.Start(database, "outreach", clock.GetUtcNow());
        var generation = PersonChanges.Latest(database);
        var date = referenceDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var last = RunLog.LastDetail(database, "outreach") is { } text && System.Text.Json.Nodes.JsonNode.Parse(text) is System.Text.Json.Nodes.JsonObject json ? json : null;
        var seen = last?["link_generation"]?.GetValue<long>();
        var changes = seen is { } g ? PersonChanges.Since(database, g) : null;
        var fullReason = full ? "--full"
            : last is null ? "no earlier outreach run"
            : last["programs"]?.GetValue<string>() != catalog.Version ? "the program catalog changed"
            : last["reference_date"]?.GetValue<string>() != date ? "the reference date changed"
            : changes is null ? "the last run did not record which link it saw"
            : changes.All ? "everything may have changed since the last run (a first link, a purge, or more links than are kept)"
            : null;
        IReadOnlyList<UnclaimedSupport> unclaimed;
        shared ??= new SharedFacts(database, log);
        if (fullReason is null && changes is not null && seen is { } from)
        {
            var partial = shared.Changed(from, changes);
            var households = new HashSet<string>(changes.Households, StringComparer.Ordinal);
            households.UnionWith(partial.Households.Keys);
            var found = UnclaimedFinder.Find(catalog, partial.HouseholdsAt(referenceDate));
            AssessmentStore.SaveUnclaimed(database, households, found);
            log.Line($"outreach: mode incremental: {households.Count:N0} households looked at again");
            unclaimed = AssessmentStore.Unclaimed(database, catalog.Programs.Select(p => p.Id).ToList());
        }
        else
        {
            log.Line($"outreach: mode full: {fullReason}");
            var facts = shared.All();
            unclaimed = UnclaimedFinder.Find(catalog, facts.HouseholdsAt(referenceDate));
            AssessmentStore.SaveUnclaimed(database, unclaimed);
        }

        var store = new CampaignStore(database);
        var plan = Plan(store, catalog, unclaimed, referenceDate);
        var saved = store.SaveDraft(plan.Campaign, plan.Messages, plan.Variants, clock.GetUtcNow());
        var campaign = plan.Campaign.Campaign;
        RunLog.Finish(database, run, clock.GetUtcNow(), unclaimed.Count, "succeeded",
            $"{{\"programs\":\"{catalog.Version}\",\"campaign\":\"{campaign}\",\"seed\":{plan.Campaign.Seed},\"reference_date\":\"{date}\",\"link_generation\":{generation}}}");
        foreach (var group in unclaimed.GroupBy(u => u.Program).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            log.Line($"outreach: {group.Key}: {group.Count():N0} households appear eligible but do not receive it");
        }

        log.Line(saved
            ? $"outreach: campaign {campaign}: {plan.Messages.Count:N0} draft messages (seed {plan.Campaign.Seed}; {plan.OptedOut:N0} left out who opted out); a supervisor approves them at /campaigns"
            : $"outreach: campaign {campaign} is already approved or sent; its messages are left as they are");
        var judged = PlanApproved(store, catalog, new OutreachApprovalStore(database).Pending(), referenceDate, plan.Messages);

        // No campaign is opened for a month without approvals; one drafted earlier is redrafted (an approval withdrawn since drops out).
        if (judged.Messages.Count > 0 || store.Seed(judged.Campaign.Campaign) is not null)
        {
            var judgedSaved = store.SaveDraft(judged.Campaign, judged.Messages, judged.Variants, clock.GetUtcNow());
            log.Line(judgedSaved
            ? $"outreach: campaign {judged.Campaign.Campaign}: {judged.Messages.Count:N0} draft messages offering support a caseworker approved ({judged.OptedOut:N0} left out who opted out); a supervisor approves them at /campaigns"
                : $"outreach: campaign {judged.Campaign.Campaign} is already approved or sent; approvals since then wait for next month's campaign");
        }

        UptakeReport.Print(store, System.Console.Out);
        return unclaimed;
    }

    /// <summary>The campaign for the month of the reference date, without writing anything (the dry run).</summary>
    public static OutreachPlan Plan(CampaignStore store, ProgramCatalog catalog, IReadOnlyList<UnclaimedSupport> unclaimed, DateOnly referenceDate)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(unclaimed);
        return Compose(store, catalog, "unclaimed", referenceDate, unclaimed.Select(u => (u.HouseholdNo, u.PersonId, u.Program)).ToList());
    }

    /// <summary>
    /// The campaign of offers caseworkers approved after deciding a child needs support (<c>approved-YYYY-MM</c>, target
    /// <c>judged</c>), without writing anything. It uses the same composer and wordings as the unclaimed campaign, so
    /// the family reads an offer of the program and nothing about the decision behind it. One message per household
    /// and program, however many of its children were approved for it; programs no longer in the catalog are left out,
    /// and so are offers <paramref name="alreadyDrafted"/> (the unclaimed campaign's) already makes, so no family gets one offer twice.
    /// </summary>
    public static OutreachPlan PlanApproved(CampaignStore store, ProgramCatalog catalog, IReadOnlyList<PendingOutreach> approved, DateOnly referenceDate, IReadOnlyList<DraftMessage>? alreadyDrafted = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(approved);
        var known = catalog.Programs.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        var drafted = (alreadyDrafted ?? []).Select(m => (m.HouseholdNo, m.Program)).ToHashSet();
        var targets = approved
            .Where(a => known.Contains(a.Program) && !drafted.Contains((a.HouseholdNo, a.Program)))
            .DistinctBy(a => (a.HouseholdNo, a.Program))
            .Select(a => (a.HouseholdNo, a.PersonId, a.Program))
            .ToList();
        return Compose(store, catalog, "judged", referenceDate, targets);
    }

    private static OutreachPlan Compose(CampaignStore store, ProgramCatalog catalog, string target, DateOnly referenceDate, IReadOnlyList<(string HouseholdNo, long PersonId, string Program)> targets)
    {
        var name = (target == "judged" ? "approved-" : "unclaimed-") + referenceDate.ToString("yyyy-MM", CultureInfo.InvariantCulture);

        // A rerun keeps the recorded seed, so no household's wording changes between runs of the same campaign.
        var seed = store.Seed(name) ?? NudgeAssignment.NewSeed();
        var deadline = referenceDate.AddDays(30);
        var draft = new CampaignDraft(name, target, seed, referenceDate, deadline, catalog.Version);
        var programs = catalog.Programs.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var optedOut = store.OptedOut();
        var messages = new List<DraftMessage>();
        var left = 0;
        foreach (var u in targets)
        {
            if (optedOut.Contains(u.HouseholdNo))
            {
                left++;
                continue;
            }

            // The household, not the message, is the unit of assignment: both offers to one family use one wording.
            var variant = NudgeAssignment.Assign(seed, u.HouseholdNo, ExperimentVariants);
            var m = MessageComposer.Compose(programs[u.Program], variant, deadline);
            messages.Add(new DraftMessage(u.HouseholdNo, u.PersonId, u.Program, "letter", m.Variant, m.Language, m.Subject, m.Body));
        }

        var variants = catalog.Programs
            .SelectMany(p => MessageComposer.VariantsOf(p).Select(v => MessageComposer.Compose(p, v, deadline)))
            .Select(m => (m.Program, m.Variant, m.Language, m.Subject))
            .ToList();
        return new OutreachPlan(draft, messages, variants, left);
    }
}
