using System.Security.Cryptography;
using System.Text;
using Dapper;
using Mimamori.Ingestion.Readers;
using Mimamori.Ingestion.Specs;
using Mimamori.Ingestion.Validation;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Ingestion;

namespace Mimamori.Storage.Tests;

/// <summary>
/// A broken file never costs what is already stored: the good batch before it keeps every record, fact, value and its
/// status, whether the fault shows at the first byte or after rows were already handed to the writer.
/// </summary>
public sealed class BrokenImportTests
{
    private static readonly DateTimeOffset Now = new(2026, 4, 1, 9, 0, 0, TimeSpan.FromHours(9));

    private const string Header = "宛名番号,氏名,生年月日,欠席日数";

    private static readonly FeedSpec Spec = LoadSpec();

    static BrokenImportTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static FeedSpec LoadSpec()
    {
        var (spec, errors) = FeedSpecLoader.Parse(
            """
            {
              "source": "jumin_legacy", "title": {"ja": "住民記録", "en": "Resident registry"}, "department": "市民課",
              "category": "resident", "purpose": "early_support", "legal_basis": "appi_69_2_2",
              "format": "csv", "encoding": "shift_jis", "delimiter": ",", "header": true, "files": "jumin/*.csv", "snapshot": "full",
              "columns": [
                {"name": "宛名番号", "role": "atena_no", "type": "text", "required": true},
                {"name": "氏名", "role": "full_name", "type": "text", "required": true},
                {"name": "生年月日", "role": "birth_date", "type": "date", "format": "wareki", "required": true},
                {"name": "欠席日数", "fact": "school.absence_days", "type": "int", "min": 0, "max": 31}
              ]
            }
            """, "jumin.json");
        Assert.Empty(errors);
        return spec!;
    }

    private static byte[] ShiftJis(string text) => Encoding.GetEncoding(932).GetBytes(text);

    /// <summary>One file imported the way the import stage does it: one transaction, committed only when the whole file was read.</summary>
    private static string? Import(MimamoriDatabase db, string file, byte[] bytes)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        using var writer = ImportBatchWriter.Begin(db, Spec.Source, file, sha, Spec.Snapshot, Now);
        try
        {
            var summary = FeedReader.Read(Spec, new MemoryStream(bytes), file, writer.Add, writer.Quarantine);
            writer.Commit(summary, Now);
            return null;
        }
        catch (FeedStructureException e)
        {
            return e.Message;
        }
    }

    private static string Snapshot(MimamoriDatabase db)
    {
        using var c = db.Open();
        var text = new StringBuilder();
        foreach (var r in c.Query<(long Id, long Batch, string File, long Line, string Atena, string Family, string Given, string Birth, string Original)>(
            "SELECT record_id, batch_id, file, line, atena_no, family_name, given_name, birth_date, original FROM source_record ORDER BY record_id"))
        {
            text.AppendLine(r.ToString());
        }

        foreach (var f in c.Query<(long Id, string Kind, string Text)>("SELECT record_id, kind, value_text FROM fact ORDER BY record_id, kind"))
        {
            text.AppendLine(f.ToString());
        }

        foreach (var b in c.Query<(long Id, string File, long Read, long Accepted, long Quarantined, string Status)>(
            "SELECT batch_id, file, rows_read, rows_accepted, rows_quarantined, status FROM import_batch ORDER BY batch_id"))
        {
            text.AppendLine(b.ToString());
        }

        text.Append("quarantine ").Append(c.ExecuteScalar<long>("SELECT COUNT(*) FROM quarantine"));
        return text.ToString();
    }

    public static TheoryData<string, string> BrokenFiles()
    {
        var data = new TheoryData<string, string>();
        foreach (var kind in TestDatabases.Kinds())
        {
            foreach (var broken in new[] { "late_encoding_fault", "utf8_file", "empty", "cut_character", "unbalanced_quote" })
            {
                data.Add(kind, broken);
            }
        }

        return data;
    }

    private static byte[] Broken(string name)
    {
        var good = $"{Header}\r\n0000000101,佐藤　一,令和2年2月3日,0\r\n0000000102,佐藤　二,令和2年2月3日,1\r\n";
        return name switch
        {
            // Two rows are read and handed to the writer before the fault on line 4.
            "late_encoding_fault" => [.. ShiftJis(good), .. ShiftJis("0000000103,"), 0x81, 0x20, .. ShiftJis(",令和2年2月3日,0\r\n")],
            "utf8_file" => Encoding.UTF8.GetBytes(good),
            "empty" => [],
            "cut_character" => ShiftJis(good + "0000000103,佐藤")[..^1],
            "unbalanced_quote" => ShiftJis(good + "0000000103,\"佐藤　三,令和2年2月3日,0\r\n"),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
    }

    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public void BrokenFile_AfterAGoodOne_IsRefused_AndTheGoodBatchIsIntact(string kind, string broken)
    {
        var db = TestDatabases.Create(kind);
        db.Migrate();
        Assert.Null(Import(db, "jumin/jumin_20260331.csv", ShiftJis(
            $"{Header}\r\n0000000001,髙橋　花子,平成27年4月3日,3\r\n0000000002,山田　太郎,令和2年2月3日,0\r\n0000000003,=cmd|' /C calc'!A0,令和2年2月3日,1\r\n")));
        var before = Snapshot(db);
        Assert.Contains("(1, jumin/jumin_20260331.csv, 3, 3, 0, current)", before, StringComparison.Ordinal);

        var refusal = Import(db, "jumin/jumin_20260430.csv", Broken(broken));

        Assert.NotNull(refusal);
        Assert.Matches("^line [0-9]+: ", refusal);
        Assert.Equal(before, Snapshot(db));
        Assert.False(ImportBatchWriter.AlreadyImported(db, Spec.Source, Convert.ToHexStringLower(SHA256.HashData(Broken(broken)))));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void FileWithBadRows_IsStoredBesideTheGoodBatch_WithItsQuarantine(string kind)
    {
        var db = TestDatabases.Create(kind);
        db.Migrate();
        Assert.Null(Import(db, "jumin/a.csv", ShiftJis($"{Header}\r\n0000000001,髙橋　花子,平成27年4月3日,3\r\n")));
        Assert.Null(Import(db, "jumin/b.csv", ShiftJis($"{Header}\r\n0000000001,髙橋　花子,平成32年4月3日,3\r\n0000000002,山田　太郎,令和2年2月30日,0\r\n0000000003,山田　三郎,令和2年2月3日,0\r\n")));

        using var c = db.Open();
        // The earlier full snapshot is superseded, not deleted: its record is still there, unchanged.
        Assert.Equal("髙橋", c.ExecuteScalar<string>("SELECT family_name FROM source_record WHERE file = 'jumin/a.csv' AND line = 2"));
        var batches = c.Query<(string File, long Read, long Accepted, long Quarantined, string Status)>(
            "SELECT file, rows_read, rows_accepted, rows_quarantined, status FROM import_batch ORDER BY batch_id").ToList();
        Assert.Equal([("jumin/a.csv", 1L, 1L, 0L, "superseded"), ("jumin/b.csv", 3L, 1L, 2L, "current")], batches);
        Assert.Equal(2, c.ExecuteScalar<long>("SELECT COUNT(*) FROM quarantine WHERE file = 'jumin/b.csv'"));
    }
}
