using System.CommandLine;
using System.Text.Json;
using Mimamori.Cli.Evaluation;

namespace Mimamori.Cli.Verbs;

/// <summary><c>mimamori evaluate</c>: accuracy against the synthetic municipality's ground truth, as one JSON object.</summary>
public static class EvaluateVerb
{
    public static Option<string?> Truth { get; } = new("--truth") { Description = "Ground-truth folder (default DATA/synth/truth)" };

    public static Command Create()
    {
        var command = new Command("evaluate", "Measure linkage, need detection and unclaimed support against the ground truth (JSON on stdout)");
        command.Options.Add(Truth);
        command.SetAction(parse =>
        {
            var settings = CommonOptions.Resolve(parse);
            var result = Evaluator.Run(settings.Database, parse.GetValue(Truth) ?? settings.TruthDir);
            System.Console.WriteLine(JsonSerializer.Serialize(result));
            return 0;
        });
        return command;
    }
}
