using Mimamori.Kernel.Text;
using Mimamori.Linkage.Clustering;
using Mimamori.Linkage.Evaluation;
using Mimamori.Linkage.Records;
using Mimamori.Linkage.Specs;

namespace Mimamori.Linkage.Tests.Files;

/// <summary>
/// Known-truth test of the generic file linkage: a small generator makes people (Japanese and Latin names, twins,
/// common names) and noisy duplicates of them (variant kanji, half-width kana, typos, swapped names, date slips,
/// missing fields), and pairwise precision and recall are measured against who generated each record.
/// </summary>
public sealed class SyntheticDedupeTests
{
    private static readonly (string Kanji, string Kana)[] Families =
    [
        ("佐藤", "サトウ"), ("鈴木", "スズキ"), ("高橋", "タカハシ"), ("田中", "タナカ"), ("渡辺", "ワタナベ"), ("伊藤", "イトウ"), ("山本", "ヤマモト"),
        ("中村", "ナカムラ"), ("小林", "コバヤシ"), ("加藤", "カトウ"), ("吉田", "ヨシダ"), ("山田", "ヤマダ"), ("斎藤", "サイトウ"), ("松本", "マツモト"),
        ("井上", "イノウエ"), ("木村", "キムラ"), ("林", "ハヤシ"), ("清水", "シミズ"), ("山崎", "ヤマザキ"), ("森", "モリ"), ("池田", "イケダ"),
        ("橋本", "ハシモト"), ("阿部", "アベ"), ("石川", "イシカワ"), ("前田", "マエダ"), ("藤田", "フジタ"), ("小川", "オガワ"), ("岡田", "オカダ"),
        ("長谷川", "ハセガワ"), ("村上", "ムラカミ"), ("勅使河原", "テシガワラ"), ("五十嵐", "イガラシ"), ("大野", "オオノ"), ("太田", "オオタ"),
    ];

    private static readonly (string Kanji, string Kana)[] Givens =
    [
        ("陽翔", "ハルト"), ("蓮", "レン"), ("湊", "ミナト"), ("大翔", "ヒロト"), ("悠真", "ユウマ"), ("陽菜", "ヒナ"), ("結菜", "ユイナ"), ("葵", "アオイ"),
        ("凛", "リン"), ("芽依", "メイ"), ("翔太", "ショウタ"), ("健", "ケン"), ("一郎", "イチロウ"), ("花子", "ハナコ"), ("美咲", "ミサキ"), ("大輔", "ダイスケ"),
        ("さくら", "サクラ"), ("優", "ユウ"), ("拓海", "タクミ"), ("颯太", "ソウタ"), ("愛", "アイ"), ("彩", "アヤ"), ("直樹", "ナオキ"), ("恵", "メグミ"),
        ("誠", "マコト"), ("裕子", "ユウコ"), ("由美", "ユミ"), ("和也", "カズヤ"), ("翼", "ツバサ"), ("七海", "ナナミ"), ("光", "ヒカル"), ("純一", "ジュンイチ"),
        ("奈々", "ナナ"), ("亮", "リョウ"), ("沙織", "サオリ"), ("智子", "トモコ"), ("隆", "タカシ"), ("真央", "マオ"), ("結衣", "ユイ"), ("陸", "リク"),
    ];

    private static readonly string[] LatinFamilies =
    [
        "Smith", "Johnson", "Williams", "Brown", "Garcia", "Miller", "Davis", "Martinez", "Lopez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore",
        "Nguyen", "Tran", "Santos", "Silva", "Pereira", "Kim", "Park", "Lee", "Wang", "Zhang", "Müller", "Schmidt", "O'Brien", "Dubois",
    ];

    private static readonly string[] LatinGivens =
    [
        "James", "John", "Robert", "Michael", "Maria", "Anna", "Emma", "Olivia", "Sophia", "Lucas", "Mateo", "José", "Ana", "Minh", "Linh", "Wei",
        "Jun", "Seo-yeon", "Daniel", "David", "Sarah", "Laura", "Thomas", "Elena", "Chloé", "Noah", "Liam", "Ethan", "Grace", "Isabel",
    ];

    private static readonly Dictionary<char, char> Variants = new() { ['辺'] = '邊', ['高'] = '髙', ['斎'] = '齋', ['崎'] = '﨑', ['沢'] = '澤', ['浜'] = '濱' };

    [Fact]
    public void Dedupe_NoisyDuplicatesOfSyntheticPeople_PrecisionAndRecallAtLeast099()
    {
        var (records, truth) = Generate(people: 3000, seed: 42);

        var result = FileLinkage.Run(records, LinkMode.Dedupe);

        var accuracy = PairwiseAccuracy.Of(result.Cluster.Select((c, i) => ((long)c, truth[i])));
        Assert.True(result.Training.Converged, "EM did not converge");
        Assert.True(accuracy.Precision >= 0.99 && accuracy.Recall >= 0.99, $"precision {accuracy.Precision:0.0000}, recall {accuracy.Recall:0.0000} ({accuracy.TruePairs} true pairs)");
    }

