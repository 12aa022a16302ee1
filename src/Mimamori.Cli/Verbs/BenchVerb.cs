using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Mimamori.Cli.Console;
using Mimamori.Cli.Pipeline;
using Mimamori.Storage.Connection;

namespace Mimamori.Cli.Verbs;

/// <summary>
/// <c>mimamori bench</c>: generates a preset into a scratch folder, runs the whole pipeline into a fresh database, and
/// prints seconds and rows per stage and the process's peak memory as one JSON object.
/// </summary>
public static class BenchVerb
{
    public static Option<bool> Keep { get; } = new("--keep") { Description = "Keep the scratch folder" };

    public static Option<string> Stages { get; } = new("--stages")
    {
        Description = "Which stages to run: all, or synth alone (to measure the generator's time and memory by itself)",
        DefaultValueFactory = _ => "all",
    };

    public static Option<string> Suite { get; } = new("--suite")
    {
        Description = "What to measure: pipeline (every stage on a preset), parse (feed parsing and validation alone), dedupe (probabilistic dedupe of person records without identifiers), web (every list page staff use, under concurrent users, on the store --db names), nightly (a full run, then a night's changed exports run on the same store)",
        DefaultValueFactory = _ => "pipeline",
    };

    public static Option<int> Records { get; } = new("--records")
    {
        Description = "Number of records for the parse and dedupe suites",
        DefaultValueFactory = _ => 1_000_000,
    };

    public static Option<int> Users { get; } = new("--users")
    {
        Description = "Concurrent signed-in users for the web suite",
        DefaultValueFactory = _ => 20,
    };

    public static Option<int> Seconds { get; } = new("--seconds")
    {
        Description = "How long the web suite measures, after a warm-up",
        DefaultValueFactory = _ => 30,
    };

    public static Option<string> User { get; } = new("--user") { Description = "Account the web suite signs in with (default: the demo caseworker in the data folder)" };

    public static Option<string> Password { get; } = new("--password") { Description = "That account's password" };

    public static Option<string> Endpoints { get; } = new("--endpoints")
    {
        Description = "For the web suite: only these endpoints, comma-separated (default: every list page; e.g. worklist_api,child_api,worklist_page,child_page)",
    };

    public static Option<double> Change { get; } = new("--change")
    {
        Description = "For the nightly suite: the share of rows the night changes in each resent list, and of residents moving in the registry",
        DefaultValueFactory = _ => 0.01,
    };

    public static Command Create()
    {
        var command = new Command("bench", "Time every stage on a preset and print the figures as JSON");
        command.Options.Add(SynthVerb.Preset);
        command.Options.Add(SynthVerb.Population);
        command.Options.Add(SynthVerb.Seed);
        command.Options.Add(Keep);
        command.Options.Add(Stages);
        command.Options.Add(Suite);
        command.Options.Add(Records);
        command.Options.Add(Users);
        command.Options.Add(Seconds);
        command.Options.Add(User);
        command.Options.Add(Password);
        command.Options.Add(Endpoints);
        command.Options.Add(Change);
        command.SetAction(parse =>
        {
            var settings = CommonOptions.Resolve(parse);
            var suite = parse.GetValue(Suite);
            if (suite is "parse" or "dedupe")
            {
                var figures = suite == "parse"
                    ? ParseBench.Run(settings, parse.GetValue(Records), ProgressLog.ForConsole())
                    : DedupeBench.Run(settings, parse.GetValue(Records), ProgressLog.ForConsole());
                System.Console.WriteLine(JsonSerializer.Serialize(figures));
                return 0;
            }

            if (suite == "web")
            {
                var only = parse.GetValue(Endpoints) is { Length: > 0 } list ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : null;
                if (only?.FirstOrDefault(e => !WebBench.EndpointNames.Contains(e, StringComparer.Ordinal)) is { } unknown)
                {
                    throw new UsageException($"--endpoints: '{unknown}' is not one of: {string.Join(", ", WebBench.EndpointNames)}.");
                }

                System.Console.WriteLine(JsonSerializer.Serialize(WebBench.Run(settings, parse.GetValue(Users), parse.GetValue(Seconds), parse.GetValue(User), parse.GetValue(Password), ProgressLog.ForConsole(), only)));
                return 0;
            }

            if (suite is not ("pipeline" or "nightly"))
            {
                throw new UsageException($"--suite '{suite}' is not one of: pipeline, parse, dedupe, web, nightly.");
            }

            var options = SynthVerb.Options(parse);
            var scratch = Path.Combine(settings.DataDir, "bench", $"{options.Preset}-{Environment.ProcessId}");
            var log = ProgressLog.ForConsole();
            try
            {
                if (suite == "nightly")
                {
                    // The store under test is the one --db names when it is PostgreSQL; otherwise a fresh SQLite file.
                    var store = settings.Database.Dialect == Dialect.Postgres ? settings.Database : MimamoriDatabase.FromSetting(Path.Combine(scratch, "bench.db"));
                    Directory.CreateDirectory(scratch);
                    System.Console.WriteLine(JsonSerializer.Serialize(NightlyBench.Run(store, scratch, options, parse.GetValue(Change), log)));
                    return 0;
                }

                var watch = Stopwatch.StartNew();
                var summary = SynthVerb.Generate(options, scratch, log);
                var stages = new Dictionary<string, StageFigure>(StringComparer.Ordinal)
                {
                    ["synth"] = new(watch.Elapsed.TotalSeconds, summary.RowsPerFeed.Values.Sum()),
                };

                // The database under test is the one --db names when it is PostgreSQL; otherwise a fresh SQLite file.
                var database = settings.Database.Dialect == Dialect.Postgres
                    ? settings.Database
                    : MimamoriDatabase.FromSetting(Path.Combine(scratch, "bench.db"));
                var only = parse.GetValue(Stages);
                if (only is not ("all" or "synth"))
                {
                    throw new UsageException($"--stages '{only}' is not one of: all, synth.");
                }

                if (only == "all")
                {
                    foreach (var (stage, figure) in PipelineRunner.Run(database, Settings.SpecsDir, Path.Combine(scratch, "feeds"), null, TimeProvider.System, log, measureBlockingRecall: false))
                    {
                        stages[stage] = figure;
                    }
                }

                using var process = Process.GetCurrentProcess();
                var result = new
                {
                    preset = options.Preset,
                    residents = summary.Residents,
                    database = only == "all" ? database.Dialect.ToString().ToLowerInvariant() : "none",
                    stages = stages.ToDictionary(s => s.Key, s => new { seconds = Math.Round(s.Value.Seconds, 2), rows = s.Value.Rows }),
                    total_seconds = Math.Round(stages.Values.Sum(s => s.Seconds), 2),
                    peak_memory_mb = Math.Round(process.PeakWorkingSet64 / 1048576.0, 1),
                };
                System.Console.WriteLine(JsonSerializer.Serialize(result));
                return 0;
            }
            finally
            {
                if (!parse.GetValue(Keep) && Directory.Exists(scratch))
                {
                    Directory.Delete(scratch, recursive: true);
                }
            }
        });
        return command;
    }
}
