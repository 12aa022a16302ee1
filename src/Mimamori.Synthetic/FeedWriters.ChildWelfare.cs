using Mimamori.Kernel.Text;

namespace Mimamori.Synthetic;

/// <summary>要対協 registrations, the prefectural 児童相談所 export, a partner NPO's list and paper consultation records.</summary>
internal sealed partial class FeedWriters
{
    // 19. 要保護児童対策地域協議会 (existing registrations) ---------------------------------------------------------

    public void Yotaikyo()
    {
        const string source = "yotaikyo";
        var noise = NoiseFor(Source.Yotaikyo);
        var rng = new Random(Rand.Derive(world.Seed, 213));
        var rows = new List<(DateOnly Date, Person Person, string Kind, string Abuse, DateOnly? Closed)>();
        foreach (var p in world.Persons)
        {
            if (p.Child is not { } t)
            {
                continue;
            }

            // Registered before the reference date. Children registered in the next 12 months (the outcome) are mostly not
            // registered yet; some had a case that was closed and is opened again.
            var logit = -5.9 + Flag(t.AbuseNeglect, 4.6) + Flag(t.HealthNeglect, 1.6) + Flag(t.YoungCarer, 1.2) + Flag(t.PostnatalDepression, 1.5) + Flag(t.Poverty, 0.5) + Flag(t.Futoko, 0.6);
            if (!rng.Chance(Rand.Logistic(logit)))
            {
                continue;
            }

            var from = new[] { world.AsOf.AddYears(-6), p.Birth, p.Since }.Max();
            if (from >= world.AsOf.AddDays(-7))
            {
                continue;
            }

            var date = from.AddDays(rng.Next(world.AsOf.DayNumber - 7 - from.DayNumber));
            DateOnly? closed = t.YotaikyoWithin12m || rng.Chance(0.25) ? date.AddDays(rng.Next(90, Math.Max(91, world.AsOf.DayNumber - date.DayNumber))) : null;
            closed = closed > world.AsOf ? world.AsOf.AddDays(-1) : closed;
            var kind = t.AbuseNeglect || t.HealthNeglect ? "要保護児童" : "要支援児童";
            var abuse = !t.AbuseNeglect && !t.HealthNeglect ? "該当なし" : t.HealthNeglect && !t.AbuseNeglect ? "ネグレクト" : rng.PickWeighted([0.45, 0.25, 0.28, 0.02]) switch
            {
                0 => "心理的虐待",
                1 => "身体的虐待",
                2 => "ネグレクト",
                _ => "性的虐待",
            };
            rows.Add((date, p, kind, abuse, closed));

            // A mother registered as 特定妊婦 before an infant's birth.
            if (t.PostnatalDepression && p.AgeOn(world.AsOf) < 1 && MotherOf(p) is { } mother && rng.Chance(0.5))
            {
                rows.Add((p.Birth.AddDays(-rng.Next(30, 150)), mother, "特定妊婦", "該当なし", p.Birth.AddDays(rng.Next(30, 90)) is var c && c < world.AsOf ? c : null));
            }
        }

        rows.Sort((a, b) =>
        {
            var c = a.Date.CompareTo(b.Date);
            return c != 0 ? c : a.Person.Index.CompareTo(b.Person.Index);
        });
        using var csv = Open(source, $"{source}/yotaikyo_{world.AsOfTag}.csv", Encodings.Utf8Bom, "\n");
        csv.Header("登録番号", "宛名番号", "児童氏名", "児童カナ", "生年月日", "性別", "登録区分", "主な虐待種別", "登録日", "状況", "終結日");
        var seq = 0;
        foreach (var (date, p, kind, abuse, closed) in rows)
        {
            seq++;
            csv.Row(
                p, string.Create(Inv, $"Y{seq:00000}"), noise.Atena(p, world.Noise.MissingAtenaRate), noise.FullName(p), noise.MixWidth(noise.FullKana(p), true),
                Iso(noise.Birth(p)), p.Male ? "男" : "女", kind, abuse, Iso(date), closed is null ? "継続" : "終結", closed is { } c ? Iso(c) : string.Empty);
        }

        Rows[source] = csv.Rows;
    }

    // 20. 児童相談所 (prefectural export, Shift_JIS) -------------------------------------------------------------

