using System.Diagnostics;
using System.Globalization;
using System.Text;
using Mimamori.Cli.Console;
using Mimamori.Cli.Evaluation;
using Mimamori.Kernel.Text;
using Mimamori.Linkage.Clustering;
using Mimamori.Linkage.Evaluation;
using Mimamori.Linkage.Records;
using Mimamori.Linkage.Specs;
using Mimamori.Synthetic;

namespace Mimamori.Cli.Verbs;

/// <summary>
/// <c>mimamori bench --suite dedupe --records N</c>: probabilistic dedupe of N person records without identifiers, EM
/// training included. The people are drawn from a synthetic municipality's own name, reading and town tables (福岡市,
/// generated in memory); each person has one to three records with the errors staff lists carry (variant kanji, kana
/// written another way or mistyped, a homophone kanji for the given name, birth-date slips, a moved address, missing
/// fields), and 1 % have a twin. The figures are seconds per phase (generation excluded), candidate pairs, the
/// process's peak memory, and pairwise precision and recall against who generated each record.
/// </summary>
public static class DedupeBench
{
    private const int Seed = 20261128;

    /// <summary>Residents of the in-memory municipality whose tables the people are drawn from.</summary>
    private const int TablePopulation = 40_000;

    /// <summary>Runs the suite and returns its figures, printed as one JSON object.</summary>
    public static IReadOnlyDictionary<string, object> Run(Settings settings, int records, ProgressLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (records < 2)
        {
            throw new UsageException("--records must be at least 2 for the dedupe suite.");
        }

        var watch = Stopwatch.StartNew();
        var tables = Tables.FromSyntheticMunicipality(log);
        var (input, truth, persons) = Generate(tables, records, Seed);
        var generateSeconds = watch.Elapsed.TotalSeconds;
        log.Line(string.Create(CultureInfo.InvariantCulture, $"dedupe: {input.Count:N0} records of {persons:N0} people generated in {generateSeconds:0.0} s"));

        // What the process holds before linking (the input itself) is part of the peak; the generator's tables are not.
        GC.Collect();
        watch.Restart();
        var result = FileLinkage.Run(input, LinkMode.Dedupe, new FileLinkageOptions(Truth: truth));
        var linkSeconds = watch.Elapsed.TotalSeconds;
        var accuracy = PairwiseAccuracy.Of(result.Cluster.Select((c, i) => ((long)c, truth[i].ToString(CultureInfo.InvariantCulture))));
        foreach (var rule in result.Blocking)
        {
            log.Line(string.Create(CultureInfo.InvariantCulture, $"dedupe: blocking {rule.Rule}: {rule.Pairs:N0} new pairs, {rule.SharedPairs:N0} in all, pair recall {rule.Recall:0.0000} ({rule.RecallKind})"));
        }

        log.Line(string.Create(CultureInfo.InvariantCulture, $"dedupe: {result.CandidatePairs:N0} candidate pairs; precision {accuracy.Precision:0.0000}, recall {accuracy.Recall:0.0000} in {linkSeconds:0.0} s"));
        using var process = Process.GetCurrentProcess();
        return new Dictionary<string, object>
        {
            ["suite"] = "dedupe",
            ["records"] = input.Count,
            ["people"] = persons,
            ["generate_seconds"] = Math.Round(generateSeconds, 2),
            ["seconds"] = result.Timings.ToDictionary(t => t.Stage, t => (object)Math.Round(t.Seconds, 2)),
            ["cpu_seconds"] = result.Timings.ToDictionary(t => t.Stage, t => (object)Math.Round(t.CpuSeconds, 2)),
            ["total_seconds"] = Math.Round(linkSeconds, 2),
            ["total_cpu_seconds"] = Math.Round(result.Timings.Sum(t => t.CpuSeconds), 2),
            ["pairs"] = result.CandidatePairs,
            ["blocking"] = result.Blocking.Select(b => new Dictionary<string, object>
            {
                ["rule"] = b.Rule,
                ["pairs"] = b.Pairs,
                ["shared_pairs"] = b.SharedPairs,
                ["skipped_blocks"] = b.SkippedBlocks,
                ["recall"] = Math.Round(b.Recall, 4),
                ["recall_kind"] = b.RecallKind,
            }).ToList(),
            ["blocking_recall"] = Math.Round(result.BlockingRecall, 4),
            ["em_converged"] = result.Training.Converged,
            ["em_iterations"] = result.Training.Iterations,
            ["peak_memory_mb"] = Math.Round(process.PeakWorkingSet64 / 1048576.0, 1),
            ["precision"] = Math.Round(accuracy.Precision, 4),
            ["recall"] = Math.Round(accuracy.Recall, 4),
            ["f1"] = Math.Round(accuracy.F1, 4),
            ["true_pairs"] = accuracy.TruePairs,
            ["predicted_pairs"] = accuracy.PredictedPairs,
            ["threads"] = Environment.ProcessorCount,
        };
    }

