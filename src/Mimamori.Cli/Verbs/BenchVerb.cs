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
        Description = "What to measure: pipeline (every stage on a preset), parse (feed parsing and validation alone), dedupe (probabilistic dedupe of person records without identifiers)",
        DefaultValueFactory = _ => "pipeline",
    };

    public static Option<int> Records { get; } = new("--records")
    {
        Description = "Number of records for the parse and dedupe suites",
        DefaultValueFactory = _ => 1_000_000,
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

            if (suite != "pipeline")
            {
                throw new UsageException($"--suite '{suite}' is not one of: pipeline, parse, dedupe.");
            }

            var options = SynthVerb.Options(parse);
            var scratch = Path.Combine(settings.DataDir, "bench", $"{options.Preset}-{Environment.ProcessId}");
            var log = ProgressLog.ForConsole();
            try
            {
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
                    foreach (var (stage, figure) in PipelineRunner.Run(database, Settings.SpecsDir, Path.Combine(scratch, "feeds"), null, TimeProvider.System, log))
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
