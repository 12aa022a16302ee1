using Dapper;
using Mimamori.Ingestion.Records;
using Mimamori.Ingestion.Validation;
using Mimamori.Kernel.People;
using Mimamori.Privacy.Audit;
using Mimamori.Storage.Audit;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Ingestion;

namespace Mimamori.EndToEnd.Tests;

/// <summary>`mimamori purge` as the nightly job runs it: a dry run changes nothing; the purge removes what is due and the trail still verifies.</summary>
public sealed class PurgeCommandTests : IDisposable
{
    private readonly string db = Path.Combine(Path.GetTempPath(), $"mimamori-purge-{Guid.NewGuid():N}.db");

    private static CanonicalRecord Tax(string id, string family, DateOnly year) => new(
        "juminzei", "tax", "juminzei/j.csv", 2, id, "A" + id, null, new PersonName(family, "一郎", "ミナミ", "イチロウ"),
        new DateOnly(1985, 1, 2), Sex.Male, null, null, null, null,
        [new Fact("tax.hikazei", year, "1", null)], [new("宛名番号", "A" + id), new("氏名", family + " 一郎")]);

    private void Import(MimamoriDatabase database, string sha, DateTimeOffset at, params CanonicalRecord[] records)
    {
        using var writer = ImportBatchWriter.Begin(database, "juminzei", "juminzei/j.csv", sha, "full", at);
        foreach (var r in records)
        {
            writer.Add(r);
        }

        writer.Commit(new ReadSummary("juminzei/j.csv", records.Length, records.Length, 0), at.AddMinutes(1));
    }

    [Fact]
    public async Task Purge_DryRunChangesNothing_ThenRemovesTheReplacedSnapshot_AndTheTrailVerifies()
    {
        var database = MimamoriDatabase.FromSetting(db);
        database.Migrate();
        Import(database, "2023", new DateTimeOffset(2023, 6, 1, 0, 0, 0, TimeSpan.Zero), Tax("1", "南", new DateOnly(2023, 4, 1)), Tax("2", "消去太", new DateOnly(2023, 4, 1)));
        Import(database, "2024", new DateTimeOffset(2024, 6, 1, 0, 0, 0, TimeSpan.Zero), Tax("1", "南", new DateOnly(2024, 4, 1)));
        new AuditLog(database).Append(AuditEvent.Create(TimeProvider.System, "caseworker", "caseworker", "こども家庭センター", "early_support", "view", "person:1", ["tax"], ["tax"], "allowed", "127.0.0.1"));

        var dry = await CliProcess.Run("--db", db, "purge", "--dry-run", "--as-of", "2026-01-01");
        Assert.True(dry.ExitCode == 0, dry.Err);
        Assert.Contains("nothing was changed", dry.Out, StringComparison.Ordinal);
        Assert.Matches(@"tax\s+1 y\s+2025-01-01\s+2\s+2\s+0", dry.Out);
        Assert.Equal(3, Count(database, "SELECT COUNT(*) FROM source_record"));
        Assert.Equal(1, new AuditLog(database).Count());

        var purge = await CliProcess.Run("--db", db, "purge", "--as-of", "2026-01-01");
        Assert.True(purge.ExitCode == 0, purge.Err);
        Assert.Equal(1, Count(database, "SELECT COUNT(*) FROM source_record"));
        Assert.Equal(0, Count(database, "SELECT COUNT(*) FROM source_record WHERE family_name = '消去太'"));

        var last = new AuditLog(database).ReadAll()[^1];
        Assert.Equal((AuditAction.Purge, "retention"), (last.Action, last.Subject));
        Assert.Equal(["tax"], last.Categories);
        Assert.Contains(last.Fields, f => f.StartsWith("tax: records 2, facts 2", StringComparison.Ordinal));
        Assert.DoesNotContain("消去太", string.Join(" ", last.Fields), StringComparison.Ordinal);

        var verify = await CliProcess.Run("--db", db, "audit", "verify");
        Assert.Equal(0, verify.ExitCode);

        var bad = await CliProcess.Run("--db", db, "purge", "--as-of", "2026-13-01");
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("--as-of", bad.Err, StringComparison.Ordinal);
    }

    private static long Count(MimamoriDatabase database, string sql)
    {
        using var connection = database.Open();
        return connection.ExecuteScalar<long>(sql);
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
