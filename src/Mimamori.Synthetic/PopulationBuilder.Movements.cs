using System.Globalization;

namespace Mimamori.Synthetic;

/// <summary>
/// Movements and identity hazards around the registry snapshot: residents who left during the history window, pupils
/// from other municipalities, residents who came back under a new 宛名番号, moves within the city, same-name pairs
/// and surnames the legacy character set cannot hold.
/// </summary>
internal sealed partial class PopulationBuilder
{
    /// <summary>Households of people who moved out (or died) during the window, built as residents are.</summary>
    private void BuildFormer(int residents)
    {
        var target = (int)(residents * _world.Noise.FormerResidentRate * _world.Options.Years);
        var first = _world.Persons.Count;
        while (_world.Persons.Count - first < target)
        {
            BuildHousehold(Kinds[_rng.PickCumulative(KindCumulative)]);
        }

        var rng = new Random(Rand.Derive(_world.Seed, 6));
        var window = _world.WindowStart;
        for (var i = first; i < _world.Persons.Count;)
        {
            var h = _world.Persons[i].Household;
            var from = new[] { window, h.MoveIn.AddDays(30), h.Members.Max(m => m.Birth).AddDays(30) }.Max();
            var left = from >= AsOf ? AsOf.AddDays(-1) : from.AddDays(rng.Next(AsOf.DayNumber - from.DayNumber));
            var elderly = h.Members.All(m => m.AgeOn(AsOf) >= 70);
            foreach (var m in h.Members)
            {
                m.Residency = elderly ? Residency.Died : Residency.MovedOut;
                m.Left = elderly ? from.AddDays(rng.Next(Math.Max(1, AsOf.DayNumber - from.DayNumber))) : left;
                if (m.AgeOn(AsOf) < 18)
                {
                    m.Child = OutsiderStates(rng);
                }
            }

            i += h.Members.Count;
        }
    }

    /// <summary>Pupils living elsewhere who attend a school here; their families stay out of every list.</summary>
    private List<Person> BuildNonResidentPupils(int residents)
    {
        var pupils = new List<Person>();
        // About 8.5% of residents are of compulsory-school age.
        var target = (int)Math.Round(residents * 0.085 * _world.Noise.NonResidentPupilRate);
        var rng = new Random(Rand.Derive(_world.Seed, 7));
        string[] neighbours = _world.Options.City switch
        {
            "戸田市" => ["蕨市", "川口市", "さいたま市南区"],
            "福岡市" => ["春日市", "大野城市", "糸島市"],
            _ => ["隣接市"],
        };
        var guard = 0;
        while (pupils.Count < target && guard++ < target * 50)
        {
            var start = _world.Persons.Count;
            BuildHousehold(HouseholdKind.CoupleWithChildren);
            var h = _world.Persons[start].Household;
            h.Address = string.Create(CultureInfo.InvariantCulture, $"{rng.Pick(neighbours)}中央{KanjiNumber(rng.Next(1, 6))}丁目{rng.Next(1, 30)}-{rng.Next(1, 20)}");
            foreach (var m in h.Members)
            {
                if (pupils.Count < target && m.AgeOn(_world.FiscalYearStart) is >= 6 and <= 14)
                {
                    m.Residency = Residency.NonResidentPupil;
                    pupils.Add(m);
                }
            }
        }

        return pupils;
    }

    /// <summary>
    /// A share of the adults who moved in during the window had lived here before, under an earlier 宛名番号. Adults
    /// only: a returning child's school rows would be torn between two registry numbers with one name and birth date.
    /// </summary>
    private void PickReturned(int residents)
    {
        var rng = new Random(Rand.Derive(_world.Seed, 8));
        var window = _world.WindowStart;
        for (var i = 0; i < residents; i++)
        {
            var p = _world.Persons[i];
            if (p.Since <= window.AddDays(90) || p.Since == p.Birth || p.Foreign || p.AgeOn(AsOf) < 20 || !rng.Chance(_world.Noise.ReturnedResidentRate))
            {
                continue;
            }

            // The earlier stay ended inside the window, so its 転出 is in the 異動 history.
            var leftSpan = p.Since.DayNumber - 60 - window.DayNumber;
            p.OldLeft = window.AddDays(rng.Next(Math.Max(1, leftSpan)));
            var earliest = p.Birth > p.OldLeft.AddYears(-12) ? p.Birth : p.OldLeft.AddYears(-12);
            p.OldSince = earliest.AddDays(rng.Next(Math.Max(1, p.OldLeft.DayNumber - 30 - earliest.DayNumber)));
            p.OldAddress = _world.Towns[rng.Next(_world.Towns.Count)].Name + HouseNumber(_world.Towns[rng.Next(_world.Towns.Count)]);
        }
    }

