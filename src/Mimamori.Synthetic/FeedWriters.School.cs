using Mimamori.Kernel.Text;

namespace Mimamori.Synthetic;

/// <summary>学齢簿 (education board) and the school-side exports: achievement test, non-cognitive survey, health check.</summary>
internal sealed partial class FeedWriters
{
    private static string SchoolGrade(ChildTruth t) => Num(t.Grade <= 6 ? t.Grade : t.Grade - 6);

    private static double Flag(bool b, double weight) => b ? weight : 0;

    /// <summary>A pupil's latent attainment: lower with developmental needs, poverty, 不登校, young care, abuse and neglect.</summary>
    private static double Attainment(ChildTruth t, Random rng) =>
        rng.Normal() - Flag(t.Developmental, 1.0) - Flag(t.Poverty, 0.4) - Flag(t.Futoko, 0.5) - Flag(t.YoungCarer, 0.3) - Flag(t.AbuseNeglect, 0.3) - Flag(t.HealthNeglect, 0.2);

    /// <summary>A category 1..cuts.Length+1 from a latent value (1 = the most favourable answer).</summary>
    private static int Likert(double latent, params double[] cuts)
    {
        var k = 0;
        while (k < cuts.Length && latent >= cuts[k])
        {
            k++;
        }

        return k + 1;
    }

    private IEnumerable<Person> MunicipalPupils() => world.Schools.SelectMany(s => s.Pupils);

    // 12. 学齢簿 ----------------------------------------------------------------------------------------------

    public void Gakureibo()
    {
        const string source = "gakureibo";
        var noise = NoiseFor(Source.Gakureibo);
        var rng = new Random(Rand.Derive(world.Seed, 206));
        using var csv = Open(source, $"{source}/gakureibo_{world.FiscalYear}.csv", Encodings.Utf8, "\n");
        csv.Header("宛名番号", "氏名", "ふりがな", "生年月日", "性別", "住所", "学校名", "学年", "就学区分", "備考");
        var rows = world.Persons.Where(p => p.Child is { Grade: >= 1 and <= 9 }).OrderBy(p => p.Atena).Concat(world.NonResidentPupils.Where(p => p.Child?.School is not null));
        string[] outside = world.Options.City == "福岡市" ? ["春日市立春日小学校", "大野城市立大野中学校"] : ["蕨市立北小学校", "川口市立芝中学校", "さいたま市立大谷場中学校"];
        foreach (var p in rows)
        {
            var t = p.Child!;
            string status, school, note = string.Empty;
            var id = p.Residency == Residency.Resident ? noise.Atena(p, world.Noise.MissingAtenaRate) : p.NonResidentNo;
            if (p.Residency == Residency.NonResidentPupil)
            {
                (status, school, note) = ("区域外就学（受入）", t.School!.Name, "住登外");
            }
            else if (t.School is not null)
            {
                (status, school) = ("就学", t.School.Name);
            }
            else if (p.Foreign && rng.Chance(0.6))
            {
                // Foreign children have no duty of schooling; some attend a foreign school, some none at all.
                (status, school, note) = ("外国籍（就学義務なし）", string.Empty, rng.Chance(0.35) ? "未就学" : "外国人学校");
            }
            else if (rng.Chance(0.2))
            {
                (status, school, note) = ("区域外就学", string.Empty, rng.Pick(outside));
            }
            else
            {
                (status, school, note) = ("私立・国立", string.Empty, t.Grade <= 6 ? "私立小学校" : "私立中学校");
            }

            var kana = JapaneseText.ToHiragana(noise.FullKana(p));
            csv.Row(p, id, noise.FullName(p), kana, noise.Birth(p).ToString("yyyy/MM/dd", Inv), p.Male ? "男" : "女",
                p.Residency == Residency.Resident ? noise.Address(p) : p.Household.Address, school, SchoolGrade(t), status, note);
        }

        Rows[source] = csv.Rows;
    }

    // 13. 学力・学習状況調査 (xlsx) ------------------------------------------------------------------------------

