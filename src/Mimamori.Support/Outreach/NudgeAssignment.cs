using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Mimamori.Support.Outreach;

/// <summary>
/// Assigns each household a wording at random for a nudge experiment. The draw is a hash of the recorded seed and
/// the household number, not a running random generator, so the assignment can be reproduced from the seed alone
/// and does not change when households are added, removed or read in another order.
/// </summary>
public static class NudgeAssignment
{
    /// <summary>A seed to record with the campaign.</summary>
    public static long NewSeed() => RandomNumberGenerator.GetInt32(1, int.MaxValue);

    /// <summary>The wording for one household: uniform over <paramref name="variants"/>.</summary>
    public static string Assign(long seed, string householdNo, IReadOnlyList<string> variants)
    {
        ArgumentNullException.ThrowIfNull(variants);
        if (variants.Count == 0)
        {
            throw new ArgumentException("no wordings to choose from", nameof(variants));
        }

        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(seed.ToString(CultureInfo.InvariantCulture) + "\u001f" + householdNo));
        var draw = BitConverter.ToUInt64(digest, 0);
        return variants[(int)(draw % (ulong)variants.Count)];
    }
}
