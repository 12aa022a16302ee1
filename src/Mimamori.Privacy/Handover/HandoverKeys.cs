using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mimamori.Privacy.Handover;

/// <summary>A hand-over key or package is unreadable, altered, not from the expected sender, or not for this key.</summary>
public sealed class HandoverException(string message, Exception? inner = null) : InvalidOperationException(message, inner);

/// <summary>
/// A municipality's public hand-over keys, as given to partner municipalities: one P-256 key to encrypt packages to
/// it (ECDH) and one to check the packages it signs (ECDSA). Two keys, because one key should serve one use.
/// </summary>
/// <param name="Municipality">The municipality's name as it signs (e.g. 見守り市).</param>
/// <param name="Agreement">The ECDH public key (SubjectPublicKeyInfo, DER).</param>
/// <param name="Signing">The ECDSA public key (SubjectPublicKeyInfo, DER).</param>
public sealed record HandoverPublicKey(string Municipality, byte[] Agreement, byte[] Signing)
{
    internal const string Format = "mimamori-handover-public-key/1";

    /// <summary>
    /// The first 16 hex digits of the SHA-256 of both keys: what two municipalities read to each other over the phone
    /// to check that a key file came from the other side unchanged.
    /// </summary>
    public string Fingerprint => Convert.ToHexStringLower(SHA256.HashData([.. Agreement, .. Signing]))[..16];

    /// <summary>True when both keys are the same as another's.</summary>
    public bool SameKeys(HandoverPublicKey other) =>
        other is not null && Agreement.AsSpan().SequenceEqual(other.Agreement) && Signing.AsSpan().SequenceEqual(other.Signing);

    /// <summary>The key file's text (JSON).</summary>
    public string ToText() => JsonSerializer.Serialize(new PublicFile(Format, Municipality, Convert.ToBase64String(Agreement), Convert.ToBase64String(Signing), Fingerprint), HandoverJson.Options);

    /// <summary>Reads a public key file; <paramref name="where"/> names it in messages.</summary>
    /// <exception cref="HandoverException">Not a hand-over public key, or its keys are not P-256 keys.</exception>
    public static HandoverPublicKey Parse(string text, string where)
    {
        var file = HandoverJson.Read<PublicFile>(text, where);
        if (file?.Format != Format || string.IsNullOrWhiteSpace(file.Municipality) || file.Agreement is null || file.Signing is null)
        {
            throw new HandoverException($"{where} is not a hand-over public key ({Format}).");
        }

        var key = new HandoverPublicKey(file.Municipality, HandoverJson.Bytes(file.Agreement, where), HandoverJson.Bytes(file.Signing, where));
        key.Check(where);
        if (file.Fingerprint is not null && file.Fingerprint != key.Fingerprint)
        {
            throw new HandoverException($"{where} states fingerprint {file.Fingerprint} but its keys give {key.Fingerprint}: the file was altered.");
        }

        return key;
    }

    internal ECDiffieHellman AgreementKey()
    {
        var ecdh = ECDiffieHellman.Create();
        ecdh.ImportSubjectPublicKeyInfo(Agreement, out _);
        return ecdh;
    }

    internal ECDsa SigningKey()
    {
        var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(Signing, out _);
        return ecdsa;
    }

    private void Check(string where)
    {
        try
        {
            using var a = AgreementKey();
            using var s = SigningKey();
            if (a.KeySize != 256 || s.KeySize != 256)
            {
                throw new HandoverException($"{where}: hand-over keys are P-256 keys.");
            }
        }
        catch (CryptographicException e)
        {
            throw new HandoverException($"{where} holds a damaged key.", e);
        }
    }

    private sealed record PublicFile(string? Format, string? Municipality, string? Agreement, string? Signing, string? Fingerprint);
}

/// <summary>
/// A municipality's private hand-over keys: opens packages sent to it and signs the packages it sends. Kept on the
/// server in a file only the service account reads (mode 0600), never sent anywhere.
/// </summary>
public sealed class HandoverPrivateKey : IDisposable
{
    private const string Format = "mimamori-handover-private-key/1";
    private readonly ECDiffieHellman agreement;
    private readonly ECDsa signing;

    private HandoverPrivateKey(string municipality, ECDiffieHellman agreement, ECDsa signing)
    {
        this.agreement = agreement;
        this.signing = signing;
        Public = new HandoverPublicKey(municipality, agreement.ExportSubjectPublicKeyInfo(), signing.ExportSubjectPublicKeyInfo());
    }

    /// <summary>The matching public keys, for partner municipalities.</summary>
    public HandoverPublicKey Public { get; }

    /// <summary>New random keys for a municipality.</summary>
    public static HandoverPrivateKey Create(string municipality)
    {
        if (string.IsNullOrWhiteSpace(municipality))
        {
            throw new ArgumentException("A hand-over key names its municipality.", nameof(municipality));
        }

        return new HandoverPrivateKey(municipality.Trim(), ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256), ECDsa.Create(ECCurve.NamedCurves.nistP256));
    }

    /// <summary>The private key file's text (JSON with both keys as PKCS#8).</summary>
    public string ToText() => JsonSerializer.Serialize(
        new PrivateFile(Format, Public.Municipality, Convert.ToBase64String(agreement.ExportPkcs8PrivateKey()), Convert.ToBase64String(signing.ExportPkcs8PrivateKey())),
        HandoverJson.Options);

    /// <summary>Reads a private key file; <paramref name="where"/> names it in messages.</summary>
    /// <exception cref="HandoverException">Not a hand-over private key, or damaged.</exception>
    public static HandoverPrivateKey Parse(string text, string where)
    {
        var file = HandoverJson.Read<PrivateFile>(text, where);
        if (file?.Format != Format || string.IsNullOrWhiteSpace(file.Municipality) || file.Agreement is null || file.Signing is null)
        {
            throw new HandoverException($"{where} is not a hand-over private key ({Format}).");
        }

        var agreement = ECDiffieHellman.Create();
        var signing = ECDsa.Create();
        try
        {
            agreement.ImportPkcs8PrivateKey(HandoverJson.Bytes(file.Agreement, where), out _);
            signing.ImportPkcs8PrivateKey(HandoverJson.Bytes(file.Signing, where), out _);
        }
        catch (CryptographicException e)
        {
            agreement.Dispose();
            signing.Dispose();
            throw new HandoverException($"{where} holds a damaged key.", e);
        }

        return new HandoverPrivateKey(file.Municipality, agreement, signing);
    }

    internal byte[] Agree(ECDiffieHellmanPublicKey other) => agreement.DeriveRawSecretAgreement(other);

    internal byte[] Sign(byte[] data) => signing.SignData(data, HashAlgorithmName.SHA256);

    /// <inheritdoc/>
    public void Dispose()
    {
        agreement.Dispose();
        signing.Dispose();
    }

    private sealed record PrivateFile(string? Format, string? Municipality, string? Agreement, string? Signing);
}

/// <summary>JSON settings and helpers shared by the key and package files.</summary>
internal static class HandoverJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static T? Read<T>(string text, string where)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(text, Options);
        }
        catch (JsonException e)
        {
            throw new HandoverException($"{where} is not a hand-over file (not JSON).", e);
        }
    }

    public static byte[] Bytes(string base64, string where)
    {
        try
        {
            return Convert.FromBase64String(base64);
        }
        catch (FormatException e)
        {
            throw new HandoverException($"{where} is damaged (not base64).", e);
        }
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
