namespace Mimamori.Storage.Encryption;

/// <summary>
/// Creates the files that hold keys (data key, pseudonym key, hand-over private key): readable and writable by the
/// service account only from the moment they exist, and never overwriting one already there, since data sealed or
/// partners holding the public half depend on it.
/// </summary>
public static class SecretFile
{
    /// <summary>A new file at <paramref name="path"/>, mode 0600 on Unix; fails if the file exists.</summary>
    public static FileStream CreateNew(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new FileStream(path, options);
    }
}