    /// <summary>
    /// People with one to three records each until <paramref name="count"/> records exist; the first record of a
    /// person is as registered, the others carry errors. Returns the records, each record's person and the number of people.
    /// </summary>
    internal static (List<FieldRecord> Records, int[] Truth, int People) Generate(Tables tables, int count, int seed)
    {
        var random = new Random(seed);
        var records = new List<FieldRecord>(count);
        var truth = new List<int>(count);
        var people = 0;
        var births = new DateOnly(1940, 1, 1);
        var span = new DateOnly(2025, 12, 31).DayNumber - births.DayNumber;
        while (records.Count < count)
        {
            var male = random.Next(2) == 0;
            var family = tables.Families[random.Next(tables.Families.Length)];
            var given = tables.Given(male, random);
            var birth = DateOnly.FromDayNumber(births.DayNumber + random.Next(span));
            var (address, postal) = tables.Address(random);
            var person = FieldRecord.Empty(0, string.Empty) with
            {
                FamilyName = family.Kanji,
                GivenName = given.Kanji,
                FamilyKana = family.Kana,
                GivenKana = given.Kana,
                BirthDate = birth,
                Sex = male ? "M" : "F",
                Address = address,
                PostalCode = postal,
            };
            var household = new List<FieldRecord> { person };
            if (random.NextDouble() < 0.01)
            {
                // A twin: same family, birth date and address, another given name.
                var twinMale = random.Next(2) == 0;
                var twin = tables.Given(twinMale, random);
                if (twin.Kana != given.Kana)
                {
                    household.Add(person with { GivenName = twin.Kanji, GivenKana = twin.Kana, Sex = twinMale ? "M" : "F" });
                }
            }

            foreach (var member in household)
            {
                var copies = 1 + (random.NextDouble() < 0.35 ? 1 : 0) + (random.NextDouble() < 0.1 ? 1 : 0);
                for (var c = 0; c < copies && records.Count < count; c++)
                {
                    var record = c == 0 ? member : Noisy(member, tables, random);
                    records.Add(record with { RecordId = records.Count.ToString(CultureInfo.InvariantCulture) });
                    truth.Add(people);
                }

                people++;
            }
        }

        return (records, [.. truth], people);
    }

    /// <summary>The errors of a second list: each with the rate it is seen at in municipal lists.</summary>
    private static FieldRecord Noisy(FieldRecord r, Tables tables, Random random)
    {
        double Roll() => random.NextDouble();
        if (Roll() < 0.04)
        {
            r = r with { FamilyName = Variant(r.FamilyName), GivenName = Variant(r.GivenName) };
        }

        if (Roll() < 0.02 && tables.Homophone(r.GivenKana, r.GivenName, random) is { } homophone)
        {
            r = r with { GivenName = homophone };
        }

        var x = Roll();
        r = x < 0.15 ? r with { FamilyKana = JapaneseText.ToHiragana(r.FamilyKana), GivenKana = JapaneseText.ToHiragana(r.GivenKana) }
            : x < 0.2 ? r with { FamilyKana = JapaneseText.ToHalfWidthKatakana(r.FamilyKana), GivenKana = JapaneseText.ToHalfWidthKatakana(r.GivenKana) }
            : r;
        if (Roll() < 0.02)
        {
            r = Roll() < 0.5 ? r with { FamilyKana = KanaTypo(r.FamilyKana, random) } : r with { GivenKana = KanaTypo(r.GivenKana, random) };
        }

        if (Roll() < 0.05)
        {
            r = r with { FamilyKana = string.Empty, GivenKana = string.Empty };
        }

        if (r.BirthDate is { } d)
        {
            var y = Roll();
            r = y < 0.01 ? r with { BirthDate = OneDigit(d, random) }
                : y < 0.015 && d.Day <= 12 && d.Day != d.Month ? r with { BirthDate = new DateOnly(d.Year, d.Day, d.Month) }
                : y < 0.035 ? r with { BirthDate = null }
                : r;
        }

        if (Roll() < 0.15)
        {
            var (address, postal) = tables.Address(random);
            r = r with { Address = address, PostalCode = postal };
        }

        // Fields a list leaves blank.
        return r with
        {
            Address = Roll() < 0.05 ? string.Empty : r.Address,
            PostalCode = Roll() < 0.3 ? string.Empty : r.PostalCode,
            Sex = Roll() < 0.03 ? string.Empty : r.Sex,
        };
    }

    private static readonly Dictionary<char, string> Variants = new()
    {
        ['高'] = "髙",
        ['崎'] = "﨑",
        ['辺'] = "邊",
        ['沢'] = "澤",
        ['斉'] = "齊",
        ['斎'] = "齋",
        ['浜'] = "濱",
        ['島'] = "嶋",
        ['広'] = "廣",
        ['国'] = "國",
        ['桜'] = "櫻",
        ['竜'] = "龍",
        ['真'] = "眞",
        ['恵'] = "惠",
        ['徳'] = "德",
        ['富'] = "冨",
        ['吉'] = "𠮷",
        ['関'] = "關",
    };

