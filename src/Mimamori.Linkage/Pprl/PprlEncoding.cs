using System.Numerics;

namespace Mimamori.Linkage.Pprl;

/// <summary>
/// One record as a partner shares it: its own id, a balanced Bloom filter of its identity (no name in any readable
/// form) and keyed hashes of normalised keys used to find candidates.
/// </summary>
public sealed record PprlEncoding(string Id, byte[] Filter, IReadOnlyList<string> BlockKeys)
{
    /// <summary>
    /// Dice similarity of two filters: 2|A∧B| / (|A| + |B|). Balanced filters all hold the same number of ones, so
    /// this is the share of one bits the two have in common.
    /// </summary>
    public static double Dice(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"Filters of different lengths ({a.Length * 8} and {b.Length * 8} bits) come from different encodings.", nameof(b));
        }

        int common = 0, ones = 0;
        for (var i = 0; i < a.Length; i++)
        {
            common += BitOperations.PopCount((uint)(a[i] & b[i]));
            ones += BitOperations.PopCount(a[i]) + BitOperations.PopCount(b[i]);
        }

        return ones == 0 ? 0 : 2.0 * common / ones;
    }

    /// <summary>Similarity with another encoding.</summary>
    public double Dice(PprlEncoding other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Dice(Filter, other.Filter);
    }
}
