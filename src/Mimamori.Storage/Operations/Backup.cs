using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Mimamori.Storage.Connection;
using Npgsql;

namespace Mimamori.Storage.Operations;

/// <summary>
/// Backup and restore of the whole store, audit trail included. SQLite uses its online backup (a consistent copy
/// while the web app keeps serving); PostgreSQL uses pg_dump/pg_restore in the custom format, the tools a
/// municipality's database administrator already trusts. A restore goes only into an empty database, so it can never
/// mix two histories.
/// </summary>
public static class Backup
{
    /// <summary>Writes a backup of <paramref name="database"/> to <paramref name="file"/>.</summary>
    public static void Save(MimamoriDatabase database, string file)
    {
        ArgumentNullException.ThrowIfNull(database);
        var full = Path.GetFullPath(file);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        if (database.Dialect == Dialect.Sqlite)
        {
            // Written beside the target and renamed, so an interrupted backup never leaves a half file under the name.
            var partial = full + ".partial";
            File.Delete(partial);
            using (var source = (SqliteConnection)database.Open())
            using (var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = partial, Pooling = false }.ToString()))
            {
                target.Open();
                source.BackupDatabase(target);
            }

            File.Move(partial, full, overwrite: true);
            return;
        }

        RunTool("pg_dump", database, ["--format=custom", "--no-owner", "--file", full]);
    }

    /// <summary>Restores <paramref name="file"/> into <paramref name="database"/>, which must be empty.</summary>
    public static void Restore(string file, MimamoriDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        var full = Path.GetFullPath(file);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"The backup file {full} does not exist.", full);
        }

        if (database.SchemaVersion() != 0)
        {
            throw new InvalidOperationException($"{database.Display} is not empty (schema version {database.SchemaVersion()}); restore only into a new, empty database.");
        }

        if (database.Dialect == Dialect.Sqlite)
        {
            using var source = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = full, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            source.Open();
            using var target = (SqliteConnection)database.Open();
            source.BackupDatabase(target);
            return;
        }

        RunTool("pg_restore", database, ["--no-owner", "--exit-on-error", "--single-transaction", full]);
    }

    // The connection goes to the tool through its environment variables, so the password never shows in a process list.
    private static void RunTool(string tool, MimamoriDatabase database, IReadOnlyList<string> arguments)
    {
        var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (tool == "pg_restore")
        {
            start.ArgumentList.Insert(0, "--dbname=" + builder.Database);
        }
        else
        {
            start.ArgumentList.Add(builder.Database ?? "postgres");
        }

        start.Environment["PGHOST"] = builder.Host;
        start.Environment["PGPORT"] = builder.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["PGUSER"] = builder.Username;
        if (builder.Password is { Length: > 0 } password)
        {
            start.Environment["PGPASSWORD"] = password;
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{tool} is needed for a PostgreSQL backup or restore but could not be run ({e.Message}); install the PostgreSQL client tools of the server's version.", e);
        }

        using (process)
        {
            var error = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{tool} failed (exit {process.ExitCode}): {error.Result.Trim()}");
            }
        }
    }
}
