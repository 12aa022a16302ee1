using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Mimamori.Ingestion.Records;

namespace Mimamori.Storage.Ingestion;

/// <summary>
/// The digest of everything a record holds except where it was read (file and line): its identity fields, its values
/// as received and the facts its feed spec drew from them. Two rows with the same digest in one source are the same
/// record sent again, so a snapshot can carry the earlier record over instead of storing a copy (migration 21).
/// </summary>
/// <remarks>
/// 128 bits of SHA-256: a collision among the rows of a source is not a practical concern, and unlike a 64-bit
/// checksum the digest can stand for the row's content in history.
/// </remarks>
internal static class RecordContent
{
    /// <summary>The digest of the values exactly as they are stored.</summary>
    public static UInt128 Of(
        string category, string? localId, string? atenaNo, string? householdNo, string? family, string? given, string? familyKana, string? givenKana,
        string? birthDate, string? sex, string? postalCode, string? address, string? phone, string? relation, string original, string? birthFrom, string? birthTo,
        IReadOnlyList<Fact> facts)
    {
        var text = new StringBuilder(original.Length + 256);
        foreach (var value in (ReadOnlySpan<string?>)[category, localId, atenaNo, householdNo, family, given, familyKana, givenKana, birthDate, sex, postalCode, address, phone, relation, original, birthFrom, birthTo])
        {
            Append(text, value);
        }

        foreach (var fact in facts)
        {
            text.Append('|');
            Append(text, fact.Kind);
            Append(text, fact.Date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            Append(text, fact.Text);
            Append(text, fact.Number?.ToString("R", CultureInfo.InvariantCulture));
        }

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()), hash);
        return new UInt128(BitConverter.ToUInt64(hash[..8]), BitConverter.ToUInt64(hash[8..16]));
    }

    /// <summary>The digest as stored: 32 hexadecimal digits.</summary>
    public static string Format(UInt128 digest) => digest.ToString("x32", CultureInfo.InvariantCulture);

    /// <summary>A stored digest.</summary>
    public static UInt128 Parse(string stored) => UInt128.Parse(stored, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);

    // Each value with its length, so no value can run into the next whatever characters it holds; a null differs from an empty value.
    private static void Append(StringBuilder text, string? value)
    {
        if (value is null)
        {
            text.Append('-');
            return;
        }

        text.Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value);
    }
}
