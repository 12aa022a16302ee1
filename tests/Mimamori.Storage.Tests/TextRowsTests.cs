using Dapper;
using Mimamori.Storage.Connection;

namespace Mimamori.Storage.Tests;

/// <summary>The bulk row reader: values as stored, NULL as null, short texts kept once, long ones not pooled.</summary>
/// <remarks>The nullable integer is read on both databases as the incremental link reads a link's explanation id.</remarks>
public sealed class TextRowsTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void Read_GivesValuesAsStored_SharingEqualShortTexts_ButNotLongOnes(string kind)
    {
        var db = TestDatabases.Create(kind);
        db.Migrate();
        var note = string.Concat(Enumerable.Repeat("家計の相談。", 8));
        using var connection = db.OpenForBulk();
        connection.Execute("CREATE TABLE rows_read (n BIGINT NOT NULL, t TEXT, d DOUBLE PRECISION, k BIGINT)");
        connection.Execute(
            "INSERT INTO rows_read (n, t, d, k) VALUES (1, '戸田', 1.5, 7), (2, '戸田', NULL, NULL), (3, @note, 2.25, 0), (4, @note, NULL, -9000000000), (5, NULL, -3, NULL)",
            new { note });

        var read = new List<(long N, string? Short, string? Long, double? D, long? K)>();
        using (var rows = new TextRows(connection, "SELECT n, t, d, k FROM rows_read ORDER BY n"))
        {
            while (rows.Read())
            {
                read.Add((rows.Int64(0), rows.Text(1), rows.Text(1, 16), rows.Double(2), rows.NullableInt64(3)));
            }
        }

        Assert.Equal([1L, 2, 3, 4, 5], read.Select(r => r.N));
        Assert.Equal(["戸田", "戸田", note, note, null], read.Select(r => r.Short));
        Assert.Equal(read.Select(r => r.Short), read.Select(r => r.Long));
        Assert.Equal([1.5, null, 2.25, null, -3], read.Select(r => r.D));
        Assert.Equal([7L, null, 0L, -9_000_000_000L, null], read.Select(r => r.K));
        Assert.Same(read[0].Short, read[1].Short);
        Assert.Same(read[0].Long, read[1].Long);
        Assert.Same(read[2].Short, read[3].Short);
        // Longer than the limit: equal, but each its own string, so the pool does not hold every note twice.
        Assert.NotSame(read[2].Long, read[3].Long);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public async Task ReadersSideBySide_WithOnePool_GiveEqualTextsAsOneString(string kind)
    {
        var db = TestDatabases.Create(kind);
        db.Migrate();
        using (var setup = db.Open())
        {
            setup.Execute("CREATE TABLE names_read (n BIGINT NOT NULL, t TEXT)");
            setup.Execute("INSERT INTO names_read (n, t) VALUES (1, '髙橋'), (2, '渡邉'), (3, '髙橋'), (4, '渡邉'), (5, '齋藤')");
        }

        // Two threads, each with its own connection and reader, one pool: as the link's load reads slices of records.
        var pool = new TextPool();
        var halves = new[] { "n <= 2", "n > 2" }.Select(range => Task.Run(() =>
        {
            using var connection = db.OpenForBulk();
            using var rows = new TextRows(connection, $"SELECT t FROM names_read WHERE {range} ORDER BY n", pool);
            var read = new List<string>();
            while (rows.Read())
            {
                read.Add(rows.Text(0)!);
            }

            return read;
        })).ToArray();
        var read = await Task.WhenAll(halves);
        var (first, second) = (read[0], read[1]);

        Assert.Equal(["髙橋", "渡邉"], first);
        Assert.Equal(["髙橋", "渡邉", "齋藤"], second);
        Assert.Same(first[0], second[0]);
        Assert.Same(first[1], second[1]);
    }
}
