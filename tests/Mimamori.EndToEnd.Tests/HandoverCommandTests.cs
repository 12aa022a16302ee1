using Dapper;
using Mimamori.Privacy.Audit;
using Mimamori.Storage.Audit;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Handover;

namespace Mimamori.EndToEnd.Tests;

/// <summary>`mimamori handover keygen | export | import` as the two municipalities' operators run them.</summary>
public sealed class HandoverCommandTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"mimamori-handover-{Guid.NewGuid():N}");

    private string Sending => Path.Combine(root, "sending");

    private string Receiving => Path.Combine(root, "receiving");

    [Fact]
    public async Task Export_IsRefusedWithoutABasis_AuditedWithOne_AndImportsOnceAtTheRecipientOnly()
    {
        Directory.CreateDirectory(root);
        var sending = Store(Sending);
        using (var c = sending.Open())
        {
            c.Execute("INSERT INTO person (person_id, family_name, given_name, family_kana, given_kana, birth_date, sex, household_no, is_child) VALUES (7, '鈴木', '一郎', 'スズキ', 'イチロウ', '2014-05-05', 'M', 'H7', 1)");
        }

        var receiving = Store(Receiving);
        using (var c = receiving.Open())
        {
            c.Execute("INSERT INTO person (person_id, family_name, given_name, family_kana, given_kana, birth_date, sex, household_no, is_child) VALUES (70, '鈴木', '一郎', 'すずき', 'いちろう', '2014-05-05', 'M', 'R7', 1)");
        }

        var sendingKeys = Path.Combine(Sending, "handover");
        var receivingKeys = Path.Combine(Receiving, "handover");
        var other = Path.Combine(root, "other");
        Assert.Equal(0, (await Cli("keygen", "--out", sendingKeys, "--municipality", "見守り市")).ExitCode);
        var keygen = await Cli("keygen", "--out", receivingKeys, "--municipality", "転出先市");
        Assert.Equal(0, keygen.ExitCode);
        Assert.Contains("fingerprint", keygen.Out, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(receivingKeys, "handover.key")));
        }

        Assert.Equal(1, (await Cli("keygen", "--out", receivingKeys, "--municipality", "転出先市")).ExitCode);
        Assert.Equal(0, (await Cli("keygen", "--out", other, "--municipality", "別の市")).ExitCode);

        var recipient = Path.Combine(receivingKeys, "handover.pub");
        var package = Path.Combine(root, "package.json");
        string[] Export(string basis) =>
            ["--data", Sending, "handover", "export", "--person", "7", "--to", recipient, "--basis", basis, "--contact", "048-000-0000", "--out", package];

        // A basis the policy does not list for hand-overs: refused, nothing written, the refusal audited.
        var refused = await Cli(Export("appi_69_2_2"));
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("refused", refused.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(package));

        var exported = await Cli(Export("appi_69_2_3"));
        Assert.True(exported.ExitCode == 0, exported.Err);
        Assert.DoesNotContain("一郎", await File.ReadAllTextAsync(package), StringComparison.Ordinal);
        var trail = new AuditLog(sending).ReadAll().Where(e => e.Subject == "person:7").ToList();
        Assert.Equal(["refused:no_basis:to:転出先市", $"disclosed:handover:to:転出先市:key:{HandoverKeyFolder.ReadPublic(recipient).Fingerprint}:basis:appi_69_2_3"], trail.Select(e => e.Outcome));
        Assert.All(trail, e => Assert.Equal(("handover", AuditAction.Disclose), (e.Purpose, e.Action)));

        // Another municipality's key cannot open it; a sender key other than the signer's is refused.
        Assert.Equal(1, (await Cli("--data", Receiving, "handover", "import", "--file", package, "--key", Path.Combine(other, "handover.key"))).ExitCode);
        Assert.Equal(1, (await Cli("--data", Receiving, "handover", "import", "--file", package, "--key", Path.Combine(receivingKeys, "handover.key"), "--sender", Path.Combine(other, "handover.pub"))).ExitCode);

        var imported = await Cli("--data", Receiving, "handover", "import", "--file", package, "--key", Path.Combine(receivingKeys, "handover.key"), "--sender", Path.Combine(sendingKeys, "handover.pub"));
        Assert.True(imported.ExitCode == 0, imported.Err);
        Assert.Contains("1 person(s)", imported.Out, StringComparison.Ordinal);
        var received = Assert.Single(new HandoverStore(receiving).All());
        Assert.Equal(("見守り市", true, "一郎"), (received.Sender, received.SenderVerified, received.Content.Child.GivenName));
        Assert.Equal(1, (await Cli("--data", Receiving, "handover", "import", "--file", package, "--key", Path.Combine(receivingKeys, "handover.key"))).ExitCode);
        Assert.Single(new HandoverStore(receiving).All());

        // The received case is in the receiving trail, and both trails verify.
        Assert.Contains(new AuditLog(receiving).ReadAll(), e => e.Subject == $"handover:{received.HandoverId}" && e.Outcome.StartsWith("received:from:見守り市", StringComparison.Ordinal));
        Assert.Equal(0, (await CliProcess.Run("--data", Sending, "audit", "verify")).ExitCode);
        Assert.Equal(0, (await CliProcess.Run("--data", Receiving, "audit", "verify")).ExitCode);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static MimamoriDatabase Store(string dir)
    {
        Directory.CreateDirectory(dir);
        var db = MimamoriDatabase.FromSetting(Path.Combine(dir, "mimamori.db"));
        db.Migrate();
        return db;
    }

    private static Task<(int ExitCode, string Out, string Err)> Cli(params string[] arguments) =>
        CliProcess.Run(arguments[0].StartsWith("--", StringComparison.Ordinal) ? arguments : ["handover", .. arguments]);
}
