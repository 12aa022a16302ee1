using System.Security.Cryptography;
using System.Text;

namespace Mimamori.Storage.Encryption;

/// <summary>A stored value could not be decrypted: its key is not configured, or the key or the value is wrong.</summary>
public sealed class DataKeyException(string message, Exception? inner = null) : InvalidOperationException(message, inner);

/// <summary>
/// Encrypts the sensitive free-text columns (decision reasons and snapshots, rights requests) with AES-256-GCM.
/// A stored value reads <c>enc1:KEYID:BASE64(nonce ‖ ciphertext ‖ tag)</c>; the key id (the first 8 hex digits of the
/// key's SHA-256) says which key sealed it, so a new key can be introduced while older values still open with the
/// keys kept after it. The column's name is bound in as associated data: a value copied into another column does not
/// open. Values without the prefix are read as they are (rows written before a key was configured).
/// </summary>
public sealed class ColumnCipher
{
    private const string Prefix = "enc1:";
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly Dictionary<string, byte[]> keys = new(StringComparer.Ordinal);
    private readonly string? currentId;

    private ColumnCipher(IReadOnlyList<byte[]> ring)
    {
        foreach (var key in ring)
        {
            if (key.Length != 32)
            {
                throw new DataKeyException($"A data key must be 256 bits (32 bytes, base64-encoded); one has {key.Length} bytes.");
            }

            var id = KeyId(key);
            keys.TryAdd(id, key);
            currentId ??= id;
        }
    }

    /// <summary>
    /// The columns sealed under the data key: free text staff or requesters wrote about a family. The bulk columns
    /// that ingestion, linkage and detection read by the million (records, facts) are not among them.
    /// </summary>
    public static IReadOnlySet<string> Columns { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "judgement.reasons", "judgement.snapshot",
        "disclosure_request.requester", "disclosure_request.identity_check",
        "correction_request.held_value", "correction_request.requested_value", "correction_request.reason",
        "handover_received.content",
    };

    /// <summary>No key configured: values are written as they are.</summary>
    public static ColumnCipher None { get; } = new([]);

    /// <summary>True when new values are encrypted.</summary>
    public bool Encrypts => currentId is not null;

    /// <summary>The id of the key new values are sealed with, or null.</summary>
    public string? CurrentKeyId => currentId;

    /// <summary>A key ring: the first key seals new values; all of them open old ones.</summary>
    public static ColumnCipher FromKeys(IReadOnlyList<byte[]> ring)
    {
        ArgumentNullException.ThrowIfNull(ring);
        return ring.Count == 0 ? None : new ColumnCipher(ring);
    }

    /// <summary>Keys as text: base64 keys separated by commas or new lines, the current one first; # starts a comment line.</summary>
    public static ColumnCipher Parse(string text, string where)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ring = new List<byte[]>();
        var lines = text.Split(['\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => !l.StartsWith('#'));
        foreach (var part in lines.SelectMany(l => l.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {

            try
            {
                ring.Add(Convert.FromBase64String(part));
            }
            catch (FormatException e)
            {
                throw new DataKeyException($"The data key in {where} is not base64.", e);
            }
        }

        return ring.Count == 0 ? throw new DataKeyException($"{where} holds no data key.") : FromKeys(ring);
    }

    /// <summary>A new random 256-bit key, base64-encoded.</summary>
    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>Encrypts a value for the given column (<c>table.column</c>); null stays null.</summary>
    public string? Seal(string? value, string column)
    {
        if (value is null || currentId is null)
        {
            return value;
        }

        var key = keys[currentId];
        var plain = Encoding.UTF8.GetBytes(value);
        var sealedBytes = new byte[NonceSize + plain.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceSize, plain.Length), sealedBytes.AsSpan(NonceSize + plain.Length), Associated(column));
        return Prefix + currentId + ":" + Convert.ToBase64String(sealedBytes);
    }

    /// <summary>Decrypts a stored value of the given column; a value that was never encrypted is returned as it is.</summary>
    /// <exception cref="DataKeyException">The key is not configured, or the key or the value is wrong.</exception>
    public string? Open(string? stored, string column)
    {
        if (stored is null || !stored.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return stored;
        }

        var rest = stored.AsSpan(Prefix.Length);
        var colon = rest.IndexOf(':');
        if (colon < 0)
        {
            throw new DataKeyException($"A value in {column} is damaged: it has no key id.");
        }

        var id = rest[..colon].ToString();
        if (!keys.TryGetValue(id, out var key))
        {
            throw new DataKeyException(
                $"A value in {column} was encrypted with data key {id}, which is not configured (MIMAMORI_DATA_KEY or MIMAMORI_DATA_KEY_FILE). " +
                (currentId is null ? "No data key is configured at all." : $"The configured key is {currentId}; keep older keys after it to read older values."));
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(rest[(colon + 1)..].ToString());
        }
        catch (FormatException e)
        {
            throw new DataKeyException($"A value in {column} is damaged: not base64.", e);
        }

        if (bytes.Length < NonceSize + TagSize)
        {
            throw new DataKeyException($"A value in {column} is damaged: too short.");
        }

        var length = bytes.Length - NonceSize - TagSize;
        var plain = new byte[length];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(bytes.AsSpan(0, NonceSize), bytes.AsSpan(NonceSize, length), bytes.AsSpan(NonceSize + length), plain, Associated(column));
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new DataKeyException($"A value in {column} does not open with data key {id}: the value was altered or moved from another column.", e);
        }

        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>The key id: the first 8 hex digits of the key's SHA-256 (names the key without revealing it).</summary>
    public static string KeyId(byte[] key) => Convert.ToHexStringLower(SHA256.HashData(key))[..8];

    private static byte[] Associated(string column) => Encoding.UTF8.GetBytes(column);
}
