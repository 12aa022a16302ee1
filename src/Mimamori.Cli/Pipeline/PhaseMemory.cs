using System.Globalization;
using Mimamori.Cli.Console;

namespace Mimamori.Cli.Pipeline;

/// <summary>
/// A full, compacting collection between two phases of a stage when the phase before left a large heap behind. At a
/// city's scale a link holds gigabytes of records, keys and candidate indexes that die at once when it has scored;
/// the runtime would collect them only once the next phase had grown the heap by a comparable amount, so the process
/// would hold both. Collecting at the boundary lets the next phase reuse that memory and gives the rest back to the
/// system. Small heaps (a town, a test) are left to the runtime.
/// </summary>
public static class PhaseMemory
{
    /// <summary>Heaps below this are not worth a full collection.</summary>
    private const long Threshold = 512L * 1024 * 1024;

    public static void Release(ProgressLog log, string stage, string boundary)
    {
        ArgumentNullException.ThrowIfNull(log);
        var before = GC.GetTotalMemory(false);
        if (before < Threshold)
        {
            return;
        }

        var watch = System.Diagnostics.Stopwatch.StartNew();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var after = GC.GetTotalMemory(false);
        log.Line(string.Create(CultureInfo.InvariantCulture, $"{stage}: memory {boundary}: heap {before / 1e9:0.0} GB → {after / 1e9:0.0} GB in {watch.Elapsed.TotalSeconds:0.0} s"));
    }
}
