using System.CommandLine;
using Mimamori.Cli;
using Mimamori.Cli.Verbs;

// The `mimamori` command: the same tool a deployment runs and the demo uses. Exit codes: 0 success, 1 failure
// (one clear sentence on stderr), 2 bad usage.
var root = new RootCommand("見守り Mimamori — linking what a city knows to reach children who need support");
root.Options.Add(CommonOptions.Data);
root.Options.Add(CommonOptions.Db);
root.Options.Add(CommonOptions.Verbose);
root.Subcommands.Add(DemoVerb.Create());
root.Subcommands.Add(SynthVerb.Create());
root.Subcommands.Add(IngestVerb.Create());
root.Subcommands.Add(StageVerbs.Link());
root.Subcommands.Add(StageVerbs.Detect());
root.Subcommands.Add(StageVerbs.Outreach());
root.Subcommands.Add(RunVerb.Create());
root.Subcommands.Add(ServeVerb.Create());
root.Subcommands.Add(EvaluateVerb.Create());
root.Subcommands.Add(BenchVerb.Create());
root.Subcommands.Add(AuditVerb.Create());
root.Subcommands.Add(LinkFilesVerb.Create());
root.Subcommands.Add(MigrateVerb.Create());
root.Subcommands.Add(BackupVerb.Backup());
root.Subcommands.Add(BackupVerb.Restore());
root.Subcommands.Add(HistoryVerb.Create());
root.Subcommands.Add(ExplainVerb.Create());
root.Subcommands.Add(PprlVerb.Create());
root.Subcommands.Add(PurgeVerb.Create());
root.Subcommands.Add(ExportPseudonymisedVerb.Create());
root.Subcommands.Add(HandoverVerb.Create());

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors)
    {
        Console.Error.WriteLine(error.Message);
    }

    Console.Error.WriteLine("Run `mimamori --help` for usage.");
    return 2;
}

try
{
    return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e) when (e is UsageException or IOException or UnauthorizedAccessException or System.Data.Common.DbException or Mimamori.Storage.Encryption.DataKeyException)
{
    Console.Error.WriteLine(parse.GetValue(CommonOptions.Verbose) ? e.ToString() : $"mimamori: {e.Message}");
    return 1;
}
catch (Exception e)
{
    Console.Error.WriteLine(parse.GetValue(CommonOptions.Verbose) ? e.ToString() : $"mimamori: unexpected failure: {e.Message} (run again with --verbose for details)");
    return 1;
}