    public void GakuryokuChosa()
    {
        const string source = "gakuryoku_chosa";
        var noise = NoiseFor(Source.GakuryokuChosa);
        var rng = new Random(Rand.Derive(world.Seed, 207));
        string[] headers =
        [
            "学校名", "学年", "児童生徒番号", "氏名", "ふりがな", "性別", "生年月日", "国語", "算数・数学", "理科",
            "朝食を毎日食べていますか", "毎日、同じくらいの時刻に寝ていますか", "家で勉強する時間", "自分には、よいところがあると思いますか",
            "学校に行くのは楽しいと思いますか", "困りごとや不安がある時に、先生や学校にいる大人にいつでも相談できますか",
        ];
        using var sheet = new XlsxSheet(world, openWrite, truth, source, $"{source}/gakuryoku_{world.FiscalYear}.xlsx", "結果", "教育委員会 教育政策室", headers,
            [18, 6, 12, 16, 20, 6, 12, 6, 10, 6, 10, 10, 10, 10, 10, 10]);
        // The national survey: 小6 and 中3.
        foreach (var p in MunicipalPupils().Where(p => p.Child!.Grade is 6 or 9))
        {
            var t = p.Child!;
            var z = Attainment(t, rng);
            int? Score(double shift) => (int)Math.Round(100 * Rand.Logistic(0.5 + shift + (0.9 * (z + rng.Normal(0, 0.5)))));
            var absent = rng.Chance(t.Futoko ? 0.55 : 0.03);
            var breakfast = Likert(rng.Normal() + Flag(t.Poverty, 1.0) + Flag(t.AbuseNeglect, 0.8) + Flag(t.YoungCarer, 0.6) + Flag(t.HealthNeglect, 0.5) + Flag(t.Futoko, 0.3), 1.0, 1.6, 2.1);
            var sleep = Likert(rng.Normal() + Flag(t.Futoko, 0.8) + Flag(t.YoungCarer, 0.5) + Flag(t.AbuseNeglect, 0.4) + Flag(t.Developmental, 0.3), 0.3, 1.2, 1.9);
            var study = Likert(rng.Normal() - (0.5 * z) + Flag(t.YoungCarer, 0.5) + Flag(t.Poverty, 0.3), -1.3, -0.6, 0.2, 0.9, 1.6);
            var esteem = Likert(rng.Normal() + Flag(t.AbuseNeglect, 0.8) + Flag(t.Developmental, 0.4) + Flag(t.Futoko, 0.5) + Flag(t.YoungCarer, 0.3), 0.0, 0.9, 1.6);
            var fun = Likert(rng.Normal() + Flag(t.Futoko, 1.2) + Flag(t.Emerging, 0.8) + Flag(t.Developmental, 0.3) + Flag(t.AbuseNeglect, 0.3), 0.1, 1.0, 1.7);
            var consult = Likert(rng.Normal() + Flag(t.AbuseNeglect, 0.6) + Flag(t.Futoko, 0.4), -0.2, 0.7, 1.5);
            sheet.Row(
                p, t.School!.Name, t.Grade <= 6 ? t.Grade : t.Grade - 6, t.StudentNo, noise.FullName(p), JapaneseText.ToHiragana(noise.FullKana(p)), p.Male ? "男" : "女", noise.Birth(p),
                absent ? null : Score(0), absent ? null : Score(-0.2), absent ? null : Score(0.1),
                absent ? null : breakfast, absent ? null : sleep, absent ? null : study, absent ? null : esteem, absent ? null : fun, absent ? null : consult);
        }

        Rows[source] = sheet.Rows;
    }

    // 14. 非認知能力調査 -------------------------------------------------------------------------------------------

