using System.CommandLine;
using Mimamori.Cli.Console;
using Mimamori.Cli.Pipeline;

namespace Mimamori.Cli.Verbs;

/// <summary><c>mimamori link</c>, <c>detect</c> and <c>outreach</c>: one pipeline stage each, on what is in the store.</summary>
public static class StageVerbs
{
    public static Option<bool> Full { get; } = new("--full") { Description = "Relink every record (by default only batches imported since the last link are scored, when nothing else changed)" };

    public static Command Link()
    {
        var command = Stage("link", "Resolve identities (名寄せ): link every record to a person and build households", (s, d, log, parse) => LinkStage.Run(s.Database, d, TimeProvider.System, log, s.FeedsDir, s.DataDir, parse.GetValue(Full)));
        command.Options.Add(Full);
        return command;
    }

    public static Option<string?> ExportFeatures { get; } = new("--export-features") { Description = "Write one row per child (pseudonymous keys, split, label, score, features; unknown left empty) to this CSV file" };

    public static Option<string?> ModelCard { get; } = new("--model-card") { Description = "Write the need model's card (Markdown) to this file (default DATA/model-card.md when a model is trained)" };

    public static Option<double> Capacity { get; } = new("--capacity") { Description = "Share of children the team can look at in a month, for precision and recall at capacity", DefaultValueFactory = _ => 0.01 };

    public static Option<bool> DetectFull { get; } = new("--full") { Description = "Reassess every child and train the need model again (by default only children a link changed since the last run are reassessed, with the stored model, when nothing else changed)" };

    public static Option<int> ModelMaxAgeDays { get; } = new("--model-max-age-days") { Description = "Train the need model again when the stored one is older than this (when outcome labels exist)", DefaultValueFactory = _ => 30 };

    public static Command Detect()
    {
        var command = new Command("detect", "Assess each child's needs per difficulty, with the reasons and the missing data; score with the need model (trained when outcome labels exist)");
        command.Options.Add(CommonOptions.AsOf);
        command.Options.Add(ExportFeatures);
        command.Options.Add(ModelCard);
        command.Options.Add(Capacity);
        command.Options.Add(DetectFull);
        command.Options.Add(ModelMaxAgeDays);
        command.SetAction(parse =>
        {
            var settings = CommonOptions.Resolve(parse);
            settings.Database.Migrate();
            var referenceDate = PipelineRunner.ReferenceDate(settings.FeedsDir, CommonOptions.ResolveAsOf(parse), TimeProvider.System);
            var options = new DetectOptions
            {
                DataDir = settings.DataDir,
                TruthDir = settings.TruthDir,
                ExportFeatures = parse.GetValue(ExportFeatures) is { } e ? Path.GetFullPath(e) : null,
                ModelCard = parse.GetValue(ModelCard) is { } m ? Path.GetFullPath(m) : null,
                Capacity = parse.GetValue(Capacity),
                Full = parse.GetValue(DetectFull),
                ModelMaxAgeDays = parse.GetValue(ModelMaxAgeDays),
            };
            DetectStage.Run(settings.Database, referenceDate, TimeProvider.System, ProgressLog.ForConsole(), options: options);
            return 0;
        });
        return command;
    }

    public static Command Outreach() => Cli.Outreach.OutreachVerb.Create();

    private static Command Stage(string name, string description, Action<Settings, DateOnly, ProgressLog, ParseResult> run)
    {
        var command = new Command(name, description);
        command.Options.Add(CommonOptions.AsOf);
        command.SetAction(parse =>
        {
            var settings = CommonOptions.Resolve(parse);
            settings.Database.Migrate();
            var referenceDate = PipelineRunner.ReferenceDate(settings.FeedsDir, CommonOptions.ResolveAsOf(parse), TimeProvider.System);
            run(settings, referenceDate, ProgressLog.ForConsole(), parse);
            return 0;
        });
        return command;
    }
}
