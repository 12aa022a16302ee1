using System.Security.Cryptography;
using System.Text;
using Dapper;
using Mimamori.Storage.Connection;

namespace Mimamori.Storage.Identity;

/// <summary>
/// Names for records that survive re-imports, where row ids do not: the source, its own id where the department keeps
/// one (ケース番号, 管理番号), and a fingerprint of the identity fields as received. A department's own id is not always
/// unique to a person (a school reuses pupil numbers), hence the fingerprint beside it. A later snapshot of the same
/// row has the same key, and so do a pupil's monthly rows. Registry rows also carry their 宛名番号, the strongest name
/// a person has.
/// </summary>
public static class RecordKeys
{
    /// <summary>The key of one record.</summary>
    public static string Of(string source, string? localId, string? atenaNo, string? familyName, string? givenName, string? familyKana, string? givenKana, string? birthDate, string? sex)
    {
        var text = string.Join('\u001F', atenaNo, familyName, givenName, familyKana, givenKana, birthDate, sex);

        // Every record of every run is keyed, so the bytes and the digest stay on the stack.
        Span<byte> digest = stackalloc byte[32];
        var length = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (length <= 1024)
        {
            Span<byte> bytes = stackalloc byte[length];
            SHA256.HashData(bytes[..Encoding.UTF8.GetBytes(text, bytes)], digest);
        }
        else
        {
            SHA256.HashData(Encoding.UTF8.GetBytes(text), digest);
        }

        var hash = Convert.ToHexStringLower(digest[..10]);
        return string.IsNullOrWhiteSpace(localId) ? $"rec:{source}:#{hash}" : $"rec:{source}:{localId.Trim()}#{hash}";
    }

    /// <summary>The person key a registry 宛名番号 gives.</summary>
    public static string Atena(string atenaNo) => "atena:" + atenaNo;

    /// <summary>Every record's key, and the 宛名番号 of registry records, by record id.</summary>
    /// <param name="only">The records wanted; null for those of the current imports (a superseded snapshot's rows are not linked).</param>
    public static Dictionary<long, (string Key, string? RegistryAtena)> Load(MimamoriDatabase database, IEnumerable<long>? only = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        using var connection = database.Open();
        const string sql = """
            SELECT r.record_id AS RecordId, r.source AS Source, r.category AS Category, r.local_id AS LocalId, r.atena_no AS AtenaNo, r.family_name AS FamilyName,
                   r.given_name AS GivenName, r.family_kana AS FamilyKana, r.given_kana AS GivenKana, r.birth_date AS BirthDate, r.sex AS Sex
            FROM source_record r
            """;
        var rows = only is null
            ? connection.Query<Row>(sql + " JOIN import_batch b ON b.batch_id = r.batch_id WHERE b.status IN ('current', 'delta')", buffered: false).ToArray()
            : only.Distinct().Chunk(500).SelectMany(ids => connection.Query<Row>(sql + " WHERE r.record_id IN " + SqlLists.Ids(ids))).ToArray();

        // Hashing is most of the work once the rows are read, and each row's key is independent of the others.
        var computed = new (string Key, string? RegistryAtena)[rows.Length];
        Parallel.For(0, rows.Length, i =>
        {
            var r = rows[i];
            computed[i] = Entry(r.Source, r.Category, r.LocalId, r.AtenaNo, r.FamilyName, r.GivenName, r.FamilyKana, r.GivenKana, r.BirthDate, r.Sex);
        });
        var keys = new Dictionary<long, (string, string?)>(rows.Length);
        for (var i = 0; i < rows.Length; i++)
        {
            keys[rows[i].RecordId] = computed[i];
        }

        return keys;
    }

    /// <summary>A record's key, and its 宛名番号 when the record is the registry's (the person key it gives).</summary>
    internal static (string Key, string? RegistryAtena) Entry(string source, string category, string? localId, string? atenaNo, string? familyName, string? givenName, string? familyKana, string? givenKana, string? birthDate, string? sex) =>
        (Of(source, localId, atenaNo, familyName, givenName, familyKana, givenKana, birthDate, sex), category == "resident" && !string.IsNullOrEmpty(atenaNo) ? atenaNo : null);

    /// <summary>The key of an unordered pair: the same whichever record is named first.</summary>
    public static string Pair(string a, string b) => string.CompareOrdinal(a, b) <= 0 ? a + " " + b : b + " " + a;

    private sealed record Row(
        long RecordId, string Source, string Category, string? LocalId, string? AtenaNo, string? FamilyName, string? GivenName, string? FamilyKana,
        string? GivenKana, string? BirthDate, string? Sex);
}
