using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Mimamori.Cli.Console;
using Mimamori.Web;

namespace Mimamori.Cli.Verbs;

/// <summary>
/// <c>mimamori bench --suite web</c>: the web app on the store the options name, under a bounded load of concurrent
/// staff, on 127.0.0.1 only. Each virtual user signs in with its own session and then, without pause, opens worklist
/// pages and child pages (the JSON API and the HTML pages) at random; latencies are measured from the client side,
/// so they include the access policy, the audit event each read writes, and rendering.
/// </summary>
/// <remarks>
/// The run is bounded by time and by the number of users; nothing is sent anywhere but the app this process starts.
/// Every request is a real read by a real account, so the audit trail grows by one event per request: the benchmark
/// is meant for a test copy of a database, as its output says.
/// </remarks>
public static class WebBench
{
    private static readonly string[] Kinds = ["worklist_api", "child_api", "worklist_page", "child_page"];

    public static Dictionary<string, object> Run(Settings settings, int users, int seconds, string? user, string? password, ProgressLog log)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(log);
        if (users is < 1 or > 200)
        {
            throw new UsageException("--users must be between 1 and 200.");
        }

        if (seconds is < 1 or > 3600)
        {
            throw new UsageException("--seconds must be between 1 and 3600.");
        }

        (user, password) = Credentials(settings, user, password);
        long persons;
        using (var connection = settings.Database.Open())
        {
            persons = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM person");
        }

        if (persons == 0)
        {
            throw new UsageException($"{settings.Database.Display} holds no linked persons: run the pipeline first (`mimamori run` or `mimamori demo --no-serve`).");
        }