    /// <summary>Moves former residents and non-resident pupils out of the registry lists; their other relatives are dropped.</summary>
    private void SetApart(int residents, int residentHouseholds, int former, List<Person> nonResident)
    {
        _world.Former.AddRange(_world.Persons.Skip(residents).Take(former - residents));
        _world.NonResidentPupils.AddRange(nonResident);
        _world.Persons.RemoveRange(residents, _world.Persons.Count - residents);
        _world.Households.RemoveRange(residentHouseholds, _world.Households.Count - residentHouseholds);

        // The education board numbers pupils not in the registry itself (住登外), from its own range.
        var rng = new Random(Rand.Derive(_world.Seed, 9));
        long number = 9_000_000_000 + rng.Next(500);
        foreach (var p in nonResident)
        {
            number += 1 + rng.Next(3);
            p.NonResidentNo = number.ToString("0000000000", CultureInfo.InvariantCulture);
        }
    }

    /// <summary>About 3% of households a year moved within the city: the registry holds the new address, some departments the old.</summary>
    private void MoveWithinCity()
    {
        var rng = new Random(Rand.Derive(_world.Seed, 12));
        var window = _world.WindowStart;
        var p = 1 - Math.Exp(-0.03 * _world.Options.Years);
        foreach (var h in _world.Households)
        {
            var from = h.MoveIn.AddDays(60) > window ? h.MoveIn.AddDays(60) : window;
            if (from >= AsOf.AddDays(-30) || !rng.Chance(p))
            {
                continue;
            }

            h.MovedWithin = from.AddDays(rng.Next(AsOf.DayNumber - 30 - from.DayNumber));
            var town = _world.Towns[rng.Next(_world.Towns.Count)];
            h.PreviousAddress = town.Name + HouseNumber(town);
        }
    }

    /// <summary>Pupils from elsewhere carry hidden states too (drawn at base rates); no outcome is kept for them.</summary>
    private void NonResidentStates()
    {
        var rng = new Random(Rand.Derive(_world.Seed, 15));
        foreach (var c in _world.NonResidentPupils)
        {
            var states = OutsiderStates(rng);
            var t = c.Child!;
            (t.Poverty, t.AbuseNeglect, t.Developmental, t.HealthNeglect) = (states.Poverty, states.AbuseNeglect, states.Developmental, states.HealthNeglect);
        }
    }

    /// <summary>
    /// Different residents who share name, sex and birth date: one resident's household line takes the other's surname
    /// and the resident takes the given name. A third of the pairs are children.
    /// </summary>
    private void SameNameBirthdayPairs()
    {
        var rate = _world.Noise.SameNameBirthdayPairs;
        if (rate <= 0)
        {
            return;
        }

        var pairs = Math.Max(2, (int)Math.Round(_world.Persons.Count * rate / 100_000));
        var rng = new Random(Rand.Derive(_world.Seed, 13));
        var byBirth = new Dictionary<(DateOnly, bool), List<Person>>();
        foreach (var p in _world.Persons)
        {
            if (p.Foreign || p.PreviousFamily is not null || p.AgeOn(AsOf) is < 7 or > 60)
            {
                continue;
            }

            if (!byBirth.TryGetValue((p.Birth, p.Male), out var list))
            {
                list = [];
                byBirth[(p.Birth, p.Male)] = list;
            }

            list.Add(p);
        }

        var made = 0;
        for (var attempt = 0; attempt < 20_000 && made < pairs; attempt++)
        {
            var a = _world.Persons[rng.Next(_world.Persons.Count)];
            var wantChild = made % 3 == 2;
            if ((a.AgeOn(AsOf) < 18) != wantChild || !byBirth.TryGetValue((a.Birth, a.Male), out var same))
            {
                continue;
            }

            var b = same.Find(x => x.Household != a.Household && x.Family != a.Family);
            if (b is null)
            {
                continue;
            }

            var oldFamily = b.Family;
            foreach (var m in b.Household.Members)
            {
                if (m.Family == oldFamily)
                {
                    m.Family = a.Family;
                    m.FamilyKana = a.FamilyKana;
                }
            }

            b.Given = a.Given;
            b.GivenKana = a.GivenKana;
            same.Remove(a);
            same.Remove(b);
            made++;
        }
    }

    /// <summary>Some families with 吉 are registered with 𠮷 (U+20BB7), outside JIS X 0208 and CP932.</summary>
    private void GaijiSurnames()
    {
        var rate = _world.Noise.GaijiSurnameRate;
        var rng = new Random(Rand.Derive(_world.Seed, 14));
        foreach (var h in _world.Households)
        {
            var head = h.Members[0];
            if (rate <= 0 || h.Foreign || !head.Family.Contains('吉', StringComparison.Ordinal) || !rng.Chance(rate))
            {
                continue;
            }

            var family = head.Family;
            foreach (var m in h.Members)
            {
                if (m.Family == family)
                {
                    m.Family = family.Replace("吉", "\U00020BB7", StringComparison.Ordinal);
                }
            }
        }
    }

    private static ChildTruth OutsiderStates(Random rng) => new()
    {
        Poverty = rng.Chance(0.12),
        AbuseNeglect = rng.Chance(0.02),
        Developmental = rng.Chance(0.05),
        HealthNeglect = rng.Chance(0.03),
    };
}
