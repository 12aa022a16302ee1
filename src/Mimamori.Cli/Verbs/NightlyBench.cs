using System.Globalization;
using System.Text;
using Mimamori.Cli.Console;
using Mimamori.Cli.Pipeline;
using Mimamori.Ingestion.Readers;
using Mimamori.Storage.Connection;
using Mimamori.Synthetic;

namespace Mimamori.Cli.Verbs;

/// <summary>
/// <c>mimamori bench --suite nightly --preset NAME [--change 0.01]</c>: the whole pipeline on a fresh store, then the
/// next night's exports — a few departments' full lists sent again with about <c>--change</c> of their rows changed,
/// and the registry's movements (転居, 出生, 死亡) in a 住民異動 delta file — and the pipeline again on the same store.
/// The figure that matters is the ratio of the second run's seconds to the first's.
/// </summary>
public static class NightlyBench
{
    /// <summary>Full lists a department sends again each night in this suite (one per kind of change).</summary>
    public static IReadOnlyList<string> ResentFeeds { get; } = ["jido_teate", "katei_sodan", "gakureibo"];

    /// <summary>The share of the full run's seconds the nightly run should stay within.</summary>
    public const double Target = 0.05;

    /// <summary>Runs the suite and returns its figures, printed as one JSON object.</summary>
    public static IReadOnlyDictionary<string, object> Run(MimamoriDatabase database, string scratch, SynthOptions options, double change, ProgressLog log)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        if (change is <= 0 or > 0.5)
        {
            throw new UsageException("--change must be a share above 0 and at most 0.5 (0.01 is 1 %).");
        }

        SynthVerb.Generate(options, scratch, log);
        var feeds = Path.Combine(scratch, "feeds");
        var full = PipelineRunner.Run(database, Settings.SpecsDir, feeds, null, TimeProvider.System, log, measureBlockingRecall: false);

        var asOf = PipelineRunner.ReferenceDate(feeds, null, TimeProvider.System);
        var written = WriteNight(feeds, options.Seed, 1, change, asOf, log);
        IReadOnlyList<FileOutcome> imported = [];
        var delta = PipelineRunner.Run(database, Settings.SpecsDir, feeds, null, TimeProvider.System, log, imported: o => imported = o, measureBlockingRecall: false);
        var changed = imported.Where(o => o.Status == "imported" && o.Changes is not null).Sum(o => o.Changes!.Added + o.Changes.Changed + o.Changes.Removed);

