using System.Globalization;
using System.Security.Cryptography;

namespace Mimamori.Privacy.Accounts;

/// <summary>
/// Password storage: PBKDF2-SHA256 with 210,000 iterations (OWASP's 2023 figure) and a random 16-byte salt, encoded
/// <c>pbkdf2-sha256$iterations$salt$hash</c> (salt and hash in base64) so the cost can rise later without breaking
/// stored hashes. Comparison is constant-time so timing does not reveal how much of a guess was right.
/// </summary>
public static class PasswordHasher
{
    /// <summary>Iterations used for new hashes.</summary>
    public const int Iterations = 210_000;

    private const string Scheme = "pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    /// <summary>Hashes a password with a fresh random salt.</summary>
    public static string Hash(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, Iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Join('$', Scheme, Iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    /// <summary>True when <paramref name="password"/> matches the stored hash; false for a wrong password or a malformed hash.</summary>
    public static bool Verify(string password, string encoded)
    {
        ArgumentNullException.ThrowIfNull(password);
        var parts = (encoded ?? string.Empty).Split('$');
        if (parts.Length != 4 || parts[0] != Scheme
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < 1)
        {
            return false;
        }

        byte[] salt;
        byte[] expected;
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            expected = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }

        if (expected.Length == 0)
        {
            return false;
        }

        var actual = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>
    /// Burns the same time as a real verification; used for unknown user names so response time does not tell an
    /// attacker which names exist.
    /// </summary>
    public static void VerifyNothing(string password) => Verify(password ?? string.Empty, DummyHash.Value);

    private static readonly Lazy<string> DummyHash = new(() => Hash("unused"));
}
