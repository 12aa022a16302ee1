using System.Globalization;

namespace Mimamori.Synthetic;

/// <summary>
/// Generates a synthetic municipality: department exports under <c>feeds/</c> and the truth under <c>truth/</c>.
/// Nothing is read from or written to the file system here; every file goes through the <c>openWrite</c> sink.
/// </summary>
public static class SyntheticMunicipality
{
    /// <summary>
    /// Generates everything for <paramref name="options"/>. <paramref name="openWrite"/> receives a path relative to
    /// the output root (e.g. <c>feeds/jumin_legacy/jumin_20260331.csv</c>) and returns a writable stream, which is
    /// disposed here when the file is complete. The same options always give byte-identical files.
    /// </summary>
    public static SynthSummary Generate(SynthOptions options, Func<string, Stream> openWrite, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(openWrite);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Population, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Years, 1);

        var world = new World(options);
        progress?.Invoke($"population: {options.Population:N0} residents, {options.City}, seed {options.Seed}");
        PopulationBuilder.Build(world);
        TruthModel.Assign(world);
        progress?.Invoke($"population: {world.Persons.Count:N0} residents in {world.Households.Count:N0} households, {world.Schools.Count} schools");

        Dictionary<string, int> rows;
        using (var records = new TruthRecords(openWrite("truth/records.csv")))
        {
            var feeds = new FeedWriters(world, openWrite, records);
            (string Name, Action Write)[] steps =
            [
                ("jumin_legacy", feeds.JuminLegacy),
                ("juminzei", feeds.Juminzei),
                ("seikatsu_hogo", feeds.SeikatsuHogo),
                ("jido_fuyo", feeds.JidoFuyo),
                ("shugaku_enjo", feeds.ShugakuEnjo),
                ("komu_attendance", feeds.KomuAttendance),
                ("boshi_kenshin", feeds.BoshiKenshin),
                ("katei_sodan", feeds.KateiSodan),
                ("jumin_idou", feeds.JuminIdou),
                ("jido_teate", feeds.JidoTeate),
                ("shogai_fukushi", feeds.ShogaiFukushi),
                ("gakureibo", feeds.Gakureibo),
                ("gakuryoku_chosa", feeds.GakuryokuChosa),
                ("hinin_survey", feeds.HininSurvey),
                ("gakko_kenshin", feeds.GakkoKenshin),
                ("ninshin_todoke", feeds.NinshinTodoke),
                ("yobo_sesshu", feeds.YoboSesshu),
                ("hoiku", feeds.Hoiku),
                ("yotaikyo", feeds.Yotaikyo),
                ("jisou", feeds.Jisou),
                ("npo_shokudo", feeds.NpoShokudo),
                ("hospital_fhir", () => HospitalFhirFeed.Write(world, openWrite, records, feeds.Rows)),
            ];
            foreach (var (name, write) in steps)
            {
                write();
                progress?.Invoke($"feed {name}: {feeds.Rows[name]:N0} rows");
            }

            rows = feeds.Rows;
            feeds.PaperSodan();
            progress?.Invoke("paper: katei_sodan_paper");
        }

        TruthFiles.Write(world, openWrite);
        progress?.Invoke("truth: persons, records, outcomes, eligibility, towns");

        var children = world.Persons.Count(p => p.Child is not null);
        return new SynthSummary(world.Persons.Count, world.Households.Count, children, new SortedDictionary<string, int>(rows, StringComparer.Ordinal));
    }
}

