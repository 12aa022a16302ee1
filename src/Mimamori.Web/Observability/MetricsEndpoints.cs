using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Mimamori.Storage.Audit;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Operations;

namespace Mimamori.Web.Observability;

/// <summary>
/// <c>/metrics</c> in the Prometheus text format, for a Prometheus on the same server to scrape: run durations and
/// rows per stage, import totals per feed, queue sizes, and request latency. Only loopback clients are answered, so
/// the figures stay on the machine unless an operator deliberately exposes them; nothing is pushed anywhere.
/// </summary>
public static class MetricsEndpoints
{
    /// <summary>Maps <c>/metrics</c>.</summary>
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder app)
    {
        app.MapGet("/metrics", (HttpContext http, MimamoriDatabase database, RequestMetrics requests, AuditLog audit) =>
        {
            if (http.Connection.RemoteIpAddress is not { } remote || !IPAddress.IsLoopback(remote))
            {
                return Results.NotFound();
            }

            return Results.Text(Render(OperationalFigures.Read(database), requests, audit.Figures), "text/plain; version=0.0.4; charset=utf-8");
        }).AllowAnonymous();
        return app;
    }

    /// <summary>The exposition text.</summary>
    internal static string Render(OperationalFigures figures, RequestMetrics requests, AuditWriterFigures auditWriter)
    {
        var text = new StringBuilder();
        void Metric(string name, string type, string help)
        {
            text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
            text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        }

        void Sample(string name, string labels, double value) =>
            text.Append(name).Append(labels.Length == 0 ? string.Empty : "{" + labels + "}").Append(' ')
                .Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');

        Metric("mimamori_run_duration_seconds", "gauge", "Duration of the latest finished run of each pipeline stage.");
        foreach (var run in figures.Runs.Where(r => r.Seconds is not null))
        {
            Sample("mimamori_run_duration_seconds", Label("stage", run.Stage), run.Seconds!.Value);
        }

        Metric("mimamori_run_rows", "gauge", "Rows handled by the latest run of each pipeline stage.");
        foreach (var run in figures.Runs)
        {
            Sample("mimamori_run_rows", Label("stage", run.Stage), run.Rows);
        }

        Metric("mimamori_run_succeeded", "gauge", "1 when the latest run of the stage succeeded, 0 when it failed, is running or was interrupted.");
        foreach (var run in figures.Runs)
        {
            Sample("mimamori_run_succeeded", Label("stage", run.Stage), run.Status == "succeeded" ? 1 : 0);
        }

        Metric("mimamori_run_started_timestamp_seconds", "gauge", "Start of the latest run of each stage (Unix time).");
        foreach (var run in figures.Runs)
        {
            Sample("mimamori_run_started_timestamp_seconds", Label("stage", run.Stage), run.StartedAt.ToUnixTimeSeconds());
        }

        Metric("mimamori_import_rows_total", "counter", "Rows read from each feed over all imports, by outcome.");
        foreach (var source in figures.Sources)
        {
            Sample("mimamori_import_rows_total", Label("source", source.Source) + ",outcome=\"accepted\"", source.RowsAccepted);
            Sample("mimamori_import_rows_total", Label("source", source.Source) + ",outcome=\"quarantined\"", source.RowsQuarantined);
        }

        Metric("mimamori_import_batches_total", "counter", "Import batches of each feed.");
        foreach (var source in figures.Sources)
        {
            Sample("mimamori_import_batches_total", Label("source", source.Source), source.Batches);
        }

        Metric("mimamori_persons", "gauge", "Persons after the latest linkage.");
        Sample("mimamori_persons", string.Empty, figures.Persons);
        Metric("mimamori_outreach_messages", "gauge", "Outreach messages by delivery state (the sending queue and its outcomes).");
        foreach (var (state, count) in figures.OutreachByState.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            Sample("mimamori_outreach_messages", Label("state", state), count);
        }

        Metric("mimamori_audit_events_total", "counter", "Events in the audit trail.");
        Sample("mimamori_audit_events_total", string.Empty, figures.AuditEvents);

        // Every read of a person's data waits for its audit event to commit: a growing queue is the first sign that
        // the audit writer, not the pages, is what staff are waiting for.
        Metric("mimamori_audit_write_transactions_total", "counter", "Transactions the audit writer of this process has committed (events of concurrent requests share one).");
        Sample("mimamori_audit_write_transactions_total", string.Empty, auditWriter.Transactions);
        Metric("mimamori_audit_written_events_total", "counter", "Audit events this process has written.");
        Sample("mimamori_audit_written_events_total", string.Empty, auditWriter.Events);
        Metric("mimamori_audit_write_waiting", "gauge", "Requests waiting for their audit events to be written.");
        Sample("mimamori_audit_write_waiting", string.Empty, auditWriter.Waiting);

        Metric("mimamori_http_request_duration_seconds", "histogram", "Web request latency by route pattern and status class.");
        foreach (var (route, status, series) in requests.Snapshot())
        {
            var labels = Label("route", route) + "," + Label("status", status);
            var buckets = series.Buckets;
            for (var i = 0; i < buckets.Count; i++)
            {
                Sample("mimamori_http_request_duration_seconds_bucket", labels + "," + Label("le", RequestMetrics.Bounds[i].ToString("R", CultureInfo.InvariantCulture)), buckets[i]);
            }

            Sample("mimamori_http_request_duration_seconds_bucket", labels + ",le=\"+Inf\"", series.Count);
            Sample("mimamori_http_request_duration_seconds_sum", labels, series.Sum);
            Sample("mimamori_http_request_duration_seconds_count", labels, series.Count);
        }

        return text.ToString();
    }

    // Label values are escaped as the exposition format requires (backslash, quote, newline).
    private static string Label(string name, string value) =>
        $"{name}=\"{value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}\"";
}
