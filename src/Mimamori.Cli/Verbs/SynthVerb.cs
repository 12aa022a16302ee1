using System.CommandLine;
using System.Text.Json;
using Mimamori.Cli.Console;
using Mimamori.Synthetic;

namespace Mimamori.Cli.Verbs;

/// <summary><c>mimamori synth</c>: generates a synthetic municipality's department exports and its ground truth.</summary>
public static class SynthVerb
{
    public static Option<string> Preset { get; } = new("--preset") { Description = $"A pilot municipality: {string.Join(", ", SynthPresets.Names)}", DefaultValueFactory = _ => "toda" };

    public static Option<int?> Population { get; } = new("--population") { Description = "Residents to generate (overrides the preset's size)" };

    public static Option<int> Seed { get; } = new("--seed") { Description = "Random seed; the same seed gives byte-identical files", DefaultValueFactory = _ => 1 };

    public static Option<int?> Years { get; } = new("--years") { Description = "Years of history" };

    public static Option<string?> Out { get; } = new("--out") { Description = "Output folder (default DATA/synth)" };

    public static Command Create()
    {
        var command = new Command("synth", "Generate a synthetic municipality: feeds/ in each system's export format, and truth/");
        command.Options.Add(Preset);
        command.Options.Add(Population);
        command.Options.Add(Seed);
        command.Options.Add(Years);
        command.Options.Add(Out);
        command.SetAction(parse =>
        {
            var settings = CommonOptions.Resolve(parse);
            var options = Options(parse);
            var output = parse.GetValue(Out) is { } o ? Path.GetFullPath(o) : settings.SynthDir;
            var summary = Generate(options, output, ProgressLog.ForConsole());
            System.Console.WriteLine($"{summary.Residents:N0} residents, {summary.Households:N0} households, {summary.Children:N0} children; {summary.RowsPerFeed.Count} feeds in {output}");
            return 0;
        });
        return command;
    }

    public static SynthOptions Options(ParseResult parse)
    {
        SynthOptions options;
        try
        {
            options = SynthPresets.Get(parse.GetValue(Preset) ?? "toda", parse.GetValue(Seed));
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message, e);
        }

        if (parse.GetValue(Population) is { } population)
        {
            options = options with { Population = population, Preset = "custom" };
        }

        if (parse.GetValue(Years) is { } years)
        {
            options = options with { Years = years };
        }

        return options;
    }

    /// <summary>Generates into <paramref name="output"/>, replacing what was there, and writes a manifest of the options.</summary>
    public static SynthSummary Generate(SynthOptions options, string output, ProgressLog log)
    {
        foreach (var sub in new[] { "feeds", "truth" })
        {
            var dir = Path.Combine(output, sub);
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }

        Directory.CreateDirectory(output);
        var summary = SyntheticMunicipality.Generate(
            options,
            relative =>
            {
                var path = Path.Combine(output, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                return new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
            },
            log.Line);
        File.WriteAllText(Path.Combine(output, "manifest.json"), Manifest(options));
        return summary;
    }

    /// <summary>The options a synthetic municipality was generated with, to tell whether it can be reused.</summary>
    public static string Manifest(SynthOptions options) =>
        JsonSerializer.Serialize(new { options.Preset, options.Population, options.Seed, options.Years, AsOf = options.AsOf.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), options.City });
}
