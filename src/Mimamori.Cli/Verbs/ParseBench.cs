using System.Diagnostics;
using System.Globalization;
using System.Text;
using Mimamori.Cli.Console;
using Mimamori.Ingestion.Readers;
using Mimamori.Ingestion.Specs;
using Mimamori.Ingestion.Validation;

namespace Mimamori.Cli.Verbs;

/// <summary><c>mimamori bench --suite</c>: parsing and validation speed of a typical 12-column CSV, on one core.</summary>
/// <remarks>
/// The file is generated in memory (so disk speed is not measured) with the shape of a registry export: identity
/// columns, a 和暦 birth date, codes, a number with a range and a flag, and one row in a thousand with a bad value so
/// that quarantine is part of the work. The same rows are timed once as UTF-8 and once as Shift_JIS (CP932).
/// </remarks>
public static class ParseBench
{
    private const string SpecJson = """
        {
          "source": "bench_parse", "title": { "ja": "解析速度", "en": "Parse speed" }, "department": "-",
          "category": "resident", "purpose": "early_support", "legal_basis": "appi_69_2_2",
          "format": "csv", "encoding": "ENCODING", "files": "bench/*.csv", "snapshot": "full",
          "columns": [
            { "name": "宛名番号", "role": "atena_no", "type": "text", "required": true },
            { "name": "世帯番号", "role": "household_no", "type": "text" },
            { "name": "氏名", "role": "full_name", "type": "text", "required": true },
            { "name": "氏名カナ", "role": "full_kana", "type": "kana" },
            { "name": "生年月日", "role": "birth_date", "type": "date", "format": "wareki", "required": true },
            { "name": "性別", "role": "sex", "type": "code", "codes": { "1": "M", "2": "F" } },
            { "name": "郵便番号", "role": "postal_code", "type": "text" },
            { "name": "住所", "role": "address", "type": "text" },
            { "name": "電話番号", "role": "phone", "type": "text" },
            { "name": "基準日", "role": "fact_date", "type": "date", "format": "yyyy-MM-dd", "required": true },
            { "name": "欠席日数", "fact": "school.absence_days", "type": "int", "min": 0, "max": 31 },
            { "name": "就学援助", "fact": "welfare.shugaku_enjo", "type": "bool" }
          ]
        }
        """;

    private static readonly string[] Families = ["佐藤", "鈴木", "髙橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田", "山田", "﨑山", "松本", "井上"];
    private static readonly string[] FamilyKana = ["サトウ", "スズキ", "タカハシ", "タナカ", "イトウ", "ワタナベ", "ヤマモト", "ナカムラ", "コバヤシ", "カトウ", "ヨシダ", "ヤマダ", "サキヤマ", "マツモト", "イノウエ"];
    private static readonly string[] Givens = ["陽翔", "結菜", "蓮", "凛", "湊", "陽葵", "大翔", "芽依", "悠真", "紬"];
    private static readonly string[] GivenKana = ["ハルト", "ユイナ", "レン", "リン", "ミナト", "ヒマリ", "ヒロト", "メイ", "ユウマ", "ツムギ"];
    private static readonly string[] Towns = ["戸田市上戸田一丁目", "戸田市新曽南二丁目", "戸田市笹目三丁目", "戸田市美女木四丁目", "戸田市下前一丁目"];

    /// <summary>Runs the suite and returns its figures, printed as one JSON object.</summary>
    public static IReadOnlyDictionary<string, object> Run(Settings settings, int records, ProgressLog log)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(log);
        if (records < 1)
        {
            throw new UsageException("--records must be at least 1.");
        }