    public void HininSurvey()
    {
        const string source = "hinin_survey";
        var noise = NoiseFor(Source.HininSurvey);
        var rng = new Random(Rand.Derive(world.Seed, 208));
        using var csv = Open(source, $"{source}/hinin_{world.FiscalYear}.csv", Encodings.Utf8Bom, "\n");
        csv.Header("回答ID", "回答日", "学校名", "学年", "児童生徒番号", "氏名", "ふりがな", "生年月日", "自己肯定感", "自制心", "やり抜く力", "協調性");
        var answered = world.FiscalYearStart.AddMonths(6);
        var id = 0;
        // Every grade from 小4 to 中3, as the prefectural survey does.
        foreach (var p in MunicipalPupils().Where(p => p.Child!.Grade >= 4))
        {
            var t = p.Child!;
            if (!rng.Chance(t.Futoko ? 0.45 : 0.96))
            {
                continue;
            }

            string Scale(double mean) => Math.Clamp(Math.Round(mean + (0.5 * rng.Normal()), 1), 1.0, 4.0).ToString("0.0", Inv);
            id++;
            csv.Row(
                p, string.Create(Inv, $"{world.FiscalYear}{id:000000}"), answered.AddDays(rng.Next(0, 21)).ToString("yyyy/MM/dd", Inv), t.School!.Name, SchoolGrade(t), t.StudentNo,
                noise.FullName(p), JapaneseText.ToHiragana(noise.FullKana(p)), noise.Birth(p).ToString("yyyy/MM/dd", Inv),
                Scale(2.9 - Flag(t.AbuseNeglect, 0.5) - Flag(t.Futoko, 0.3) - Flag(t.Developmental, 0.2) - Flag(t.YoungCarer, 0.2)),
                Scale(2.8 - Flag(t.Developmental, 0.5) - Flag(t.AbuseNeglect, 0.2) - Flag(t.Futoko, 0.2)),
                Scale(2.7 - Flag(t.Futoko, 0.3) - Flag(t.Developmental, 0.2) - Flag(t.Emerging, 0.2)),
                Scale(3.0 - Flag(t.Developmental, 0.3) - Flag(t.AbuseNeglect, 0.2)));
        }

        Rows[source] = csv.Rows;
    }

    // 15. 学校健診 ---------------------------------------------------------------------------------------------

    public void GakkoKenshin()
    {
        const string source = "gakko_kenshin";
        var noise = NoiseFor(Source.GakkoKenshin);
        var rng = new Random(Rand.Derive(world.Seed, 209));
        using var csv = Open(source, $"{source}/kenshin_{world.FiscalYear}.csv", Encodings.Utf8, "\r\n");
        csv.Header("学校名", "児童生徒番号", "学年", "氏名", "フリガナ", "生年月日", "性別", "健診日", "身長", "体重", "視力右", "視力左", "未処置歯数", "所見");
        foreach (var school in world.Schools)
        {
            var day = world.FiscalYearStart.AddDays(14 + rng.Next(60));
            foreach (var p in school.Pupils)
            {
                var t = p.Child!;
                // Absent on the day and never re-examined: mostly 不登校 pupils.
                if (p.Since > day || rng.Chance(t.Futoko ? 0.4 : 0.01))
                {
                    continue;
                }

                var age = p.AgeOn(day) + ((day.DayNumber - p.Birth.AddYears(p.AgeOn(day)).DayNumber) / 365.25);
                var height = age < 12 ? 116 + (6 * (age - 6)) : p.Male ? 152 + (6 * (age - 12)) : 151 + (2.5 * (age - 12));
                height += rng.Normal(0, 5) - Flag(t.HealthNeglect, 1.5);
                var bmi = 16 + (0.35 * (age - 6)) + rng.Normal(0, 2) + Flag(t.Poverty, 0.4);
                var weight = bmi * height * height / 10000;
                string Vision() => "ABCD"[rng.PickWeighted(t.Grade <= 6 ? [0.62, 0.18, 0.14, 0.06] : [0.42, 0.2, 0.22, 0.16])].ToString();
                var right = Vision();
                var left = Vision();
                var caries = Math.Min(20, rng.Poisson(0.25 * (1 + Flag(t.HealthNeglect, 3) + Flag(t.AbuseNeglect, 2) + Flag(t.Poverty, 1) + Flag(t.YoungCarer, 0.5))));
                var finding = caries > 0 ? "要受診（歯科）" : right is "C" or "D" || left is "C" or "D" ? "要受診（眼科）" : rng.Chance(0.05) ? "要経過観察" : "異常なし";
                string[] row =
                [
                    school.Name, t.StudentNo, SchoolGrade(t), noise.FullName(p), noise.MixWidth(noise.FullKana(p), true), noise.Birth(p).ToString("yyyy/M/d", Inv), p.Male ? "男" : "女",
                    Iso(day), height.ToString("0.0", Inv), weight.ToString("0.0", Inv), right, left, Num(caries), finding,
                ];
                csv.Row(p, row);
                if (noise.Duplicate())
                {
                    csv.Row(p, row);
                }
            }
        }

        Rows[source] = csv.Rows;
    }
}