    public void Jisou()
    {
        const string source = "jisou";
        var noise = NoiseFor(Source.Jisou);
        var rng = new Random(Rand.Derive(world.Seed, 214));
        var rows = new List<(DateOnly Date, Person Person, string Kind, string Action)>();
        void Add(Person p, string kind, string action)
        {
            var from = new[] { world.AsOf.AddYears(-5), p.Birth, p.Since }.Max();
            var until = p.Residency == Residency.Resident ? world.AsOf : p.Left;
            if (from < until)
            {
                rows.Add((from.AddDays(rng.Next(until.DayNumber - from.DayNumber)), p, kind, action));
            }
        }

        foreach (var p in world.Persons.Concat(world.Former))
        {
            if (p.Child is not { } t)
            {
                continue;
            }

            if (t.AbuseNeglect && rng.Chance(0.3))
            {
                Add(p, "養護相談（虐待）", rng.PickWeighted([0.55, 0.3, 0.1, 0.05]) switch { 0 => "助言指導", 1 => "継続指導", 2 => "一時保護", _ => "施設入所" });
            }

            // The 児相 assesses children for the 療育手帳.
            if (t.Developmental && rng.Chance(0.3))
            {
                Add(p, "障害相談", "判定");
            }

            if ((t.Futoko && rng.Chance(0.05)) || rng.Chance(0.001))
            {
                Add(p, "育成相談", "助言指導");
            }

            if (rng.Chance(p.AgeOn(world.AsOf) >= 12 ? 0.002 : 0.0003))
            {
                Add(p, "非行相談", "継続指導");
            }

            if (!t.AbuseNeglect && rng.Chance(0.0015))
            {
                Add(p, "養護相談（その他）", "助言指導");
            }
        }

        rows.Sort((a, b) =>
        {
            var c = a.Date.CompareTo(b.Date);
            return c != 0 ? c : a.Person.Index.CompareTo(b.Person.Index);
        });

        // A prefectural system: its own case numbers, no 宛名番号, compact 和暦 dates, addresses with the municipality.
        using var csv = Open(source, $"{source}/jisou_{world.AsOfTag}.csv", Encodings.ShiftJis, "\r\n");
        csv.Header("ケース番号", "受理年月日", "児童氏名", "フリガナ", "生年月日", "性別", "住所", "相談種別", "対応");
        var fiscal = -1;
        var number = 0;
        var city = world.Options.City.EndsWith('県') ? string.Empty : world.Options.City;
        foreach (var (date, p, kind, action) in rows)
        {
            var fy = date.Month >= 4 ? date.Year : date.Year - 1;
            if (fy != fiscal)
            {
                (fiscal, number) = (fy, 0);
            }

            number++;
            var kana = JapaneseText.ToHalfWidthKatakana(noise.FullKanaMaybeSwapped(p, world.Noise.SwappedOrderRate, ' '));
            var era = Mimamori.Kernel.Dates.Wareki.FormatCompact(new DateOnly(fy, 4, 1))[..3];
            csv.Row(
                p, string.Create(Inv, $"{era}-{number:0000}"), Mimamori.Kernel.Dates.Wareki.FormatCompact(date), noise.FullName(p), kana, noise.WarekiCompact(noise.Birth(p)), p.Male ? "男" : "女",
                city + noise.Address(p), kind, action);
        }

        Rows[source] = csv.Rows;
    }

    // 21. こども食堂 participant list (partner NPO, with consent) ----------------------------------------------------

