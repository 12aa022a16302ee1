using Dapper;
using Mimamori.Ingestion.Records;
using Mimamori.Ingestion.Validation;
using Mimamori.Kernel.People;
using Mimamori.Storage.Ingestion;

namespace Mimamori.Storage.Tests;

public sealed class HistoryTests
{
    // Japan time: the first snapshot arrives on 1 April, the second on 1 May.
    private static readonly DateTimeOffset April = new(2026, 4, 1, 9, 0, 0, TimeSpan.FromHours(9));
    private static readonly DateTimeOffset May = new(2026, 5, 1, 9, 0, 0, TimeSpan.FromHours(9));

    private static CanonicalRecord Record(string id, string atena, string type, string phone = "") => new(
        "katei_sodan", "child_welfare", "katei_sodan/k.csv", 2, id, atena, null, new PersonName("髙橋", "花子", "タカハシ", "ハナコ"),
        new DateOnly(2015, 4, 3), Sex.Female, null, null, null, null,
        [new Fact("cw.consultation_type", new DateOnly(2026, 3, 1), type, null)],
        [new("受付番号", id), new("宛名番号", atena), new("相談種別", type), new("電話", phone)]);

    private static BatchChanges Import(Storage.Connection.MimamoriDatabase db, string sha, DateTimeOffset at, params CanonicalRecord[] records)
    {
        using var writer = ImportBatchWriter.Begin(db, "katei_sodan", "katei_sodan/k.csv", sha, "full", at);
        foreach (var r in records)
        {
            writer.Add(r);
        }

        writer.Quarantine(new QuarantinedValue("katei_sodan/k.csv", 9, "受付日", "=HYPERLINK(\"x\")", "a date as yyyy-MM-dd"));
        return writer.Commit(new ReadSummary("katei_sodan/k.csv", records.Length + 1, records.Length, 1), at.AddMinutes(1));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void ASecondSnapshot_IsComparedWithTheFirst_AndEachDayGivesWhatWasKnownThen(string kind)
    {
        var db = TestDatabases.Create(kind);
        db.Migrate();
        Assert.Equal(new BatchChanges(3, 0, 0), Import(db, "a", April, Record("K1", "A1", "養育相談"), Record("K2", "A2", "養育相談"), Record("K3", "A3", "障害相談")));
        Assert.Equal(
            new BatchChanges(1, 1, 1),
            Import(db, "b", May, Record("K1", "A1", "虐待通告"), Record("K2", "A2", "養育相談"), Record("K4", "A4", "育成相談", "048-000-0000")));

        var history = new HistoryQuery(db);
        var child = new HistorySubject(AtenaNo: "A1");
        Assert.Empty(history.KnownOn(new DateOnly(2026, 3, 31), child));
        var april = Assert.Single(history.KnownOn(new DateOnly(2026, 4, 15), child));
        Assert.Contains("養育相談", april.Original, StringComparison.Ordinal);
        Assert.Equal("養育相談", april.Facts.Single().Text);
        Assert.NotNull(april.KnownUntil);
        var may = Assert.Single(history.KnownOn(new DateOnly(2026, 5, 1), child));
        Assert.Contains("虐待通告", may.Original, StringComparison.Ordinal);
        Assert.Null(may.KnownUntil);

        // The removed record is still known for April, and gone from May.
        var removed = new HistorySubject(Source: "katei_sodan", LocalId: "K3");
        Assert.Single(history.KnownOn(new DateOnly(2026, 4, 30), removed));
        Assert.Empty(history.KnownOn(new DateOnly(2026, 5, 2), removed));
        Assert.Equal("removed", Assert.Single(history.Changes(removed)).Change);
        var changed = Assert.Single(history.Changes(child));
        Assert.Equal(("changed", "id:K1"), (changed.Change, changed.RecordKey));
        Assert.Empty(history.Changes(new HistorySubject(AtenaNo: "A2")));

        using var connection = db.Open();
        Assert.Equal(
            [("current", 1L, 1L, 1L), ("superseded", 3L, 0L, 0L)],
            connection.Query<(string, long, long, long)>("SELECT status, rows_added, rows_changed, rows_removed FROM import_batch ORDER BY status").ToList());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void ARowSentAgainUnchanged_KeepsItsRecord_AndEachDayStillGivesTheBatchAndLineOfThen(string kind)
    {
        var db = TestDatabases.Create(kind);
        db.Migrate();
        var june = May.AddMonths(1);
        Import(db, "a", April, Record("K1", "A1", "養育相談"), Record("K2", "A2", "養育相談"));
        var first = Records(db);

        // May: K1 changed, K2 sent again as it was but on another line, K3 new. June: K2 again, and K1 with the same
        // values but a fact its feed spec now reads differently: the department changed nothing, but what is stored
        // differs, so it is a new record.
        Assert.Equal(new BatchChanges(1, 1, 0), Import(db, "b", May, Record("K2", "A2", "養育相談") with { Line = 7 }, Record("K1", "A1", "虐待通告"), Record("K3", "A3", "育成相談")));
        var k1 = Record("K1", "A1", "虐待通告");
        Assert.Equal(new BatchChanges(0, 0, 1), Import(db, "c", june, Record("K2", "A2", "養育相談") with { Line = 3 }, k1 with { Facts = [new Fact("cw.consultation_type", new DateOnly(2026, 3, 2), "虐待通告", null)] }));

        using (var connection = db.Open())
        {
            var batches = connection.Query<long>("SELECT batch_id FROM import_batch ORDER BY batch_id").ToList();
            var k2 = first["K2"];
            Assert.Equal([(k2.Id, batches[2], 3L)], connection.Query<(long, long, long)>("SELECT record_id, batch_id, line FROM source_record WHERE local_id = 'K2'").ToList());
            Assert.Equal([(batches[0], 2L), (batches[1], 7L)], connection.Query<(long, long)>("SELECT batch_id, line FROM record_earlier_batch WHERE record_id = @k2 ORDER BY batch_id", new { k2 = k2.Id }).ToList());
            Assert.Equal(3, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM source_record WHERE local_id = 'K1'"));
            Assert.Equal(1, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM fact f JOIN source_record r ON r.record_id = f.record_id WHERE r.local_id = 'K2'"));
            Assert.Empty(connection.Query<long>("SELECT record_id FROM record_earlier_batch WHERE record_id <> @k2", new { k2 = k2.Id }));

            // Each day gives the record as the snapshot of that day held it: its batch, line and when it stopped being current.
            var history = new HistoryQuery(db);
            var child = new HistorySubject(AtenaNo: "A2");
            var days = new[] { new DateOnly(2026, 4, 15), new DateOnly(2026, 5, 15), new DateOnly(2026, 6, 15) }.Select(d => Assert.Single(history.KnownOn(d, child))).ToList();
            Assert.Equal([(k2.Id, batches[0], 2L), (k2.Id, batches[1], 7L), (k2.Id, batches[2], 3L)], days.Select(d => (d.RecordId, d.BatchId, d.Line)));
            Assert.All(days, d => Assert.Equal("養育相談", d.Facts.Single().Text));
            Assert.Equal([true, true, false], days.Select(d => d.KnownUntil is not null));
            Assert.Empty(history.KnownOn(new DateOnly(2026, 3, 31), child));

            // Nothing changed for K2, so no snapshot recorded a change to it.
            Assert.Empty(history.Changes(child));
            Assert.Single(history.Changes(new HistorySubject(AtenaNo: "A1")));
        }
    }

    private static Dictionary<string, (long Id, long Batch)> Records(Storage.Connection.MimamoriDatabase db)
    {
        using var connection = db.Open();
        return connection.Query<(string, long, long)>("SELECT local_id, record_id, batch_id FROM source_record").ToDictionary(r => r.Item1, r => (r.Item2, r.Item3));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void QualityQuery_GivesBatchesQuarantineAndCompleteness(string kind)
    {
        var db = TestDatabases.Create(kind);
        db.Migrate();
        Import(db, "a", April, Record("K1", "A1", "養育相談"), Record("K2", "", "養育相談", "048"));
        var quality = new QualityQuery(db);
        var batch = Assert.Single(quality.Batches("katei_sodan"));
        Assert.Equal((3L, 2L, 1L), (batch.RowsRead, batch.RowsAccepted, batch.RowsQuarantined));
        Assert.Equal("2026-04-01T00:01:00.0000000+00:00", batch.FinishedAt);
        Assert.Equal([("受付番号", 2L), ("宛名番号", 1L), ("相談種別", 2L), ("電話", 1L)], quality.Completeness(batch.BatchId).Select(c => (c.Column, c.Filled)));
        var q = Assert.Single(quality.Quarantine(batch.BatchId, null));
        Assert.Equal((9L, "受付日"), (q.Line, q.Column));
        Assert.Equal(("受付日", "a date as yyyy-MM-dd", 1L), Assert.Single(quality.Reasons(batch.BatchId)));
        Assert.Empty(quality.Batches("other"));
    }
}