    /// <summary>People with 0–2 noisy duplicates each, 3% of them with a twin (same family, birth date and address).</summary>
    internal static (List<FieldRecord> Records, List<string> Truth) Generate(int people, int seed)
    {
        var random = new Random(seed);
        var records = new List<FieldRecord>();
        var truth = new List<string>();
        var towns = new[] { "上戸田", "下戸田", "本町", "喜沢", "新曽", "美女木", "笹目" };
        var streets = new[] { "Oak", "Maple", "Pine", "Cedar", "Elm", "Main", "Park" };
        for (var p = 0; p < people; p++)
        {
            var latin = random.NextDouble() < 0.3;
            var person = NewPerson(random, latin, towns, streets);
            var group = new List<FieldRecord> { person };
            if (random.NextDouble() < 0.03)
            {
                var twinGiven = latin ? (LatinGivens[random.Next(LatinGivens.Length)], string.Empty) : Givens[random.Next(Givens.Length)];
                if (twinGiven.Item1 != person.GivenName)
                {
                    group.Add(person with { GivenName = twinGiven.Item1, GivenKana = twinGiven.Item2, Phone = string.Empty, Sex = random.Next(2) == 0 ? "M" : "F" });
                }
            }

            foreach (var (original, member) in group.Select((g, i) => (g, $"{p}-{i}")))
            {
                var copies = 1 + (random.NextDouble() < 0.4 ? 1 : 0) + (random.NextDouble() < 0.15 ? 1 : 0);
                for (var c = 0; c < copies; c++)
                {
                    var record = c == 0 ? original : Noisy(original, random);
                    records.Add(record with { RecordId = records.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) });
                    truth.Add(member);
                }
            }
        }

        return (records, truth);
    }

    private static FieldRecord NewPerson(Random random, bool latin, string[] towns, string[] streets)
    {
        var birth = new DateOnly(1950, 1, 1).AddDays(random.Next(365 * 70));
        var sex = random.Next(2) == 0 ? "M" : "F";
        var phone = random.NextDouble() < 0.6 ? $"0{random.Next(10, 99)}-{random.Next(1000, 9999)}-{random.Next(1000, 9999)}" : string.Empty;
        var postal = $"335-00{random.Next(10, 40)}";
        var r = FieldRecord.Empty(0, string.Empty) with { BirthDate = birth, Sex = sex, Phone = phone, PostalCode = postal };
        if (latin)
        {
            return r with
            {
                FamilyName = LatinFamilies[random.Next(LatinFamilies.Length)],
                GivenName = LatinGivens[random.Next(LatinGivens.Length)],
                Address = $"{random.Next(1, 999)} {streets[random.Next(streets.Length)]} Street",
            };
        }

        var family = Families[random.Next(Families.Length)];
        var given = Givens[random.Next(Givens.Length)];
        return r with
        {
            FamilyName = family.Kanji,
            GivenName = given.Kanji,
            FamilyKana = family.Kana,
            GivenKana = given.Kana,
            Address = $"戸田市{towns[random.Next(towns.Length)]}{random.Next(1, 6)}-{random.Next(1, 30)}-{random.Next(1, 20)}",
        };
    }

    private static FieldRecord Noisy(FieldRecord r, Random random)
    {
        double Roll() => random.NextDouble();
        if (Roll() < 0.15)
        {
            r = r with { FamilyName = Variant(r.FamilyName), GivenName = Variant(r.GivenName) };
        }

        if (Roll() < 0.3)
        {
            r = r with { FamilyKana = JapaneseText.ToHalfWidthKatakana(r.FamilyKana), GivenKana = JapaneseText.ToHiragana(r.GivenKana) };
        }

        if (Roll() < 0.08)
        {
            r = r with { FamilyName = Typo(r.FamilyName, random) };
        }
        else if (Roll() < 0.08)
        {
            r = r with { GivenName = Typo(r.GivenName, random) };
        }

        if (Roll() < 0.1)
        {
            r = r with { FamilyName = r.FamilyName.ToUpperInvariant() };
        }

        if (Roll() < 0.03)
        {
            r = r with { FamilyName = r.GivenName, GivenName = r.FamilyName, FamilyKana = r.GivenKana, GivenKana = r.FamilyKana };
        }

        if (Roll() < 0.1)
        {
            r = r with { FamilyKana = string.Empty, GivenKana = string.Empty };
        }

        if (r.BirthDate is { } d)
        {
            var x = Roll();
            r = x < 0.05 ? r with { BirthDate = d.Day < 20 ? d.AddDays(1) : d.AddDays(-1) }
                : x < 0.07 && d.Day <= 12 && d.Day != d.Month ? r with { BirthDate = new DateOnly(d.Year, d.Day, d.Month) }
                : x < 0.17 ? r with { BirthDate = null }
                : r;
        }

        if (Roll() < 0.1)
        {
            r = r with { Sex = string.Empty };
        }

        if (Roll() < 0.2)
        {
            r = r with { Address = string.Empty };
        }

        if (Roll() < 0.3)
        {
            r = r with { Phone = string.Empty };
        }

        if (Roll() < 0.2)
        {
            r = r with { PostalCode = string.Empty };
        }

        return r;
    }

    private static string Variant(string name) => string.Concat(name.Select(c => Variants.GetValueOrDefault(c, c)));

    /// <summary>Latin names get a letter substituted or dropped; Japanese ones a kanji dropped from names of three or more.</summary>
    private static string Typo(string name, Random random)
    {
        if (name.Length < 3)
        {
            return name;
        }

        var i = 1 + random.Next(name.Length - 1);
        return NameText.IsLatin(name.ToLowerInvariant()) && random.Next(2) == 0
            ? string.Concat(name.AsSpan(0, i), "x", name.AsSpan(Math.Min(i + 1, name.Length)))
            : name.Remove(i, 1);
    }
}