    public void NpoShokudo()
    {
        const string source = "npo_shokudo";
        var noise = NoiseFor(Source.NpoShokudo);
        var rng = new Random(Rand.Derive(world.Seed, 215));
        var participants = new List<Person>();
        foreach (var h in world.Households)
        {
            var kids = h.Members.Where(p => p.Child is not null && p.AgeOn(world.AsOf) is >= 3 and <= 15).ToList();
            if (kids.Count == 0)
            {
                continue;
            }

            // Families come together; poverty, young care and neglect raise the chance, but most poor families never come.
            var k = kids[0].Child!;
            var logit = -6.2 + Flag(h.Poor, 2.4) + Flag(h.OneAdultWithChildren, 0.8) + Flag(kids.Any(c => c.Child!.YoungCarer), 1.0) + Flag(k.AbuseNeglect, 0.6);
            if (rng.Chance(Rand.Logistic(logit)))
            {
                participants.AddRange(kids.Where(_ => rng.Chance(0.85)));
            }
        }

        // Children from next door come too; they are in no municipal system.
        participants.AddRange(world.NonResidentPupils.Where(_ => rng.Chance(0.02)));
        using var csv = Open(source, $"{source}/sankasha_{world.AsOfTag}.csv", Encodings.Utf8Bom, "\r\n");
        // The last columns: the NPO's other programs the child's family uses (学習支援 for 中学生, food parcels).
        csv.Header("No", "なまえ", "漢字", "年齢", "学年", "初回参加日", "参加回数", "学習支援", "フードパントリー");
        var no = 0;
        foreach (var p in participants)
        {
            no++;
            var t = p.Child!;
            // Volunteers write what the child says: hiragana, often given name first, kanji only sometimes.
            var kana = JapaneseText.ToHiragana(noise.FullKanaMaybeSwapped(p, world.Noise.SwappedOrderRate * 10, rng.Chance(0.5) ? ' ' : '\u3000'));
            var kanji = rng.Chance(0.3) ? noise.FullName(p) : string.Empty;
            var grade = t.Grade == 0 ? (p.AgeOn(world.AsOf) < 6 ? "未就学" : string.Empty) : t.Grade <= 6 ? $"小{t.Grade}" : $"中{t.Grade - 6}";
            var first = world.AsOf.AddDays(-rng.Next(10, 700));
            first = first < p.Since ? p.Since : first;
            var h = p.Household;
            var resident = p.Residency == Residency.Resident;
            var study = resident && t.Grade is >= 7 and <= 9 && TruthFiles.GakushuEligible(h) && h.Catalog.GakushuWanted;
            var pantry = resident && TruthFiles.PantryEligible(h) && h.Catalog.PantryWanted;
            h.Catalog.ShokudoListed |= resident;
            h.Catalog.GakushuListed |= study;
            h.Catalog.PantryListed |= pantry;
            csv.Row(p, Num(no), kana, kanji, Num(p.AgeOn(world.AsOf)), grade, first.ToString("yyyy/M/d", Inv), Num(1 + rng.Poisson(8)), study ? "○" : string.Empty, pantry ? "○" : string.Empty);
        }

        Rows[source] = csv.Rows;
    }

    // Paper consultation records, to be entered by hand (not a feed) ---------------------------------------------

    public void PaperSodan()
    {
        var noise = NoiseFor(Source.PaperSodan);
        var rng = new Random(Rand.Derive(world.Seed, 216));
        const string file = "paper/katei_sodan_paper.csv";
        // Years before the consultation system: written on paper forms, with what the caller knew.
        var from = world.AsOf.AddYears(-world.Options.Years - 4);
        var to = world.AsOf.AddYears(-world.Options.Years);
        var rows = new List<(DateOnly Date, Person Person, string Kind)>();
        foreach (var p in world.Persons)
        {
            if (p.Child is not { } t || p.Birth >= to || p.Since >= to)
            {
                continue;
            }

            var start = new[] { from, p.Birth, p.Since }.Max();
            string? kind = t.AbuseNeglect && rng.Chance(0.25) ? "虐待通告"
                : (t.HealthNeglect || t.AbuseNeglect) && rng.Chance(0.15) ? "養育相談"
                : t.Developmental && rng.Chance(0.08) ? "障害相談"
                : rng.Chance(0.003) ? "育成相談" : null;
            if (kind is not null)
            {
                rows.Add((start.AddDays(rng.Next(to.DayNumber - start.DayNumber)), p, kind));
            }
        }

        rows.Sort((a, b) =>
        {
            var c = a.Date.CompareTo(b.Date);
            return c != 0 ? c : a.Person.Index.CompareTo(b.Person.Index);
        });
        using var records = new TruthRecords(openWrite("truth/paper_records.csv"));
        using var csv = new CsvFile(openWrite(file), Encodings.Utf8Bom, "\r\n", "paper", file, records);
        csv.Header("用紙番号", "受付日", "児童氏名", "ふりがな", "生年月日", "住所", "相談種別", "記入者");
        var seq = 0;
        foreach (var (date, p, kind) in rows)
        {
            seq++;
            // What was legible or known at the time: often no reading, sometimes no birth date.
            var kana = rng.Chance(0.4) ? string.Empty : JapaneseText.ToHiragana(noise.FullKana(p));
            var birth = rng.Chance(kind == "虐待通告" ? 0.4 : 0.15) ? string.Empty : Mimamori.Kernel.Dates.Wareki.Format(noise.Birth(p));
            csv.Row(p, string.Create(Inv, $"紙{seq:0000}"), Mimamori.Kernel.Dates.Wareki.Format(date), noise.FullName(p), kana, birth, noise.Address(p), kind, rng.Pick(["相談員A", "相談員B", "保健師C", "相談員D"]));
        }
    }
}
