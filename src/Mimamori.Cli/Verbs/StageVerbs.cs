using System.CommandLine;
using Mimamori.Cli.Console;
using Mimamori.Cli.Pipeline;

namespace Mimamori.Cli.Verbs;

/// <summary><c>mimamori link</c>, <c>detect</c> and <c>outreach</c>: one pipeline stage each, on what is in the store.</summary>
public static class StageVerbs
{
    public static Command Link() => Stage("link", "Resolve identities (名寄せ): link every record to a person and build households", (s, d, log) => LinkStage.Run(s.Database, d, TimeProvider.System, log));

    public static Command Detect() => Stage("detect", "Assess each child's needs per difficulty, with the reasons and the missing data", (s, d, log) => DetectStage.Run(s.Database, d, TimeProvider.System, log));

    public static Command Outreach() => Stage("outreach", "Find unclaimed support and draft the offers to families", (s, d, log) => OutreachStage.Run(s.Database, d, TimeProvider.System, log));

    private static Command Stage(string name, string description, Action<Settings, DateOnly, ProgressLog> run)
    {
        var command = new Command(name, description);
        command.Options.Add(CommonOptions.AsOf);
        command.SetAction(parse =>
        {
            var settings = CommonOptions.Resolve(parse);
            settings.Database.Migrate();
            var referenceDate = PipelineRunner.ReferenceDate(settings.FeedsDir, CommonOptions.ResolveAsOf(parse), TimeProvider.System);
            run(settings, referenceDate, ProgressLog.ForConsole());
            return 0;
        });
        return command;
    }
}
