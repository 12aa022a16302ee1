using Mimamori.Kernel.Text;

namespace Mimamori.Synthetic;

/// <summary>児童手当 and 障害福祉.</summary>
internal sealed partial class FeedWriters
{
    // 10. 児童手当 ---------------------------------------------------------------------------------------------

    public void JidoTeate()
    {
        const string source = "jido_teate";
        var noise = NoiseFor(Source.JidoTeate);
        var rng = new Random(Rand.Derive(world.Seed, 204));
        using var csv = Open(source, $"{source}/jido_teate_{world.AsOfTag}.csv", Encodings.Utf8, "\n");
        // The last column: the child's 子ども医療費助成 card, kept in the same child-support system.
        csv.Header("受給者番号", "区分", "宛名番号", "氏", "名", "氏カナ", "名カナ", "生年月日", "性別", "支給開始日", "月額", "子ども医療証番号");
        var recipients = new List<(Person Recipient, List<Person> Children)>();
        foreach (var h in world.Households)
        {
            if (!h.HasChildren)
            {
                continue;
            }

            // Children counted per parent: the father where there is one (the higher earner, as a rule), else the mother.
            foreach (var group in h.Members.Where(c => c.Child is not null).GroupBy(c => ParentsOf(c).OrderBy(m => m.Male ? 0 : 1).ThenBy(m => m.Index).FirstOrDefault()))
            {
                // Civil servants are paid by their employer, and a few families never apply.
                if (group.Key is null)
                {
                    continue;
                }

                if (rng.Chance(0.05))
                {
                    h.Catalog.TeateFromEmployer = true;
                    continue;
                }

                if (rng.Chance(h.Foreign ? 0.08 : 0.01))
                {
                    continue;
                }

                h.Catalog.TeateListed = true;
                recipients.Add((group.Key, group.OrderBy(c => c.Birth).ToList()));
            }
        }

        recipients.Sort((a, b) => a.Recipient.Atena.CompareTo(b.Recipient.Atena));
        var number = 0;
        foreach (var (recipient, children) in recipients)
        {
            number++;
            var since = children.Max(c => c.Since);
            since = new DateOnly(since.Year, since.Month, 1).AddMonths(1);
            since = since > world.AsOf ? world.AsOf : since;
            var amounts = children.Select((c, i) => i >= 2 ? 30_000 : c.AgeOn(world.AsOf) < 3 ? 15_000 : 10_000).ToList();
            var recipientNo = string.Create(Inv, $"T{number:000000}");
            csv.Row(recipient, TeateRow(noise, recipient, recipientNo, "受給者", since, amounts.Sum(), string.Empty));
            for (var i = 0; i < children.Count; i++)
            {
                var c = children[i].Household.Catalog;
                c.KodomoIryoListed |= c.KodomoIryoWanted;
                var card = c.KodomoIryoWanted ? string.Create(Inv, $"K{children[i].Index + 1:0000000}") : string.Empty;
                csv.Row(children[i], TeateRow(noise, children[i], recipientNo, "対象児童", since, amounts[i], card));
            }
        }

        Rows[source] = csv.Rows;
    }

    private string[] TeateRow(Noise noise, Person p, string recipientNo, string kind, DateOnly since, int amount, string medicalCard) =>
    [
        recipientNo, kind, noise.AtenaMaybeReused(p, world.Noise.MissingAtenaRate), noise.Family(p, allowOld: true), noise.Given(p),
        noise.FamilyKanaTypo(p, allowOld: true), noise.GivenKanaTypo(p), Iso(noise.Birth(p)), p.Male ? "1" : "2", Iso(since), Num(amount), medicalCard,
    ];

    // 11. 障害福祉 (legacy, Shift_JIS) -------------------------------------------------------------------------

