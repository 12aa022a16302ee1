using System.Security.Cryptography;
using System.Text;

namespace Mimamori.Privacy.Handover;

/// <summary>What opening a package gave: the content, who signed it, and whether that signer was a key the receiver knew.</summary>
/// <param name="Content">The plaintext (JSON).</param>
/// <param name="Sender">The sender's public keys as carried in the package (the signature verifies under them).</param>
/// <param name="SenderKnown">True when the receiver named the sender's key file and the package's keys are those.</param>
public sealed record OpenedPackage(byte[] Content, HandoverPublicKey Sender, bool SenderKnown);

/// <summary>
/// The hand-over package: one file, JSON around authenticated encryption, that only the receiving municipality can
/// open and whose origin it can check.
/// <list type="bullet">
/// <item>A fresh P-256 key pair per package agrees a secret with the recipient's ECDH key; HKDF-SHA256 turns it into
/// an AES-256-GCM key. The header (format, both municipalities, both key fingerprints, the fresh public key) is the
/// associated data, so a header changed in transit does not decrypt.</item>
/// <item>The sender signs header, nonce, ciphertext and tag with its ECDSA key (P-256, SHA-256). The receiver checks
/// the signature before decrypting, against the sender key file it holds when it names one.</item>
/// </list>
/// </summary>
public static class HandoverPackage
{
    /// <summary>The format's name and version, the first thing checked.</summary>
    public const string Format = "mimamori-handover/1";

    private const int NonceSize = 12;
    private const int TagSize = 16;

    /// <summary>Encrypts <paramref name="content"/> to <paramref name="recipient"/> and signs it as <paramref name="sender"/>; returns the file's text.</summary>
    public static string Seal(byte[] content, HandoverPrivateKey sender, HandoverPublicKey recipient)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(recipient);
        using var ephemeral = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        using var recipientKey = recipient.AgreementKey();
        var ephemeralPublic = ephemeral.ExportSubjectPublicKeyInfo();
        var header = Header(sender.Public, recipient, ephemeralPublic);
        var key = DeriveKey(ephemeral.DeriveRawSecretAgreement(recipientKey.PublicKey), ephemeralPublic, recipient);
        var nonce = RandomNumberGenerator.GetBytes(NonceSize);
        var ciphertext = new byte[content.Length];
        var tag = new byte[TagSize];
        using (var aes = new AesGcm(key, TagSize))
        {
            aes.Encrypt(nonce, content, ciphertext, tag, header);
        }

