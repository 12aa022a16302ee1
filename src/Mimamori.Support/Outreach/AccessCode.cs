using System.Security.Cryptography;
using System.Text;

namespace Mimamori.Support.Outreach;

/// <summary>
/// The code printed on a letter that opens the household's inbox (like a マイナポータル お知らせ without an account).
/// Sixteen characters from a 32-letter alphabet are 80 random bits, so the code is stored as a plain SHA-256: unlike
/// a chosen password it cannot be guessed from a dictionary, and an unsalted hash lets the inbox find the household
/// from the code alone. Attempts are rate-limited where the code is entered.
/// </summary>
public static class AccessCode
{
    // No 0/O, 1/I/L: the code is read off paper and typed by hand, often on a phone.
    private const string Alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    private const int Length = 16;

    /// <summary>A new code, grouped by four for reading: <c>ABCD-EFGH-JKMN-PQRS</c>.</summary>
    public static string New()
    {
        var raw = RandomNumberGenerator.GetString(Alphabet, Length);
        return string.Join('-', Enumerable.Range(0, Length / 4).Select(i => raw.Substring(i * 4, 4)));
    }

    /// <summary>The code as typed, reduced to its characters: hyphens, spaces and case do not matter; full-width letters are folded.</summary>
    public static string Normalise(string typed)
    {
        ArgumentNullException.ThrowIfNull(typed);
        var folded = typed.Normalize(NormalizationForm.FormKC).ToUpperInvariant();
        return new string(folded.Where(char.IsAsciiLetterOrDigit).ToArray());
    }

    /// <summary>True when the typed text has the shape of a code (worth a database look-up).</summary>
    public static bool LooksValid(string typed)
    {
        var n = Normalise(typed);
        return n.Length == Length && n.All(c => Alphabet.Contains(c, StringComparison.Ordinal));
    }

    /// <summary>The stored form: hex SHA-256 of the normalised code.</summary>
    public static string Hash(string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(Normalise(code))));
}
