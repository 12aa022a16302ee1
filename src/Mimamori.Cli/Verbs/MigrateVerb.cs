using System.CommandLine;
using System.Globalization;
using Mimamori.Storage.Schema;

namespace Mimamori.Cli.Verbs;

/// <summary>
/// <c>mimamori migrate</c>: brings the database's schema to this build's version, each migration in its own
/// transaction, so an operator can upgrade deliberately (after a backup) rather than on the first start.
/// </summary>
public static class MigrateVerb
{
    public static Option<bool> Status { get; } = new("--status") { Description = "Only list applied and pending migrations; change nothing" };

    public static Command Create()
    {
        var command = new Command("migrate", "Apply the schema migrations this database lacks (or list them with --status)");
        command.Options.Add(Status);
        command.SetAction(parse =>
        {
            var settings = CommonOptions.Resolve(parse);
            var applied = settings.Database.AppliedVersions();
            var pending = Migrations.All.Where(m => !applied.Contains(m.Version)).OrderBy(m => m.Version).ToList();
            if (parse.GetValue(Status))
            {
                foreach (var (version, name, _) in Migrations.All.OrderBy(m => m.Version))
                {
                    System.Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{version,3}  {(applied.Contains(version) ? "applied" : "pending")}  {name}"));
                }

                System.Console.WriteLine(pending.Count == 0 ? "The schema is up to date." : $"{pending.Count} migration(s) pending: run `mimamori migrate`.");
                return 0;
            }

            foreach (var version in settings.Database.Migrate())
            {
                var name = Migrations.All.First(m => m.Version == version).Name;
                System.Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"applied {version}: {name}"));
            }

            System.Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"The schema is at version {settings.Database.SchemaVersion()} ({settings.Database.Dialect.ToString().ToLowerInvariant()})."));
            return 0;
        });
        return command;
    }
}
