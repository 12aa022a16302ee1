using System.CommandLine;
using Mimamori.Storage.Audit;

namespace Mimamori.Cli.Verbs;

/// <summary><c>mimamori audit verify</c>: checks the audit trail's hash chain; any edit, deletion or reordering is reported.</summary>
public static class AuditVerb
{
    public static Command Create()
    {
        var verify = new Command("verify", "Check that no audit event was edited, deleted or reordered (exit 1 if one was)");
        verify.SetAction(parse =>
        {
            var settings = CommonOptions.Resolve(parse);
            settings.Database.Migrate();
            var log = new AuditLog(settings.Database);
            var count = log.Count();
            if (log.Verify() is { } broken)
            {
                throw new UsageException($"The audit trail is broken at event {broken}: an event was edited, deleted or reordered there ({count:N0} events in the trail).");
            }

            System.Console.WriteLine($"The audit trail is intact: {count:N0} events, hash chain verified.");
            return 0;
        });

        var command = new Command("audit", "The audit trail");
        command.Subcommands.Add(verify);
        return command;
    }
}
