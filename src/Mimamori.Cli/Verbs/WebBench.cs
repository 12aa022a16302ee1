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
using Mimamori.Storage.Connection;
using Mimamori.Storage.Reading;
using Mimamori.Web;

namespace Mimamori.Cli.Verbs;

/// <summary>
/// <c>mimamori bench --suite web</c>: the web app on the store the options name, under a bounded load of concurrent
/// staff, on 127.0.0.1 only. Each virtual user signs in with its own sessions and then, without pause, opens at random
/// every list page staff use (the worklist plain and filtered, a child and their notes, meetings, overdue plans,
/// referrals, dashboards, validity, campaigns, the audit trail, the linkage review queue, data quality, paper entry;
/// the JSON API and the HTML pages); latencies are measured from the client side, so they include the access policy,
/// the audit event each read writes, and rendering. Each endpoint is reported against the 200 ms target.
/// </summary>
/// <remarks>
/// The run is bounded by time and by the number of users; nothing is sent anywhere but the app this process starts.
/// Every request is a real read by a real account, so the audit trail grows by one event per request: the benchmark
/// is meant for a test copy of a database, as its output says.
/// </remarks>
public static class WebBench
{
    /// <summary>The latency every list page should stay within (p95, one user) at the scale of a city.</summary>
    public const double TargetMs = 200;

    /// <summary>The roles whose demo accounts the suite signs in with, in the order a page is tried with them.</summary>
    private static readonly string[] DemoRoles = ["caseworker", "supervisor", "data_steward", "privacy_officer"];

    // Worklist filters staff use, each with the values a city's store offers (filled in from the store).
    private static readonly string[] Bands = ["high", "medium", "low"];

    private static readonly string[] Statuses = ["undecided", "on_agenda", "supporting", "watching", "not_registered"];

    public static Dictionary<string, object> Run(Settings settings, int users, int seconds, string? user, string? password, ProgressLog log, IReadOnlyCollection<string>? only = null)
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

        var accounts = Accounts(settings, user, password);
        long persons;
        using (var connection = settings.Database.Open())
        {
            persons = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM person");
        }

        if (persons == 0)
        {
            throw new UsageException($"{settings.Database.Display} holds no linked persons: run the pipeline first (`mimamori run` or `mimamori demo --no-serve`).");
        }

