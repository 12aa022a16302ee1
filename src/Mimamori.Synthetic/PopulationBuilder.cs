using System.Globalization;

namespace Mimamori.Synthetic;

/// <summary>
/// Builds towns, schools and households with a Japanese age structure and household make-up (census 2020 shares,
/// scaled so that about 13% of households with children have a single parent).
/// </summary>
internal sealed partial class PopulationBuilder
{
    private static readonly HouseholdKind[] Kinds =
    [
        HouseholdKind.Single, HouseholdKind.CoupleOnly, HouseholdKind.ElderlyCouple, HouseholdKind.CoupleWithChildren,
        HouseholdKind.SingleParent, HouseholdKind.ThreeGeneration, HouseholdKind.CoupleWithAdultChildren,
        HouseholdKind.ParentWithAdultChild, HouseholdKind.Other,
    ];

    private static readonly double[] KindCumulative = Rand.Cumulative([0.35, 0.12, 0.13, 0.138, 0.026, 0.028, 0.09, 0.04, 0.02]);

    /// <summary>Common forms and the variants some family registers use (異体字); legitimate variety in the registry.</summary>
    internal static readonly (char Common, char[] Variants)[] KanjiVariants =
    [
        ('斎', ['齋', '齊']), ('辺', ['邊', '邉']), ('高', ['髙']), ('崎', ['﨑']), ('沢', ['澤']), ('浜', ['濱']), ('島', ['嶋']),
    ];

    private static readonly string[] BuildingWords = ["エスポワール", "ソレイユ", "フローラ", "アルカディア", "サンライズ", "リバーサイド", "グリーン", "ベルウッド", "カーサ", "ルミエール"];

    private readonly World _world;
    private readonly Random _rng;
    private readonly ReferenceData _ref = ReferenceData.Instance;
    private readonly double[] _surnameCumulative;
    private readonly List<string> _townBases = [];

    private PopulationBuilder(World world)
    {
        _world = world;
        _rng = new Random(Rand.Derive(world.Seed, 1));
        // Zipf-like weights by rank: 佐藤 and 鈴木 are common, the 500th name is rare.
        var weights = new double[_ref.Surnames.Length];
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = 1.0 / (i + 8);
        }