    private static string Variant(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (Variants.TryGetValue(c, out var v))
            {
                sb.Append(v);
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private static readonly (char, char)[] KanaSlips = [('ッ', 'ツ'), ('ャ', 'ヤ'), ('ュ', 'ユ'), ('ョ', 'ヨ'), ('ガ', 'カ'), ('ゴ', 'コ'), ('ジ', 'シ'), ('ダ', 'タ'), ('ド', 'ト'), ('バ', 'ハ'), ('ブ', 'フ'), ('ー', 'ウ')];

    /// <summary>One slip of the kind a reading is typed with: a small kana written large, a lost voicing mark, ー for ウ.</summary>
    private static string KanaTypo(string kana, Random random)
    {
        var katakana = JapaneseText.ToKatakana(JapaneseText.FoldWidth(kana));
        foreach (var (from, to) in KanaSlips.OrderBy(_ => random.Next()))
        {
            var i = katakana.IndexOf(from, StringComparison.Ordinal);
            if (i >= 0)
            {
                return string.Concat(katakana.AsSpan(0, i), to.ToString(), katakana.AsSpan(i + 1));
            }
        }

        return katakana.Length > 2 ? katakana[..^1] + "ー" : katakana;
    }

    private static DateOnly OneDigit(DateOnly d, Random random)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var text = d.ToString("yyyyMMdd", CultureInfo.InvariantCulture).ToCharArray();
            var at = 2 + random.Next(6);
            text[at] = (char)('0' + random.Next(10));
            if (DateOnly.TryParseExact(new string(text), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var typo) && typo != d)
            {
                return typo;
            }
        }

        return d.AddDays(1);
    }

    /// <summary>Names with readings and towns with postal codes, as a synthetic municipality holds them.</summary>
    internal sealed class Tables
    {
        public required (string Kanji, string Kana)[] Families { get; init; }

        public required (string Kanji, string Kana)[] MaleGiven { get; init; }

        public required (string Kanji, string Kana)[] FemaleGiven { get; init; }

        public required (string Town, string PostalCode)[] Towns { get; init; }

        /// <summary>Given names by reading: 陽翔 and 遥斗 are both ハルト.</summary>
        public required Dictionary<string, string[]> ByReading { get; init; }

        public (string Kanji, string Kana) Given(bool male, Random random)
        {
            var list = male ? MaleGiven : FemaleGiven;
            return list[random.Next(list.Length)];
        }

        public string? Homophone(string kana, string kanji, Random random) =>
            ByReading.TryGetValue(kana, out var names) && names.Length > 1 ? names.Where(n => n != kanji).ElementAt(random.Next(names.Length - 1)) : null;

        public (string Address, string PostalCode) Address(Random random)
        {
            var (town, postal) = Towns[random.Next(Towns.Length)];
            var ban = random.Next(1, 40);
            var go = random.Next(1, 25);
            var text = town.EndsWith("丁目", StringComparison.Ordinal)
                ? string.Create(CultureInfo.InvariantCulture, $"福岡市{town}{ban}番{go}号")
                : string.Create(CultureInfo.InvariantCulture, $"福岡市{town}{ban}-{go}");
            return (text, postal);
        }

        /// <summary>
        /// Generates a 福岡市 in memory and keeps its residents' names and readings (frequency as generated) and its
        /// 町丁目 with postal codes; the feeds themselves are discarded.
        /// </summary>
        public static Tables FromSyntheticMunicipality(ProgressLog log)
        {
            var files = new Dictionary<string, MemoryStream>(StringComparer.Ordinal);
            var options = SynthPresets.Get("fukuoka", Seed) with { Population = TablePopulation, Years = 1 };
            SyntheticMunicipality.Generate(options, path =>
            {
                if (path is "truth/persons.csv" or "truth/towns.csv")
                {
                    var stream = new MemoryStream();
                    files[path] = stream;
                    return stream;
                }

                return Stream.Null;
            });
            var persons = TruthFile.Read(new MemoryStream(files["truth/persons.csv"].ToArray())).ToList();
            var families = persons.Where(p => p["family_kana"].Length > 0).Select(p => (p["family_name"], p["family_kana"])).ToArray();
            var male = persons.Where(p => p["sex"] == "M" && p["given_kana"].Length > 0).Select(p => (p["given_name"], p["given_kana"])).ToArray();
            var female = persons.Where(p => p["sex"] == "F" && p["given_kana"].Length > 0).Select(p => (p["given_name"], p["given_kana"])).ToArray();
            var byReading = male.Concat(female).GroupBy(g => g.Item2, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Select(x => x.Item1).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
            var towns = TruthFile.Read(new MemoryStream(files["truth/towns.csv"].ToArray())).Select(t => (t["town"], t["postal_code"])).ToArray();
            log.Line(string.Create(CultureInfo.InvariantCulture,
                $"dedupe: tables from a synthetic 福岡市 of {persons.Count:N0}: {families.Select(f => f.Item1).Distinct().Count():N0} surnames, {byReading.Count:N0} given-name readings, {towns.Length:N0} 町丁目"));
            return new Tables { Families = families, MaleGiven = male, FemaleGiven = female, Towns = towns, ByReading = byReading };
        }
    }
}
