using Dapper;
using Mimamori.Privacy.Audit;
using Mimamori.Storage.Audit;
using Mimamori.Storage.Operations;
using Mimamori.Storage.Pipeline;

namespace Mimamori.Storage.Tests;

/// <summary>A backup restored into a new database gives the same store: the same rows and an intact audit trail.</summary>
public sealed class BackupRestoreTests
{
    private static readonly string[] Tables = ["schema_version", "audit_event", "pipeline_run", "import_batch"];

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void Restore_OfABackup_EqualsTheOriginal_AndRefusesANonEmptyTarget(string kind)
    {
        var original = TestDatabases.Create(kind);
        original.Migrate();
        var log = new AuditLog(original);
        for (var i = 1; i <= 7; i++)
        {
            log.Append(AuditEvent.Create(TimeProvider.System, "caseworker", "caseworker", "こども家庭センター", "early_support", "view", $"person:{i}", ["resident"], ["name"], "allowed", "127.0.0.1"));
        }

        var at = new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero);
        RunLog.Finish(original, RunLog.Start(original, "link", at), at.AddSeconds(9), 100, "succeeded", "{\"model\":\"fs-1\"}");
        var file = Path.Combine(Path.GetTempPath(), $"mimamori-backup-{Guid.NewGuid():N}.{(kind == "sqlite" ? "db" : "dump")}");
        try
        {
            Backup.Save(original, file);
            Assert.True(new FileInfo(file).Length > 0);

            var restored = TestDatabases.Create(kind);
            Backup.Restore(file, restored);
            Assert.Equal(original.SchemaVersion(), restored.SchemaVersion());
            using (var a = original.Open())
            using (var b = restored.Open())
            {
                foreach (var table in Tables)
                {
                    Assert.Equal(a.ExecuteScalar<long>($"SELECT COUNT(*) FROM {table}"), b.ExecuteScalar<long>($"SELECT COUNT(*) FROM {table}"));
                }

                Assert.Equal(
                    a.Query<string>("SELECT hash FROM audit_event ORDER BY seq").ToList(),
                    b.Query<string>("SELECT hash FROM audit_event ORDER BY seq").ToList());
            }

            Assert.Null(new AuditLog(restored).Verify());
            var error = Assert.Throws<InvalidOperationException>(() => Backup.Restore(file, original));
            Assert.Contains("not empty", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
