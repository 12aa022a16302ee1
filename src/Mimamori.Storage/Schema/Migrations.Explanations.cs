namespace Mimamori.Storage.Schema;

public static partial class Migrations
{
    /// <summary>
    /// Distinct link explanations (version 20): a link's explanation is the same JSON for every record matched with
    /// the same combination of comparison levels, so a city's millions of links hold a few hundred distinct texts.
    /// Each is stored once in <c>link_explanation</c> and a link names it by <c>person_record.explanation_id</c>.
    /// The old <c>explanation</c> column stays: links written before this version keep their text there (and are
    /// read from it while <c>explanation_id</c> is null); links written since hold an empty text in it.
    /// </summary>
    private static (int Version, string Name, string Sql)[] Explanations =>
    [
        (20, "distinct link explanations", """
            CREATE TABLE link_explanation (
                explanation_id BIGINT PRIMARY KEY,
                json TEXT NOT NULL
            );
            ALTER TABLE person_record ADD COLUMN explanation_id BIGINT;
            """),
    ];
}
