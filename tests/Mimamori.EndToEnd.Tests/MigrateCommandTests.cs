using Mimamori.Storage.Connection;
using Mimamori.Storage.Schema;

namespace Mimamori.EndToEnd.Tests;

/// <summary>`mimamori migrate` as an operator runs it before an upgrade: status, apply, and a second run that changes nothing.</summary>
public sealed class MigrateCommandTests : IDisposable
{
    private readonly string db = Path.Combine(Path.GetTempPath(), $"mimamori-migrate-{Guid.NewGuid():N}.db");

    [Fact]
    public async Task Migrate_ListsPending_AppliesAll_ThenIsUpToDate()
    {
        var status = await CliProcess.Run("--db", db, "migrate", "--status");
        Assert.Equal(0, status.ExitCode);
        Assert.Contains($"{Migrations.All.Count} migration(s) pending", status.Out, StringComparison.Ordinal);
        Assert.Empty(MimamoriDatabase.FromSetting(db).AppliedVersions());

        var apply = await CliProcess.Run("--db", db, "migrate");
        Assert.Equal(0, apply.ExitCode);
        Assert.Contains("applied 1: core", apply.Out, StringComparison.Ordinal);
        var latest = Migrations.All.Max(m => m.Version);
        Assert.Contains($"The schema is at version {latest}", apply.Out, StringComparison.Ordinal);
        Assert.Equal(Migrations.All.Select(m => m.Version).Order(), MimamoriDatabase.FromSetting(db).AppliedVersions().Order());

        var again = await CliProcess.Run("--db", db, "migrate");
        Assert.Equal(0, again.ExitCode);
        Assert.DoesNotContain("applied ", again.Out, StringComparison.Ordinal);
        Assert.Contains("up to date", (await CliProcess.Run("--db", db, "migrate", "--status")).Out, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(db);
    }
}
