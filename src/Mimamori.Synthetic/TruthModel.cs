namespace Mimamori.Synthetic;

/// <summary>
/// Draws the hidden truth: household income and poverty, public assistance, tax records, the children's hidden states,
/// their outcomes in the 12 months after the reference date, and who claims which benefit. Rates follow domain.md §3
/// (see docs/synthetic.md for the calibration table).
/// </summary>
internal static class TruthModel
{
    public static void Assign(World world)
    {
        var rng = new Random(Rand.Derive(world.Seed, 10));
        foreach (var h in world.Households)
        {
            AssignEconomy(world, h, rng);
        }

        var stateRng = new Random(Rand.Derive(world.Seed, 11));
        foreach (var h in world.Households)
        {
            if (h.HasChildren)
            {
                AssignChildStates(world, h, stateRng);
            }
        }

        var claimRng = new Random(Rand.Derive(world.Seed, 12));
        foreach (var h in world.Households)
        {
            if (h.HasChildren)
            {
                AssignClaims(world, h, claimRng);
            }
        }

        // The rest of the catalog draws from a stream per household, after everything else: the draws above, and so
        // the feeds, the needs model and the linkage figures, are the same as without these programs.
        var catalogStream = Rand.Derive(world.Seed, 13);
        foreach (var h in world.Households)
        {
            if (h.HasChildren)
            {
                AssignCatalogWants(world, h, new Random(Rand.Derive(catalogStream, h.Index)));
            }
        }
    }

    private static void AssignCatalogWants(World world, Household h, Random rng)
    {
        var c = h.Catalog;
        var abuse = h.Members.Any(p => p.Child is { AbuseNeglect: true });
        var postnatal = h.Members.Any(p => p.Child is { PostnatalDepression: true });

        // Every draw is made whatever the household, so that one household's answers never shift another's.
        var iryo = rng.NextDouble();
        var kodomo = rng.NextDouble();
        var tokuji = rng.NextDouble();
        var report = rng.NextDouble();
        var gakushu = rng.NextDouble();
        var pantry = rng.NextDouble();
        var visit = rng.NextDouble();
        var sango = rng.NextDouble();

        c.HitorioyaIryoClaims = h.FuyoClaims && iryo < 0.9;
        c.KodomoIryoWanted = kodomo < (h.Foreign ? 0.9 : 0.97);
        c.TokujiWanted = tokuji < 0.75 * (h.Foreign ? 0.7 : 1.0);
        c.TokujiByReport = h.Members.Any(p => p.Child is { Developmental: true }) && report < 0.2;
        c.GakushuWanted = gakushu < 0.5;
        c.PantryWanted = pantry < 0.45;
        c.HomeVisitWanted = visit < (abuse ? 0.45 : 0.6);
        c.SangoCareWanted = sango < (postnatal ? 0.4 : 0.15);
    }

