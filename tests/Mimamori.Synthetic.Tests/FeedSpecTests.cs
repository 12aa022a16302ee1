using System.Text.Json;
using ClosedXML.Excel;

namespace Mimamori.Synthetic.Tests;

/// <summary>The specs in data/feeds describe exactly what the generator writes.</summary>
public class FeedSpecTests
{
    private static string FeedSpecFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "data", "feeds");
            if (Directory.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "Directory.Build.props")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("data/feeds not found above the test output folder");
    }

    public static TheoryData<string> Sources() =>
        [
            "jumin_legacy", "juminzei", "seikatsu_hogo", "jido_fuyo", "shugaku_enjo", "komu_attendance", "boshi_kenshin", "katei_sodan",
            "jumin_idou", "jido_teate", "shogai_fukushi", "gakureibo", "gakuryoku_chosa", "hinin_survey", "gakko_kenshin", "ninshin_todoke",
            "yobo_sesshu", "hoiku", "yotaikyo", "jisou", "npo_shokudo",
        ];

    [Theory]
    [MemberData(nameof(Sources))]
    public void Spec_MatchesTheGeneratedFile(string source)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(FeedSpecFolder(), source + ".json")));
        var root = doc.RootElement;
        Assert.Equal(source, root.GetProperty("source").GetString());
        var run = Runs.Small;
        // The first file of the feed (a delta feed has a correction file after it).
        var path = run.Files.Keys.Where(k => k.StartsWith($"feeds/{source}/", StringComparison.Ordinal)).Order(StringComparer.Ordinal).First();
        var glob = root.GetProperty("files").GetString()!;
        Assert.StartsWith(glob.Split('*')[0], path["feeds/".Length..], StringComparison.Ordinal);
        Assert.EndsWith(glob.Split('*')[1], path, StringComparison.Ordinal);

        string[] header;
        if (root.GetProperty("format").GetString() == "xlsx")
        {
            using var workbook = new XLWorkbook(new MemoryStream(run.Files[path]));
            var sheet = workbook.Worksheet(1);
            header = [.. Enumerable.Range(1, sheet.LastColumnUsed().ColumnNumber()).Select(c => sheet.Cell(1, c).GetString())];
        }
        else
        {
            var text = root.GetProperty("encoding").GetString() == "shift_jis" ? run.ShiftJisText(path) : run.Text(path);
            header = text[..text.IndexOf('\n', StringComparison.Ordinal)].TrimEnd('\r').Split(root.GetProperty("delimiter").GetString()![0]);
        }

        var columns = root.GetProperty("columns").EnumerateArray().ToList();
        Assert.Equal(header, columns.Select(c => c.GetProperty("name").GetString()));
        Assert.All(columns, c => Assert.True(c.TryGetProperty("role", out _) ^ c.TryGetProperty("fact", out _), $"{c} needs exactly one of role and fact"));
    }
}
