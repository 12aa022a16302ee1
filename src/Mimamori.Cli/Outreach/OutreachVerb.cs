using System.CommandLine;
using Mimamori.Cli.Console;
using Mimamori.Cli.Pipeline;
using Mimamori.Cli.Verbs;
using Mimamori.Storage.Judgement;
using Mimamori.Storage.Outreach;
using Mimamori.Storage.Pipeline;
using Mimamori.Support.Programs;

namespace Mimamori.Cli.Outreach;

/// <summary>
/// <c>mimamori outreach</c>: drafts this month's campaign and prints uptake; <c>--dry-run</c> shows who would
/// receive what without writing; <c>--send</c> delivers what a supervisor approved (letters as PDF, e-mail when configured).
/// </summary>
public static class OutreachVerb
{
    public static Option<bool> DryRun { get; } = new("--dry-run") { Description = "Show who would receive which offer in which wording; write nothing" };

    public static Option<bool> Send { get; } = new("--send") { Description = "Deliver approved messages: PDF letters under DATA/letters, e-mail when MIMAMORI_SMTP_HOST is set" };

    public static Option<string?> Campaign { get; } = new("--campaign") { Description = "With --send: only this campaign" };

    public static Option<bool> Full { get; } = new("--full") { Description = "Look at every household again (by default only households a link changed since the last run, when nothing else changed)" };

    public static Command Create()
    {
        var command = new Command("outreach", "Find unclaimed support, draft the offers to families (a supervisor approves them), send approved ones, and report uptake");
        command.Options.Add(CommonOptions.AsOf);
        command.Options.Add(DryRun);
        command.Options.Add(Send);
        command.Options.Add(Campaign);
        command.Options.Add(Full);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = CommonOptions.Resolve(parse);
            settings.Database.Migrate();
            var log = ProgressLog.ForConsole();
            var store = new CampaignStore(settings.Database);
            if (parse.GetValue(Send))
            {
                var outreach = OutreachSettings.FromEnvironment();
                var letters = new LetterChannel(Path.Combine(settings.DataDir, "letters"), outreach.ReadFont());
                var email = outreach.EmailEnabled ? new EmailChannel(outreach.SmtpHost!, outreach.SmtpPort, outreach.MailFrom) : null;
                var sender = new OutreachSender(store, new InboxStore(settings.Database), letters, email, outreach, TimeProvider.System);
                var counts = await sender.SendAsync(parse.GetValue(Campaign), log, cancellationToken).ConfigureAwait(false);
                log.Line(counts.Count == 0
                    ? "outreach: nothing approved is waiting to be sent"
                    : "outreach: sent " + string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value:N0}")) + $"; letters in {Path.Combine(settings.DataDir, "letters")}");
                UptakeReport.Print(store, System.Console.Out);
                return 0;
            }

            var referenceDate = PipelineRunner.ReferenceDate(settings.FeedsDir, CommonOptions.ResolveAsOf(parse), TimeProvider.System);
            if (parse.GetValue(DryRun))
            {
                var facts = LinkedFacts.Load(settings.Database);
                var unclaimed = UnclaimedFinder.Find(ProgramCatalog.Default, facts.HouseholdsAt(referenceDate));
                var plan = OutreachStage.Plan(store, ProgramCatalog.Default, unclaimed, referenceDate);
                PrintPlan(plan, System.Console.Out);
                PrintPlan(OutreachStage.PlanApproved(store, ProgramCatalog.Default, new OutreachApprovalStore(settings.Database).Pending(), referenceDate, plan.Messages), System.Console.Out);
                return 0;
            }

            OutreachStage.Run(settings.Database, referenceDate, TimeProvider.System, log, full: parse.GetValue(Full));
            return 0;
        });
        return command;
    }

    /// <summary>
    /// The dry run on the console: counts by program and wording, then one line per message with the household number
    /// only. Names and addresses are shown on the audited /campaigns page, not printed where no one records who saw them.
    /// </summary>
    private static void PrintPlan(OutreachPlan plan, TextWriter output)
    {
        output.WriteLine($"dry run: campaign {plan.Campaign.Campaign} (seed {plan.Campaign.Seed}, reply by {plan.Campaign.Deadline:yyyy-MM-dd}): {plan.Messages.Count:N0} messages; {plan.OptedOut:N0} households left out who opted out");
        foreach (var g in plan.Messages.GroupBy(m => (m.Program, m.Variant)).OrderBy(g => g.Key.Program, StringComparer.Ordinal).ThenBy(g => g.Key.Variant, StringComparer.Ordinal))
        {
            output.WriteLine($"  {g.Key.Program,-14} {g.Key.Variant,-9} {g.Count(),6:N0}  「{g.First().Subject}」");
        }

        foreach (var m in plan.Messages)
        {
            output.WriteLine($"  household {m.HouseholdNo}  {m.Program}  {m.Variant}  {m.Channel}");
        }
    }
}
