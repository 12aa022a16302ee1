namespace Mimamori.Synthetic;

/// <summary>母子保健 (妊娠届, EPDS), 予防接種 and 保育施設利用.</summary>
internal sealed partial class FeedWriters
{
    /// <summary>Routine vaccinations: vaccine, dose and the age in months it falls due.</summary>
    private static readonly (string Vaccine, int Dose, int Months)[] Schedule =
    [
        ("B型肝炎", 1, 2), ("B型肝炎", 2, 3), ("B型肝炎", 3, 8),
        ("ロタウイルス", 1, 2), ("ロタウイルス", 2, 3),
        ("五種混合", 1, 2), ("五種混合", 2, 3), ("五種混合", 3, 4), ("五種混合", 4, 14),
        ("小児用肺炎球菌", 1, 2), ("小児用肺炎球菌", 2, 3), ("小児用肺炎球菌", 3, 4), ("小児用肺炎球菌", 4, 13),
        ("BCG", 1, 6),
        ("MR", 1, 12), ("MR", 2, 66),
        ("水痘", 1, 12), ("水痘", 2, 18),
        ("日本脳炎", 1, 36), ("日本脳炎", 2, 37), ("日本脳炎", 3, 48),
    ];

    // 16. 妊娠届・EPDS ----------------------------------------------------------------------------------------------

    public void NinshinTodoke()
    {
        const string source = "ninshin_todoke";
        var noise = NoiseFor(Source.NinshinTodoke);
        var rng = new Random(Rand.Derive(world.Seed, 210));
        var window = world.WindowStart;
        var rows = new List<(DateOnly Date, Person Mother, string Kind, int Weeks, int Epds, string Timing, Person Child)>();
        foreach (var c in world.Persons)
        {
            // Pregnancies notified here: the child was born in the window and the mother lived here before the birth.
            if (c.Child is not { } t || c.Birth < window.AddMonths(7) || c.Since != c.Birth || MotherOf(c) is not { } mother || mother.Since > c.Birth.AddMonths(-7))
            {
                continue;
            }

            var h = c.Household;
            // Late notification (20 weeks or more) is rare and signals an unplanned or unsupported pregnancy.
            var late = rng.Chance(Rand.Logistic(-4.6 + Flag(h.Poor, 1.0) + Flag(t.AbuseNeglect, 1.3) + Flag(h.OneAdultWithChildren, 1.0) + Flag(h.Foreign, 0.8) + Flag(mother.AgeOn(c.Birth) < 20, 1.2)));
            var weeks = late ? rng.Next(20, 36) : Math.Clamp((int)Math.Round(rng.Normal(8.5, 1.8)), 5, 19);
            var notified = c.Birth.AddDays(-7 * (39 - weeks) - rng.Next(0, 7));
            rows.Add((notified, mother, "妊娠届", weeks, -1, string.Empty, c));

            // EPDS at the two-week and one-month visits; postnatal depression drives a score of 9 or more, not always.
            var depressed = t.PostnatalDepression || (c.AgeOn(world.AsOf) >= 1 && rng.Chance(0.1));
            var level = depressed ? rng.Normal(11.5, 3.5) : rng.Normal(4.0, 2.8);
            foreach (var (days, timing) in new[] { (14, "産後2週間"), (30, "産後1か月") })
            {
                var date = c.Birth.AddDays(days + rng.Next(0, 7));
                if (date > world.AsOf || rng.Chance(0.08))
                {
                    continue;
                }

                rows.Add((date, mother, "EPDS", -1, Math.Clamp((int)Math.Round(level + rng.Normal(0, 1.5)), 0, 30), timing, c));
            }
        }

        rows.Sort((a, b) =>
        {
            var c = a.Date.CompareTo(b.Date);
            return c != 0 ? c : a.Mother.Index.CompareTo(b.Mother.Index);
        });
        using var csv = Open(source, $"{source}/boshi_{world.AsOfTag}.csv", Encodings.Utf8, "\n");
        // The last column: 産後ケア used after this birth, written on the visits' rows by the health centre.
        csv.Header("受付番号", "区分", "宛名番号", "氏名", "氏名カナ", "生年月日", "実施日", "妊娠週数", "EPDS点数", "実施時期", "産後ケア");
        var seq = 0;
        foreach (var (date, mother, kind, weeks, epds, timing, child) in rows)
        {
            seq++;
            var care = kind == "EPDS" && child.AgeOn(world.AsOf) == 0 && child.Household.Catalog.SangoCareWanted && ReferenceEquals(mother.Household, child.Household);
            child.Household.Catalog.SangoCareListed |= care;
            csv.Row(
                mother, string.Create(Inv, $"B{seq:0000000}"), kind, noise.AtenaMaybeReused(mother, world.Noise.MissingAtenaRate), noise.FullName(mother, allowOld: true),
                noise.MixWidth(noise.FullKana(mother, allowOld: true), true), Iso(noise.Birth(mother)), Iso(date), weeks >= 0 ? Num(weeks) : string.Empty,
                epds >= 0 ? Num(epds) : string.Empty, timing, care ? "利用" : string.Empty);
        }

        Rows[source] = csv.Rows;
    }

    // 17. 予防接種 -------------------------------------------------------------------------------------------------

