using Mimamori.Kernel.People;
using Mimamori.Linkage.Records;
using Mimamori.Linkage.Scoring;
using Mimamori.Linkage.Training;

namespace Mimamori.Linkage.Tests.Training;

public sealed class RegistryTrainingTests
{
    private static readonly (string Kanji, string Kana)[] Families =
    [
        ("佐藤", "サトウ"), ("鈴木", "スズキ"), ("高橋", "タカハシ"), ("田中", "タナカ"), ("渡辺", "ワタナベ"), ("伊藤", "イトウ"),
        ("山本", "ヤマモト"), ("中村", "ナカムラ"), ("小林", "コバヤシ"), ("加藤", "カトウ"), ("吉田", "ヨシダ"), ("山田", "ヤマダ"),
        ("松本", "マツモト"), ("井上", "イノウエ"), ("木村", "キムラ"), ("林", "ハヤシ"), ("斎藤", "サイトウ"), ("清水", "シミズ"),
    ];

    private static readonly (string Kanji, string Kana)[] Givens =
    [
        ("翔太", "ショウタ"), ("蓮", "レン"), ("陽翔", "ハルト"), ("結衣", "ユイ"), ("陽菜", "ヒナ"), ("大輝", "ダイキ"), ("美咲", "ミサキ"),
        ("健", "ケン"), ("花子", "ハナコ"), ("太郎", "タロウ"), ("優子", "ユウコ"), ("誠", "マコト"), ("愛", "アイ"), ("悠真", "ユウマ"),
        ("さくら", "サクラ"), ("湊", "ミナト"), ("葵", "アオイ"), ("樹", "イツキ"), ("莉子", "リコ"), ("颯太", "ソウタ"),
    ];

    [Fact]
    public void Train_OnASampleOfIdentities_GivesMAndThePriorCloseToTrainingOnAll()
    {
        var records = Town(6000, seed: 11);

        var full = RegistryTraining.Train(records, LinkageModel.Default, maxIdentities: int.MaxValue);
        var sampled = RegistryTraining.Train(records, LinkageModel.Default, maxIdentities: 1500);

        Assert.True(full.Converged);
        Assert.True(sampled.Converged);
        Assert.True(sampled.CandidatePairs < full.CandidatePairs / 3, $"{sampled.CandidatePairs} of {full.CandidatePairs} pairs");
        Assert.InRange(sampled.Prior, full.Prior - 0.05, full.Prior + 0.05);
        foreach (var comparison in full.Model.Comparisons)
        {
            var other = sampled.Model.Comparison(comparison.Id);
            for (var l = 0; l < comparison.Levels.Count; l++)
            {
                var (m, mSampled) = (comparison.Levels[l].M, other.Levels[l].M);
                Assert.True(Math.Abs(m - mSampled) <= 0.05, $"{comparison.Id}/{comparison.Levels[l].Id}: m {m:0.000} on all, {mSampled:0.000} on the sample");
            }
        }
    }

    [Fact]
    public void Train_EstimatesAHighMForExactAgreement_AndALowUForIt()
    {
        var model = RegistryTraining.Train(Town(3000, seed: 3), LinkageModel.Default).Model;

        var birth = model.Comparison("birth_date").Levels.Single(l => l.Id == "exact");
        var name = model.Comparison("name").Levels.Single(l => l.Id == "exact");
        Assert.True(birth.M > 0.8, $"birth date exact m {birth.M}");
        Assert.True(birth.U < 0.01, $"birth date exact u {birth.U}");
        Assert.True(name.M > 0.5, $"name exact m {name.M}");
    }

    /// <summary>
    /// A town: one registry record per resident and one or two department records each, with the slips departments
    /// make (no 宛名番号, a variant kanji, hiragana or a mistyped kana, a birth-date digit, a blank sex or address).
    /// </summary>
    internal static List<LinkRecord> Town(int residents, int seed)
    {
        var random = new Random(seed);
        var records = new List<LinkRecord>();
        long id = 0;
        var people = new List<(string Atena, PersonName Name, DateOnly Birth, Sex Sex, string Address)>();
        for (var p = 0; p < residents; p++)
        {
            var family = Families[random.Next(Families.Length)];
            var given = Givens[random.Next(Givens.Length)];
            var person = (
                Atena: (100_000_000 + p).ToString(System.Globalization.CultureInfo.InvariantCulture),
                Name: new PersonName(family.Kanji, given.Kanji, family.Kana, given.Kana),
                Birth: new DateOnly(1950, 1, 1).AddDays(random.Next(27_000)),
                Sex: random.Next(2) == 0 ? Sex.Male : Sex.Female,
                Address: $"福岡市中央区天神{1 + random.Next(5)}丁目{1 + random.Next(20)}番{1 + random.Next(30)}号");
            people.Add(person);
            records.Add(new LinkRecord(++id, "jumin_legacy", true, person.Atena, "H" + p, "01", person.Name, person.Birth, person.Sex, person.Address));
        }

        foreach (var person in people)
        {
            for (var copy = 0; copy < 1 + random.Next(2); copy++)
            {
                var name = person.Name;
                if (random.NextDouble() < 0.1)
                {
                    name = name with { Family = name.Family.Replace('高', '髙').Replace('辺', '邊').Replace('斎', '齋') };
                }

                if (random.NextDouble() < 0.2)
                {
                    name = name with { FamilyKana = Kernel.Text.JapaneseText.ToHiragana(name.FamilyKana), GivenKana = Kernel.Text.JapaneseText.ToHiragana(name.GivenKana) };
                }

                if (random.NextDouble() < 0.05)
                {
                    name = name with { GivenKana = name.GivenKana[..^1] + "ン" };
                }

                var birth = random.NextDouble() < 0.03 ? person.Birth.AddDays(1 + random.Next(9)) : person.Birth;
                var atena = random.NextDouble() < 0.4 ? null : person.Atena;
                var sex = random.NextDouble() < 0.1 ? Sex.Unknown : person.Sex;
                var address = random.NextDouble() < 0.3 ? null : person.Address;
                records.Add(new LinkRecord(++id, "boshi_kenshin", false, atena, null, null, name, birth, sex, address));
            }
        }

        return records;
    }
}
