using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Mimamori.Web.Observability;

/// <summary>
/// Request counts and latency per route pattern and status class, kept in memory for <c>/metrics</c>. Keyed by the
/// route pattern (<c>/children/{id}</c>), never the concrete path, so no person's number reaches the metrics.
/// </summary>
public sealed class RequestMetrics
{
    /// <summary>Upper bounds of the latency histogram, in seconds (the 200 ms target sits on a bound).</summary>
    public static IReadOnlyList<double> Bounds { get; } = [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5];

    private readonly ConcurrentDictionary<(string Route, string Status), Series> series = new();

    /// <summary>The series recorded so far, ordered for stable output.</summary>
    public IEnumerable<(string Route, string Status, Series Series)> Snapshot() =>
        series.OrderBy(s => s.Key.Route, StringComparer.Ordinal).ThenBy(s => s.Key.Status, StringComparer.Ordinal)
            .Select(s => (s.Key.Route, s.Key.Status, s.Value));

    /// <summary>Records one request.</summary>
    public void Record(string route, int status, double seconds) =>
        series.GetOrAdd((route, $"{status / 100}xx"), _ => new Series()).Add(seconds);

    /// <summary>One route's counts: a cumulative histogram, the count and the sum of seconds.</summary>
    public sealed class Series
    {
        private readonly long[] buckets = new long[Bounds.Count];
        private long count;
        private long sumMicroseconds;

        /// <summary>Requests at or under each bound.</summary>
        public IReadOnlyList<long> Buckets => [.. buckets];

        /// <summary>All requests.</summary>
        public long Count => Interlocked.Read(ref count);

        /// <summary>Total seconds spent.</summary>
        public double Sum => Interlocked.Read(ref sumMicroseconds) / 1e6;

        internal void Add(double seconds)
        {
            for (var i = 0; i < buckets.Length; i++)
            {
                if (seconds <= Bounds[i])
                {
                    Interlocked.Increment(ref buckets[i]);
                }
            }

            Interlocked.Increment(ref count);
            Interlocked.Add(ref sumMicroseconds, (long)(seconds * 1e6));
        }
    }
}

/// <summary>Times every request into <see cref="RequestMetrics"/>.</summary>
public static class RequestTiming
{
    /// <summary>Adds the timing middleware; place it after routing so the route pattern is known.</summary>
    public static IApplicationBuilder UseRequestTiming(this IApplicationBuilder app, RequestMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return app.Use(async (context, next) =>
        {
            var start = Stopwatch.GetTimestamp();
            try
            {
                await next(context).ConfigureAwait(false);
            }
            finally
            {
                var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
                metrics.Record(route, context.Response.StatusCode, Stopwatch.GetElapsedTime(start).TotalSeconds);
            }
        });
    }
}
