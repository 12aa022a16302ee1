using System.CommandLine;
using Mimamori.Storage.Audit;

namespace Mimamori.Cli.Verbs;

/// <summary>
/// <c>mimamori backup --to FILE</c> and <c>mimamori restore --from FILE</c>: the whole store, audit trail included.
/// A restore checks the audit trail's hash chain before it reports success.
/// </summary>
public static class BackupVerb
{
    public static Option<string> To { get; } = new("--to") { Description = "The backup file to write", Required = true };

    public static Option<string> From { get; } = new("--from") { Description = "The backup file to restore from", Required = true };

    public static Command Backup()
    {
        var command = new Command("backup", "Write a consistent backup of the database (SQLite online backup, or pg_dump for PostgreSQL)");
        command.Options.Add(To);
        command.SetAction(parse =>
        {
            var settings = CommonOptions.Resolve(parse);
            var file = parse.GetValue(To)!;
            try
            {
                Storage.Operations.Backup.Save(settings.Database, file);
            }
            catch (InvalidOperationException e)
            {
                throw new UsageException(e.Message);
            }

            System.Console.WriteLine($"Backed up {settings.Database.Display} (schema version {settings.Database.SchemaVersion()}, {new AuditLog(settings.Database).Count():N0} audit events) to {Path.GetFullPath(file)}.");
            return 0;
        });
        return command;
    }

    public static Command Restore()
    {
        var command = new Command("restore", "Restore a backup into a new, empty database (--db) and check its audit trail");
        command.Options.Add(From);
        command.SetAction(parse =>
        {
            var settings = CommonOptions.Resolve(parse);
            try
            {
                Storage.Operations.Backup.Restore(parse.GetValue(From)!, settings.Database);
            }
            catch (InvalidOperationException e)
            {
                throw new UsageException(e.Message);
            }

            var audit = new AuditLog(settings.Database);
            if (audit.Verify() is { } broken)
            {
                throw new UsageException($"Restored, but the audit trail is broken at event {broken}: the backup was altered.");
            }

            System.Console.WriteLine($"Restored into {settings.Database.Display}: schema version {settings.Database.SchemaVersion()}, {audit.Count():N0} audit events, hash chain verified.");
            return 0;
        });
        return command;
    }
}
