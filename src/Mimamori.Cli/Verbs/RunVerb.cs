using System.CommandLine;
using Mimamori.Cli.Console;
using Mimamori.Cli.Pipeline;

namespace Mimamori.Cli.Verbs;

/// <summary><c>mimamori run</c>: ingest → link → detect → outreach.</summary>
public static class RunVerb
{
    public static Command Create()
    {
        var command = new Command("run", "Run the whole pipeline: ingest → link → detect → outreach");
        command.Options.Add(IngestVerb.Feeds);
        command.Options.Add(IngestVerb.Specs);
        command.Options.Add(CommonOptions.AsOf);
        command.SetAction(parse =>
        {
            var settings = CommonOptions.Resolve(parse);
            PipelineRunner.Run(
                settings.Database,
                parse.GetValue(IngestVerb.Specs) ?? Settings.SpecsDir,
                parse.GetValue(IngestVerb.Feeds) ?? settings.FeedsDir,
                CommonOptions.ResolveAsOf(parse),
                TimeProvider.System,
                ProgressLog.ForConsole(),
                settings.DataDir);
            return 0;
        });
        return command;
    }
}
