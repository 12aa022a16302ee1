using Mimamori.Kernel.Text;

namespace Mimamori.Synthetic;

/// <summary>住民異動 (標準準拠 layout): the movement history behind the registry snapshot.</summary>
internal sealed partial class FeedWriters
{
    private static readonly string[] Elsewhere = ["東京都板橋区", "東京都北区", "さいたま市南区", "川口市", "横浜市港北区", "千葉市中央区", "大阪市北区", "札幌市中央区", "福岡市博多区", "名古屋市中区"];

    private sealed record IdouEvent(Person Person, string Atena, long HouseholdNo, string Family, string FamilyKana, bool Current, string Address, string Reason, DateOnly Date, string Other)
    {
        public int Seq { get; set; }
        public DateOnly Notified { get; set; }
    }

    // 9. 住民異動 ----------------------------------------------------------------------------------------------

    public void JuminIdou()
    {
        const string source = "jumin_idou";
        var rng = new Random(Rand.Derive(world.Seed, 203));
        var window = world.WindowStart;
        var events = new List<IdouEvent>();
        var oldHousehold = 28_000_000L + rng.Next(1000);

        foreach (var p in world.Persons)
        {
            var h = p.Household;
            // Rows before the surname change show the old surname; without a change every row shows the current one.
            var change = p.PreviousFamily is null ? DateOnly.MinValue : SurnameChangeDate(p);
            var moved = h.PreviousAddress is null || p.Since >= h.MovedWithin ? DateOnly.MinValue : h.MovedWithin;
            IdouEvent At(DateOnly date, string reason, string other) => new(
                p, p.AtenaText, h.Number, date < change ? p.PreviousFamily! : p.Family, date < change ? p.PreviousFamilyKana! : p.FamilyKana,
                date >= moved, date >= moved ? h.Address : h.PreviousAddress!, reason, date, other);

            if (p.Since >= window)
            {
                events.Add(p.Since == p.Birth ? At(p.Birth, "出生", string.Empty) : At(p.Since, "転入", p.Foreign ? "国外" : rng.Pick(Elsewhere)));
            }

            if (moved != DateOnly.MinValue)
            {
                events.Add(At(moved, "転居", h.PreviousAddress!));
            }

            if (change != DateOnly.MinValue)
            {
                events.Add(At(change, p.Relation == Relation.Spouse ? "婚姻" : "離婚", string.Empty));
            }

            if (p.OldAtena != 0)
            {
                // The earlier stay, under the number issued then; the person returned later and got a new one.
                oldHousehold += 1 + rng.Next(3);
                var old = p.OldAtena.ToString("0000000000", Inv);
                if (p.OldSince >= window)
                {
                    events.Add(new IdouEvent(p, old, oldHousehold, p.Family, p.FamilyKana, false, p.OldAddress, "転入", p.OldSince, rng.Pick(Elsewhere)));
                }

                events.Add(new IdouEvent(p, old, oldHousehold, p.Family, p.FamilyKana, false, p.OldAddress, "転出", p.OldLeft, rng.Pick(Elsewhere)));
            }
        }

        foreach (var p in world.Former)
        {
            var h = p.Household;
            if (p.Since >= window && p.Since < p.Left)
            {
                events.Add(new IdouEvent(p, p.AtenaText, h.Number, p.Family, p.FamilyKana, true, h.Address, p.Since == p.Birth ? "出生" : "転入", p.Since, p.Since == p.Birth ? string.Empty : rng.Pick(Elsewhere)));
            }

            var died = p.Residency == Residency.Died;
            events.Add(new IdouEvent(p, p.AtenaText, h.Number, p.Family, p.FamilyKana, true, h.Address, died ? "死亡" : "転出", p.Left, died ? string.Empty : rng.Pick(Elsewhere)));
        }

        // 異動番号 in order of the events; the export lists each person's history newest first, so the first row of a
        // number shows the person as the registry holds them now.
        events.Sort((a, b) =>
        {
            var c = a.Date.CompareTo(b.Date);
            return c != 0 ? c : a.Person.Index.CompareTo(b.Person.Index);
        });
        for (var i = 0; i < events.Count; i++)
        {
            events[i].Seq = i + 1;
            var notified = events[i].Date.AddDays(rng.Next(0, 14));
            events[i].Notified = notified > world.AsOf ? world.AsOf : notified;
        }

        events.Sort((a, b) =>
        {
            var c = string.CompareOrdinal(a.Atena, b.Atena);
            c = c != 0 ? c : b.Date.CompareTo(a.Date);
            return c != 0 ? c : b.Seq.CompareTo(a.Seq);
        });

        string[] header = ["異動番号", "宛名番号", "世帯番号", "氏", "名", "氏カナ", "名カナ", "生年月日", "性別", "続柄", "郵便番号", "住所", "異動事由", "異動日", "届出日", "前住所・転出先"];

        // Rows mistyped at the counter and corrected afterwards; never the newest row of a resident's number, which shows
        // the person as the registry now holds them. At least one when corrections happen at all, so the file exists.
        var corrected = new bool[events.Count];
        var firstEligible = -1;
        var any = false;
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            var eligible = (i > 0 && events[i - 1].Atena == e.Atena) || e.Person.Residency != Residency.Resident;
            if (!eligible || e.Person.GivenKana.Length < 2)
            {
                continue;
            }

            firstEligible = firstEligible < 0 ? i : firstEligible;
            corrected[i] = rng.Chance(world.Noise.LateCorrectionRate);
            any |= corrected[i];
        }