    private static void AssignEconomy(World world, Household h, Random rng)
    {
        var asOf = world.AsOf;
        var head = h.Members.Find(m => m.Relation == Relation.Head) ?? h.Members[0];
        var elderlyHead = head.AgeOn(asOf) >= 65;
        // One-adult households with children: 44.5% poor; others set so that child poverty overall is about 11.5%.
        var pPoor = h.Kind switch
        {
            HouseholdKind.SingleParent => 0.445,
            HouseholdKind.CoupleWithChildren => 0.072,
            HouseholdKind.ThreeGeneration => 0.055,
            HouseholdKind.Single => elderlyHead ? 0.30 : 0.15,
            HouseholdKind.ElderlyCouple => 0.12,
            HouseholdKind.ParentWithAdultChild => 0.15,
            HouseholdKind.Other => 0.12,
            _ => 0.06,
        };
        if (h.Foreign)
        {
            pPoor = Math.Min(0.7, pPoor * 1.8);
        }

        h.Poor = rng.Chance(pPoor);
        h.LowIncome = !h.Poor && h.HasChildren && rng.Chance(0.12);
        h.Stress = rng.Normal();

        var pWelfare = !h.Poor ? 0 : h.Kind switch
        {
            HouseholdKind.SingleParent => 0.20,
            HouseholdKind.CoupleWithChildren or HouseholdKind.ThreeGeneration => 0.08,
            HouseholdKind.Single => elderlyHead ? 0.33 : 0.12,
            HouseholdKind.ElderlyCouple => 0.18,
            _ => 0.10,
        };
        h.Welfare = rng.Chance(pWelfare);
        if (h.Welfare)
        {
            var days = (int)(-Math.Log(1.0 - rng.NextDouble()) * 5 * 365.25);
            var since = asOf.AddDays(-Math.Max(30, days));
            h.WelfareSince = since < h.MoveIn ? h.MoveIn.AddDays(rng.Next(1, 60)) : since;
            if (h.WelfareSince > asOf)
            {
                h.WelfareSince = asOf.AddDays(-1);
            }
        }

        // 個人住民税 for 年度 FY is assessed on residents of 1 January; people who moved in later have no record here.
        // Dependants without income (扶養親族) are not in the export.
        var taxDay = new DateOnly(world.FiscalYear, 1, 1);
        foreach (var p in h.Members)
        {
            var age = p.AgeOn(asOf);
            if (age < 18 || p.Since > taxDay)
            {
                continue;
            }

            var isHead = ReferenceEquals(p, head);
            var elderly = age >= 65;
            var hasRecord = isHead || p.Relation switch
            {
                Relation.Spouse => rng.Chance(h.Poor ? 0.4 : 0.55),
                Relation.Parent or Relation.ParentInLaw => rng.Chance(0.95),
                _ when elderly => rng.Chance(0.95),
                _ when age >= 23 => rng.Chance(0.85),
                _ => rng.Chance(0.25),
            };
            if (!hasRecord)
            {
                continue;
            }

            if (h.Welfare)
            {
                (p.IncomeBand, p.Hikazei) = (1, true);
            }
            else if (h.Poor)
            {
                if (isHead || elderly)
                {
                    p.IncomeBand = rng.Chance(0.8) ? 1 : 2;
                    p.Hikazei = p.IncomeBand == 1 ? rng.Chance(0.95) : rng.Chance(0.3);
                }
                else
                {
                    (p.IncomeBand, p.Hikazei) = (1, rng.Chance(0.9));
                }
            }
            else if (h.LowIncome && isHead)
            {
                (p.IncomeBand, p.Hikazei) = (2, rng.Chance(0.7));
            }
            else if (elderly)
            {
                p.IncomeBand = 1 + rng.PickWeighted([0.25, 0.4, 0.2, 0.1, 0.05]);
                // Pensioners living with grandchildren are rarely exempt: the household's earners support them.
                p.Hikazei = p.IncomeBand == 1 && rng.Chance(h.HasChildren ? 0.1 : 0.4);
            }
            else if (isHead)
            {
                p.IncomeBand = 2 + rng.PickWeighted([0.2, 0.35, 0.3, 0.15]);
            }
            else
            {
                p.IncomeBand = 1 + rng.PickWeighted([0.35, 0.45, 0.17, 0.03]);
            }
        }
    }

