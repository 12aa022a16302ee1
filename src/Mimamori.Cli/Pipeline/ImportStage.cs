using System.Security.Cryptography;
using Microsoft.Extensions.FileSystemGlobbing;
using Mimamori.Cli.Console;
using Mimamori.Ingestion.Readers;
using Mimamori.Ingestion.Specs;
using Mimamori.Ingestion.Validation;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Ingestion;

namespace Mimamori.Cli.Pipeline;

/// <summary>The outcome of one file: imported with its reconciliation, skipped as unchanged, or refused whole.</summary>
public sealed record FileOutcome(string Source, string File, string Status, ReadSummary? Summary, string? Reason, BatchChanges? Changes = null);

/// <summary>
/// Imports every file of every feed spec: each file is one transaction (all or nothing), a file already imported with
/// the same content is skipped, and every file's counts are printed and stored so that they reconcile.
/// </summary>
public static class ImportStage
{
    public static IReadOnlyList<FileOutcome> Run(MimamoriDatabase database, string specsDir, string feedsDir, TimeProvider clock, ProgressLog log)
    {
        if (!Directory.Exists(feedsDir))
        {
            throw new UsageException($"The feeds folder {feedsDir} does not exist; generate a synthetic municipality with `mimamori synth` or pass --feeds.");
        }

        var specs = LoadSpecs(specsDir);
        var outcomes = new List<FileOutcome>();
        // Paper forms are entered in the web app, not read from files.
        foreach (var spec in specs.Where(s => s.Format != "form"))
        {
            var matcher = new Matcher(StringComparison.Ordinal);
            matcher.AddInclude(spec.Files);
            var files = matcher.GetResultsInFullPath(feedsDir).Order(StringComparer.Ordinal).ToList();
            if (files.Count == 0)
            {
                log.Line($"{spec.Source}: no files match {spec.Files}");
            }

            foreach (var path in files)
            {
                outcomes.Add(ImportFile(database, spec, feedsDir, path, clock, log));
            }
        }

        return outcomes;
    }

    /// <summary>Reads every spec in the folder; any fault stops the run with the spec's file and line.</summary>
    public static IReadOnlyList<FeedSpec> LoadSpecs(string specsDir)
    {
        if (!Directory.Exists(specsDir))
        {
            throw new UsageException($"The feed specs folder {specsDir} does not exist.");
        }

        var specs = new List<FeedSpec>();
        // Specs name categories and legal bases of the privacy policy: a feed cannot be used under a basis the policy lacks.
        var policy = Privacy.Access.AccessPolicy.Default;
        var categories = policy.Categories.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var bases = policy.LegalBases.Select(b => b.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(specsDir, "*.json").Order(StringComparer.Ordinal))
        {
            var (spec, errors) = FeedSpecLoader.Parse(File.ReadAllText(file), file, categories, bases);
            if (spec is null)
            {
                throw new UsageException($"The feed spec is invalid: {errors[0]}" + (errors.Count > 1 ? $" (and {errors.Count - 1} more)" : string.Empty));
            }

            specs.Add(spec);
        }

        return specs;
    }

    private static FileOutcome ImportFile(MimamoriDatabase database, FeedSpec spec, string feedsDir, string path, TimeProvider clock, ProgressLog log)
    {
        var relative = Path.GetRelativePath(feedsDir, path).Replace('\\', '/');
        string sha;
        using (var hashStream = File.OpenRead(path))
        {
            sha = Convert.ToHexStringLower(SHA256.HashData(hashStream));
        }

        if (ImportBatchWriter.AlreadyImported(database, spec.Source, sha))
        {
            log.Line($"{relative}: unchanged since its last import, skipped");
            return new FileOutcome(spec.Source, relative, "unchanged", null, null);
        }

        log.Status($"importing {relative}");
        using var writer = ImportBatchWriter.Begin(database, spec.Source, relative, sha, spec.Snapshot, clock.GetUtcNow());
        try
        {
            using var stream = File.OpenRead(path);
            var summary = ReadAhead.Read(spec, stream, relative, writer.Add, writer.Quarantine);
            var changes = writer.Commit(summary, clock.GetUtcNow());
            log.Line($"{relative}: read {summary.RowsRead:N0} = accepted {summary.RowsAccepted:N0} + quarantined {summary.RowsQuarantined:N0}; added {changes.Added:N0}, changed {changes.Changed:N0}, removed {changes.Removed:N0}");
            return new FileOutcome(spec.Source, relative, "imported", summary, null, changes);
        }
        catch (FeedStructureException e)
        {
            log.Line($"{relative}: refused, nothing stored: {e.Message}");
            return new FileOutcome(spec.Source, relative, "refused", null, e.Message);
        }
    }
}