        log.Line($"generating {records:N0} rows of a 12-column CSV");
        var text = Generate(records);
        var figures = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["suite"] = "parse",
            ["columns"] = 12,
        };
        foreach (var (key, encoding) in new[] { ("utf8", "utf-8"), ("shift_jis", "shift_jis") })
        {
            var bytes = DelimitedReader.EncodingFor(encoding).GetBytes(text);
            var (spec, errors) = FeedSpecLoader.Parse(SpecJson.Replace("ENCODING", encoding, StringComparison.Ordinal), "bench_parse.json");
            if (spec is null)
            {
                throw new InvalidOperationException(errors[0].ToString());
            }

            // The better of two passes after a warm-up, so that the figure is of steady state rather than of the JIT
            // (or of a moment when the other core's work took this one).
            Measure(spec, bytes.AsMemory(0, Math.Min(bytes.Length, 1 << 20)), settings.Verbose ? log : null);
            var (summary, seconds) = Measure(spec, bytes, null);
            seconds = Math.Min(seconds, Measure(spec, bytes, null).Seconds);
            log.Line($"{encoding}: {summary.RowsRead:N0} rows ({summary.RowsQuarantined:N0} quarantined) in {seconds:0.00} s");
            figures[key] = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["rows"] = summary.RowsRead,
                ["quarantined"] = summary.RowsQuarantined,
                ["megabytes"] = Math.Round(bytes.Length / 1048576.0, 1),
                ["seconds"] = Math.Round(seconds, 3),
                ["rows_per_second"] = Math.Round(summary.RowsRead / seconds),
            };
        }

        return figures;
    }

    private static (ReadSummary Summary, double Seconds) Measure(FeedSpec spec, ReadOnlyMemory<byte> bytes, ProgressLog? verbose)
    {
        var accepted = 0L;
        var shown = 0;
        using var stream = new MemoryStream(bytes.ToArray(), writable: false);
        var watch = Stopwatch.StartNew();
        var summary = FeedReader.Read(spec, stream, "bench.csv", _ => accepted++, q =>
        {
            if (verbose is not null && shown++ < 5)
            {
                verbose.Line($"quarantined: line {q.Line} {q.Column} '{q.Received}', expected {q.Expected}");
            }
        });
        watch.Stop();
        return accepted != summary.RowsAccepted ? throw new InvalidOperationException("accepted rows do not reconcile") : (summary, watch.Elapsed.TotalSeconds);
    }

    private static string Generate(int records)
    {
        var random = new Random(20251128);
        var text = new StringBuilder(records * 120);
        text.Append("宛名番号,世帯番号,氏名,氏名カナ,生年月日,性別,郵便番号,住所,電話番号,基準日,欠席日数,就学援助\r\n");
        var eras = new[] { ("平成", 1, 30), ("令和", 2, 7) };
        for (var i = 0; i < records; i++)
        {
            var f = random.Next(Families.Length);
            var g = random.Next(Givens.Length);
            var (era, first, last) = eras[random.Next(eras.Length)];
            var year = random.Next(first, last + 1);
            var bad = random.Next(1000) == 0;
            text.Append(CultureInfo.InvariantCulture, $"{100000000 + i},{200000000 + (i / 3)},");
            // Exports quote free text now and then, so quoted fields are part of the work.
            text.Append(i % 50 == 0 ? $"\"{Families[f]}　{Givens[g]}\"" : $"{Families[f]}　{Givens[g]}");
            text.Append(CultureInfo.InvariantCulture, $",{FamilyKana[f]} {GivenKana[g]},{era}{year}年{1 + random.Next(12)}月{1 + random.Next(28)}日,{1 + random.Next(2)},");
            text.Append(CultureInfo.InvariantCulture, $"335-00{random.Next(10, 99)},{Towns[random.Next(Towns.Length)]}{1 + random.Next(30)}番{1 + random.Next(20)}号,048-4{random.Next(10, 99)}-{random.Next(1000, 9999)},");
            text.Append(CultureInfo.InvariantCulture, $"2025-{1 + random.Next(12):00}-01,{(bad ? "多い" : random.Next(32).ToString(CultureInfo.InvariantCulture))},{random.Next(2)}\r\n");
        }

        return text.ToString();
    }
}
