using System.Globalization;
using ClosedXML.Excel;
using Mimamori.Kernel.Dates;
using Mimamori.Kernel.Text;

namespace Mimamori.Synthetic;

/// <summary>Writes each department's export in the layout and encoding its system produces.</summary>
internal sealed partial class FeedWriters(World world, Func<string, Stream> openWrite, TruthRecords truth)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>School months of the year before the reference date (no classes in August) and their usual class days.</summary>
    private static readonly (int MonthOffset, int Days)[] SchoolMonths =
        [(0, 17), (1, 19), (2, 21), (3, 14), (5, 18), (6, 21), (7, 18), (8, 16), (9, 17), (10, 18), (11, 15)];

    public Dictionary<string, int> Rows { get; } = new(StringComparer.Ordinal);

    private CsvFile Open(string source, string file, System.Text.Encoding encoding, string newLine) =>
        new(openWrite("feeds/" + file), encoding, newLine, source, file, truth);

    private Noise NoiseFor(Source source) => new(world, source, new Random(Rand.Derive(world.Seed, 100 + (int)source)));

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", Inv);

    private static string Num(long n) => n.ToString(Inv);

    private static List<Person> ByAtena(IEnumerable<Person> people)
    {
        var list = people.ToList();
        list.Sort((a, b) => a.Atena.CompareTo(b.Atena));
        return list;
    }

    // 1. 住民記録 (legacy layout) -------------------------------------------------------------------------------

    public void JuminLegacy()
    {
        const string source = "jumin_legacy";
        using var csv = Open(source, $"{source}/jumin_{world.AsOfTag}.csv", Encodings.ShiftJis, "\r\n");
        csv.Header("宛名番号", "世帯番号", "氏名", "氏名カナ", "生年月日", "性別", "続柄", "郵便番号", "住所", "住民となった日");
        var households = world.Households.ToArray();
        Array.Sort(households, (a, b) => a.Number.CompareTo(b.Number));
        foreach (var h in households)
        {
            var postal = h.Town.PostalCode[..3] + "-" + h.Town.PostalCode[3..];
            foreach (var p in h.Members)
            {
                // Legacy systems hold romaji names in full-width letters.
                var name = p.RomajiName ? TextForms.ToFullWidthAscii(p.Family) + "\u3000" + TextForms.ToFullWidthAscii(p.Given) : p.Family + "\u3000" + p.Given;
                var kana = JapaneseText.ToHalfWidthKatakana(p.FamilyKana) + " " + JapaneseText.ToHalfWidthKatakana(p.GivenKana);
                csv.Row(p, p.AtenaText, Num(h.Number), name, kana, Wareki.Format(p.Birth), p.Male ? "1" : "2", p.Relation, postal, h.Address, Wareki.Format(p.Since));
            }
        }

        Rows[source] = csv.Rows;
    }

    // 2. 個人住民税 ---------------------------------------------------------------------------------------------

    public void Juminzei()
    {
        const string source = "juminzei";
        var noise = NoiseFor(Source.Juminzei);
        using var csv = Open(source, $"{source}/juminzei_{world.FiscalYear}.csv", Encodings.ShiftJis, "\r\n");
        csv.Header("宛名番号", "氏名", "生年月日", "所得区分", "非課税区分", "年度");
        var year = Num(world.FiscalYear);
        foreach (var p in ByAtena(world.Persons.Where(p => p.IncomeBand > 0)))
        {
            // The tax record was made on 1 January: a surname changed since may still be the old one.
            string[] row = [p.AtenaText, noise.FullName(p, allowOld: true, katakanaForRomaji: false), Wareki.FormatCompact(noise.Birth(p)), Num(p.IncomeBand), p.Hikazei ? "1" : "0", year];
            csv.Row(p, row);
            if (noise.Duplicate())
            {
                csv.Row(p, row);
            }
        }

        Rows[source] = csv.Rows;
    }

    // 3. 生活保護 -----------------------------------------------------------------------------------------------

    public void SeikatsuHogo()
    {
        const string source = "seikatsu_hogo";
        var noise = NoiseFor(Source.SeikatsuHogo);
        using var csv = Open(source, $"{source}/hogo_{world.AsOfTag}.csv", Encodings.Utf8, "\n");
        csv.Header("宛名番号", "氏名カナ", "生年月日", "保護開始日");
        var cases = world.Households.Where(h => h.Welfare).ToList();
        cases.Sort((a, b) =>
        {
            var c = a.WelfareSince.CompareTo(b.WelfareSince);
            return c != 0 ? c : a.Number.CompareTo(b.Number);
        });
        foreach (var h in cases)
        {
            foreach (var p in h.Members)
            {
                var since = p.Since > h.WelfareSince ? p.Since : h.WelfareSince;
                string[] row = [noise.Atena(p, world.Noise.MissingAtenaRate), noise.MixWidth(noise.FullKana(p, allowOld: true), true), Iso(noise.Birth(p)), Iso(since)];
                csv.Row(p, row);
                if (noise.Duplicate())
                {
                    csv.Row(p, row);
                }
            }
        }

        Rows[source] = csv.Rows;
    }

    // 4. 児童扶養手当 -------------------------------------------------------------------------------------------

    public void JidoFuyo()
    {
        const string source = "jido_fuyo";
        var noise = NoiseFor(Source.JidoFuyo);
        using var csv = Open(source, $"{source}/jido_fuyo_{world.AsOfTag}.csv", Encodings.ShiftJis, "\r\n");
        // The ひとり親家庭等医療費助成 card is issued at the same counter; its number is listed beside the allowance.
        csv.Header("受給者宛名番号", "受給者氏名", "受給者カナ", "生年月日", "認定日", "支給区分", "ひとり親医療証番号");
        var card = 0;
        var recipients = world.Households.Where(h => h.FuyoClaims).Select(h => (Household: h, Parent: h.Members.Find(p => p.AgeOn(world.AsOf) >= 18)!)).ToList();
        recipients.Sort((a, b) => a.Parent.Atena.CompareTo(b.Parent.Atena));
        foreach (var (h, p) in recipients)
        {
            var kana = noise.MixWidth(JapaneseText.ToHalfWidthKatakana(noise.FullKana(p, allowOld: true, space: ' ')), false);
            var full = p.Hikazei || p.IncomeBand == 1;
            var iryo = string.Empty;
            if (h.Catalog.HitorioyaIryoClaims)
            {
                h.Catalog.HitorioyaIryoListed = true;
                iryo = string.Create(Inv, $"HI{++card:00000}");
            }

            string[] row = [noise.Atena(p, world.Noise.MissingAtenaRate), noise.FullName(p, allowOld: true), kana, Wareki.Format(noise.Birth(p)), Wareki.Format(h.FuyoSince), full ? "1" : "2", iryo];
            csv.Row(p, row);
            if (noise.Duplicate())
            {
                csv.Row(p, row);
            }
        }

        Rows[source] = csv.Rows;
    }

    // 5. 就学援助 (xlsx) ----------------------------------------------------------------------------------------

    public void ShugakuEnjo()
    {
        const string source = "shugaku_enjo";
        var file = $"{source}/shugaku_enjo_{world.FiscalYear}.xlsx";
        var noise = NoiseFor(Source.ShugakuEnjo);
        var pupils = world.Households.Where(h => h.ShugakuClaims)
            .SelectMany(h => h.Members.Where(p => p.Child is { School: not null, Grade: >= 1 and <= 9 }))
            .ToList();
        pupils.Sort((a, b) =>
        {
            var c = a.Child!.School!.Index.CompareTo(b.Child!.School!.Index);
            c = c != 0 ? c : a.Child.Grade.CompareTo(b.Child.Grade);
            return c != 0 ? c : a.Atena.CompareTo(b.Atena);
        });

        using var workbook = new XLWorkbook();
        // Fixed document dates: the workbook must be byte-identical for the same options.
        var stamp = world.AsOf.ToDateTime(TimeOnly.MinValue);
        workbook.Properties.Created = stamp;
        workbook.Properties.Modified = stamp;
        workbook.Properties.Author = "教育委員会 学務課";
        var sheet = workbook.Worksheets.Add("認定者一覧");
        string[] headers = ["宛名番号", "児童氏名", "児童カナ", "生年月日", "学校名", "学年", "認定区分", "年度"];
        for (var i = 0; i < headers.Length; i++)
        {
            sheet.Cell(1, i + 1).Value = headers[i];
        }

        var rowNo = 1;
        var count = 0;
        foreach (var p in pupils)
        {
            var repeats = noise.Duplicate() ? 2 : 1;
            var atena = noise.Atena(p, world.Noise.MissingAtenaRate);
            var name = noise.FullName(p);
            var kana = noise.FullKana(p);
            var birth = noise.Birth(p);
            for (var r = 0; r < repeats; r++)
            {
                rowNo++;
                count++;
                var grade = p.Child!.Grade <= 6 ? p.Child.Grade : p.Child.Grade - 6;
                // 宛名番号 is text: as a number Excel would drop its leading zero.
                sheet.Cell(rowNo, 1).SetValue(atena).SetDataType(XLDataType.Text);
                sheet.Cell(rowNo, 2).SetValue(name).SetDataType(XLDataType.Text);
                sheet.Cell(rowNo, 3).SetValue(kana).SetDataType(XLDataType.Text);
                sheet.Cell(rowNo, 4).SetValue(birth.ToDateTime(TimeOnly.MinValue));
                sheet.Cell(rowNo, 4).Style.NumberFormat.Format = "yyyy/mm/dd";
                sheet.Cell(rowNo, 5).SetValue(p.Child.School!.Name).SetDataType(XLDataType.Text);
                sheet.Cell(rowNo, 6).SetValue(grade);
                sheet.Cell(rowNo, 7).SetValue(p.Household.Welfare ? 2 : 1);
                sheet.Cell(rowNo, 8).SetValue(world.FiscalYear);
                truth.Add(source, file, rowNo, p);
            }
        }

        // AdjustToContents needs System.Drawing, which is not available: fixed widths instead.
        double[] widths = [13, 18, 22, 12, 18, 6, 9, 7];
        for (var i = 0; i < widths.Length; i++)
        {
            sheet.Column(i + 1).Width = widths[i];
        }

        using var buffer = new MemoryStream();
        workbook.SaveAs(buffer);
        var bytes = XlsxNormalizer.Normalize(buffer.ToArray(), stamp);
        using (var output = openWrite("feeds/" + file))
        {
            output.Write(bytes);
        }

        Rows[source] = count;
    }

    // 6. 校務 monthly attendance --------------------------------------------------------------------------------

    public void KomuAttendance()
    {
        const string source = "komu_attendance";
        var noise = NoiseFor(Source.KomuAttendance);
        var rng = new Random(Rand.Derive(world.Seed, 200));
        using var csv = Open(source, $"{source}/attendance_{world.FiscalYear}.csv", Encodings.Utf8Bom, "\n");
        csv.Header("学校名", "児童生徒番号", "学年", "氏名", "ふりがな", "生年月日", "性別", "対象月", "授業日数", "欠席日数", "遅刻日数", "保健室来室回数");
        var absences = new int[SchoolMonths.Length];
        var days = new int[SchoolMonths.Length];
        foreach (var school in world.Schools)
        {
            foreach (var p in school.Pupils)
            {
                var t = p.Child!;
                var name = noise.FullName(p);
                var space = school.KanaSpaceStyle switch { 0 => '\0', 1 => ' ', _ => '\u3000' };
                var kana = JapaneseText.ToHiragana(noise.FullKana(p, space: space));
                var birth = noise.Birth(p).ToString("yyyy/MM/dd", Inv);
                var sex = p.Male ? "男" : "女";
                var gradeText = Num(t.Grade <= 6 ? t.Grade : t.Grade - 6);
                Attendance(rng, p, school, days, absences, out var lateRate, out var nurseRate);
                for (var m = 0; m < SchoolMonths.Length; m++)
                {
                    if (days[m] == 0)
                    {
                        continue;
                    }

                    var present = days[m] - absences[m];
                    var late = rng.Binomial(present, lateRate);
                    var nurse = Math.Min(present, rng.Poisson(nurseRate * present / 18.0));
                    var month = world.FiscalYearStart.AddMonths(SchoolMonths[m].MonthOffset).ToString("yyyy-MM", Inv);
                    string[] row = [school.Name, t.StudentNo, gradeText, name, kana, birth, sex, month, Num(days[m]), Num(absences[m]), Num(late), Num(nurse)];
                    csv.Row(p, row);
                    if (noise.Duplicate())
                    {
                        csv.Row(p, row);
                    }
                }
            }
        }

        Rows[source] = csv.Rows;
    }

    /// <summary>Absences per school month: illness for everyone, a rising pattern before 不登校, long runs after onset.</summary>
    private void Attendance(Random rng, Person p, School school, int[] days, int[] absences, out double lateRate, out double nurseRate)
    {
        var t = p.Child!;
        double Flag(bool b) => b ? 1.0 : 0.0;
        var baseRate = 0.022 * Math.Exp(rng.Normal(0, 0.6))
            * (1 + (0.3 * Flag(t.Poverty)) + (0.3 * Flag(t.Developmental)) + (0.4 * Flag(t.AbuseNeglect)) + (0.3 * Flag(t.HealthNeglect)));
        lateRate = Math.Min(0.6, 0.006 * Math.Exp(rng.Normal(0, 1.0))
            * (1 + (3 * Flag(t.AbuseNeglect)) + (0.8 * Flag(t.Poverty)) + (0.6 * Flag(t.Developmental)) + (2 * Flag(t.YoungCarer)) + (1.5 * Flag(t.Futoko)) + (0.8 * Flag(t.Emerging))));
        nurseRate = 0.25 * Math.Exp(rng.Normal(0, 0.8))
            * (1 + (1.5 * Flag(t.AbuseNeglect)) + (0.5 * Flag(t.Developmental)) + (0.5 * Flag(t.YoungCarer)) + (1.0 * Flag(t.Futoko)) + (0.8 * Flag(t.Emerging)) + (0.3 * Flag(t.HealthNeglect)));

        var onset = rng.Chance(0.4) ? 0 : rng.Next(1, 8);
        var futokoRate = 0.35 + (rng.NextDouble() * 0.55);
        var emergingSlope = 0.03 + (rng.NextDouble() * 0.04);
        var illnessStart = rng.Next(SchoolMonths.Length);
        var illnessLength = rng.Next(1, 4);
        var illnessRate = 0.3 + (rng.NextDouble() * 0.5);

        var total = 0;
        for (var m = 0; m < SchoolMonths.Length; m++)
        {
            var monthStart = world.FiscalYearStart.AddMonths(SchoolMonths[m].MonthOffset);
            var monthEnd = monthStart.AddMonths(1).AddDays(-1);
            var d = SchoolMonths[m].Days + school.DayOffset;
            if (p.Since > monthEnd)
            {
                // Not yet a pupil here: transferred in later.
                days[m] = 0;
                absences[m] = 0;
                continue;
            }

            if (p.Since > monthStart)
            {
                d = Math.Max(1, d * (monthEnd.DayNumber - p.Since.DayNumber + 1) / (monthEnd.DayNumber - monthStart.DayNumber + 1));
            }

            var rate = baseRate;
            if (t.Futoko)
            {
                rate = m < onset ? baseRate * 3 : m == onset ? futokoRate / 2 : futokoRate;
            }
            else if (t.Emerging && m > 5)
            {
                rate = baseRate + ((m - 5) * emergingSlope);
            }

            if (t.ChronicIllness && m >= illnessStart && m < illnessStart + illnessLength)
            {
                rate = Math.Max(rate, illnessRate);
            }

            days[m] = d;
            absences[m] = rng.Binomial(d, Math.Min(0.98, rate));
            total += absences[m];
        }

        // 不登校 means 30 days or more a year: top up the months after onset when the draw fell short.
        for (var m = SchoolMonths.Length - 1; t.Futoko && total < 30 && m >= onset; m--)
        {
            var add = Math.Min(days[m] - absences[m], 30 - total);
            absences[m] += add;
            total += add;
        }
    }

    // 7. 母子保健 infant check-ups ------------------------------------------------------------------------------

    public void BoshiKenshin()
    {
        const string source = "boshi_kenshin";
        var noise = NoiseFor(Source.BoshiKenshin);
        var rng = new Random(Rand.Derive(world.Seed, 201));
        using var csv = Open(source, $"{source}/kenshin_{world.AsOfTag}.csv", Encodings.Utf8, "\n");
        csv.Header("宛名番号", "児童氏名カナ", "生年月日", "健診種別", "受診状況", "受診日", "所見");
        var windowStart = world.AsOf.AddYears(-world.Options.Years);
        // Check-ups become due at these ages; invitations go out for the month after, so the last six weeks are not yet due.
        (string Name, int Months, double Base)[] checkups = [("4か月", 4, -3.6), ("1歳6か月", 18, -3.4), ("3歳", 37, -3.15)];
        foreach (var p in ByAtena(world.Persons.Where(p => p.Child is not null && p.AgeOn(world.AsOf) < 6)))
        {
            var t = p.Child!;
            foreach (var (name, months, baseLogit) in checkups)
            {
                var due = p.Birth.AddMonths(months);
                if (due <= windowStart || due > world.AsOf.AddDays(-45) || due < p.Since)
                {
                    continue;
                }

                var household = p.Household;
                var logit = baseLogit + (2.2 * Flag(t.HealthNeglect)) + (1.1 * Flag(t.AbuseNeglect)) + (0.5 * Flag(t.Poverty)) + (0.6 * Flag(household.Foreign))
                    + (months == 4 ? 1.0 * Flag(PostnatalAt(p)) : 0) + (0.4 * Flag(household.OneAdultWithChildren));
                var missed = rng.Chance(Rand.Logistic(logit));
                var attended = due.AddDays(rng.Next(0, 40));
                if (attended > world.AsOf)
                {
                    attended = world.AsOf;
                }

                var finding = string.Empty;
                if (!missed)
                {
                    var watch = 0.10 + (months > 4 && t.Developmental ? 0.35 : 0) + (t.AbuseNeglect ? 0.1 : 0);
                    var detail = 0.025 + (months > 4 && t.Developmental ? 0.15 : 0);
                    var u = rng.NextDouble();
                    finding = u < detail ? "要精密" : u < detail + watch ? "要経過観察" : "異常なし";
                }

                string[] row = [noise.Atena(p, world.Noise.MissingAtenaRate), noise.MixWidth(noise.FullKana(p), true), Iso(noise.Birth(p)), name, missed ? "未受診" : "受診", missed ? string.Empty : Iso(attended), finding];
                csv.Row(p, row);
                if (noise.Duplicate())
                {
                    csv.Row(p, row);
                }
            }
        }

        Rows[source] = csv.Rows;
    }

    /// <summary>Whether the child's mother had postnatal depression around the 4-month check-up (children under 1 only are flagged).</summary>
    private static bool PostnatalAt(Person child) => child.Child!.PostnatalDepression;

    private static double Flag(bool b) => b ? 1.0 : 0.0;

    // 8. 家庭児童相談 -------------------------------------------------------------------------------------------

    public void KateiSodan()
    {
        const string source = "katei_sodan";
        var noise = NoiseFor(Source.KateiSodan);
        var rng = new Random(Rand.Derive(world.Seed, 202));
        var windowStart = world.AsOf.AddYears(-world.Options.Years);
        var events = new List<(DateOnly Date, Person Child, string Kind, int Seq)>();
        var seq = 0;
        void Add(Person p, string kind, bool recent)
        {
            var from = new[] { windowStart, p.Birth, p.Since }.Max();
            if (recent && from < world.AsOf.AddMonths(-18))
            {
                from = world.AsOf.AddMonths(-18);
            }

            if (from >= world.AsOf)
            {
                return;
            }

            events.Add((from.AddDays(rng.Next(world.AsOf.DayNumber - from.DayNumber + 1)), p, kind, seq++));
        }

        foreach (var p in world.Persons)
        {
            if (p.Child is not { } t)
            {
                continue;
            }

            if (t.AbuseNeglect && rng.Chance(0.4))
            {
                for (var k = 1 + rng.Poisson(0.3); k > 0; k--)
                {
                    Add(p, "虐待通告", true);
                }
            }

            if ((t.AbuseNeglect && rng.Chance(0.3)) || (t.HealthNeglect && rng.Chance(0.15)) || (t.PostnatalDepression && rng.Chance(0.35)) || (t.YoungCarer && rng.Chance(0.12)))
            {
                Add(p, "養育相談", true);
            }

            if ((t.Futoko && rng.Chance(0.3)) || (t.Emerging && rng.Chance(0.12)))
            {
                Add(p, "不登校相談", true);
            }

            if (t.Developmental && rng.Chance(0.25))
            {
                Add(p, "障害相談", false);
            }

            // Consultations about children with none of the hidden states: ordinary worries and unfounded reports.
            if (rng.Chance(0.006))
            {
                Add(p, "育成相談", false);
            }

            if (rng.Chance(0.006))
            {
                Add(p, "養育相談", false);
            }

            if (rng.Chance(0.004))
            {
                Add(p, "障害相談", false);
            }

            if (rng.Chance(0.004))
            {
                Add(p, "虐待通告", false);
            }

            if (t.Grade > 0 && rng.Chance(0.004))
            {
                Add(p, "不登校相談", false);
            }
        }

        events.Sort((a, b) =>
        {
            var c = a.Date.CompareTo(b.Date);
            return c != 0 ? c : a.Seq.CompareTo(b.Seq);
        });

        using var csv = Open(source, $"{source}/sodan_{world.AsOfTag}.csv", Encodings.Utf8Bom, "\n");
        // The last column: the consultation led to 養育支援訪問 (home visits), still going on.
        csv.Header("受付番号", "宛名番号", "児童氏名", "児童カナ", "生年月日", "受付日", "相談種別", "養育支援訪問");
        var fiscal = -1;
        var number = 0;
        foreach (var (date, p, kind, _) in events)
        {
            var fy = date.Month >= 4 ? date.Year : date.Year - 1;
            if (fy != fiscal)
            {
                (fiscal, number) = (fy, 0);
            }

            number++;
            var missingBirth = world.Noise.ConsultationMissingBirthRate * (kind == "虐待通告" ? 3 : 1);
            var h = p.Household;
            var visit = p.Residency == Residency.Resident && kind is "虐待通告" or "養育相談" && TruthFiles.HomeVisitEligible(h) && h.Catalog.HomeVisitWanted;
            h.Catalog.HomeVisitListed |= visit;
            string[] row =
            [
                string.Create(Inv, $"{fy}-{number:00000}"),
                noise.Atena(p, world.Noise.ConsultationMissingAtenaRate),
                noise.FullName(p),
                noise.MixWidth(noise.FullKana(p), true),
                noise.Rows.Chance(missingBirth) ? string.Empty : Iso(noise.Birth(p)),
                Iso(date),
                kind,
                visit ? "実施中" : string.Empty,
            ];
            csv.Row(p, row);
            if (noise.Duplicate())
            {
                csv.Row(p, row);
            }
        }

        Rows[source] = csv.Rows;
    }
}
