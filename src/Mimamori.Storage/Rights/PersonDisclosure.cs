using System.Data.Common;
using System.Globalization;
using Mimamori.Storage.Connection;

namespace Mimamori.Storage.Rights;

/// <summary>One part of what is held about a person: a table's rows, every column as stored.</summary>
/// <param name="Name">The table, as the data model documents it.</param>
/// <param name="Ja">What the part is, in Japanese.</param>
/// <param name="En">What the part is, in English.</param>
public sealed record DisclosureSection(string Name, string Ja, string En, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string?>> Rows);

/// <summary>Everything held about one person, section by section.</summary>
public sealed record DisclosureDocument(long PersonId, IReadOnlyList<DisclosureSection> Sections)
{
    /// <summary>True when nothing at all is held.</summary>
    public bool IsEmpty => Sections.All(s => s.Rows.Count == 0);
}

/// <summary>
/// Gathers everything the store holds about a person for a request to see it (本人開示): the records as received
/// (with their lineage), the facts taken from them, how they were linked, the need signals and model scores, the
/// decisions staff made, the messages sent, the corrections asked for, and who looked at the person's data and why.
/// Whole rows are read (<c>SELECT *</c>) so that a column added later is disclosed without anyone remembering to.
/// </summary>
public static class PersonDisclosure
{
    private static readonly (string Name, string Ja, string En, string Sql)[] Parts =
    [
        ("person", "本人の基本情報（名寄せ後）", "The person as linked", "SELECT * FROM person WHERE person_id = @p"),
        ("source_record", "各課から受け取った記録（受け取ったままの値を含む）", "Records received from each department (with the values as received)",
            "SELECT s.* FROM source_record s JOIN person_record pr ON pr.record_id = s.record_id WHERE pr.person_id = @p ORDER BY s.source, s.record_id"),
        ("record_earlier_batch", "同じ内容で以前にも受け取った記録の受取履歴", "Earlier exports that held the same records unchanged",
            "SELECT e.* FROM record_earlier_batch e JOIN person_record pr ON pr.record_id = e.record_id WHERE pr.person_id = @p ORDER BY e.record_id, e.batch_id"),
        ("fact", "記録から取り出した事実", "Facts taken from the records",
            "SELECT s.source, s.category, f.* FROM fact f JOIN person_record pr ON pr.record_id = f.record_id JOIN source_record s ON s.record_id = f.record_id WHERE pr.person_id = @p ORDER BY f.fact_date, f.kind"),
        ("person_record", "記録を本人に結び付けた方法と根拠", "How each record was linked to the person, and why",
            "SELECT pr.*, le.json AS explanation_json FROM person_record pr LEFT JOIN link_explanation le ON le.explanation_id = pr.explanation_id WHERE pr.person_id = @p ORDER BY pr.record_id"),
        ("need_assessment", "支援の必要性の兆候（規則による）", "Signals that support may be needed (rules)", "SELECT * FROM need_assessment WHERE person_id = @p ORDER BY difficulty"),
        ("need_score", "統計モデルの推定", "Statistical model estimates", "SELECT * FROM need_score WHERE person_id = @p ORDER BY outcome"),
        ("judgement", "職員による判断", "Decisions made by staff", "SELECT * FROM judgement WHERE person_id = @p ORDER BY judgement_id"),
        ("outreach_message", "お送りしたお知らせ", "Messages sent", "SELECT * FROM outreach_message WHERE person_id = @p ORDER BY message_id"),
        ("handover_received", "他の市区町村から受け取った引継ぎ（転入時）", "Hand-overs received from the municipality the family moved from",
            "SELECT * FROM handover_received WHERE person_id = @p ORDER BY handover_id"),
        ("correction_request", "訂正の請求", "Requests for correction", "SELECT * FROM correction_request WHERE person_id = @p ORDER BY correction_id"),
        ("audit_event", "本人の情報を閲覧・利用した記録", "Who accessed the person's data, when and for what purpose", "SELECT * FROM audit_event WHERE subject = @subject ORDER BY seq"),
    ];

    /// <summary>Reads everything held about <paramref name="personId"/>.</summary>
    public static DisclosureDocument Read(MimamoriDatabase database, long personId)
    {
        ArgumentNullException.ThrowIfNull(database);
        using var connection = database.Open();
        var sections = Parts.Select(part => ReadPart(connection, database.Cipher, part, personId)).ToList();
        return new DisclosureDocument(personId, sections);
    }

    private static DisclosureSection ReadPart(DbConnection connection, Encryption.ColumnCipher cipher, (string Name, string Ja, string En, string Sql) part, long personId)
    {
        using var command = connection.CreateCommand();
        command.CommandText = part.Sql;
        Add(command, "@p", personId);
        Add(command, "@subject", "person:" + personId.ToString(CultureInfo.InvariantCulture));
        using var reader = command.ExecuteReader();
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        var rows = new List<IReadOnlyList<string?>>();
        while (reader.Read())
        {
            // Encrypted columns are opened for the person they are about; the column name is the one they were sealed under.
            // Only the sealed columns are opened: a received value that merely looks like ciphertext stays as received.
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? null : Value(cipher, part.Name + "." + columns[i], Text(reader.GetValue(i)))).ToList());
        }

        return new DisclosureSection(part.Name, part.Ja, part.En, columns, rows);
    }

    private static void Add(DbCommand command, string name, object value)
    {
        if (!command.CommandText.Contains(name, StringComparison.Ordinal))
        {
            return;
        }

        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private static string? Value(Encryption.ColumnCipher cipher, string column, string text) =>
        Encryption.ColumnCipher.Columns.Contains(column) ? cipher.Open(text, column) : text;

    private static string Text(object value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
