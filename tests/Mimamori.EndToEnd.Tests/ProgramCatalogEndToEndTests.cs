using System.Text.Json;
using Mimamori.Cli;
using Mimamori.Support.Programs;

namespace Mimamori.EndToEnd.Tests;

/// <summary>
/// The program catalog against the synthetic truth, through the command a municipality runs: <c>synth --population
/// 3000</c>, <c>run</c>, <c>evaluate</c>. Programs the linked data decide must be found exactly; the others are reported
/// with what the data cannot see.
/// </summary>
public sealed class ProgramCatalogEndToEndTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "mimamori-catalog-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Evaluate_DataDeterminedProgramsAreFoundExactly_AndEveryProgramIsReported()
    {
        var synth = Path.Combine(root, "synth");
        var db = Path.Combine(root, "mimamori.db");
        var generated = await CliProcess.Run("synth", "--preset", "toda", "--population", "3000", "--seed", "5", "--out", synth);
        Assert.True(generated.ExitCode == 0, generated.Err);
        var run = await CliProcess.Run("--db", db, "--data", root, "run", "--feeds", Path.Combine(synth, "feeds"), "--specs", Settings.SpecsDir);
        Assert.True(run.ExitCode == 0, run.Err);
        var evaluated = await CliProcess.Run("--db", db, "--data", root, "evaluate", "--truth", Path.Combine(synth, "truth"));
        Assert.True(evaluated.ExitCode == 0, evaluated.Err);

        using var json = JsonDocument.Parse(evaluated.Out);
        var outreach = json.RootElement.GetProperty("outreach");
        Assert.Equal(1.0, outreach.GetProperty("unclaimed_precision").GetDouble());
        Assert.Equal(1.0, outreach.GetProperty("unclaimed_recall").GetDouble());
        Assert.True(outreach.GetProperty("unclaimed_true").GetInt32() > 0);
        Assert.Equal(outreach.GetProperty("unclaimed_true").GetInt32(), outreach.GetProperty("unclaimed_found").GetInt32());

        var programs = outreach.GetProperty("programs");
        var determinedTrue = 0;
        foreach (var program in ProgramCatalog.Default.Programs)
        {
            var figures = programs.GetProperty(program.Id);
            Assert.Equal(program.DeterminedByData, figures.GetProperty("determined_by_data").GetBoolean());
            Assert.False(string.IsNullOrWhiteSpace(figures.GetProperty("explanation").GetString()));
            foreach (var key in new[] { "precision", "recall" })
            {
                Assert.InRange(figures.GetProperty(key).GetDouble(), 0, 1);
            }

            if (program.DeterminedByData)
            {
                Assert.True(figures.GetProperty("precision").GetDouble() == 1.0, $"{program.Id}: precision {figures.GetProperty("precision")}");
                Assert.True(figures.GetProperty("recall").GetDouble() == 1.0, $"{program.Id}: recall {figures.GetProperty("recall")}");
                Assert.Equal(figures.GetProperty("true").GetInt32(), figures.GetProperty("found").GetInt32());
                determinedTrue += figures.GetProperty("true").GetInt32();
            }
            else
            {
                Assert.Equal(program.UndeterminedReason!.En, figures.GetProperty("explanation").GetString());
            }
        }

        // The headline figures are exactly the data-determined programs'.
        Assert.Equal(determinedTrue, outreach.GetProperty("unclaimed_true").GetInt32());

        // The run's campaign offers the new programs too, each letter checked for forbidden words when composed.
        Assert.Contains("outreach: hitorioya_iryo:", run.Out + run.Err, StringComparison.Ordinal);
        Assert.Contains("outreach: sango_care:", run.Out + run.Err, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
