using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Mimamori.Privacy.Audit;

/// <summary>
/// The hash chain over the audit trail: each entry's hash covers its content and the previous entry's hash, so
/// changing any stored entry, deleting one or swapping two breaks every later link. (Cutting entries off the end
/// leaves a shorter valid chain; compare the head hash with a copy kept elsewhere to detect that.)
/// </summary>
public static class AuditChain
{
    /// <summary>The previous hash of the first entry.</summary>
    public static readonly string Genesis = new('0', 64);

    /// <summary>SHA-256 (lower-case hex) over the previous hash and a canonical serialisation of the entry.</summary>
    public static string Hash(string prevHash, AuditEvent auditEvent)
    {
        ArgumentNullException.ThrowIfNull(prevHash);
        ArgumentNullException.ThrowIfNull(auditEvent);
        return Convert.ToHexStringLower(SHA256.HashData(Canonical(prevHash, auditEvent)));
    }

    /// <summary>The timestamp as stored and hashed: UTC with 100 ns precision, so it round-trips through text.</summary>
    public static string FormatTime(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Reads a timestamp written by <see cref="FormatTime"/>.</summary>
    public static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.ParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>
    /// Checks a trail given in seq order: seq runs 1, 2, 3…, each entry links to its predecessor and its hash matches
    /// its content. Returns the seq of the first entry that breaks the chain, or null when it is intact.
    /// </summary>
    public static long? Verify(IEnumerable<AuditEvent> events) => VerifyAfter(events, 0, Genesis);

    /// <summary>
    /// Checks the entries that follow an entry already checked (<paramref name="previousSeq"/> with hash
    /// <paramref name="previousHash"/>; 0 and <see cref="Genesis"/> for the whole trail), given in seq order.
    /// </summary>
    public static long? VerifyAfter(IEnumerable<AuditEvent> events, long previousSeq, string previousHash)
    {
        ArgumentNullException.ThrowIfNull(events);
        var prev = previousHash;
        var expectedSeq = previousSeq + 1;
        foreach (var e in events)
        {
            if (e.Seq != expectedSeq || !string.Equals(e.PrevHash, prev, StringComparison.Ordinal) || !string.Equals(Hash(prev, e), e.Hash, StringComparison.Ordinal))
            {
                return e.Seq;
            }

            prev = e.Hash;
            expectedSeq++;
        }

        return null;
    }

    // A JSON array has one unambiguous encoding for these values (no field can bleed into the next, as it could with
    // a separator), and the version tag lets the format change later without re-hashing old entries.
    private static byte[] Canonical(string prevHash, AuditEvent e)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartArray();
            w.WriteStringValue("mimamori-audit-v1");
            w.WriteNumberValue(e.Seq);
            w.WriteStringValue(FormatTime(e.At));
            w.WriteStringValue(e.User);
            w.WriteStringValue(e.Role);
            w.WriteStringValue(e.Organisation);
            w.WriteStringValue(e.Purpose);
            w.WriteStringValue(e.Action);
            w.WriteStringValue(e.Subject);
            WriteList(w, e.Categories);
            WriteList(w, e.Fields);
            w.WriteStringValue(e.Outcome);
            w.WriteStringValue(e.Client);
            w.WriteStringValue(prevHash);
            w.WriteEndArray();
        }

        return buffer.ToArray();
    }

    private static void WriteList(Utf8JsonWriter w, IReadOnlyList<string> values)
    {
        w.WriteStartArray();
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }

    /// <summary>UTF-8 bytes of the canonical form, exposed for documentation and tests of the format.</summary>
    public static string CanonicalText(string prevHash, AuditEvent auditEvent) => Encoding.UTF8.GetString(Canonical(prevHash, auditEvent));
}
