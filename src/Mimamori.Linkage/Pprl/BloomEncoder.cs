using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Mimamori.Linkage.Records;

namespace Mimamori.Linkage.Pprl;

/// <summary>
/// Encodes identities as keyed, salted, balanced record-level Bloom filters (cryptographic long-term keys, CLK). The
/// inputs are the same match keys the linker compares, so 渡邊 and 渡辺, ｻﾄｳ and さとう encode alike: the folded name
/// and the loose kana reading cut into padded bigrams, birth year, month and day, sex, and the parts of the address key.
/// Each q-gram sets up to 16 of <see cref="Bits"/> positions taken straight from an HMAC of the q-gram under the
/// project secret (random hashing: no double-hashing pattern for cryptanalysis to unpick). Name and reading q-grams are
/// salted with the birth year, so the same surname in two birth cohorts sets unrelated bits and a frequency attack
/// has far fewer repetitions to work on. The filter is then balanced: it is concatenated with its complement and the
/// result permuted under the secret, so every encoding holds exactly <see cref="Bits"/> ones and its weight says
/// nothing about the length of a name.
/// </summary>
public sealed class BloomEncoder
{
    /// <summary>Length of the filter before balancing; the shared filter is twice as long.</summary>
    public const int Bits = 1024;

    /// <summary>Positions per q-gram for each field: names and dates carry most of the evidence, sex little.</summary>
    private static readonly (string Field, int K)[] Fields = [("name", 15), ("reading", 15), ("year", 12), ("month", 12), ("day", 12), ("sex", 4), ("address", 8)];

    private readonly PprlKey key;
    private readonly int[] permutation;

    public BloomEncoder(PprlKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        this.key = key;
        permutation = Permutation(key.Permutation, 2 * Bits);
    }

    /// <summary>Bytes of one balanced filter.</summary>
    public static int FilterBytes => 2 * Bits / 8;

    /// <summary>The encoding of one record under this project's secret.</summary>
    public PprlEncoding Encode(string id, PreparedRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var plain = new bool[Bits];
        var year = record.BirthDate?.Year.ToString(CultureInfo.InvariantCulture) ?? string.Empty;
        Span<byte> mac = stackalloc byte[32];
        foreach (var (field, k) in Fields)
        {
            foreach (var token in Tokens(field, record))
            {
                // The birth year salts the name fields only: a date field salted with itself would add nothing.
                var salt = field is "name" or "reading" ? year : string.Empty;
                HMACSHA256.HashData(key.Positions, Encoding.UTF8.GetBytes($"{field}\u001F{salt}\u001F{token}"), mac);
                for (var i = 0; i < k; i++)
                {
                    plain[BinaryPrimitives.ReadUInt16LittleEndian(mac[(2 * i)..]) % Bits] = true;
                }
            }
        }

        var filter = new byte[FilterBytes];
        for (var i = 0; i < 2 * Bits; i++)
        {
            // Position i of the balanced filter holds bit permutation[i] of (plain ‖ ¬plain).
            var source = permutation[i];
            var bit = source < Bits ? plain[source] : !plain[source - Bits];
            if (bit)
            {
                filter[i >> 3] |= (byte)(1 << (i & 7));
            }
        }

        return new PprlEncoding(id, filter, BlockKeys(record));
    }

    /// <summary>
    /// Keyed hashes of exact normalised keys, for finding candidates only: birth date, reading with birth year, reading
    /// with month and day (a mistyped year), folded name with birth year. Equal keys give equal hashes, so they are
    /// never shown without the filter's similarity deciding.
    /// </summary>
    public IReadOnlyList<string> BlockKeys(PreparedRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var keys = new List<string>(4);
        var birth = record.BirthDate;
        if (birth is { } d)
        {
            keys.Add(Hash("dob", d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        }

        if (record.LooseReading.Length > 0 && birth is { } d2)
        {
            keys.Add(Hash("reading-year", record.LooseReading + "|" + d2.Year.ToString(CultureInfo.InvariantCulture)));
            keys.Add(Hash("reading-day", record.LooseReading + "|" + d2.ToString("MM-dd", CultureInfo.InvariantCulture)));
        }

        if (record.Name.Length > 0 && birth is { } d3)
        {
            keys.Add(Hash("name-year", record.Name + "|" + d3.Year.ToString(CultureInfo.InvariantCulture)));
        }

        return keys;
    }

    private string Hash(string label, string value)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(key.Hashes, Encoding.UTF8.GetBytes(label + "\u001F" + value), mac);
        return Convert.ToHexStringLower(mac[..16]);
    }

    private static IEnumerable<string> Tokens(string field, PreparedRecord r) => field switch
    {
        "name" => Bigrams(r.Name),
        "reading" => Bigrams(r.LooseReading),
        "year" => r.BirthDate is { } y ? [y.Year.ToString(CultureInfo.InvariantCulture)] : [],
        "month" => r.BirthDate is { } m ? [m.Month.ToString(CultureInfo.InvariantCulture)] : [],
        "day" => r.BirthDate is { } d ? [d.Day.ToString(CultureInfo.InvariantCulture)] : [],
        "sex" => r.Sex == '\0' ? [] : [r.Sex.ToString()],
        "address" => r.Address.Split('|', StringSplitOptions.RemoveEmptyEntries).Select((part, i) => i.ToString(CultureInfo.InvariantCulture) + ":" + part),
        _ => [],
    };

    /// <summary>Padded bigrams by text element, so a surrogate pair (𠮷) is one character.</summary>
    internal static IEnumerable<string> Bigrams(string text)
    {
        if (text.Length == 0)
        {
            yield break;
        }

        var chars = new List<string> { "_" };
        var e = StringInfo.GetTextElementEnumerator(text);
        while (e.MoveNext())
        {
            chars.Add(e.GetTextElement());
        }

        chars.Add("_");
        for (var i = 0; i + 1 < chars.Count; i++)
        {
            yield return chars[i] + chars[i + 1];
        }
    }

    private static int[] Permutation(byte[] seed, int n)
    {
        var order = Enumerable.Range(0, n).ToArray();
        Span<byte> block = stackalloc byte[32];
        Span<byte> counter = stackalloc byte[4];
        var used = 8;
        var blockNo = 0;
        for (var i = n - 1; i > 0; i--)
        {
            if (used == 8)
            {
                BinaryPrimitives.WriteInt32LittleEndian(counter, blockNo++);
                HMACSHA256.HashData(seed, counter, block);
                used = 0;
            }

            var j = (int)(BinaryPrimitives.ReadUInt32LittleEndian(block[(4 * used++)..]) % (uint)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }

        return order;
    }
}
