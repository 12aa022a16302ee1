using System.CommandLine;
using System.Globalization;
using System.Text;
using Mimamori.Linkage.Blocking;
using Mimamori.Linkage.Clustering;
using Mimamori.Linkage.Records;
using Mimamori.Linkage.Scoring;
using Mimamori.Linkage.Specs;

namespace Mimamori.Cli.Verbs;

/// <summary>
/// <c>mimamori link-files --spec SPEC.json --out clusters.csv</c>: probabilistic dedupe or linkage of data staff's own
/// CSV lists, described by a JSON spec (roles per column). Writes <c>file,record_id,cluster_id</c>, one row per input
/// record; training figures go to stderr. The files are read here and handed to <see cref="FileLinkage"/> as records.
/// </summary>
public static class LinkFilesVerb
{
    public static Option<string> Spec { get; } = new("--spec") { Description = "The link spec (JSON): mode and files with their role columns", Required = true };

    public static Option<string> Out { get; } = new("--out") { Description = "The CSV to write: file,record_id,cluster_id", Required = true };

    public static Option<string?> Model { get; } = new("--model") { Description = "Also write the trained model (versioned JSON: m and u per level, thresholds, EM convergence, blocking per rule) to this file" };

    public static Command Create()
    {
        var command = new Command("link-files", "Find the same person across (dedupe: and within) CSV lists described by a spec");
        command.Options.Add(Spec);
        command.Options.Add(Out);
        command.Options.Add(Model);
        command.SetAction(parse =>
        {
            var specPath = Path.GetFullPath(parse.GetValue(Spec)!);
            var outPath = parse.GetValue(Out)!;
            if (!File.Exists(specPath))
            {
                throw new UsageException($"The spec file {specPath} does not exist.");
            }

            try
            {
                var spec = LinkSpec.Parse(File.ReadAllText(specPath, Encoding.UTF8));
                var baseDir = Path.GetDirectoryName(specPath)!;
                var records = new List<FieldRecord>();
                for (var i = 0; i < spec.Files.Count; i++)
                {
                    var file = spec.Files[i];
                    var path = Path.Combine(baseDir, file.Path);
                    if (!File.Exists(path))
                    {
                        throw new UsageException($"The file \"{file.Path}\" named in the spec does not exist (looked for {path}).");
                    }

                    using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
                    var read = FieldRecordReader.Read(stream, file, i);
                    var badDates = read.Count(r => r.BirthDate is null && r.BirthDateText.Length > 0);
                    System.Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"link-files: {file.Path}: {read.Count:N0} records{(badDates > 0 ? $", {badDates:N0} birth dates unreadable (compared as missing)" : string.Empty)}"));
                    records.AddRange(read);
                }

                // Pairs per rule are printed as soon as blocking is done, before any scoring; their estimated recall
                // needs the scored pairs and follows the training figures.
                var result = FileLinkage.Run(records, spec.Mode, new FileLinkageOptions(OnBlocked: ReportBlocking));
                Report(result);
                Write(outPath, spec, records, result.Cluster);
                if (parse.GetValue(Model) is { } modelPath)
                {
                    var em = result.Training;
                    var training = new TrainingSummary(em.Converged, em.Iterations, em.Prior, result.SampledPairs, result.CandidatePairs);
                    File.WriteAllText(modelPath, result.Model.ToJson(training, result.Blocking), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
                }

                System.Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"link-files: {records.Count:N0} records in {result.Cluster.Distinct().Count():N0} clusters; written to {outPath}"));
                return 0;
            }
            catch (LinkSpecException e)
            {
                throw new UsageException(e.Message, e);
            }
        });
        return command;
    }

    private static void Report(FileLinkageResult result)
    {
        var error = System.Console.Error;
        var em = result.Training;
        error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"link-files: u from {result.SampledPairs:N0} random pairs; EM {(em.Converged ? "converged" : "did NOT converge")} after {em.Iterations} iterations (last change {em.LastChange:0.0e0}); prior {em.Prior:0.######} ({result.PriorWeight:0.00} bits)"));
        foreach (var comparison in result.Model.Comparisons)
        {
            var levels = comparison.Levels.Where(l => l.Id != "missing").Select(l => string.Create(CultureInfo.InvariantCulture, $"{l.Id} m={l.M:0.####} u={l.U:0.######} w={l.Weight:0.0}"));
            error.WriteLine($"link-files:   {comparison.Id}: {string.Join("; ", levels)}");
        }

        foreach (var rule in result.Blocking)
        {
            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"link-files: blocking {rule.Rule}: pair recall {rule.Recall:0.0000} ({rule.RecallKind}{(rule.RecallKind == "estimated" ? ": expected matches among the rule's pairs over those of all rules" : string.Empty)})"));
        }

        error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"link-files: {result.CandidatePairs:N0} candidate pairs, {result.Links:N0} above the link weight, {result.RefusedJoins:N0} joins refused by the conflict guard"));
    }

    private static void ReportBlocking(IReadOnlyList<RuleCount> rules)
    {
        var error = System.Console.Error;
        foreach (var rule in rules)
        {
            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"link-files: blocking {rule.Rule}: {rule.Pairs:N0} new candidate pairs, {rule.SharedPairs:N0} in all{(rule.SkippedBlocks > 0 ? $" ({rule.SkippedBlocks:N0} oversized blocks skipped)" : string.Empty)}"));
        }

        error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"link-files: {rules.Sum(r => r.Pairs):N0} candidate pairs to score"));
    }

    private static void Write(string path, LinkSpec spec, List<FieldRecord> records, int[] cluster)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        writer.NewLine = "\n";
        writer.WriteLine("file,record_id,cluster_id");
        for (var i = 0; i < records.Count; i++)
        {
            writer.WriteLine($"{Quote(spec.Files[records[i].File].Path)},{Quote(records[i].RecordId)},{(cluster[i] + 1).ToString(CultureInfo.InvariantCulture)}");
        }
    }

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
}
