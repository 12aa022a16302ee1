using System.CommandLine;
using Mimamori.Ingestion.Specs;
using Mimamori.Storage.Schema;
using Mimamori.Web;

namespace Mimamori.Cli.Verbs;

/// <summary><c>mimamori serve</c>: the web app, on 127.0.0.1 by default.</summary>
public static class ServeVerb
{
    public static Option<string> Urls { get; } = new("--urls") { Description = "Where to listen", DefaultValueFactory = _ => "http://127.0.0.1:5080" };

    public static Command Create()
    {
        var command = new Command("serve", "Serve the web app (worklist, child pages, audit)");
        command.Options.Add(Urls);
        command.SetAction(parse =>
        {
            var settings = CommonOptions.Resolve(parse);
            // Migrating on start is the default; an operator who upgrades deliberately (backup, then `mimamori migrate`)
            // turns it off, and then a schema behind this build is an error rather than a silent change.
            if (Environment.GetEnvironmentVariable("MIMAMORI_SERVE_MIGRATE") is "false" or "0")
            {
                var applied = settings.Database.AppliedVersions();
                var pending = Migrations.All.Count(m => !applied.Contains(m.Version));
                if (pending > 0)
                {
                    throw new UsageException($"{settings.Database.Display} lacks {pending} schema migration(s) this build needs: run `mimamori migrate` (after a backup), then start again.");
                }
            }
            else
            {
                settings.Database.Migrate();
            }

            Serve(settings, parse.GetValue(Urls)!);
            return 0;
        });
        return command;
    }

    public static void Serve(Settings settings, string urls)
    {
        var app = WebApp.Build(new WebOptions(settings.Database, urls)
        {
            Feeds = LoadSpecs(Settings.SpecsDir),
            PdfFont = PdfFont(),
            BreakGlassDuration = BreakGlassDuration(),
            Transcriber = new Mimamori.Web.Notes.WhisperTranscriber(Environment.GetEnvironmentVariable(Mimamori.Web.Notes.WhisperTranscriber.ModelSetting)),
            AudioDirectory = Path.Combine(settings.DataDir, "audio"),
            HandoverDirectory = Path.Combine(settings.DataDir, "handover"),
        });
        System.Console.WriteLine($"見守り is serving on {urls} (Ctrl+C to stop)");
        app.Run();
    }

    /// <summary>The feed specs shipped beside the program, for the transparency page; a broken spec is left out here
    /// (ingest reports it with its file and line).</summary>
    public static IReadOnlyList<FeedSpec> LoadSpecs(string directory) =>
        Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal)
                .Select(f => FeedSpecLoader.Parse(File.ReadAllText(f), f).Spec).OfType<FeedSpec>().ToList()
            : [];

    // MIMAMORI_BREAK_GLASS_HOURS shortens or lengthens emergency access (default 4 hours); nonsense keeps the default.
    private static TimeSpan BreakGlassDuration()
    {
        var text = Environment.GetEnvironmentVariable("MIMAMORI_BREAK_GLASS_HOURS");
        return double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var hours) && hours > 0 && hours <= 72
            ? TimeSpan.FromHours(hours)
            : TimeSpan.FromHours(4);
    }

    // The letter font serves the web app's PDFs too; without it those PDFs are unavailable, not the app.
    private static byte[]? PdfFont()
    {
        var path = Outreach.OutreachSettings.FromEnvironment().FontPath;
        return File.Exists(path) ? File.ReadAllBytes(path) : null;
    }
}