/// <summary>The truth files (UTF-8, LF, with header), written apart from the feeds.</summary>
internal static class TruthFiles
{
    public static void Write(World world, Func<string, Stream> openWrite)
    {
        using (var csv = new CsvFile(openWrite("truth/persons.csv"), Encodings.Utf8, "\n", "truth", "persons.csv", null))
        {
            csv.Header("person_id", "household_id", "family_name", "given_name", "family_kana", "given_kana", "birth_date", "sex", "is_child", "atena_no");
            foreach (var p in world.Persons)
            {
                csv.Row(p, p.Id, p.Household.Id, p.Family, p.Given, p.FamilyKana, p.GivenKana, p.Birth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    p.Male ? "M" : "F", p.Child is null ? "0" : "1", p.AtenaText);
            }
        }

        // People some system knows who are not in the registry snapshot, and residents whose earlier stay had another number.
        using (var csv = new CsvFile(openWrite("truth/nonresidents.csv"), Encodings.Utf8, "\n", "truth", "nonresidents.csv", null))
        {
            csv.Header("person_id", "kind", "family_name", "given_name", "family_kana", "given_kana", "birth_date", "sex", "atena_no", "left_on");
            foreach (var p in world.Former.Concat(world.NonResidentPupils))
            {
                var kind = p.Residency switch { Residency.MovedOut => "moved_out", Residency.Died => "died", _ => "nonresident_pupil" };
                csv.Row(p, p.Id, kind, p.Family, p.Given, p.FamilyKana, p.GivenKana, p.Birth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), p.Male ? "M" : "F",
                    p.Residency == Residency.NonResidentPupil ? p.NonResidentNo : p.AtenaText,
                    p.Residency == Residency.NonResidentPupil ? string.Empty : p.Left.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            }
        }

        using (var csv = new CsvFile(openWrite("truth/renumbered.csv"), Encodings.Utf8, "\n", "truth", "renumbered.csv", null))
        {
            csv.Header("person_id", "old_atena_no", "atena_no", "old_since", "old_left", "since");
            foreach (var p in world.Persons.Where(p => p.OldAtena != 0))
            {
                csv.Row(p, p.Id, p.OldAtena.ToString("0000000000", CultureInfo.InvariantCulture), p.AtenaText, D(p.OldSince), D(p.OldLeft), D(p.Since));
            }
        }

        using (var csv = new CsvFile(openWrite("truth/outcomes.csv"), Encodings.Utf8, "\n", "truth", "outcomes.csv", null))
        {
            csv.Header("person_id", "household_id", "poverty", "abuse_neglect", "futoko", "young_carer", "developmental", "postnatal_depression", "health_neglect",
                "yotaikyo_within_12m", "futoko_next_year", "confirmed_need");
            foreach (var p in world.Persons)
            {
                if (p.Child is not { } t)
                {
                    continue;
                }

                csv.Row(p, p.Id, p.Household.Id, B(t.Poverty), B(t.AbuseNeglect), B(t.Futoko), B(t.YoungCarer), B(t.Developmental), B(t.PostnatalDepression),
                    B(t.HealthNeglect), B(t.YotaikyoWithin12m), B(t.FutokoNextYear), B(t.YotaikyoWithin12m || t.FutokoNextYear));
            }
        }

        using (var csv = new CsvFile(openWrite("truth/eligibility.csv"), Encodings.Utf8, "\n", "truth", "eligibility.csv", null))
        {
            csv.Header("household_id", "program", "eligible", "claims");
            foreach (var h in world.Households)
            {
                if (!h.HasChildren)
                {
                    continue;
                }

                csv.Row(h.Members[0], h.Id, "shugaku_enjo", B(h.ShugakuEligible), B(h.ShugakuClaims));
                csv.Row(h.Members[0], h.Id, "jido_fuyo", B(h.FuyoEligible), B(h.FuyoClaims));
                foreach (var (program, eligible, claims) in CatalogPrograms(world, h))
                {
                    csv.Row(h.Members[0], h.Id, program, B(eligible), B(claims));
                }
            }
        }

        using (var csv = new CsvFile(openWrite("truth/towns.csv"), Encodings.Utf8, "\n", "truth", "towns.csv", null))
        {
            csv.Header("town", "kana", "postal_code", "generated", "elementary_school", "junior_school");
            var elementary = world.Schools.Where(s => !s.Junior).ToList();
            var junior = world.Schools.Where(s => s.Junior).ToList();
            foreach (var t in world.Towns)
            {
                var j = junior[(int)((long)t.District * junior.Count / elementary.Count)];
                csv.Row(world.Persons[0], t.Name, t.Kana, t.PostalCode, B(t.Generated), elementary[t.District].Name, j.Name);
            }
        }
    }

    /// <summary>
    /// Eligibility and receipt of the rest of the catalog for a household with children. Programs a department decides
    /// from records (手当, 医療証, 保育料) follow the rules the catalog states; the others follow the hidden truth the
    /// records only hint at (a child's development, hardship, a family's wish), which is why evaluation reports them apart.
    /// </summary>
    private static IEnumerable<(string Program, bool Eligible, bool Claims)> CatalogPrograms(World world, Household h)
    {
        var c = h.Catalog;
        var children = h.Members.Where(p => p.Child is not null).ToList();
        yield return ("jido_teate", !c.TeateFromEmployer, c.TeateListed);
        yield return ("hitorioya_iryo", h.FuyoEligible, c.HitorioyaIryoListed);
        yield return ("kodomo_iryo", true, c.KodomoIryoWanted);
        yield return ("hoikuryo_genmen", c.Hoiku3 && (h.Welfare || h.FuyoEligible), c.HoikuReduction is "生活保護" or "非課税" or "ひとり親");
        var tokuji = c.TokujiCertificate || c.TokujiByReport;
        yield return ("tokubetsu_jido_fuyo", tokuji, tokuji && c.TokujiWanted);
        yield return ("shogaiji_tsusho", children.Any(p => p.Child!.Developmental && p.AgeOn(world.AsOf) >= 1), c.TsushoListed);
        yield return ("gakushu_shien", GakushuEligible(h), c.GakushuListed);
        yield return ("yoiku_shien_homon", HomeVisitEligible(h), c.HomeVisitListed);
        yield return ("sango_care", children.Any(p => p.AgeOn(world.AsOf) == 0), c.SangoCareListed);
        yield return ("kodomo_shokudo", children.Any(p => p.AgeOn(world.AsOf) is >= 3 and <= 15), c.ShokudoListed);
        yield return ("food_pantry", PantryEligible(h), c.PantryListed);
    }

    /// <summary>生活困窮世帯の学習支援: a household in hardship (poor or on 生活保護) with a 中学生.</summary>
    public static bool GakushuEligible(Household h) => (h.Poor || h.Welfare) && h.Members.Any(p => p.Child is { Grade: >= 7 and <= 9 });

    /// <summary>フードパントリー: a household with children that is short of money.</summary>
    public static bool PantryEligible(Household h) => h.HasChildren && (h.Poor || h.LowIncome || h.Welfare);

    /// <summary>養育支援訪問: a household where a child is neglected or a mother is struggling after a birth.</summary>
    public static bool HomeVisitEligible(Household h) => h.Members.Any(p => p.Child is { AbuseNeglect: true } or { HealthNeglect: true } or { PostnatalDepression: true });

    private static string B(bool b) => b ? "1" : "0";

    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
