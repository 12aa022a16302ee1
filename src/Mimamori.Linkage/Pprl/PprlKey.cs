using System.Security.Cryptography;
using System.Text;

namespace Mimamori.Linkage.Pprl;

/// <summary>
/// The per-project secret both parties hold and nobody else does. Every bit position, the balancing permutation and
/// every keyed hash are derived from it, each with its own label, so that one derived value says nothing about another.
/// Without it a dictionary of names cannot be encoded, which is what stops the simplest attack: encoding every
/// plausible name and looking the filters up. A different project's secret gives unrelated encodings.
/// </summary>
public sealed class PprlKey
{
    /// <summary>Shortest secret accepted: 128 bits.</summary>
    public const int MinimumBytes = 16;

    private PprlKey(byte[] secret)
    {
        Positions = Derive(secret, "mimamori-pprl/v1/positions");
        Permutation = Derive(secret, "mimamori-pprl/v1/permutation");
        Hashes = Derive(secret, "mimamori-pprl/v1/keyed-hashes");
        Fingerprint = Convert.ToHexStringLower(Derive(secret, "mimamori-pprl/v1/fingerprint").AsSpan(0, 8));
    }

    /// <summary>A short public check that two parties hold the same secret (it reveals nothing usable about it).</summary>
    public string Fingerprint { get; }

    internal byte[] Positions { get; }

    internal byte[] Permutation { get; }

    internal byte[] Hashes { get; }

    /// <exception cref="ArgumentException">The secret is shorter than <see cref="MinimumBytes"/>.</exception>
    public static PprlKey From(ReadOnlySpan<byte> secret)
    {
        if (secret.Length < MinimumBytes)
        {
            throw new ArgumentException($"The PPRL secret has {secret.Length} bytes; at least {MinimumBytes} random bytes are needed.", nameof(secret));
        }

        return new PprlKey(secret.ToArray());
    }

    /// <summary>A new random secret (32 bytes).</summary>
    public static byte[] NewSecret() => RandomNumberGenerator.GetBytes(32);

    private static byte[] Derive(byte[] secret, string label) => HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(label));
}
