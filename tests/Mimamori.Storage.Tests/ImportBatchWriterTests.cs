using Dapper;
using Mimamori.Ingestion.Records;
using Mimamori.Ingestion.Validation;
using Mimamori.Kernel.People;
using Mimamori.Storage.Ingestion;

namespace Mimamori.Storage.Tests;

public sealed class ImportBatchWriterTests
{
    private static readonly DateTimeOffset Now = new(2026, 4, 1, 9, 0, 0, TimeSpan.FromHours(9));

    private static CanonicalRecord Record(long line, string atena) => new(
        "jumin_legacy", "resident", "jumin/jumin.csv", line, null, atena, "H1", new PersonName("髙橋", "花子", "タカハシ", "ハナコ"),
        new DateOnly(2015, 4, 3), Sex.Female, "3350022", "上戸田一丁目2番3号", null, "03",
        [new Fact("resident.since", new DateOnly(2015, 4, 3), "2015-04-03", null)],
        [new("氏名", "髙橋　花子"), new("宛名番号", atena)]);

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void Migrate_IsIdempotentAndVersioned(string kind)
    {
        var db = TestDatabases.Create(kind);
        Assert.NotEmpty(db.Migrate());
        Assert.Empty(db.Migrate());
        Assert.Equal(Schema.Migrations.All.Max(m => m.Version), db.SchemaVersion());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void Commit_StoresRecordsFactsLineageAndReconciliation(string kind)
    {
        var db = TestDatabases.Create(kind);
        db.Migrate();
        using (var writer = ImportBatchWriter.Begin(db, "jumin_legacy", "jumin/jumin.csv", "abc", "full", Now))
        {
            writer.Add(Record(2, "0000000001"));
            writer.Add(Record(3, "0000000002"));
            writer.Quarantine(new QuarantinedValue("jumin/jumin.csv", 4, "生年月日", "平成32年1月1日", "a date in the 平成 era"));
            writer.Commit(new ReadSummary("jumin/jumin.csv", 3, 2, 1), Now);
        }

        using var connection = db.Open();
        Assert.Equal(2, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM source_record"));
        Assert.Equal(2, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM fact"));
        Assert.Equal("平成32年1月1日", connection.ExecuteScalar<string>("SELECT received FROM quarantine"));
        using var original = System.Text.Json.JsonDocument.Parse(connection.ExecuteScalar<string>("SELECT original FROM source_record WHERE line = 2")!);
        Assert.Equal("髙橋　花子", original.RootElement.GetProperty("氏名").GetString());
        var batch = connection.QuerySingle<(long Read, long Accepted, long Quarantined, string Status)>("SELECT rows_read, rows_accepted, rows_quarantined, status FROM import_batch");
        Assert.Equal((3L, 2L, 1L, "current"), batch);
        Assert.True(ImportBatchWriter.AlreadyImported(db, "jumin_legacy", "abc"));
        Assert.False(ImportBatchWriter.AlreadyImported(db, "jumin_legacy", "other"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void Dispose_WithoutCommit_LeavesTheStoreAsBefore(string kind)
    {
        var db = TestDatabases.Create(kind);
        db.Migrate();
        using (var writer = ImportBatchWriter.Begin(db, "jumin_legacy", "jumin/jumin.csv", "abc", "full", Now))
        {
            writer.Add(Record(2, "0000000001"));
            writer.Commit(new ReadSummary("jumin/jumin.csv", 1, 1, 0), Now);
        }

        using (var interrupted = ImportBatchWriter.Begin(db, "jumin_legacy", "jumin/jumin2.csv", "def", "full", Now))
        {
            interrupted.Add(Record(2, "0000000009"));
            interrupted.Add(Record(3, "0000000010"));
        }

        using var connection = db.Open();
        Assert.Equal(1, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM source_record"));
        Assert.Equal("current", connection.ExecuteScalar<string>("SELECT status FROM import_batch"));
        Assert.False(ImportBatchWriter.AlreadyImported(db, "jumin_legacy", "def"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void Commit_OfANewFullSnapshot_SupersedesTheOldOneButKeepsIt(string kind)
    {
        var db = TestDatabases.Create(kind);
        db.Migrate();
        foreach (var (file, sha) in new[] { ("jumin/2025.csv", "a"), ("jumin/2026.csv", "b") })
        {
            using var writer = ImportBatchWriter.Begin(db, "jumin_legacy", file, sha, "full", Now);
            writer.Add(Record(2, "0000000001"));
            writer.Commit(new ReadSummary(file, 1, 1, 0), Now);
        }

        using var connection = db.Open();
        var statuses = connection.Query<(string File, string Status)>("SELECT file, status FROM import_batch ORDER BY batch_id").ToList();
        Assert.Equal([("jumin/2025.csv", "superseded"), ("jumin/2026.csv", "current")], statuses);

        // The row was sent again unchanged: one record, now in the current batch, and the batch it was in before.
        Assert.Equal(2L, connection.QuerySingle<long>("SELECT batch_id FROM source_record"));
        Assert.Equal((1L, 2L), connection.QuerySingle<(long, long)>("SELECT batch_id, line FROM record_earlier_batch"));
    }

    [Fact]
    public void Commit_RefusesCountsThatDoNotReconcile()
    {
        var db = TestDatabases.Create("sqlite");
        db.Migrate();
        using var writer = ImportBatchWriter.Begin(db, "jumin_legacy", "jumin/jumin.csv", "abc", "full", Now);
        Assert.Throws<InvalidOperationException>(() => writer.Commit(new ReadSummary("jumin/jumin.csv", 3, 1, 1), Now));
    }
}
