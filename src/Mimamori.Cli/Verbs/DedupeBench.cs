using Mimamori.Cli.Console;

namespace Mimamori.Cli.Verbs;

/// <summary><c>mimamori bench --suite</c>: probabilistic dedupe of person records without identifiers, EM training included.</summary>
public static class DedupeBench
{
    /// <summary>Runs the suite and returns its figures, printed as one JSON object.</summary>
    public static IReadOnlyDictionary<string, object> Run(Settings settings, int records, ProgressLog log) =>
        throw new UsageException("This benchmark suite is not available in this build.");
}
