using System.Globalization;
using System.Text;

namespace Mimamori.Synthetic.Tests;

/// <summary>One generation into memory: every file the sink received, by relative path.</summary>
internal sealed class GeneratedRun
{
    private GeneratedRun(SynthOptions options)
    {
        Options = options;
        var streams = new SortedDictionary<string, MemoryStream>(StringComparer.Ordinal);
        Summary = SyntheticMunicipality.Generate(options, path =>
        {
            Assert.False(streams.ContainsKey(path), $"{path} opened twice");
            var ms = new MemoryStream();
            streams[path] = ms;
            return ms;
        });
        Files = streams.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);
    }

    public static Encoding ShiftJis { get; } = StrictShiftJis();

    public SynthOptions Options { get; }

    public SynthSummary Summary { get; }

    public IReadOnlyDictionary<string, byte[]> Files { get; }

    private static Encoding StrictShiftJis()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(932, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
    }

    public static GeneratedRun Create(int population, int seed, NoiseOptions? noise = null, string city = "戸田市") =>
        new(new SynthOptions(population, seed, 3, new DateOnly(2026, 3, 31), city, "test", noise));

    /// <summary>The one file under <paramref name="folder"/> (e.g. <c>feeds/jumin_legacy/</c>).</summary>
    public string PathIn(string folder) => Assert.Single(Files.Keys, k => k.StartsWith(folder, StringComparison.Ordinal));

    public string Text(string path) =>
        Encoding.UTF8.GetString(Files[path]).TrimStart('\uFEFF');

    public string ShiftJisText(string path) => ShiftJis.GetString(Files[path]);

    /// <summary>Rows of a CSV file as dictionaries by header (the generator never quotes fields).</summary>
    public static List<Dictionary<string, string>> Parse(string text)
    {
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        if (lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        var header = lines[0].Split(',');
        var rows = new List<Dictionary<string, string>>();
        foreach (var line in lines.Skip(1))
        {
            Assert.DoesNotContain('"', line);
            var fields = line.Split(',');
            Assert.Equal(header.Length, fields.Length);
            rows.Add(header.Zip(fields).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal));
        }

        return rows;
    }

    public List<Dictionary<string, string>> Csv(string folder)
    {
        var path = PathIn(folder);
        return Parse(IsShiftJis(path) ? ShiftJisText(path) : Text(path));
    }

    /// <summary>Feeds exported by legacy systems in Shift_JIS (CP932).</summary>
    public static bool IsShiftJis(string path) =>
        new[] { "jumin_legacy/", "juminzei/", "jido_fuyo/", "shogai_fukushi/", "jisou/" }.Any(f => path.Contains("/" + f, StringComparison.Ordinal) || path.StartsWith(f, StringComparison.Ordinal));

    public List<Dictionary<string, string>> Truth(string name) => Parse(Text("truth/" + name));

    public static DateOnly Iso(string s) => DateOnly.ParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
