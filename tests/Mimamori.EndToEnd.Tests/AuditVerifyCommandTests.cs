using Dapper;
using Mimamori.Privacy.Audit;
using Mimamori.Storage.Audit;
using Mimamori.Storage.Connection;

namespace Mimamori.EndToEnd.Tests;

/// <summary>`mimamori audit verify` as an auditor runs it: intact trail → exit 0; a row edited in the database → exit 1 naming the event.</summary>
public sealed class AuditVerifyCommandTests : IDisposable
{
    private readonly string db = Path.Combine(Path.GetTempPath(), $"mimamori-audit-{Guid.NewGuid():N}.db");

    [Fact]
    public async Task AuditVerify_DetectsARowEditedInTheDatabase()
    {
        var database = MimamoriDatabase.FromSetting(db);
        database.Migrate();
        var log = new AuditLog(database);
        for (var i = 1; i <= 4; i++)
        {
            log.Append(AuditEvent.Create(TimeProvider.System, "caseworker", "caseworker", "こども家庭センター", "early_support", "view", $"person:{i}", ["resident"], ["name"], "allowed", "127.0.0.1"));
        }

        var intact = await CliProcess.Run("--db", db, "audit", "verify");
        Assert.Equal(0, intact.ExitCode);
        Assert.Contains("intact", intact.Out, StringComparison.Ordinal);

        using (var connection = database.Open())
        {
            connection.Execute("UPDATE audit_event SET user_name = 'someone_else' WHERE seq = 2");
        }

        var tampered = await CliProcess.Run("--db", db, "audit", "verify");
        Assert.Equal(1, tampered.ExitCode);
        Assert.Contains("broken at event 2", tampered.Err, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { db, db + "-wal", db + "-shm" })
        {
            File.Delete(file);
        }
    }
}
