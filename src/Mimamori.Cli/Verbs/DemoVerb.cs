using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Mimamori.Cli.Console;
using Mimamori.Cli.Pipeline;
using Mimamori.Storage.People;

namespace Mimamori.Cli.Verbs;

/// <summary>
/// <c>mimamori demo</c>: a synthetic municipality (reused when its options are unchanged), the whole pipeline into the
/// embedded database, demo accounts written to DATA/demo-accounts.json, and the web app on 127.0.0.1.
/// </summary>
public static class DemoVerb
{
    private static readonly JsonSerializerOptions AccountsJson = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Option<bool> NoServe { get; } = new("--no-serve") { Description = "Prepare everything but do not start the web app" };

    public static Command Create()
    {
        var command = new Command("demo", "Generate a synthetic municipality, run the whole pipeline and serve the web app");
        command.Options.Add(SynthVerb.Preset);
        command.Options.Add(SynthVerb.Population);
        command.Options.Add(SynthVerb.Seed);
        command.Options.Add(ServeVerb.Urls);
        command.Options.Add(NoServe);
        command.SetAction(parse =>
        {
            var settings = CommonOptions.Resolve(parse);
            var log = ProgressLog.ForConsole();
            if (DataKeys.EnsureKeyFile(settings.DataDir) is { } created)
            {
                log.Line($"demo: created the data key {created} (mode 0600); free-text columns are encrypted with it");
            }

            var options = SynthVerb.Options(parse);
            var manifest = Path.Combine(settings.SynthDir, "manifest.json");
            if (File.Exists(manifest) && File.ReadAllText(manifest) == SynthVerb.Manifest(options) && Directory.Exists(settings.FeedsDir))
            {
                log.Line($"synth: reusing the synthetic municipality in {settings.SynthDir}");
            }
            else
            {
                SynthVerb.Generate(options, settings.SynthDir, log);
            }

            PipelineRunner.Run(settings.Database, Settings.SpecsDir, settings.FeedsDir, null, TimeProvider.System, log, settings.DataDir);
            var accounts = DemoAccounts.Seed(settings.Database, null);
            var accountsFile = Path.Combine(settings.DataDir, "demo-accounts.json");
            File.WriteAllText(accountsFile, JsonSerializer.Serialize(accounts.Select(a => new { user = a.User, password = a.Password, role = a.Role, scope = a.Scope }), AccountsJson));
            var urls = parse.GetValue(ServeVerb.Urls)!;
            System.Console.WriteLine();
            System.Console.WriteLine($"見守り demo: {urls}");
            System.Console.WriteLine($"Demo accounts (also in {accountsFile}):");
            foreach (var a in accounts)
            {
                System.Console.WriteLine($"  {a.Role,-16} user {a.User,-16} password {a.Password}  scope {a.Scope}");
            }

            if (!parse.GetValue(NoServe))
            {
                ServeVerb.Serve(settings, urls);
            }

            return 0;
        });
        return command;
    }
}
