using Mimamori.Storage.Encryption;

namespace Mimamori.Cli;

/// <summary>
/// Where the data key ring comes from, first match wins: <c>MIMAMORI_DATA_KEY</c> (base64 keys separated by commas,
/// the current one first), the file named by <c>MIMAMORI_DATA_KEY_FILE</c>, or <c>DATA/data.key</c>. Without any,
/// the free-text columns are stored as they are. The key never lives in the repository.
/// </summary>
public static class DataKeys
{
    public const string FileName = "data.key";

    public static ColumnCipher Resolve(string dataDir)
    {
        if (Environment.GetEnvironmentVariable("MIMAMORI_DATA_KEY") is { Length: > 0 } env)
        {
            return Parse(env, "MIMAMORI_DATA_KEY");
        }

        if (Environment.GetEnvironmentVariable("MIMAMORI_DATA_KEY_FILE") is { Length: > 0 } file)
        {
            return File.Exists(file)
                ? Parse(File.ReadAllText(file), file)
                : throw new UsageException($"MIMAMORI_DATA_KEY_FILE names {file}, which does not exist.");
        }

        var local = Path.Combine(dataDir, FileName);
        return File.Exists(local) ? Parse(File.ReadAllText(local), local) : ColumnCipher.None;
    }

    /// <summary>For the demo: creates DATA/data.key (mode 0600) when no key is configured; returns its id when it did.</summary>
    public static string? EnsureKeyFile(string dataDir)
    {
        var path = Path.Combine(dataDir, FileName);
        if (Environment.GetEnvironmentVariable("MIMAMORI_DATA_KEY") is { Length: > 0 }
            || Environment.GetEnvironmentVariable("MIMAMORI_DATA_KEY_FILE") is { Length: > 0 }
            || File.Exists(path))
        {
            return null;
        }

        Directory.CreateDirectory(dataDir);
        var key = ColumnCipher.NewKey();
        using (var stream = SecretFile.CreateNew(path))
        using (var writer = new StreamWriter(stream))
        {
            writer.WriteLine("# Mimamori data key (AES-256). Keep a copy with the backups, apart from them; without it encrypted columns cannot be read.");
            writer.WriteLine(key);
        }

        return ColumnCipher.KeyId(Convert.FromBase64String(key));
    }

    private static ColumnCipher Parse(string text, string where)
    {
        try
        {
            return ColumnCipher.Parse(text, where);
        }
        catch (DataKeyException e)
        {
            throw new UsageException(e.Message);
        }
    }
}
