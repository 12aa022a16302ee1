using System.Security.Cryptography;
using System.Text;
using Mimamori.Storage.Encryption;

namespace Mimamori.Cli.Pipeline;

/// <summary>
/// Pseudonymous keys for exports: HMAC-SHA256 under a per-installation key, so an export can be joined across runs
/// of one installation but not back to a person without the key. The key comes from MIMAMORI_PSEUDONYM_KEY, or from
/// a key file in the data folder created once with random bytes.
/// </summary>
public sealed class Pseudonyms(byte[] key)
{
    public static Pseudonyms ForInstallation(string dataDir)
    {
        if (Environment.GetEnvironmentVariable("MIMAMORI_PSEUDONYM_KEY") is { Length: > 0 } env)
        {
            return new Pseudonyms(Encoding.UTF8.GetBytes(env));
        }

        var path = Path.Combine(dataDir, "pseudonym.key");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(dataDir);
            // Readable by the service account only: with the key and the database a pseudonym leads back to a person.
            using var stream = SecretFile.CreateNew(path);
            stream.Write(Encoding.ASCII.GetBytes(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)) + "\n"));
        }

        return new Pseudonyms(Encoding.UTF8.GetBytes(File.ReadAllText(path).Trim()));
    }

    public string Of(string value) => Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(value)))[..32];
}
