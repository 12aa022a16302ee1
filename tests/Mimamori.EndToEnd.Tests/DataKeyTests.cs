using Mimamori.Cli;
using Mimamori.Storage.Encryption;

namespace Mimamori.EndToEnd.Tests;

/// <summary>The demo's data key: created once, readable by its owner only, and the one the command then uses.</summary>
public sealed class DataKeyTests : IDisposable
{
    private readonly string dir = Path.Combine(Path.GetTempPath(), $"mimamori-key-{Guid.NewGuid():N}");

    [Fact]
    public void EnsureKeyFile_CreatesAPrivateKeyOnce_AndResolveUsesIt()
    {
        if (Environment.GetEnvironmentVariable("MIMAMORI_DATA_KEY") is { Length: > 0 } || Environment.GetEnvironmentVariable("MIMAMORI_DATA_KEY_FILE") is { Length: > 0 })
        {
            return; // A configured key takes precedence and no file is created; nothing to check here.
        }

        Assert.False(DataKeys.Resolve(dir).Encrypts);
        var id = DataKeys.EnsureKeyFile(dir);
        Assert.NotNull(id);
        var path = Path.Combine(dir, DataKeys.FileName);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        var before = File.ReadAllText(path);
        Assert.Null(DataKeys.EnsureKeyFile(dir));
        Assert.Equal(before, File.ReadAllText(path));
        var cipher = DataKeys.Resolve(dir);
        Assert.Equal(id, cipher.CurrentKeyId);

        File.WriteAllText(path, "not a key\n");
        Assert.Throws<UsageException>(() => DataKeys.Resolve(dir));
    }

    [Fact]
    public void AStoreSealedWithAnotherKey_FailsNamingTheKeyAndTheSetting()
    {
        Directory.CreateDirectory(dir);
        var db = Path.Combine(dir, "store.db");
        var sealedWith = ColumnCipher.FromKeys([Enumerable.Repeat((byte)3, 32).ToArray()]);
        var database = Storage.Connection.MimamoriDatabase.FromSetting(db).WithCipher(sealedWith);
        database.Migrate();
        new Storage.Rights.RightsStore(database).RecordDisclosure(5, "申請者 山田", "本人", "マイナンバーカード", new DateOnly(2026, 4, 1), "privacy", DateTimeOffset.UtcNow);

        // The data folder now holds another key: the store opened the way the command opens it cannot read the value.
        File.WriteAllText(Path.Combine(dir, DataKeys.FileName), ColumnCipher.NewKey() + "\n");
        var other = Storage.Connection.MimamoriDatabase.FromSetting(db).WithCipher(DataKeys.Resolve(dir));
        var error = Assert.Throws<DataKeyException>(() => new Storage.Rights.RightsStore(other).FindDisclosure(1));
        Assert.Contains(sealedWith.CurrentKeyId!, error.Message, StringComparison.Ordinal);
        Assert.Contains("MIMAMORI_DATA_KEY", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