        var app = WebApp.Build(new WebOptions(settings.Database, "http://127.0.0.1:0") { Feeds = ServeVerb.LoadSpecs(Settings.SpecsDir) });
        app.StartAsync().GetAwaiter().GetResult();
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            log.Line($"bench web: the app listens on {address}; {users} users for {seconds} s after a warm-up, on {persons:N0} persons");
            return Load(new Uri(address), users, seconds, user, password, persons, log).GetAwaiter().GetResult();
        }
        finally
        {
            app.StopAsync().GetAwaiter().GetResult();
            ((IDisposable)app).Dispose();
        }
    }

    /// <summary>The account given, else the demo caseworker of this data folder.</summary>
    private static (string User, string Password) Credentials(Settings settings, string? user, string? password)
    {
        if (!string.IsNullOrEmpty(user) && !string.IsNullOrEmpty(password))
        {
            return (user, password);
        }

        var file = Path.Combine(settings.DataDir, "demo-accounts.json");
        if (!File.Exists(file))
        {
            throw new UsageException($"No account to sign in with: give --user and --password, or create the demo accounts ({file}) with `mimamori demo --no-serve`.");
        }

        using var json = JsonDocument.Parse(File.ReadAllText(file));
        foreach (var account in json.RootElement.EnumerateArray())
        {
            // A city-wide caseworker: the heaviest lists a member of staff opens.
            if (account.GetProperty("role").GetString() == "caseworker" && account.GetProperty("scope").GetString() == "all")
            {
                return (account.GetProperty("user").GetString()!, account.GetProperty("password").GetString()!);
            }
        }

        throw new UsageException($"{file} has no city-wide caseworker account: give --user and --password.");
    }

    private static async Task<Dictionary<string, object>> Load(Uri root, int users, int seconds, string user, string password, long persons, ProgressLog log)
    {
        var clients = new List<HttpClient>(users);
        try
        {
            for (var i = 0; i < users; i++)
            {
                clients.Add(await SignedIn(root, user, password));
            }

            // Children to open: those the worklist itself offers on its first pages, as staff would reach them.
            var children = new List<long>();
            var pages = 1;
            for (var page = 1; page <= Math.Min(pages, 10); page++)
            {
                using var doc = JsonDocument.Parse(await clients[0].GetStringAsync(new Uri($"/api/worklist?page={page}", UriKind.Relative)));
                pages = doc.RootElement.GetProperty("pages").GetInt32();
                children.AddRange(doc.RootElement.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("personId").GetInt64()));
            }

            if (children.Count == 0)
            {
                throw new UsageException("The worklist is empty for this account: run need detection first (`mimamori run`).");
            }

            var lastPage = Math.Max(1, Math.Min(pages, 50));
            log.Line($"bench web: {children.Count:N0} children from {Math.Min(pages, 10)} worklist pages; warming up");
            await Drive(clients, children, lastPage, TimeSpan.FromSeconds(Math.Min(5, seconds)), null);

            var samples = Kinds.ToDictionary(k => k, _ => new ConcurrentBag<double>());
            var errors = new ConcurrentBag<string>();
            var watch = Stopwatch.StartNew();
            await Drive(clients, children, lastPage, TimeSpan.FromSeconds(seconds), (kind, ms, ok) =>
            {
                samples[kind].Add(ms);
                if (!ok)
                {
                    errors.Add(kind);
                }
            });
            var elapsed = watch.Elapsed.TotalSeconds;

            var all = samples.Values.SelectMany(s => s).Order().ToArray();
            var figures = new Dictionary<string, object>
            {
                ["suite"] = "web",
                ["users"] = users,
                ["seconds"] = Math.Round(elapsed, 1),
                ["persons"] = persons,
                ["requests"] = all.Length,
                ["errors"] = errors.Count,
                ["requests_per_second"] = Math.Round(all.Length / elapsed, 1),
                ["p50_ms"] = Percentile(all, 0.50),
                ["p95_ms"] = Percentile(all, 0.95),
                ["p99_ms"] = Percentile(all, 0.99),
                ["max_ms"] = all.Length == 0 ? 0 : Math.Round(all[^1], 1),
                ["endpoints"] = samples.ToDictionary(
                    kv => kv.Key,
                    kv =>
                    {
                        var s = kv.Value.Order().ToArray();
                        return new Dictionary<string, object>
                        {
                            ["requests"] = s.Length,
                            ["errors"] = errors.Count(e => e == kv.Key),
                            ["p50_ms"] = Percentile(s, 0.50),
                            ["p95_ms"] = Percentile(s, 0.95),
                            ["p99_ms"] = Percentile(s, 0.99),
                        };
                    }),
                ["note"] = "every request is an audited read: run this on a test copy of a database",
            };
            return figures;
        }
        finally
        {
            foreach (var c in clients)
            {
                c.Dispose();
            }
        }
    }

    /// <summary>Each user requests without pause until the time is up: worklist and child, API and page, at random.</summary>
    private static Task Drive(List<HttpClient> clients, List<long> children, int lastPage, TimeSpan duration, Action<string, double, bool>? record)
    {
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        return Task.WhenAll(clients.Select((client, n) => Task.Run(async () =>
        {
            var random = new Random(n + 1);
            while (Stopwatch.GetTimestamp() < until)
            {
                var kind = Kinds[random.Next(Kinds.Length)];
                var child = children[random.Next(children.Count)];
                var page = random.Next(1, lastPage + 1);
                var path = kind switch
                {
                    "worklist_api" => $"/api/worklist?page={page}",
                    "child_api" => $"/api/children/{child}",
                    "worklist_page" => $"/?page={page}",
                    _ => $"/children/{child}",
                };
                var start = Stopwatch.GetTimestamp();
                bool ok;
                try
                {
                    using var response = await client.GetAsync(new Uri(path, UriKind.Relative), HttpCompletionOption.ResponseContentRead);
                    ok = response.StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    ok = false;
                }

                record?.Invoke(kind, Stopwatch.GetElapsedTime(start).TotalMilliseconds, ok);
            }
        })));
    }

    private static async Task<HttpClient> SignedIn(Uri root, string user, string password)
    {
        var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), UseCookies = true, AllowAutoRedirect = false, UseProxy = false };
        var client = new HttpClient(handler) { BaseAddress = root, Timeout = TimeSpan.FromSeconds(60) };
        using var response = await client.PostAsJsonAsync(new Uri("/api/login", UriKind.Relative), new { user, password });
        if (!response.IsSuccessStatusCode)
        {
            client.Dispose();
            throw new UsageException($"Signing in as '{user}' failed ({(int)response.StatusCode}): check the account (and that it is not locked out).");
        }

        return client;
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : Math.Round(sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)], 1);
}