        var choices = FilterChoices(settings.Database);
        var app = WebApp.Build(new WebOptions(settings.Database, "http://127.0.0.1:0") { Feeds = ServeVerb.LoadSpecs(Settings.SpecsDir) });
        app.StartAsync().GetAwaiter().GetResult();
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            log.Line($"bench web: the app listens on {address}; {users} users for {seconds} s after a warm-up, on {persons:N0} persons");
            return Load(new Uri(address), users, seconds, accounts, choices, only, persons, log).GetAwaiter().GetResult();
        }
        finally
        {
            app.StopAsync().GetAwaiter().GetResult();
            ((IDisposable)app).Dispose();
        }
    }

    /// <summary>The names of the endpoints the suite can measure, for <c>--endpoints</c>.</summary>
    public static IReadOnlyList<string> EndpointNames { get; } =
    [
        "worklist_api", "worklist_page", "worklist_filtered_api", "worklist_filtered_page", "child_api", "child_page", "notes_page",
        "meetings_page", "overdue_page", "overdue_api", "referrals_page", "referrals_api", "dashboard_page", "validity_page",
        "campaigns_page", "audit_page", "audit_api", "review_page", "quality_page", "entry_page",
    ];

    /// <summary>The account given, else the demo accounts of this data folder (city-wide caseworker first).</summary>
    private static List<(string User, string Password)> Accounts(Settings settings, string? user, string? password)
    {
        if (!string.IsNullOrEmpty(user) && !string.IsNullOrEmpty(password))
        {
            return [(user, password)];
        }

        var file = Path.Combine(settings.DataDir, "demo-accounts.json");
        if (!File.Exists(file))
        {
            throw new UsageException($"No account to sign in with: give --user and --password, or create the demo accounts ({file}) with `mimamori demo --no-serve`.");
        }

        using var json = JsonDocument.Parse(File.ReadAllText(file));
        var found = new List<(string Role, string User, string Password)>();
        foreach (var account in json.RootElement.EnumerateArray())
        {
            var role = account.GetProperty("role").GetString() ?? string.Empty;
            // City-wide accounts: the heaviest lists each role opens.
            if (DemoRoles.Contains(role, StringComparer.Ordinal) && account.GetProperty("scope").GetString() is "all" or "none")
            {
                found.Add((role, account.GetProperty("user").GetString()!, account.GetProperty("password").GetString()!));
            }
        }

        if (!found.Any(a => a.Role == "caseworker"))
        {
            throw new UsageException($"{file} has no city-wide caseworker account: give --user and --password.");
        }

        return found.OrderBy(a => Array.IndexOf(DemoRoles, a.Role)).Select(a => (a.User, a.Password)).ToList();
    }

    /// <summary>Values for the worklist's filters as this store offers them (areas, schools, difficulties).</summary>
    private static List<string> FilterChoices(MimamoriDatabase database)
    {
        var query = new WorklistQuery(database);
        List<string> difficulties;
        using (var connection = database.Open())
        {
            difficulties = connection.Query<string>("SELECT DISTINCT difficulty FROM need_assessment WHERE band <> 'none'").Order(StringComparer.Ordinal).ToList();
        }

        var filters = new List<string>();
        filters.AddRange(difficulties.Select(d => "difficulty=" + Uri.EscapeDataString(d)));
        filters.AddRange(difficulties.Select(d => $"difficulty={Uri.EscapeDataString(d)}&band=high"));
        filters.AddRange(Bands.Select(b => "band=" + b));
        filters.AddRange(query.Areas(Privacy.Access.Scope.All).Take(20).Select(a => "area=" + Uri.EscapeDataString(a)));
        filters.AddRange(query.Schools().Take(10).Select(s => "school=" + Uri.EscapeDataString(s)));
        filters.AddRange(Statuses.Select(s => "status=" + s));
        filters.AddRange(["yotaikyo=registered", "yotaikyo=not_registered", "minAge=0&maxAge=5", "minAge=6&maxAge=12", "minAge=13", "sort=kana", "sort=youngest", "sort=oldest"]);
        return filters;
    }

    private sealed record Endpoint(string Name, Func<Random, string> Path);

    private static List<Endpoint> Endpoints(List<long> children, int lastPage, List<string> filters)
    {
        string Child(Random r) => children[r.Next(children.Count)].ToString(System.Globalization.CultureInfo.InvariantCulture);
        string Page(Random r) => r.Next(1, lastPage + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        string Filter(Random r) => filters[r.Next(filters.Count)] + "&page=" + r.Next(1, 3).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return
        [
            new("worklist_api", r => $"/api/worklist?page={Page(r)}"),
            new("worklist_page", r => $"/?page={Page(r)}"),
            new("worklist_filtered_api", r => $"/api/worklist?{Filter(r)}"),
            new("worklist_filtered_page", r => $"/?{Filter(r)}"),
            new("child_api", r => $"/api/children/{Child(r)}"),
            new("child_page", r => $"/children/{Child(r)}"),
            new("notes_page", r => $"/children/{Child(r)}/notes"),
            new("meetings_page", _ => "/judgements"),
            new("overdue_page", _ => "/plans"),
            new("overdue_api", _ => "/api/casework/overdue"),
            new("referrals_page", _ => "/referrals"),
            new("referrals_api", _ => "/api/referrals"),
            new("dashboard_page", _ => "/dashboard"),
            new("validity_page", _ => "/validity"),
            new("campaigns_page", _ => "/campaigns"),
            new("audit_page", _ => "/audit"),
            new("audit_api", _ => "/api/audit"),
            new("review_page", _ => "/review"),
            new("quality_page", _ => "/quality"),
            new("entry_page", _ => "/entry"),
        ];
    }

    private static async Task<Dictionary<string, object>> Load(Uri root, int users, int seconds, List<(string User, string Password)> accounts, List<string> filters, IReadOnlyCollection<string>? only, long persons, ProgressLog log)
    {
        // sessions[user][account]: each virtual user signs in with each account it needs, as its own session.
        var first = new List<HttpClient>();
        var sessions = new List<HttpClient?[]>();
        try
        {
            foreach (var account in accounts)
            {
                first.Add(await SignedIn(root, account.User, account.Password));
            }

            // Children to open: those the worklist itself offers on its first pages, as staff would reach them.
            var children = new List<long>();
            var pages = 1;
            for (var page = 1; page <= Math.Min(pages, 10); page++)
            {
                using var doc = JsonDocument.Parse(await first[0].GetStringAsync(new Uri($"/api/worklist?page={page}", UriKind.Relative)));
                pages = doc.RootElement.GetProperty("pages").GetInt32();
                children.AddRange(doc.RootElement.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("personId").GetInt64()));
            }

            if (children.Count == 0)
            {
                throw new UsageException("The worklist is empty for this account: run need detection first (`mimamori run`).");
            }

            var lastPage = Math.Max(1, Math.Min(pages, 50));
            var all = Endpoints(children, lastPage, filters).Where(e => only is null || only.Contains(e.Name)).ToList();

            // Each page is measured with the first account allowed to open it; the others are reported as such.
            var measured = new List<(Endpoint Endpoint, int Account)>();
            var unavailable = new Dictionary<string, object>();
            var probe = new Random(0);
            foreach (var endpoint in all)
            {
                var path = endpoint.Path(probe);
                var account = -1;
                var status = 0;
                for (var a = 0; a < first.Count && account < 0; a++)
                {
                    using var response = await first[a].GetAsync(new Uri(path, UriKind.Relative));
                    status = (int)response.StatusCode;
                    account = status == 200 ? a : -1;
                }

                if (account < 0)
                {
                    unavailable[endpoint.Name] = status;
                }
                else
                {
                    measured.Add((endpoint, account));
                }
            }

            sessions.Add(first.ToArray<HttpClient?>());
            var needed = measured.Select(m => m.Account).ToHashSet();
            for (var i = 1; i < users; i++)
            {
                var own = new HttpClient?[accounts.Count];
                foreach (var a in needed)
                {
                    own[a] = await SignedIn(root, accounts[a].User, accounts[a].Password);
                }

                sessions.Add(own);
            }

            log.Line($"bench web: {children.Count:N0} children from {Math.Min(pages, 10)} worklist pages, {filters.Count} worklist filters, {measured.Count} endpoints; warming up");
            await Drive(sessions, measured, TimeSpan.FromSeconds(Math.Min(5, seconds)), null);

            var samples = measured.ToDictionary(m => m.Endpoint.Name, _ => new ConcurrentBag<double>());
            var errors = new ConcurrentBag<string>();
            var watch = Stopwatch.StartNew();
            await Drive(sessions, measured, TimeSpan.FromSeconds(seconds), (kind, ms, ok) =>
            {
                samples[kind].Add(ms);
                if (!ok)
                {
                    errors.Add(kind);
                }
            });
            var elapsed = watch.Elapsed.TotalSeconds;

            var every = samples.Values.SelectMany(s => s).Order().ToArray();
            var endpoints = samples.ToDictionary(
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
                        ["within_target"] = s.Length > 0 && Percentile(s, 0.95) <= TargetMs,
                    };
                });
            foreach (var (name, figures) in endpoints)
            {
                log.Line($"bench web: {name,-24} p50 {figures["p50_ms"],7} ms  p95 {figures["p95_ms"],7} ms  {((bool)figures["within_target"] ? "≤" : ">")} {TargetMs} ms");
            }

            var over = endpoints.Where(kv => !(bool)kv.Value["within_target"]).Select(kv => kv.Key).ToList();
            return new Dictionary<string, object>
            {
                ["suite"] = "web",
                ["users"] = users,
                ["seconds"] = Math.Round(elapsed, 1),
                ["persons"] = persons,
                ["requests"] = every.Length,
                ["errors"] = errors.Count,
                ["requests_per_second"] = Math.Round(every.Length / elapsed, 1),
                ["p50_ms"] = Percentile(every, 0.50),
                ["p95_ms"] = Percentile(every, 0.95),
                ["p99_ms"] = Percentile(every, 0.99),
                ["max_ms"] = every.Length == 0 ? 0 : Math.Round(every[^1], 1),
                ["endpoints"] = endpoints,
                ["target_ms"] = TargetMs,
                ["all_within_target"] = over.Count == 0,
                ["over_target"] = over,
                ["unavailable"] = unavailable,
                ["note"] = "every request is an audited read: run this on a test copy of a database",
            };
        }
        finally
        {
            foreach (var c in sessions.SelectMany(s => s).Concat(first).Distinct())
            {
                c?.Dispose();
            }
        }
    }

    /// <summary>Each user requests without pause until the time is up: the endpoints at random, each with its account's session.</summary>
    private static Task Drive(List<HttpClient?[]> sessions, List<(Endpoint Endpoint, int Account)> endpoints, TimeSpan duration, Action<string, double, bool>? record)
    {
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        return Task.WhenAll(sessions.Select((own, n) => Task.Run(async () =>
        {
            var random = new Random(n + 1);
            while (Stopwatch.GetTimestamp() < until)
            {
                var (endpoint, account) = endpoints[random.Next(endpoints.Count)];
                var path = endpoint.Path(random);
                var start = Stopwatch.GetTimestamp();
                bool ok;
                try
                {
                    using var response = await own[account]!.GetAsync(new Uri(path, UriKind.Relative), HttpCompletionOption.ResponseContentRead);
                    ok = response.StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    ok = false;
                }

                record?.Invoke(endpoint.Name, Stopwatch.GetElapsedTime(start).TotalMilliseconds, ok);
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