        CryptographicOperations.ZeroMemory(key);
        var signature = sender.Sign(Signed(header, nonce, ciphertext, tag));
        var file = new PackageFile(
            Format,
            new Party(sender.Public.Municipality, sender.Public.Fingerprint, Convert.ToBase64String(sender.Public.Agreement), Convert.ToBase64String(sender.Public.Signing)),
            new Party(recipient.Municipality, recipient.Fingerprint, null, null),
            Convert.ToBase64String(ephemeralPublic),
            Convert.ToBase64String(nonce),
            Convert.ToBase64String(ciphertext),
            Convert.ToBase64String(tag),
            Convert.ToBase64String(signature));
        return System.Text.Json.JsonSerializer.Serialize(file, HandoverJson.Options);
    }

    /// <summary>
    /// Checks and opens a package with the receiver's private key. With <paramref name="expectedSender"/>, the package
    /// must carry exactly that sender's keys; without it, the signature is checked against the keys the package carries,
    /// which proves the content is unchanged since signing but not who signed (the caller records that).
    /// </summary>
    /// <exception cref="HandoverException">Not a package, not for this key, not from the expected sender, altered, or damaged.</exception>
    public static OpenedPackage Open(string text, HandoverPrivateKey receiver, HandoverPublicKey? expectedSender, string where)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        var file = HandoverJson.Read<PackageFile>(text ?? string.Empty, where);
        if (file?.Format != Format || file.Sender?.Agreement is null || file.Sender.Signing is null || file.Sender.Municipality is null || file.Recipient?.Fingerprint is null
            || file.Ephemeral is null || file.Nonce is null || file.Ciphertext is null || file.Tag is null || file.Signature is null)
        {
            throw new HandoverException($"{where} is not a hand-over package ({Format}).");
        }

        var me = receiver.Public;
        if (file.Recipient.Fingerprint != me.Fingerprint)
        {
            throw new HandoverException($"{where} was made for {file.Recipient.Municipality} (key {file.Recipient.Fingerprint}), not for this key ({me.Municipality}, {me.Fingerprint}): it cannot be opened here.");
        }

        var sender = new HandoverPublicKey(file.Sender.Municipality, HandoverJson.Bytes(file.Sender.Agreement, where), HandoverJson.Bytes(file.Sender.Signing, where));
        if (expectedSender is not null && !sender.SameKeys(expectedSender))
        {
            throw new HandoverException($"{where} is signed by key {sender.Fingerprint} ({sender.Municipality}), not by the sender key given ({expectedSender.Fingerprint}, {expectedSender.Municipality}): refused.");
        }

        var ephemeralPublic = HandoverJson.Bytes(file.Ephemeral, where);
        var nonce = HandoverJson.Bytes(file.Nonce, where);
        var ciphertext = HandoverJson.Bytes(file.Ciphertext, where);
        var tag = HandoverJson.Bytes(file.Tag, where);
        if (nonce.Length != NonceSize || tag.Length != TagSize)
        {
            throw new HandoverException($"{where} is damaged (nonce or tag of the wrong size).");
        }

        var header = Header(sender, me, ephemeralPublic);
        bool verified;
        try
        {
            using var signing = sender.SigningKey();
            verified = signing.VerifyData(Signed(header, nonce, ciphertext, tag), HandoverJson.Bytes(file.Signature, where), HashAlgorithmName.SHA256);
        }
        catch (CryptographicException e)
        {
            throw new HandoverException($"{where}: the sender's key in the package is damaged.", e);
        }

        if (!verified)
        {
            throw new HandoverException($"{where}: the signature does not verify; the package was altered after it was signed, or not signed by {sender.Municipality}. Refused.");
        }

        var plain = new byte[ciphertext.Length];
        try
        {
            using var ephemeral = ECDiffieHellman.Create();
            ephemeral.ImportSubjectPublicKeyInfo(ephemeralPublic, out _);
            var key = DeriveKey(receiver.Agree(ephemeral.PublicKey), ephemeralPublic, me);
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(nonce, ciphertext, tag, plain, header);
            CryptographicOperations.ZeroMemory(key);
        }
        catch (CryptographicException e)
        {
            throw new HandoverException($"{where} does not decrypt with this key: it was altered or made for another key. Refused.", e);
        }

        return new OpenedPackage(plain, sender, expectedSender is not null);
    }

    // Everything that says who sends to whom, bound into the encryption and the signature.
    private static byte[] Header(HandoverPublicKey sender, HandoverPublicKey recipient, byte[] ephemeralPublic) => Encoding.UTF8.GetBytes(string.Join(
        '\n',
        Format,
        sender.Municipality,
        sender.Fingerprint,
        recipient.Municipality,
        recipient.Fingerprint,
        Convert.ToBase64String(ephemeralPublic)));

    private static byte[] Signed(byte[] header, byte[] nonce, byte[] ciphertext, byte[] tag) => [.. header, .. nonce, .. ciphertext, .. tag];

    private static byte[] DeriveKey(byte[] secret, byte[] ephemeralPublic, HandoverPublicKey recipient)
    {
        var key = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, ephemeralPublic, Encoding.UTF8.GetBytes(Format + "\n" + recipient.Fingerprint));
        CryptographicOperations.ZeroMemory(secret);
        return key;
    }

    private sealed record PackageFile(string? Format, Party? Sender, Party? Recipient, string? Ephemeral, string? Nonce, string? Ciphertext, string? Tag, string? Signature);

    private sealed record Party(string? Municipality, string? Fingerprint, string? Agreement, string? Signing);
}