    public void ShogaiFukushi()
    {
        const string source = "shogai_fukushi";
        var noise = NoiseFor(Source.ShogaiFukushi);
        var rng = new Random(Rand.Derive(world.Seed, 205));
        var items = new List<(Person Person, string Kind, string Grade, DateOnly Issued, DateOnly? Expires)>();
        DateOnly IssuedFor(Person p, int minAge)
        {
            var from = p.Birth.AddYears(minAge);
            from = from > p.Since ? from : p.Since;
            return from >= world.AsOf ? world.AsOf.AddDays(-1) : from.AddDays(rng.Next(world.AsOf.DayNumber - from.DayNumber));
        }

        foreach (var h in world.Households)
        {
            var carerHere = h.Members.Any(m => m.Child is { YoungCarer: true });
            var carerNeedGiven = false;
            foreach (var p in h.Members)
            {
                var age = p.AgeOn(world.AsOf);
                if (p.Child is { } t)
                {
                    var dev = t.Developmental;
                    if (age >= 2 && rng.Chance(dev ? 0.38 : 0.002))
                    {
                        // Re-assessed every few years while a child.
                        var issued = IssuedFor(p, 2);
                        items.Add((p, "療育手帳", rng.Chance(0.3) ? "A" : "B", issued, issued.AddYears(rng.Next(2, 5))));
                        h.Catalog.TokujiCertificate = true;
                    }

                    if (age is >= 1 and <= 5 && rng.Chance(dev ? 0.5 : 0.01))
                    {
                        items.Add((p, "児童発達支援", string.Empty, IssuedFor(p, 1), world.FiscalYearStart.AddYears(1).AddDays(-1)));
                        h.Catalog.TsushoListed = true;
                    }
                    else if (t.Grade > 0 && rng.Chance(dev ? 0.42 : 0.008))
                    {
                        items.Add((p, "放課後等デイサービス", string.Empty, IssuedFor(p, 6), world.FiscalYearStart.AddYears(1).AddDays(-1)));
                        h.Catalog.TsushoListed = true;
                    }

                    if (rng.Chance(0.003))
                    {
                        var grade = 1 + rng.Next(6);
                        items.Add((p, "身体障害者手帳", Num(grade) + "級", IssuedFor(p, 0), null));
                        h.Catalog.TokujiCertificate |= grade <= 3;
                    }

                    continue;
                }

                // Adults: about 5% hold a certificate (more with age); a young carer's household usually has someone with a care need.
                var elderly = age >= 65 ? 1.0 : 0.0;
                var logit = -3.7 + (1.3 * elderly) + (age >= 80 ? 0.8 : 0) + (h.Poor ? 0.4 : 0);
                if (carerHere && !carerNeedGiven)
                {
                    logit += 2.6;
                }

                if (!rng.Chance(Rand.Logistic(logit)))
                {
                    continue;
                }

                carerNeedGiven |= carerHere;
                var kind = rng.PickWeighted([0.68, 0.1, 0.22]);
                var since = IssuedFor(p, 18);
                items.Add(kind switch
                {
                    0 => (p, "身体障害者手帳", Num(1 + rng.PickWeighted([0.25, 0.17, 0.18, 0.25, 0.08, 0.07])) + "級", since, (DateOnly?)null),
                    1 => (p, "療育手帳", rng.Chance(0.35) ? "A" : "B", since, null),
                    // The mental-health certificate is renewed every two years.
                    _ => (p, "精神障害者保健福祉手帳", Num(1 + rng.PickWeighted([0.12, 0.6, 0.28])) + "級", since, (DateOnly?)since.AddYears(2)),
                });
            }
        }

        items.Sort((a, b) =>
        {
            var c = a.Issued.CompareTo(b.Issued);
            return c != 0 ? c : a.Person.Index.CompareTo(b.Person.Index);
        });

        // The legacy welfare system writes ＊ for a character it cannot hold.
        using var csv = new CsvFile(openWrite($"feeds/{source}/shogai_{world.AsOfTag}.csv"), Encodings.ShiftJis, "\r\n", source, $"{source}/shogai_{world.AsOfTag}.csv", truth, gaiji: '＊');
        // The last column: 特別児童扶養手当 paid for the child this certificate belongs to.
        csv.Header("管理番号", "宛名番号", "氏名", "カナ氏名", "生年月日", "性別", "種別", "等級", "交付日", "有効期限", "特別児童扶養手当");
        var seq = 0;
        foreach (var (p, kind, grade, issued, expires) in items)
        {
            seq++;
            var kana = JapaneseText.ToHalfWidthKatakana(noise.FullKanaMaybeSwapped(p, world.Noise.SwappedOrderRate, ' '));
            var tokuji = p.Child is not null && (kind == "療育手帳" || (kind == "身体障害者手帳" && grade is "1級" or "2級" or "3級")) && p.Household.Catalog.TokujiWanted;
            p.Household.Catalog.TokujiListed |= tokuji;
            string[] row =
            [
                string.Create(Inv, $"S{seq:0000000}"), noise.AtenaMaybeReused(p, world.Noise.MissingAtenaRate), noise.FullName(p, allowOld: true), kana,
                noise.WarekiCompact(noise.Birth(p)), p.Male ? "1" : "2", kind, grade, Kernel.Dates.Wareki.FormatCompact(issued), expires is { } e ? Kernel.Dates.Wareki.FormatCompact(e) : string.Empty,
                tokuji ? "受給中" : string.Empty,
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