        if (!any && world.Noise.LateCorrectionRate > 0 && firstEligible >= 0)
        {
            corrected[firstEligible] = true;
        }

        var corrections = new List<IdouEvent>();
        using (var csv = Open(source, $"{source}/idou_{window:yyyyMMdd}_{world.AsOfTag}.csv", Encodings.Utf8, "\n"))
        {
            csv.Header(header);
            for (var i = 0; i < events.Count; i++)
            {
                var e = events[i];
                var givenKana = e.Person.GivenKana;
                if (corrected[i])
                {
                    corrections.Add(e);
                    givenKana = givenKana[..^1];
                }

                csv.Row(e.Person, IdouRow(e, givenKana, e.Reason, e.Seq));
            }

            Rows[source] = csv.Rows;
        }

        if (corrections.Count == 0)
        {
            return;
        }

        using (var csv = Open(source, $"{source}/idou_{world.AsOfTag}_teisei.csv", Encodings.Utf8, "\n"))
        {
            csv.Header(header);
            for (var k = 0; k < corrections.Count; k++)
            {
                var e = corrections[k];
                var row = IdouRow(e, e.Person.GivenKana, "職権訂正", events.Count + k + 1);
                row[14] = Iso(world.AsOf.AddDays(-rng.Next(1, 20)));
                csv.Row(e.Person, row);
            }

            Rows[source] += csv.Rows;
        }
    }

    private string[] IdouRow(IdouEvent e, string givenKana, string reason, int seq)
    {
        var p = e.Person;
        var postal = e.Current ? p.Household.Town.PostalCode[..3] + "-" + p.Household.Town.PostalCode[3..] : string.Empty;
        return
        [
            string.Create(Inv, $"{seq:000000000}"), e.Atena, Num(e.HouseholdNo), e.Family, p.Given, e.FamilyKana, givenKana,
            Iso(p.Birth), p.Male ? "1" : "2", p.Relation, postal, e.Address, reason, Iso(e.Date), Iso(e.Notified), e.Other,
        ];
    }

    /// <summary>When a recent surname change happened: inside the window and after the person became a resident.</summary>
    private DateOnly SurnameChangeDate(Person p)
    {
        var from = p.Since > world.WindowStart ? p.Since : world.WindowStart;
        var span = world.AsOf.DayNumber - from.DayNumber;
        return span <= 1 ? world.AsOf : from.AddDays(1 + (int)(Rand.Unit(world.Seed, p.Index, 901, 0) * (span - 1)));
    }

    /// <summary>The child's mother in the household, when she lives there.</summary>
    private static Person? MotherOf(Person child) => ParentsOf(child).FirstOrDefault(m => !m.Male);

    /// <summary>The child's parents in the household: head and spouse for a child, the middle generation for a grandchild.</summary>
    private static IEnumerable<Person> ParentsOf(Person child)
    {
        string[] relations = child.Relation switch
        {
            Relation.Child => [Relation.Head, Relation.Spouse],
            Relation.Grandchild => [Relation.Child, Relation.ChildInLaw],
            _ => [],
        };
        return child.Household.Members.Where(m => Array.IndexOf(relations, m.Relation) >= 0 && m.Birth.AddYears(15) <= child.Birth && m.Birth.AddYears(55) > child.Birth);
    }

    private static string Kata(string kana) => JapaneseText.ToKatakana(kana);
}
