using Mimamori.Privacy.Audit;
using Mimamori.Storage.Audit;
using Mimamori.Storage.Connection;

namespace Mimamori.EndToEnd.Tests;

/// <summary>`mimamori backup` then `mimamori restore` as an operator runs them, on the embedded database.</summary>
public sealed class BackupCommandTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), $"mimamori-backup-cli-{Guid.NewGuid():N}");

    [Fact]
    public async Task BackupThenRestore_GivesTheSameTrail_AndRestoreRefusesAUsedDatabase()
    {
        var db = Path.Combine(directory, "live.db");
        var database = MimamoriDatabase.FromSetting(db);
        database.Migrate();
        var log = new AuditLog(database);
        for (var i = 1; i <= 3; i++)
        {
            log.Append(AuditEvent.Create(TimeProvider.System, "caseworker", "caseworker", "こども家庭センター", "early_support", "view", $"person:{i}", ["resident"], ["name"], "allowed", "127.0.0.1"));
        }

        var file = Path.Combine(directory, "backup", "mimamori.bak");
        var backup = await CliProcess.Run("--db", db, "backup", "--to", file);
        Assert.Equal(0, backup.ExitCode);
        Assert.Contains("3 audit events", backup.Out, StringComparison.Ordinal);

        var restoredDb = Path.Combine(directory, "restored.db");
        var restore = await CliProcess.Run("--db", restoredDb, "restore", "--from", file);
        Assert.Equal(0, restore.ExitCode);
        Assert.Contains("3 audit events, hash chain verified", restore.Out, StringComparison.Ordinal);
        Assert.Equal(3, new AuditLog(MimamoriDatabase.FromSetting(restoredDb)).Count());

        var refused = await CliProcess.Run("--db", db, "restore", "--from", file);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("not empty", refused.Err, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }
}
