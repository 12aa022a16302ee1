using Mimamori.Privacy.Handover;
using Mimamori.Storage.Encryption;

namespace Mimamori.Storage.Handover;

/// <summary>A recipient municipality whose public key file was registered, and the file's name (what staff choose by).</summary>
public sealed record HandoverRecipient(string File, HandoverPublicKey Key);

/// <summary>
/// The hand-over keys of an installation, in one folder (<c>DATA/handover</c>): the municipality's own private key
/// <c>handover.key</c> (mode 0600) and public key <c>handover.pub</c>, and the public keys of partner municipalities
/// it may send to under <c>recipients/*.pub</c>. A partner's key file is placed there by the administrator after its
/// fingerprint was confirmed with the partner by phone; the folder is the register.
/// </summary>
public sealed class HandoverKeyFolder(string directory)
{
    /// <summary>The private key's file name.</summary>
    public const string PrivateFile = "handover.key";

    /// <summary>The public key's file name.</summary>
    public const string PublicFile = "handover.pub";

    /// <summary>The folder.</summary>
    public string Directory { get; } = Path.GetFullPath(directory);

    /// <summary>Where registered recipients' public keys are.</summary>
    public string RecipientsDirectory => Path.Combine(Directory, "recipients");

    /// <summary>The private key's path.</summary>
    public string PrivatePath => Path.Combine(Directory, PrivateFile);

    /// <summary>True when the municipality's own key exists.</summary>
    public bool HasOwnKey => File.Exists(PrivatePath);

    /// <summary>
    /// Writes new keys for the municipality: the private key with mode 0600 (created, never overwritten) and the public
    /// key beside it. Returns the public key.
    /// </summary>
    /// <exception cref="IOException">Keys already exist in the folder.</exception>
    public HandoverPublicKey Create(string municipality)
    {
        if (File.Exists(PrivatePath))
        {
            throw new IOException($"{PrivatePath} exists; a hand-over key is never overwritten (partners hold its public half).");
        }

        System.IO.Directory.CreateDirectory(Directory);
        using var key = HandoverPrivateKey.Create(municipality);
        using (var stream = SecretFile.CreateNew(PrivatePath))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(key.ToText());
        }

        File.WriteAllText(Path.Combine(Directory, PublicFile), key.Public.ToText());
        return key.Public;
    }

    /// <summary>The municipality's own private key.</summary>
    /// <exception cref="HandoverException">Missing or damaged.</exception>
    public HandoverPrivateKey OwnKey() => ReadPrivate(PrivatePath);

    /// <summary>The registered recipients, by file name; files that are not public keys are left out.</summary>
    public IReadOnlyList<HandoverRecipient> Recipients()
    {
        if (!System.IO.Directory.Exists(RecipientsDirectory))
        {
            return [];
        }

        var list = new List<HandoverRecipient>();
        foreach (var path in System.IO.Directory.EnumerateFiles(RecipientsDirectory, "*.pub").Order(StringComparer.Ordinal))
        {
            try
            {
                list.Add(new HandoverRecipient(Path.GetFileName(path), HandoverPublicKey.Parse(File.ReadAllText(path), path)));
            }
            catch (HandoverException)
            {
                // A damaged or foreign file is not offered; the administrator sees it in the folder.
            }
        }

        return list;
    }

    /// <summary>Reads a private key file.</summary>
    /// <exception cref="HandoverException">Missing or damaged.</exception>
    public static HandoverPrivateKey ReadPrivate(string path) => File.Exists(path)
        ? HandoverPrivateKey.Parse(File.ReadAllText(path), path)
        : throw new HandoverException($"The hand-over key {Path.GetFullPath(path)} does not exist (make one with `mimamori handover keygen --out DIR`).");

    /// <summary>Reads a public key file.</summary>
    /// <exception cref="HandoverException">Missing or damaged.</exception>
    public static HandoverPublicKey ReadPublic(string path) => File.Exists(path)
        ? HandoverPublicKey.Parse(File.ReadAllText(path), path)
        : throw new HandoverException($"The public key file {Path.GetFullPath(path)} does not exist.");
}
