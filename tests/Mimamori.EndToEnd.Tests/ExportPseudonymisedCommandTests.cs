using Dapper;
using Mimamori.Privacy.Audit;
using Mimamori.Storage.Audit;
using Mimamori.Storage.Connection;

namespace Mimamori.EndToEnd.Tests;

/// <summary>`mimamori export-pseudonymised` as a data steward runs it for an analyst.</summary>
public sealed class ExportPseudonymisedCommandTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"mimamori-pseudo-{Guid.NewGuid():N}");

    private string Db => Path.Combine(root, "store.db");

    [Fact]
    public async Task TheExport_HoldsNoNameOrAtena_AndKeysAreStableUnderOneKeyAndDifferUnderAnother()
    {
        Directory.CreateDirectory(root);
        var database = MimamoriDatabase.FromSetting(Db);
        database.Migrate();
        Seed(database);

        var first = await Export("a", "one");
        var second = await Export("a", "two");
        var otherKey = await Export("b", "three");

        // Nothing that names or locates a person in the store appears in any file written.
        var text = string.Concat(Directory.EnumerateFiles(first).Select(File.ReadAllText));
        using (var connection = database.Open())
        {
            var identifying = connection.Query<string?>(
                    """
                    SELECT family_name FROM person UNION SELECT given_name FROM person UNION SELECT family_kana FROM person
                    UNION SELECT atena_no FROM person UNION SELECT household_no FROM person UNION SELECT address FROM person
                    UNION SELECT birth_date FROM person UNION SELECT family_name FROM source_record UNION SELECT atena_no FROM source_record
                    UNION SELECT phone FROM source_record
                    """)
                .OfType<string>().ToList();
            Assert.True(identifying.Count >= 10);
            foreach (var value in identifying)
            {
                Assert.DoesNotContain(value, text, StringComparison.Ordinal);
            }
        }

        Assert.DoesNotContain("児童相談所に", text, StringComparison.Ordinal);
        Assert.DoesNotContain("欠席30日", text, StringComparison.Ordinal);
        Assert.Contains("2015-04", text, StringComparison.Ordinal);

        var keys = Keys(first);
        Assert.Equal(2, keys.Count);
        Assert.Equal(keys, Keys(second));
        Assert.Empty(keys.Intersect(Keys(otherKey)));

        // The same child carries the same key in every file of one export.
        var scored = File.ReadAllLines(Path.Combine(first, "need_scores-cw_case.csv")).Skip(1).Select(l => l.Split(',')[0]).ToList();
        Assert.Equal([keys[0]], scored);
        Assert.Contains(keys[0], File.ReadAllText(Path.Combine(first, "outcomes.csv")), StringComparison.Ordinal);
        Assert.Contains("abs.days;cw.history", File.ReadAllText(Path.Combine(first, "need_assessments.csv")), StringComparison.Ordinal);

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(root, "a", "pseudonym.key")));
        }

        var exports = new AuditLog(database).ReadAll().Where(e => e.Action == AuditAction.Export).ToList();
        Assert.Equal(3, exports.Count);
        Assert.All(exports, e => Assert.Equal("dataset:pseudonymised", e.Subject));
        Assert.Contains("children.csv: 2 rows", exports[0].Fields);
    }

    private async Task<string> Export(string dataDir, string outDir)
    {
        var output = Path.Combine(root, outDir);
        var result = await CliProcess.Run("--db", Db, "--data", Path.Combine(root, dataDir), "export-pseudonymised", "--out", output, "--as-of", "2026-04-01");
        Assert.True(result.ExitCode == 0, result.Err);
        return output;
    }

    /// <summary>The child keys of an export, in the order of the internal ids.</summary>
    private static List<string> Keys(string dir) =>
        File.ReadAllLines(Path.Combine(dir, "children.csv")).Skip(1).Select(l => l.Split(',')[0]).ToList();

    private static void Seed(MimamoriDatabase database)
    {
        using var connection = database.Open();
        foreach (var (id, family, given, atena, household, birth) in new[]
        {
            (11L, "髙橋", "陽菜", "A000123", "H000045", "2015-04-03"),
            (12L, "佐々木", "蒼", "A000124", "H000046", "2016-11-20"),
        })
        {
            connection.Execute(
                "INSERT INTO person (person_id, family_name, given_name, family_kana, given_kana, birth_date, sex, address, atena_no, household_no, is_child) VALUES (@id, @family, @given, 'タカハシ', 'ヒナ', @birth, 'F', '戸田市上戸田3-14-15', @atena, @household, 1)",
                new { id, family, given, birth, atena, household });
            connection.Execute(
                "INSERT INTO source_record (record_id, batch_id, source, category, file, line, local_id, atena_no, household_no, family_name, given_name, birth_date, phone, original) VALUES (@id, 1, 'jumin', 'resident', 'j.csv', 2, @atena, @atena, @household, @family, @given, @birth, '048-441-0000', '{}')",
                new { id, family, given, birth, atena, household });
        }

        connection.Execute(
            "INSERT INTO need_assessment (person_id, difficulty, score, band, signals, missing, model_version) VALUES (11, 'school', 0.7, 'high', @signals, '[]', 'rules-1')",
            new { signals = """[{"rule":"abs.days","ja":"欠席","en":"absence","weight":0.5,"observed":"欠席30日","evidence":[{"source":"gakureibo","record_id":11,"date":"2026-03-01","value":"欠席30日"}]},{"rule":"cw.history","ja":"相談","en":"consultation","weight":0.4,"observed":"1","evidence":[]}]""" });
        connection.Execute(
            "INSERT INTO need_score (person_id, outcome, model_version, split, probability, band, contributions, inputs, first_signal) VALUES (11, 'cw_case', 'm1', 'train', 0.42, 'medium', '[]', '[1,null,3.5]', '2025-09-14')");
        connection.Execute(
            """
            INSERT INTO judgement (judgement_id, person_id, decision, reasons, decided_by, decided_by_name, role, organisation, meeting_id, overrides_score, decided_at, supersedes, model_version, snapshot)
            VALUES (1, 11, 'support_needed', '児童相談所に髙橋さんの件を相談済み', 'sato', '佐藤', 'supervisor', 'こども家庭センター', NULL, 0, '2026-03-02T01:00:00.0000000Z', NULL, 'm1', '{"name":"髙橋 陽菜"}')
            """);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(root, recursive: true);
    }
}
