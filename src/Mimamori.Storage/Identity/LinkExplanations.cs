using Mimamori.Storage.Connection;

namespace Mimamori.Storage.Identity;

/// <summary>
/// Link explanations stored once each (<c>link_explanation</c>, migration 20): a link names its explanation by
/// <c>person_record.explanation_id</c>. A link written before that migration has no id and keeps its text in
/// <c>person_record.explanation</c>, so readers take the shared text when there is one and the link's own otherwise.
/// </summary>
public static class LinkExplanations
{
    /// <summary>The join that reaches the explanation of the links aliased <paramref name="links"/>; its table is aliased <c>le</c>.</summary>
    public static string Join(string links) => $"LEFT JOIN link_explanation le ON le.explanation_id = {links}.explanation_id";

    /// <summary>The explanation's JSON, with <see cref="Join"/> in the query.</summary>
    public static string Json(string links) => $"COALESCE(le.json, {links}.explanation)";

    /// <summary>
    /// Gives each distinct explanation an id and writes it once. The linker shares one string per combination of
    /// levels, so most texts are found by reference before their characters are compared.
    /// </summary>
    internal sealed class Writer
    {
        private readonly BulkWriter rows;
        private readonly Dictionary<string, long> byReference = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<string, long> byText = new(StringComparer.Ordinal);
        private long last;

        /// <summary>A writer into an empty table.</summary>
        public Writer(BulkWriter rows)
            : this(rows, [])
        {
        }

        /// <summary>A writer that adds to the explanations already stored (an incremental link keeps them).</summary>
        public Writer(BulkWriter rows, IEnumerable<(long Id, string Json)> stored)
        {
            this.rows = rows;
            foreach (var (id, json) in stored)
            {
                byText[json] = id;
                last = Math.Max(last, id);
            }
        }

        /// <summary>The explanation's id, writing it the first time its text is seen.</summary>
        public long IdOf(string json)
        {
            if (byReference.TryGetValue(json, out var id))
            {
                return id;
            }

            if (!byText.TryGetValue(json, out id))
            {
                id = ++last;
                byText[json] = id;
                rows.Write(id, json);
            }

            byReference[json] = id;
            return id;
        }
    }
}
