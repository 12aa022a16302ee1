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
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 10));
        return string.IsNullOrWhiteSpace(localId) ? $"rec:{source}:#{hash}" : $"rec:{source}:{localId.Trim()}#{hash}";
    }

    /// <summary>The person key a registry 宛名番号 gives.</summary>
    public static string Atena(string atenaNo) => "atena:" + atenaNo;

    /// <summary>Every record's key, and the 宛名番号 of registry records, by record id.</summary>
    public static Dictionary<long, (string Key, string? RegistryAtena)> Load(MimamoriDatabase database, IEnumerable<long>? only = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        using var connection = database.Open();
        var sql = """
            SELECT record_id AS RecordId, source AS Source, category AS Category, local_id AS LocalId, atena_no AS AtenaNo, family_name AS FamilyName,
                   given_name AS GivenName, family_kana AS FamilyKana, given_kana AS GivenKana, birth_date AS BirthDate, sex AS Sex
            FROM source_record
            """;
        var rows = only is null
            ? connection.Query<Row>(sql, buffered: false)
            : only.Distinct().Chunk(500).SelectMany(ids => connection.Query<Row>(sql + " WHERE record_id IN (" + string.Join(',', ids) + ")"));
        var keys = new Dictionary<long, (string, string?)>();
        foreach (var r in rows)
        {
            keys[r.RecordId] = (Of(r.Source, r.LocalId, r.AtenaNo, r.FamilyName, r.GivenName, r.FamilyKana, r.GivenKana, r.BirthDate, r.Sex),
                r.Category == "resident" && !string.IsNullOrEmpty(r.AtenaNo) ? r.AtenaNo : null);
        }

        return keys;
    }

    /// <summary>The key of an unordered pair: the same whichever record is named first.</summary>
    public static string Pair(string a, string b) => string.CompareOrdinal(a, b) <= 0 ? a + " " + b : b + " " + a;

    private sealed record Row(
        long RecordId, string Source, string Category, string? LocalId, string? AtenaNo, string? FamilyName, string? GivenName, string? FamilyKana,
        string? GivenKana, string? BirthDate, string? Sex);
}