        _surnameCumulative = Rand.Cumulative(weights);
    }

    private DateOnly AsOf => _world.AsOf;

    public static void Build(World world)
    {
        var builder = new PopulationBuilder(world);
        builder.BuildTowns();
        builder.BuildSchools();
        while (world.Persons.Count < world.Options.Population)
        {
            builder.BuildHousehold(Kinds[builder._rng.PickCumulative(KindCumulative)]);
        }

        // People the registry snapshot no longer (or never) holds are built like residents, then set apart.
        var residents = world.Persons.Count;
        var residentHouseholds = world.Households.Count;
        builder.BuildFormer(residents);
        var former = world.Persons.Count;
        var nonResident = builder.BuildNonResidentPupils(residents);
        builder.PickReturned(residents);
        builder.AssignNumbers(former);
        builder.SetApart(residents, residentHouseholds, former, nonResident);
        builder.AssignPupils();
        builder.NonResidentStates();
        builder.MoveWithinCity();
        builder.SameNameBirthdayPairs();
        builder.GaijiSurnames();
    }

    private void BuildTowns()
    {
        var city = _world.Options.City;
        var isFukuoka = city == "福岡市";
        foreach (var row in _ref.Towns)
        {
            if (row.City == city || (isFukuoka && row.City.StartsWith(city, StringComparison.Ordinal)))
            {
                // 福岡市 has wards; an address within the city starts with the ward (中央区天神一丁目).
                var prefix = isFukuoka ? row.City[city.Length..] : string.Empty;
                _world.Towns.Add(new Town { Name = prefix + row.Town, Kana = row.Kana, PostalCode = row.PostalCode, IsOaza = row.IsOaza, Generated = false });
                _townBases.Add(row.Base);
            }
        }

        if (_world.Towns.Count > 0)
        {
            return;
        }

        // No real list for this municipality: generated towns (flagged in truth/towns.csv), fictitious postal codes.
        var rng = new Random(Rand.Derive(_world.Seed, 2));
        var count = Math.Clamp(_world.Options.Population / 6000, 12, 600);
        var order = Enumerable.Range(0, _ref.GenericTowns.Length).ToArray();
        rng.Shuffle(order);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var postal = 1;
        foreach (var i in order)
        {
            if (used.Count >= count)
            {
                break;
            }

            var t = _ref.GenericTowns[i];
            if (!used.Add(t.Kanji))
            {
                continue;
            }

            var chome = rng.Next(0, 5);
            var code = string.Create(CultureInfo.InvariantCulture, $"999{postal++:0000}");
            if (chome == 0)
            {
                _world.Towns.Add(new Town { Name = t.Kanji, Kana = t.Kana, PostalCode = code, IsOaza = false, Generated = true });
                _townBases.Add(t.Kanji);
                continue;
            }

            for (var c = 1; c <= chome; c++)
            {
                _world.Towns.Add(new Town
                {
                    Name = t.Kanji + KanjiNumber(c) + "丁目",
                    Kana = t.Kana + ChomeKana(c),
                    PostalCode = code,
                    IsOaza = false,
                    Generated = true,
                });
                _townBases.Add(t.Kanji);
            }
        }
    }

    private void BuildSchools()
    {
        var population = _world.Options.Population;
        var elementary = Math.Max(2, (int)Math.Round(population / 11000.0));
        var junior = Math.Max(1, (int)Math.Round(population / 23000.0));
        elementary = Math.Min(elementary, _world.Towns.Count);
        junior = Math.Min(junior, elementary);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var firstTownOfDistrict = new int[elementary];
        Array.Fill(firstTownOfDistrict, -1);
        for (var i = 0; i < _world.Towns.Count; i++)
        {
            var d = (int)((long)i * elementary / _world.Towns.Count);
            _world.Towns[i].District = d;
            if (firstTownOfDistrict[d] < 0)
            {
                firstTownOfDistrict[d] = i;
            }
        }

        var rng = new Random(Rand.Derive(_world.Seed, 3));
        for (var d = 0; d < elementary; d++)
        {
            _world.Schools.Add(new School(_world.Schools.Count, UniqueName(_townBases[firstTownOfDistrict[d]], "小学校", names), false)
            {
                KanaSpaceStyle = rng.Next(3),
                DayOffset = rng.Next(-1, 2),
            });
        }

        for (var j = 0; j < junior; j++)
        {
            var firstElementary = (int)Math.Ceiling((double)j * elementary / junior);
            _world.Schools.Add(new School(_world.Schools.Count, UniqueName(_townBases[firstTownOfDistrict[firstElementary]], "中学校", names), true)
            {
                KanaSpaceStyle = rng.Next(3),
                DayOffset = rng.Next(-1, 2),
            });
        }
    }

    private static string UniqueName(string baseName, string suffix, HashSet<string> used)
    {
        string[] qualifiers = ["", "東", "西", "南", "北", "中央", "第二", "第三", "第四", "第五"];
        foreach (var q in qualifiers)
        {
            var name = baseName + q + suffix;
            if (used.Add(name))
            {
                return name;
            }
        }

        for (var n = 6; ; n++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"{baseName}第{n}{suffix}");
            if (used.Add(name))
            {
                return name;
            }
        }
    }

    // ---- households -------------------------------------------------------------------------------------------

    private void BuildHousehold(HouseholdKind kind)
    {
        var rng = _rng;
        var foreign = kind switch
        {
            HouseholdKind.Single or HouseholdKind.CoupleOnly or HouseholdKind.CoupleWithChildren or HouseholdKind.SingleParent => rng.Chance(0.055),
            _ => rng.Chance(0.006),
        };
        var group = foreign ? ForeignNames.Groups[rng.PickCumulative(ForeignNames.Cumulative)] : null;
        var singleElderly = kind == HouseholdKind.Single && rng.Chance(foreign ? 0.05 : 0.42);

        // Ages first: the head's age bounds the move-in date.
        var plan = kind switch
        {
            HouseholdKind.Single => PlanSingle(singleElderly),
            HouseholdKind.CoupleOnly => PlanCouple(AgeFromBands((23, 29, 0.3), (30, 39, 0.3), (40, 64, 0.4)), false),
            HouseholdKind.ElderlyCouple => PlanCouple(AgeFromBands((65, 74, 0.5), (75, 84, 0.4), (85, 95, 0.1)), true),
            HouseholdKind.CoupleWithChildren => PlanFamily(false, false),
            HouseholdKind.SingleParent => PlanFamily(true, false),
            HouseholdKind.ThreeGeneration => PlanFamily(rng.Chance(0.2), true),
            HouseholdKind.CoupleWithAdultChildren => PlanAdultChildren(true),
            HouseholdKind.ParentWithAdultChild => PlanAdultChildren(false),
            _ => PlanOther(),
        };

        var headBirth = plan.Min(m => m.Birth);
        var town = _world.Towns[rng.Next(_world.Towns.Count)];
        var household = new Household
        {
            Index = _world.Households.Count,
            Kind = kind,
            Town = town,
            Address = MakeAddress(town, kind, singleElderly),
            MoveIn = MoveInDate(plan.Where(m => m.Adult).Max(m => m.Birth), foreign),
            Foreign = foreign,
        };
        _world.Households.Add(household);

        // Names: one household surname; wives (Japanese couples) keep their maiden name as the previous surname.
        var surname = group is null ? PickSurname() : rng.Pick(group.Family);
        var lineNames = new Dictionary<Line, NameEntry>();
        foreach (var m in plan)
        {
            if (m.Line != Line.Household && !lineNames.ContainsKey(m.Line))
            {
                lineNames[m.Line] = group is null ? PickSurname() : rng.Pick(group.Family);
            }
        }

        foreach (var m in plan)
        {
            var family = m.Line == Line.Household ? surname : lineNames[m.Line];
            if (group is { SeparateSurnames: true } && m.MarriedIn && m.Line == Line.Household)
            {
                // 夫婦別姓: Chinese and Korean wives keep their own surname.
                family = rng.Pick(group.Family);
            }

            var given = group is null ? PickGiven(m.Male, m.Birth) : rng.Pick(m.Male ? group.Male : group.Female);
            var person = new Person
            {
                Index = _world.Persons.Count,
                Household = household,
                Family = family.Kanji,
                FamilyKana = family.Kana,
                Given = given.Kanji,
                GivenKana = given.Kana,
                Birth = m.Birth,
                Male = m.Male,
                Relation = m.Relation,
                Since = m.Birth > household.MoveIn ? m.Birth : household.MoveIn,
                Foreign = group is not null,
                RomajiName = group is { Kanji: false },
            };

            if (group is null && m.MarriedIn && m.RecentChange)
            {
                var maiden = lineNames.TryGetValue(Line.Maternal, out var line) ? line : PickSurname();
                person.PreviousFamily = maiden.Kanji;
                person.PreviousFamilyKana = maiden.Kana;
            }

            if (group is null && m.Reverted)
            {
                // After a divorce she went back to her maiden name; the children kept the household surname.
                var maiden = PickSurname();
                person.Family = maiden.Kanji;
                person.FamilyKana = maiden.Kana;
                if (m.RecentChange)
                {
                    person.PreviousFamily = surname.Kanji;
                    person.PreviousFamilyKana = surname.Kana;
                }
            }

            household.Members.Add(person);
            _world.Persons.Add(person);
        }

        var adults = household.Members.Count(p => p.AgeOn(AsOf) >= 18);
        household.HasChildren = household.Members.Any(p => p.AgeOn(AsOf) < 18);
        household.OneAdultWithChildren = household.HasChildren && adults == 1;
    }

    /// <summary>Which surname a planned member carries: the household's, or that of another family line (in-laws).</summary>
    private enum Line
    {
        Household = 0,
        Maternal = 1,
        Other = 2,
    }

    private sealed record Member(DateOnly Birth, bool Male, string Relation, Line Line = Line.Household, bool MarriedIn = false, bool RecentChange = false, bool Reverted = false)
    {
        public bool Adult { get; init; } = true;
    }

    private List<Member> PlanSingle(bool elderly)
    {
        var age = elderly
            ? AgeFromBands((65, 74, 0.38), (75, 84, 0.4), (85, 99, 0.22))
            : AgeFromBands((18, 24, 0.2), (25, 29, 0.16), (30, 39, 0.2), (40, 49, 0.2), (50, 64, 0.24));
        var male = _rng.Chance(elderly ? 0.32 : 0.56);
        return [new Member(BirthForAge(age), male, Relation.Head)];
    }

    private List<Member> PlanCouple(int headAge, bool elderly)
    {
        var wifeAge = Math.Clamp(headAge - (int)Math.Round(_rng.Normal(2.2, 3)), elderly ? 60 : 20, 99);
        var recent = !elderly && headAge < 36 && _rng.Chance(0.4);
        var husbandHead = _rng.Chance(0.93);
        return
        [
            new Member(BirthForAge(headAge), true, husbandHead ? Relation.Head : Relation.Spouse),
            new Member(BirthForAge(wifeAge), false, husbandHead ? Relation.Spouse : Relation.Head, MarriedIn: true, RecentChange: recent),
        ];
    }

    /// <summary>Parents with children under 18 (and sometimes an older one), optionally living with grandparents.</summary>
    private List<Member> PlanFamily(bool singleParent, bool threeGenerations)
    {
        var rng = _rng;
        var target = singleParent ? 1 + rng.PickWeighted([0.52, 0.36, 0.10, 0.02]) : 1 + rng.PickWeighted([0.40, 0.43, 0.14, 0.03]);
        // Older children are slightly more common as the oldest child: births have been falling for years.
        var oldestAge = PickOldestChildAge(target);
        var births = new List<DateOnly> { BirthForAge(oldestAge) };
        while (births.Count < target)
        {
            var next = births[^1].AddDays(rng.Next(420, 1700));
            if (next > AsOf)
            {
                break;
            }

            births.Add(next);
        }

        // Twins: about 1% of births are twin births.
        var withTwins = new List<DateOnly>();
        foreach (var b in births)
        {
            withTwins.Add(b);
            if (rng.Chance(0.01))
            {
                withTwins.Add(b);
            }
        }

        var motherAgeAtFirst = Math.Clamp(singleParent ? rng.Normal(27.5, 5.5) : rng.Normal(30.5, 4.3), 17, 43);
        var motherBirth = withTwins[0].AddDays(-(int)(motherAgeAtFirst * 365.25));
        var fatherBirth = motherBirth.AddDays(-(int)(Math.Clamp(rng.Normal(2.2, 3.2), -5, 15) * 365.25));
        if (AgeAt(fatherBirth, withTwins[0]) < 18)
        {
            fatherBirth = withTwins[0].AddYears(-19);
        }

        // Sometimes an older child of 18 to 24 still lives at home.
        if (!threeGenerations && rng.Chance(0.10))
        {
            var older = withTwins[0].AddDays(-rng.Next(500, 2200));
            if (AgeAt(motherBirth, older) >= 20 && AgeAt(older, AsOf) >= 18)
            {
                withTwins.Insert(0, older);
            }
        }

        var members = new List<Member>();
        var motherIsSingle = singleParent && rng.Chance(0.88);
        var recent = !singleParent && AgeAt(withTwins[^1], AsOf) <= 2 && AgeAt(motherBirth, AsOf) < 36 && rng.Chance(0.35);
        if (!threeGenerations)
        {
            if (singleParent)
            {
                members.Add(motherIsSingle
                    ? new Member(motherBirth, false, Relation.Head, Reverted: rng.Chance(0.35), RecentChange: rng.Chance(0.5))
                    : new Member(fatherBirth, true, Relation.Head));
            }
            else
            {
                members.Add(new Member(fatherBirth, true, Relation.Head));
                members.Add(new Member(motherBirth, false, Relation.Spouse, MarriedIn: true, RecentChange: recent));
            }

            foreach (var b in withTwins)
            {
                members.Add(new Member(b, rng.Chance(0.512), Relation.Child) { Adult = AgeAt(b, AsOf) >= 18 });
            }

            return members;
        }

        // Three generations: grandparents on the father's side (same surname) or the mother's (her maiden surname).
        var maternal = singleParent || rng.Chance(0.25);
        var parentBirth = maternal ? motherBirth : fatherBirth;
        var grandmaBirth = parentBirth.AddDays(-(int)(Math.Clamp(rng.Normal(28.5, 3.5), 20, 42) * 365.25));
        var grandpaBirth = grandmaBirth.AddDays(-(int)(Math.Clamp(rng.Normal(2.5, 3), -3, 12) * 365.25));
        var grandmaAge = AgeAt(grandmaBirth, AsOf);
        var withGrandpa = rng.Chance(grandmaAge < 70 ? 0.85 : grandmaAge < 80 ? 0.65 : 0.4);
        var withGrandma = !withGrandpa || rng.Chance(grandmaAge < 80 ? 0.92 : 0.75);
        var grandHead = rng.Chance(0.45);
        var grandLine = singleParent ? Line.Household : maternal ? Line.Maternal : Line.Household;

        if (grandHead)
        {
            if (withGrandpa)
            {
                members.Add(new Member(grandpaBirth, true, Relation.Head, grandLine));
            }

            if (withGrandma)
            {
                members.Add(new Member(grandmaBirth, false, withGrandpa ? Relation.Spouse : Relation.Head, grandLine));
            }

            if (singleParent)
            {
                members.Add(new Member(motherBirth, false, Relation.Child));
            }
            else
            {
                members.Add(new Member(fatherBirth, true, maternal ? Relation.ChildInLaw : Relation.Child));
                members.Add(new Member(motherBirth, false, maternal ? Relation.Child : Relation.ChildInLaw, MarriedIn: true, RecentChange: recent));
            }

            foreach (var b in withTwins)
            {
                members.Add(new Member(b, rng.Chance(0.512), Relation.Grandchild) { Adult = AgeAt(b, AsOf) >= 18 });
            }
        }
        else
        {
            if (singleParent)
            {
                members.Add(new Member(motherBirth, false, Relation.Head));
            }
            else
            {
                members.Add(new Member(fatherBirth, true, Relation.Head));
                members.Add(new Member(motherBirth, false, Relation.Spouse, MarriedIn: true, RecentChange: recent));
            }

            foreach (var b in withTwins)
            {
                members.Add(new Member(b, rng.Chance(0.512), Relation.Child) { Adult = AgeAt(b, AsOf) >= 18 });
            }

            var rel = maternal && !singleParent ? Relation.ParentInLaw : Relation.Parent;
            if (withGrandpa)
            {
                members.Add(new Member(grandpaBirth, true, rel, grandLine));
            }

            if (withGrandma)
            {
                members.Add(new Member(grandmaBirth, false, rel, grandLine));
            }
        }

        return members;
    }

    private int PickOldestChildAge(int children)
    {
        Span<double> w = stackalloc double[18];
        for (var a = 0; a < 18; a++)
        {
            // Families with several children have an older first child; weights tuned to a flat child age profile.
            w[a] = 0.55 + (0.04 * a * (children > 1 ? 1.4 : 1.0));
        }

        return _rng.PickWeighted(w);
    }

    private List<Member> PlanAdultChildren(bool couple)
    {
        var rng = _rng;
        var motherAge = couple ? AgeFromBands((45, 54, 0.4), (55, 64, 0.35), (65, 78, 0.25)) : AgeFromBands((48, 59, 0.3), (60, 74, 0.4), (75, 92, 0.3));
        var motherBirth = BirthForAge(motherAge);
        var members = new List<Member>();
        var maxChildAge = Math.Min(couple ? 45 : 60, motherAge - 20);
        var n = couple && rng.Chance(0.4) ? 2 : 1;
        var childAges = new List<int>();
        for (var i = 0; i < n; i++)
        {
            childAges.Add(rng.Next(18, Math.Max(19, maxChildAge + 1)));
        }

        childAges.Sort((a, b) => b.CompareTo(a));
        if (couple)
        {
            var fatherBirth = motherBirth.AddDays(-(int)(Math.Clamp(rng.Normal(2.2, 3), -4, 12) * 365.25));
            members.Add(new Member(fatherBirth, true, Relation.Head));
            members.Add(new Member(motherBirth, false, Relation.Spouse, MarriedIn: true));
            foreach (var a in childAges)
            {
                members.Add(new Member(BirthForAge(a), rng.Chance(0.55), Relation.Child));
            }
        }
        else
        {
            var parentMale = rng.Chance(0.25);
            var childHead = motherAge >= 70 && rng.Chance(0.5);
            members.Add(new Member(motherBirth, parentMale, childHead ? Relation.Parent : Relation.Head));
            foreach (var a in childAges)
            {
                members.Add(new Member(BirthForAge(a), rng.Chance(0.55), childHead ? Relation.Head : Relation.Child));
            }

            if (childHead)
            {
                members.Reverse();
            }
        }

        return members;
    }

    private List<Member> PlanOther()
    {
        var rng = _rng;
        if (rng.Chance(0.6))
        {
            var age = rng.Next(35, 80);
            return
            [
                new Member(BirthForAge(age), rng.Chance(0.5), Relation.Head),
                new Member(BirthForAge(Math.Max(25, age - rng.Next(1, 8))), rng.Chance(0.5), Relation.Sibling),
            ];
        }

        return
        [
            new Member(BirthForAge(rng.Next(20, 40)), rng.Chance(0.5), Relation.Head),
            new Member(BirthForAge(rng.Next(20, 40)), rng.Chance(0.5), Relation.Other, Line.Other),
        ];
    }

    // ---- names, dates, addresses --------------------------------------------------------------------------------

    private NameEntry PickSurname()
    {
        var entry = _rng.Chance(0.12) ? _rng.Pick(_ref.RareSurnames) : _ref.Surnames[_rng.PickCumulative(_surnameCumulative)];
        foreach (var (common, variants) in KanjiVariants)
        {
            var at = entry.Kanji.IndexOf(common, StringComparison.Ordinal);
            if (at >= 0 && _rng.Chance(0.12))
            {
                // The family register uses the variant form (渡邉, 髙橋): legitimate variety, not an error.
                var chars = entry.Kanji.ToCharArray();
                chars[at] = _rng.Pick(variants);
                return entry with { Kanji = new string(chars) };
            }
        }

        return entry;
    }

    private NameEntry PickGiven(bool male, DateOnly birth)
    {
        var older = birth.Year < 1965 ? 0.6 : birth.Year < 1980 ? 0.2 : 0.0;
        if (_rng.Chance(older))
        {
            return _rng.Pick(male ? _ref.OlderMaleGiven : _ref.OlderFemaleGiven);
        }

        return _rng.Pick(male ? _ref.MaleGiven : _ref.FemaleGiven);
    }

    private DateOnly BirthForAge(int age)
    {
        var latest = AsOf.AddYears(-age);
        var earliest = AsOf.AddYears(-age - 1).AddDays(1);
        return earliest.AddDays(_rng.Next(latest.DayNumber - earliest.DayNumber + 1));
    }

    private int AgeFromBands(params (int Min, int Max, double Weight)[] bands)
    {
        Span<double> w = stackalloc double[bands.Length];
        for (var i = 0; i < bands.Length; i++)
        {
            w[i] = bands[i].Weight;
        }

        var b = bands[_rng.PickWeighted(w)];
        return _rng.Next(b.Min, b.Max + 1);
    }

    private static int AgeAt(DateOnly birth, DateOnly date)
    {
        var age = date.Year - birth.Year;
        if (date.Month < birth.Month || (date.Month == birth.Month && date.Day < birth.Day))
        {
            age--;
        }

        return age;
    }

    private DateOnly MoveInDate(DateOnly youngestAdultBirth, bool foreign)
    {
        // Years since the household moved in: exponential, mean 11 years (4 for foreign residents), not before the
        // youngest adult turned 18.
        var maxDays = AsOf.DayNumber - youngestAdultBirth.AddYears(18).DayNumber;
        var days = (int)(-Math.Log(1.0 - _rng.NextDouble()) * (foreign ? 4 : 11) * 365.25);
        days = Math.Clamp(days, 1, Math.Max(1, maxDays));
        return AsOf.AddDays(-days);
    }

    private string MakeAddress(Town town, HouseholdKind kind, bool singleElderly)
    {
        var rng = _rng;
        var apartment = kind switch
        {
            HouseholdKind.Single => singleElderly ? 0.35 : 0.8,
            HouseholdKind.CoupleOnly => 0.6,
            HouseholdKind.CoupleWithChildren => 0.45,
            HouseholdKind.SingleParent => 0.75,
            HouseholdKind.ThreeGeneration => 0.08,
            HouseholdKind.ElderlyCouple => 0.22,
            HouseholdKind.Other => 0.6,
            _ => 0.3,
        } * (town.IsOaza ? 0.5 : 1.0);

        if (!rng.Chance(apartment))
        {
            return town.Name + HouseNumber(town);
        }

        Building? building = null;
        if (town.Buildings.Count > 0 && rng.Chance(0.9))
        {
            for (var attempt = 0; attempt < 3 && building is null; attempt++)
            {
                var b = rng.Pick(town.Buildings);
                building = b.Full ? null : b;
            }
        }

        if (building is null)
        {
            var baseName = town.Name.Contains('区', StringComparison.Ordinal) && town.Name.IndexOf('区', StringComparison.Ordinal) < 3
                ? town.Name[(town.Name.IndexOf('区', StringComparison.Ordinal) + 1)..]
                : town.Name;
            baseName = baseName.Replace("大字", string.Empty, StringComparison.Ordinal);
            var chome = baseName.IndexOf('丁', StringComparison.Ordinal);
            if (chome > 1)
            {
                baseName = baseName[..(chome - 1)];
            }

            var word = rng.Pick(BuildingWords);
            var name = rng.Next(8) switch
            {
                0 => $"コーポ{PickSurname().Kanji}",
                1 => $"{baseName}ハイツ",
                2 => $"メゾン{word}",
                3 => $"パークハイム{baseName}",
                4 => $"{baseName}マンション",
                5 => $"グランシティ{baseName}",
                6 => $"ハイツ{word}",
                _ => $"レジデンス{baseName}",
            };
            var floors = rng.Chance(0.6) ? rng.Next(2, 4) : rng.Next(4, 15);
            building = new Building(name, HouseNumber(town), floors, rng.Next(3, 9));
            town.Buildings.Add(building);
        }

        var floor = (building.Occupied / building.RoomsPerFloor) + 1;
        var room = (floor * 100) + (building.Occupied % building.RoomsPerFloor) + 1;
        building.Occupied++;
        return string.Create(CultureInfo.InvariantCulture, $"{town.Name}{building.Number}\u3000{building.Name}{room}");
    }

    private string HouseNumber(Town town)
    {
        var banchi = town.IsOaza ? _rng.Next(1, 3000) : 1 + (int)Math.Floor(Math.Pow(_rng.NextDouble(), 1.4) * 30);
        var go = _rng.Next(1, 28);
        return string.Create(CultureInfo.InvariantCulture, $"{banchi}-{go}");
    }

    private static string KanjiNumber(int n) => n switch { 1 => "一", 2 => "二", 3 => "三", 4 => "四", 5 => "五", _ => n.ToString(CultureInfo.InvariantCulture) };

    private static string ChomeKana(int n) => n switch { 1 => "イッチョウメ", 2 => "ニチョウメ", 3 => "サンチョウメ", 4 => "ヨンチョウメ", _ => "ゴチョウメ" };

    // ---- schools and numbers ------------------------------------------------------------------------------------

    private void AssignPupils()
    {
        var rng = new Random(Rand.Derive(_world.Seed, 4));
        var elementary = _world.Schools.Where(s => !s.Junior).ToList();
        var junior = _world.Schools.Where(s => s.Junior).ToList();
        foreach (var person in _world.Persons.Concat(_world.NonResidentPupils))
        {
            var age = person.AgeOn(_world.FiscalYearStart);
            if (person.AgeOn(AsOf) >= 18)
            {
                continue;
            }

            person.Child = new ChildTruth();
            if (age is < 6 or > 14)
            {
                continue;
            }

            // Age on 1 April of the school year decides the grade: 6 → 小1 ... 14 → 中3 (a 中3 pupil turns 15 during the year).
            var grade = age - 5;
            person.Child.Grade = grade;
            var privateRate = (grade <= 6 ? 0.02 : 0.08) + (person.Foreign ? 0.05 : 0);
            if (person.Residency == Residency.Resident && rng.Chance(privateRate))
            {
                continue;
            }

            // A pupil from another municipality goes to whichever school accepted them.
            var district = person.Residency == Residency.Resident ? person.Household.Town.District : rng.Next(elementary.Count);
            var school = grade <= 6
                ? elementary[district]
                : junior[(int)((long)district * junior.Count / elementary.Count)];
            person.Child.School = school;
            school.Pupils.Add(person);
        }

        foreach (var school in _world.Schools)
        {
            school.Pupils.Sort((a, b) =>
            {
                var c = a.Child!.Grade.CompareTo(b.Child!.Grade);
                if (c != 0)
                {
                    return c;
                }

                c = string.CompareOrdinal(a.FamilyKana + a.GivenKana, b.FamilyKana + b.GivenKana);
                return c != 0 ? c : a.Index.CompareTo(b.Index);
            });
            var grade = -1;
            var seq = 0;
            foreach (var pupil in school.Pupils)
            {
                if (pupil.Child!.Grade != grade)
                {
                    grade = pupil.Child.Grade;
                    seq = 0;
                }

                seq++;
                var entryYear = _world.FiscalYear - (school.Junior ? grade - 7 : grade - 1);
                pupil.Child.StudentNo = string.Create(CultureInfo.InvariantCulture, $"{entryYear}{seq:0000}");
            }
        }
    }

    private void AssignNumbers(int registered)
    {
        // 宛名番号 are issued in order of becoming a resident, with gaps (numbers of people who left are not reused).
        // Former residents and the earlier stay of a returning resident take their place in that order.
        var rng = new Random(Rand.Derive(_world.Seed, 5));
        var order = new List<(DateOnly Since, int Index, bool Old, Person Person)>(registered + 64);
        for (var i = 0; i < registered; i++)
        {
            var p = _world.Persons[i];
            order.Add((p.Since, p.Index, false, p));
            if (p.OldSince != default)
            {
                order.Add((p.OldSince, p.Index, true, p));
            }
        }

        order.Sort((a, b) =>
        {
            var c = a.Since.CompareTo(b.Since);
            c = c != 0 ? c : a.Index.CompareTo(b.Index);
            return c != 0 ? c : a.Old.CompareTo(b.Old);
        });
        long atena = 100_000_000 + rng.Next(1000);
        foreach (var (_, _, old, p) in order)
        {
            atena += 1 + rng.Next(6);
            if (old)
            {
                p.OldAtena = atena;
            }
            else
            {
                p.Atena = atena;
            }
        }

        var households = _world.Households.Where(h => h.Members.Count > 0 && h.Members[0].Index < registered).ToArray();
        Array.Sort(households, (a, b) =>
        {
            var c = a.MoveIn.CompareTo(b.MoveIn);
            return c != 0 ? c : a.Index.CompareTo(b.Index);
        });
        long number = 20_000_000 + rng.Next(1000);
        foreach (var h in households)
        {
            number += 1 + rng.Next(4);
            h.Number = number;
        }
    }
}
