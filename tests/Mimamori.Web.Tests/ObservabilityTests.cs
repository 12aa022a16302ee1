using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mimamori.Storage.Pipeline;

namespace Mimamori.Web.Tests;

/// <summary>What an operator's monitoring sees: the health check with the last runs, and the local metrics endpoint.</summary>
[Collection(WebGroup.Name)]
public sealed class ObservabilityTests(WebFixture fixture)
{
    [Fact]
    public async Task Healthz_GivesEachStagesLastRun_AndFlagsAFailedOne()
    {
        var start = new DateTimeOffset(2026, 4, 1, 2, 0, 0, TimeSpan.Zero);
        RunLog.Finish(fixture.Database, RunLog.Start(fixture.Database, "obs-ok", start), start.AddSeconds(42), 1234, "succeeded", "{}");
        using var client = fixture.Client();
        using var ok = JsonDocument.Parse(await client.GetStringAsync(new Uri("/healthz", UriKind.Relative)));
        var run = ok.RootElement.GetProperty("last_runs").EnumerateArray().Single(r => r.GetProperty("stage").GetString() == "obs-ok");
        Assert.Equal(1234, run.GetProperty("rows").GetInt64());
        Assert.Equal("succeeded", run.GetProperty("status").GetString());

        RunLog.Finish(fixture.Database, RunLog.Start(fixture.Database, "obs-failing", start), start.AddSeconds(1), 0, "failed", "{}");
        try
        {
            var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var failed = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("run_failed", failed.RootElement.GetProperty("status").GetString());
        }
        finally
        {
            // Later runs of the stage supersede the failure, as a successful rerun does in operation.
            RunLog.Finish(fixture.Database, RunLog.Start(fixture.Database, "obs-failing", start.AddHours(1)), start.AddHours(1).AddSeconds(3), 5, "succeeded", "{}");
        }
    }

    [Fact]
    public async Task Metrics_OnLoopback_GiveRunsImportsAndLatencyByRoutePattern_NeverAPersonsNumber()
    {
        var start = new DateTimeOffset(2026, 4, 2, 2, 0, 0, TimeSpan.Zero);
        RunLog.Finish(fixture.Database, RunLog.Start(fixture.Database, "obs-link", start), start.AddSeconds(18.5), 777, "succeeded", "{}");
        using var client = fixture.Client();
        await client.GetAsync(new Uri("/login", UriKind.Relative));
        await client.GetAsync(new Uri("/children/987654321", UriKind.Relative));
        // A refused sign-in is audited, through this process's audit writer.
        using (await client.PostAsJsonAsync(new Uri("/api/login", UriKind.Relative), new { user = "metrics-probe", password = "not-the-password" }))
        {
        }

        var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("mimamori_run_duration_seconds{stage=\"obs-link\"} 18.5\n", text, StringComparison.Ordinal);
        Assert.Contains("mimamori_run_rows{stage=\"obs-link\"} 777\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE mimamori_http_request_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.Contains("mimamori_http_request_duration_seconds_count{route=\"/login\",status=\"2xx\"}", text, StringComparison.Ordinal);
        Assert.Contains("route=\"/children/{id:long}\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("987654321", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE mimamori_audit_write_waiting gauge", text, StringComparison.Ordinal);
        Assert.Matches("\nmimamori_audit_written_events_total [1-9][0-9]*\n", text);

        // Every sample line is "name{labels} number": a scraper would reject anything else.
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')))
        {
            Assert.Matches("^[a-z_]+(\\{([a-z_]+=\"([^\"\\\\]|\\\\.)*\",?)*\\})? -?[0-9.eE+-]+$", line);
        }
    }
}