    public void YoboSesshu()
    {
        const string source = "yobo_sesshu";
        var noise = NoiseFor(Source.YoboSesshu);
        var rng = new Random(Rand.Derive(world.Seed, 211));
        var window = world.WindowStart;
        using var csv = Open(source, $"{source}/yobo_{world.AsOfTag}.csv", Encodings.Utf8, "\n");
        csv.Header("宛名番号", "氏名カナ", "生年月日", "性別", "ワクチン", "回数", "接種日");
        // Children who moved out are still in the health system under their old number, with the doses given here.
        var children = world.Persons.Where(p => p.Child is not null && p.AgeOn(world.AsOf) < 7)
            .Concat(world.Former.Where(p => p.Child is not null && p.AgeOn(world.AsOf) < 7))
            .OrderBy(p => p.Atena);
        foreach (var p in children)
        {
            var t = p.Child!;
            var until = p.Residency == Residency.Resident ? world.AsOf : p.Left;
            // Typical delay in days; neglect of health makes doses late or skipped, and the schedule overdue.
            var neglect = t.HealthNeglect ? 1.0 : t.AbuseNeglect ? 0.5 : 0;
            var delayMean = 12 + (150 * neglect) + Flag(t.Poverty, 15) + Flag(p.Household.Foreign, 20);
            var skip = 0.01 + (0.3 * neglect) + Flag(t.Poverty, 0.02);
            var drop = Rand.Unit(world.Seed, p.Index, 911, 0) < 0.005 + (0.25 * neglect);
            foreach (var (vaccine, dose, months) in Schedule)
            {
                var due = p.Birth.AddMonths(months);
                if (due > until || (drop && dose > 1) || rng.Chance(skip))
                {
                    continue;
                }

                var given = due.AddDays((int)(-Math.Log(1.0 - rng.NextDouble()) * delayMean));
                if (given > until || given < p.Since || given < window.AddYears(-6))
                {
                    continue;
                }

                string[] row = [noise.AtenaMaybeReused(p, world.Noise.MissingAtenaRate), noise.MixWidth(noise.FullKana(p), true), Iso(noise.Birth(p)), p.Male ? "1" : "2", vaccine, Num(dose), Iso(given)];
                csv.Row(p, row);
                if (noise.Duplicate())
                {
                    csv.Row(p, row);
                }
            }
        }

        Rows[source] = csv.Rows;
    }

    // 18. 保育施設利用 (xlsx) ---------------------------------------------------------------------------------------

    public void Hoiku()
    {
        const string source = "hoiku";
        var noise = NoiseFor(Source.Hoiku);
        var rng = new Random(Rand.Derive(world.Seed, 212));
        string[] headers = ["宛名番号", "児童氏名", "児童カナ", "生年月日", "性別", "施設名", "認定区分", "入所日", "退所日", "保育料月額", "減免区分"];
        using var sheet = new XlsxSheet(world, openWrite, truth, source, $"{source}/hoiku_{world.FiscalYear}.xlsx", "入所児童一覧", "こども未来部 保育幼稚園課", headers,
            [13, 18, 22, 12, 6, 22, 8, 12, 12, 10, 12]);
        string[] kinds = ["保育園", "こども園", "保育所", "幼稚園"];
        var facilities = world.Towns.Where((_, i) => i % 3 == 0).Select((t, i) => t.Name.Split('丁')[0].TrimEnd('一', '二', '三', '四', '五') + kinds[i % kinds.Length]).Distinct().ToList();
        foreach (var p in world.Persons.Where(p => p.Child is { Grade: 0 } && p.AgeOn(world.FiscalYearStart) is >= 0 and <= 5).OrderBy(p => p.Atena))
        {
            var t = p.Child!;
            var h = p.Household;
            var age = p.AgeOn(world.FiscalYearStart);
            var rate = age switch { 0 => 0.17, 1 or 2 => 0.55, _ => 0.93 } * (h.Foreign ? 0.8 : 1) * (t.AbuseNeglect ? 0.85 : 1);
            if (!rng.Chance(rate) || p.Birth.AddMonths(2) > world.AsOf)
            {
                continue;
            }

            // 1号 kindergarten for part of the 3–5 year olds; 2号 (3–5) and 3号 (0–2) need care.
            var kind = age >= 3 ? (rng.Chance(0.35) ? "1号" : "2号") : "3号";
            var start = new[] { world.FiscalYearStart, p.Since, p.Birth.AddMonths(2) }.Max();
            start = new DateOnly(start.Year, start.Month, 1);
            if (start > world.AsOf)
            {
                continue;
            }

            DateOnly? end = rng.Chance(0.03) ? start.AddDays(rng.Next(20, Math.Max(21, world.AsOf.DayNumber - start.DayNumber))) : null;
            end = end > world.AsOf ? null : end;
            // Care for 3–5 is free since 2019; for 0–2 the fee follows the tax band, waived on welfare or tax exemption.
            var reduction = h.Welfare ? "生活保護" : h.Members.Any(m => m.Hikazei) && h.Poor ? "非課税" : h.OneAdultWithChildren && (h.Poor || h.LowIncome) ? "ひとり親" :
                h.Members.Count(m => m.Child is not null) >= 3 ? "多子軽減" : "なし";
            var band = h.Members.Where(m => m.IncomeBand > 0).Select(m => m.IncomeBand).DefaultIfEmpty(1).Max();
            var fee = kind != "3号" || reduction is "生活保護" or "非課税" ? 0 : (int)(band switch { 1 => 9000, 2 => 19500, 3 => 30000, 4 => 44500, _ => 58000 } * (reduction == "なし" ? 1 : 0.5));
            h.Catalog.Hoiku3 |= kind == "3号";
            h.Catalog.HoikuReduction = reduction;
            sheet.Row(
                p, noise.Atena(p, world.Noise.MissingAtenaRate), noise.FullName(p), noise.FullKana(p), noise.Birth(p), p.Male ? "男" : "女",
                facilities[(h.Town.District + rng.Next(2)) % facilities.Count], kind, start, end is { } e ? e : null, fee, reduction);
        }

        Rows[source] = sheet.Rows;
    }
}