        var fullSeconds = full.Values.Sum(s => s.Seconds);
        var deltaSeconds = delta.Values.Sum(s => s.Seconds);
        var ratio = fullSeconds > 0 ? deltaSeconds / fullSeconds : 0;
        log.Line(string.Create(CultureInfo.InvariantCulture,
            $"nightly: {written} rows changed in the exports, {changed:N0} records added, changed or removed in the store; {deltaSeconds:0.0} s against {fullSeconds:0.0} s for the full run: ratio {ratio:0.000} {(ratio <= Target ? "≤" : ">")} {Target:0.00} ({(ratio <= Target ? "within" : "NOT within")} the target)"));
        return new Dictionary<string, object>
        {
            ["suite"] = "nightly",
            ["preset"] = options.Preset,
            ["change"] = change,
            ["full"] = new Dictionary<string, object> { ["stages"] = Stages(full), ["total_seconds"] = Math.Round(fullSeconds, 2) },
            ["delta"] = new Dictionary<string, object> { ["stages"] = Stages(delta), ["total_seconds"] = Math.Round(deltaSeconds, 2), ["changed_records"] = changed },
            ["ratio"] = Math.Round(ratio, 4),
        };
    }

    /// <summary>
    /// Writes one night's exports beside the earlier ones: each resent list under the name of the list it replaces
    /// with <c>_nightN</c> appended (so it sorts after it), in the same encoding, byte-order mark and line ends, and
    /// the registry's movements as a new 住民異動 file. Returns the rows that differ from the exports before.
    /// </summary>
    /// <param name="resent">The lists sent again (default <see cref="ResentFeeds"/>).</param>
    public static int WriteNight(string feedsDir, int seed, int night, double change, DateOnly asOf, ProgressLog log, IReadOnlyList<string>? resent = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        var rng = NightlyChanges.Night(seed, night);
        var total = 0;
        foreach (var source in resent ?? ResentFeeds)
        {
            var file = Directory.GetFiles(Path.Combine(feedsDir, source), "*.csv").Order(StringComparer.Ordinal).LastOrDefault();
            if (file is null)
            {
                continue;
            }

            var csv = CsvText.Read(file);
            var result = NightlyChanges.Resend(source, csv.Header, csv.Rows, change, asOf, rng);
            var target = Path.Combine(Path.GetDirectoryName(file)!, $"{Path.GetFileNameWithoutExtension(file)}_night{night}{Path.GetExtension(file)}");
            csv.Write(target, result.Rows);
            log.Line($"nightly: {Path.GetFileName(target)}: {result.Rows.Count:N0} rows, {result.Changed:N0} changed, {result.Added:N0} added, {result.Removed:N0} removed");
            total += result.Total;
        }

        var idou = Directory.GetFiles(Path.Combine(feedsDir, "jumin_idou"), "*.csv").OrderByDescending(f => new FileInfo(f).Length).FirstOrDefault();
        var registry = Directory.GetFiles(Path.Combine(feedsDir, "jumin_legacy"), "*.csv").Sum(f => Math.Max(0, File.ReadLines(f, CsvText.ShiftJis).Count() - 1));
        if (idou is not null)
        {
            var csv = CsvText.Read(idou);
            var movements = NightlyChanges.RegistryMovements(csv.Header, csv.Rows, Math.Max(3, (int)Math.Round(registry * change)), asOf, rng);
            var target = Path.Combine(Path.GetDirectoryName(idou)!, $"idou_{asOf:yyyyMMdd}_night{night}.csv");
            csv.Write(target, movements);
            var reasons = movements.GroupBy(r => r[Array.IndexOf(csv.Header, "異動事由")]).Select(g => $"{g.Key} {g.Count()}");
            log.Line($"nightly: {Path.GetFileName(target)}: {movements.Count:N0} movements ({string.Join(", ", reasons)})");
            total += movements.Count;
        }

        return total;
    }

    private static Dictionary<string, object> Stages(Dictionary<string, StageFigure> figures) =>
        figures.ToDictionary(s => s.Key, s => (object)new { seconds = Math.Round(s.Value.Seconds, 2), rows = s.Value.Rows });

    /// <summary>A CSV export as text: its encoding, byte-order mark, line end, header and rows.</summary>
    private sealed class CsvText
    {
        static CsvText() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

        private CsvText(Encoding encoding, bool bom, string newLine, string[] header, List<string[]> rows)
        {
            (Enc, Bom, NewLine, Header, Rows) = (encoding, bom, newLine, header, rows);
        }

        public static Encoding ShiftJis => Encoding.GetEncoding(932);

        private Encoding Enc { get; }

        private bool Bom { get; }

        private string NewLine { get; }

        public string[] Header { get; }

        public List<string[]> Rows { get; }

        /// <summary>
        /// Reads a file with the feeds' own reader, as UTF-8 when it is valid UTF-8, else as Shift_JIS (CP932), and
        /// notes its byte-order mark and line ends so that the night's file is written the same way.
        /// </summary>
        public static CsvText Read(string path)
        {
            var bytes = File.ReadAllBytes(path);
            var bom = bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]);
            var newLine = bytes.AsSpan().IndexOf("\r\n"u8) >= 0 ? "\r\n" : "\n";
            Encoding encoding = DelimitedReader.EncodingFor("utf-8");
            List<string[]> rows;
            try
            {
                rows = Parse(bytes, encoding);
            }
            catch (FeedStructureException)
            {
                encoding = DelimitedReader.EncodingFor("shift_jis");
                rows = Parse(bytes, encoding);
            }

            return new CsvText(encoding, bom, newLine, rows[0], rows.Skip(1).ToList());
        }

        private static List<string[]> Parse(byte[] bytes, Encoding encoding)
        {
            using var stream = new MemoryStream(bytes, writable: false);
            return DelimitedReader.Read(stream, encoding, ',').Select(r => r.Fields).Where(f => f is not [""]).ToList();
        }

        /// <summary>Writes rows under this file's header, in its encoding, mark and line ends.</summary>
        public void Write(string path, IEnumerable<string[]> rows)
        {
            using var stream = File.Create(path);
            if (Bom)
            {
                stream.Write([0xEF, 0xBB, 0xBF]);
            }

            using var writer = new StreamWriter(stream, Enc is UTF8Encoding ? new UTF8Encoding(false) : Enc) { NewLine = NewLine };
            writer.WriteLine(Line(Header));
            foreach (var r in rows)
            {
                writer.WriteLine(Line(r));
            }
        }

        private static string Line(string[] fields) => string.Join(',', fields.Select(f =>
            f.AsSpan().IndexOfAny(',', '"', '\n') >= 0 || f.Contains('\r', StringComparison.Ordinal) ? "\"" + f.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : f));
    }
}
