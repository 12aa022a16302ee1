using Mimamori.Cli.Console;

namespace Mimamori.Cli.Verbs;

/// <summary><c>mimamori bench --suite</c>: parsing and validation speed of a typical 12-column CSV, on one core.</summary>
public static class ParseBench
{
    /// <summary>Runs the suite and returns its figures, printed as one JSON object.</summary>
    public static IReadOnlyDictionary<string, object> Run(Settings settings, int records, ProgressLog log) =>
        throw new UsageException("This benchmark suite is not available in this build.");
}