    private static void AssignChildStates(World world, Household h, Random rng)
    {
        var asOf = world.AsOf;
        var single = h.OneAdultWithChildren ? 1.0 : 0.0;
        var poor = h.Poor ? 1.0 : 0.0;
        var children = h.Members.Where(p => p.Child is not null).ToList();
        var oldGrandparent = h.Members.Any(p => p.AgeOn(asOf) >= 75) ? 1.0 : 0.0;
        var many = children.Count >= 3 ? 1.0 : 0.0;

        // Abuse and neglect cluster in households: a household-level draw, then most of its children share it.
        var abuseHousehold = rng.Chance(Rand.Logistic(-4.2 + (1.2 * poor) + (0.6 * single) + (1.1 * h.Stress) + (h.Foreign ? 0.2 : 0)));
        var hasInfant = children.Any(c => c.AgeOn(asOf) < 1);
        var postnatal = hasInfant && rng.Chance(Rand.Logistic(-2.3 + (0.5 * poor) + (0.5 * single) + (0.3 * h.Stress)));

        foreach (var p in children)
        {
            var t = p.Child!;
            var age = p.AgeOn(asOf);
            t.Poverty = h.Poor;
            t.AbuseNeglect = abuseHousehold ? rng.Chance(0.8) : rng.Chance(0.002);
            var abuse = t.AbuseNeglect ? 1.0 : 0.0;
            t.PostnatalDepression = postnatal && age < 1;
            t.HealthNeglect = rng.Chance(Rand.Logistic(-3.9 + (0.8 * poor) + (2.0 * abuse) + (0.5 * single) + (0.4 * h.Stress) - (age >= 12 ? 0.6 : 0)));
            t.Developmental = age >= 1 && rng.Chance(Rand.Logistic(-3.2 + (p.Male ? 0.7 : 0) + (0.2 * poor) + (0.3 * abuse)));
            t.YoungCarer = age >= 9 && rng.Chance(Rand.Logistic(-3.8 + (1.6 * oldGrandparent) + (1.1 * single) + (0.5 * poor) + (0.7 * many) + (0.3 * h.Stress)));
            var dev = t.Developmental ? 1.0 : 0.0;
            var carer = t.YoungCarer ? 1.0 : 0.0;
            if (t.Grade > 0)
            {
                var junior = t.Grade >= 7 ? 1.0 : 0.0;
                t.Futoko = rng.Chance(Rand.Logistic(-4.05 + (0.95 * junior) + (0.8 * poor) + (0.9 * abuse) + (0.9 * dev) + (0.6 * carer) + (0.3 * single) + (0.3 * h.Stress)));
                t.Emerging = !t.Futoko && rng.Chance(Rand.Logistic(-4.6 + (0.7 * junior) + (0.6 * poor) + (0.6 * abuse) + (0.7 * dev) + (0.5 * carer) + (0.3 * h.Stress)));
                t.ChronicIllness = rng.Chance(0.008);
            }

            var futoko = t.Futoko ? 1.0 : 0.0;
            var noise = rng.Normal(0, 0.5);
            t.YotaikyoWithin12m = rng.Chance(Rand.Logistic(-6.0 + (3.6 * abuse) + (1.3 * (t.HealthNeglect ? 1 : 0)) + (1.6 * (t.PostnatalDepression ? 1 : 0))
                + (0.6 * poor) + (1.0 * carer) + (0.6 * futoko) + (0.4 * single) + (0.3 * h.Stress) + noise));

            // Next school year: age on the next 1 April decides the grade; high school is outside 不登校 here.
            var nextGrade = p.AgeOn(world.FiscalYearStart.AddYears(1)) - 5;
            if (nextGrade is >= 1 and <= 9)
            {
                var nextJunior = nextGrade >= 7 ? 1.0 : 0.0;
                var pNext = t.Futoko ? 0.72
                    : t.Emerging ? 0.45
                    : Rand.Logistic(-6.0 + (1.2 * nextJunior) + (0.6 * poor) + (0.6 * abuse) + (0.8 * dev) + (0.5 * carer) + (0.3 * h.Stress));
                t.FutokoNextYear = rng.Chance(pNext);
            }
        }
    }

    private static void AssignClaims(World world, Household h, Random rng)
    {
        var pupils = h.Members.Where(p => p.Child is { Grade: >= 1 and <= 9 }).ToList();
        var abuse = h.Members.Any(p => p.Child is { AbuseNeglect: true });
        var exempt = h.Members.Any(p => p.IncomeBand > 0 && p.Hikazei);
        h.ShugakuEligible = pupils.Count > 0 && (exempt || h.Welfare);
        if (h.ShugakuEligible && pupils.Any(p => p.Child!.School is not null))
        {
            // Families who find forms hard (language, chaos at home) claim less often: the unclaimed to reach.
            var p = (h.Welfare ? 0.95 : 0.82) * (h.Foreign ? 0.65 : 1.0) * (abuse ? 0.8 : 1.0) * (h.Stress > 1.5 ? 0.85 : 1.0);
            h.ShugakuClaims = rng.Chance(p);
        }

        if (h.OneAdultWithChildren)
        {
            var adult = h.Members.Find(p => p.AgeOn(world.AsOf) >= 18)!;
            h.FuyoEligible = adult.IncomeBand > 0 && (adult.Hikazei || adult.IncomeBand <= 2);
            if (h.FuyoEligible)
            {
                h.FuyoClaims = rng.Chance(0.82 * (h.Foreign ? 0.6 : 1.0) * (abuse ? 0.85 : 1.0));
                var oldestChild = h.Members.Where(p => p.Child is not null).Min(p => p.Birth);
                var earliest = new[] { oldestChild, h.MoveIn, world.AsOf.AddYears(-10) }.Max();
                var latest = world.AsOf.AddDays(-30);
                h.FuyoSince = earliest >= latest ? latest : earliest.AddDays(rng.Next(latest.DayNumber - earliest.DayNumber));
            }
        }
    }
}
