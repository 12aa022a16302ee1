using System.Globalization;
using System.Text;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace Mimamori.Synthetic;

/// <summary>
/// Hospital contacts of the municipality's children as FHIR R4 bundles (JP Core), one file per hospital and month for
/// the 12 months before the reference date: <c>feeds/hospital_fhir/&lt;hospital&gt;_&lt;yyyymm&gt;.json</c>, Bundle type
/// collection. Hospitals know a child by their own patient number, name (kanji and kana), birth date, sex and address:
/// never by 宛名番号, so every record must be linked on identity alone (愛知's hospital-centred pilot).
/// </summary>
/// <remarks>
/// Emergency visits for injuries rise with abuse/neglect, frequent outpatient visits with developmental needs and
/// chronic illness, emergency visits for neglected illness with health neglect; every child also has ordinary
/// illness and accidents, so no single visit says anything on its own. Ids and UUIDs derive from the seed; nothing
/// reads the clock, so the same options give byte-identical files. The entry index of each resource is its line in
/// truth/records.csv (the FHIR reader's lineage is "entry N"); the Organization entry gives no row.
/// </remarks>
internal static class HospitalFhirFeed
{
    public const string SourceName = "hospital_fhir";

    private const string RepresentationUrl = "http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static readonly (string Slug, string Name)[] Hospitals =
    [
        ("shiritsu_kodomo", "市立こども医療センター"),
        ("chuo_sogo", "中央総合病院"),
        ("kenritsu_shoni", "県立小児医療センター"),
        ("minami_byoin", "南病院"),
        ("kita_medical", "北メディカルセンター"),
        ("daini_shimin", "第二市民病院"),
    ];

    private static readonly string[] OrdinaryReasons = ["上気道炎", "急性胃腸炎", "発熱", "気管支炎", "中耳炎", "アトピー性皮膚炎", "便秘症", "アレルギー性鼻炎"];
    private static readonly string[] ChronicReasons = ["気管支喘息", "1型糖尿病", "ネフローゼ症候群", "てんかん", "若年性特発性関節炎"];
    private static readonly string[] DevelopmentalReasons = ["発達相談", "言語発達遅滞", "自閉スペクトラム症 経過観察", "注意欠如・多動症 経過観察", "作業療法"];
    private static readonly string[] AccidentReasons = ["転倒による頭部打撲", "前腕骨折（転倒）", "捻挫（スポーツ）", "熱性けいれん", "異物誤飲", "切創"];
    private static readonly string[] InjuryReasons = ["頭部打撲", "多発皮下出血", "熱傷", "上腕骨骨折", "肋骨骨折", "顔面打撲"];
    private static readonly string[] NeglectedIllnessReasons = ["喘息発作（治療中断）", "脱水症", "重症う蝕による顔面腫脹", "発熱（受診遅れ）", "低栄養"];

    /// <summary>The routine schedule by age in months, as given at a hospital's vaccination clinic.</summary>
    private static readonly (int Months, string[] Vaccines)[] Schedule =
    [
        (2, ["Hib", "小児用肺炎球菌", "B型肝炎", "ロタウイルス"]),
        (3, ["五種混合", "Hib", "小児用肺炎球菌", "B型肝炎"]),
        (4, ["五種混合", "Hib", "小児用肺炎球菌"]),
        (5, ["BCG"]),
        (8, ["B型肝炎"]),
        (12, ["MR", "水痘", "Hib", "小児用肺炎球菌"]),
        (18, ["五種混合", "水痘"]),
        (36, ["日本脳炎"]),
    ];

    /// <summary>Writes every bundle and its truth records; adds the feed's row count to <paramref name="rows"/>.</summary>
    public static void Write(World world, Func<string, Stream> openWrite, TruthRecords truth, Dictionary<string, int> rows)
    {
        var hospitalCount = Math.Clamp((world.Persons.Count / 40_000) + 2, 2, Hospitals.Length);
        var rng = new Random(Rand.Derive(world.Seed, 700));
        var firstMonth = new DateOnly(world.AsOf.Year, world.AsOf.Month, 1).AddMonths(-11);
        var contacts = new List<Contact>();
        foreach (var p in world.Persons)
        {
            if (p.Child is not null && p.Birth < world.AsOf)
            {
                Draw(world, rng, p, hospitalCount, firstMonth, contacts);
            }
        }

        contacts.Sort((a, b) =>
        {
            var c = a.At.CompareTo(b.At);
            return c != 0 ? c : a.Seq.CompareTo(b.Seq);
        });

        var total = 0;
        for (var h = 0; h < hospitalCount; h++)
        {
            var numbers = new Dictionary<Person, string>();
            var noise = new Noise(world, (Source)(100 + h), new Random(Rand.Derive(world.Seed, 710 + h)));
            var ofHospital = contacts.Where(c => c.Hospital == h).ToList();
            var nextNumber = 10_000 + rng.Next(90_000);
            foreach (var c in ofHospital)
            {
                if (!numbers.ContainsKey(c.Person))
                {
                    // The hospital numbers a patient at the first visit and keeps the number.
                    numbers[c.Person] = (nextNumber += 1 + rng.Next(40)).ToString("00000000", Inv);
                }
            }

            for (var m = 0; m < 12; m++)
            {
                var month = firstMonth.AddMonths(m);
                var inMonth = ofHospital.Where(c => c.At.Year == month.Year && c.At.Month == month.Month).ToList();
                if (inMonth.Count > 0)
                {
                    total += WriteBundle(world, openWrite, truth, h, month, inMonth, numbers, noise);
                }
            }
        }

        rows[SourceName] = total;
    }

    /// <summary>The child's hospital contacts over the 12 months, by the hidden states and ordinary chance.</summary>
    private static void Draw(World world, Random rng, Person p, int hospitalCount, DateOnly firstMonth, List<Contact> contacts)
    {
        var t = p.Child!;
        var from = new[] { firstMonth, p.Birth, p.Since }.Max();
        if (from >= world.AsOf)
        {
            return;
        }

        // Siblings go to the same hospital; an emergency may land anywhere.
        var home = (int)(Rand.Unit(world.Seed, p.Household.Index, 301, 0) * hospitalCount);
        var age = p.AgeOn(world.AsOf);
        var years = (world.AsOf.DayNumber - from.DayNumber) / 365.25;

        void Visits(double perYear, bool emergency, string type, string[] reasons)
        {
            for (var k = rng.Poisson(perYear * years); k > 0; k--)
            {
                var date = from.AddDays(rng.Next(world.AsOf.DayNumber - from.DayNumber + 1));
                var hospital = emergency && rng.Chance(0.3) ? rng.Next(hospitalCount) : home;
                var hour = emergency ? (rng.Chance(0.6) ? 18 + rng.Next(6) : rng.Next(24)) : 9 + rng.Next(8);
                var at = date.ToDateTime(new TimeOnly(hour, rng.Next(12) * 5));
                contacts.Add(new Contact(p, hospital, at, emergency ? "EMER" : "AMB", type, rng.Pick(reasons), null, contacts.Count));
            }
        }

        if (rng.Chance(age < 3 ? 0.30 : 0.15))
        {
            Visits(age < 3 ? 3.0 : age < 7 ? 1.5 : 0.8, false, "小児科外来", OrdinaryReasons);
        }

        if (t.Developmental && rng.Chance(0.7))
        {
            Visits(6.0, false, "発達外来", DevelopmentalReasons);
        }

        if (t.ChronicIllness && rng.Chance(0.85))
        {
            Visits(8.0, false, "小児科外来", [rng.Pick(ChronicReasons)]);
        }

        Visits(age >= 10 ? 0.09 : 0.06, true, "救急外来", AccidentReasons);
        if (t.AbuseNeglect)
        {
            Visits(0.9, true, "救急外来", InjuryReasons);
        }

        if (t.HealthNeglect || (t.Poverty && rng.Chance(0.2)))
        {
            Visits(t.HealthNeglect ? 0.8 : 0.3, true, "救急外来", NeglectedIllnessReasons);
        }

        // Vaccinations at the hospital's clinic for some infants; a neglected child misses most doses.
        if (age < 4 && Rand.Unit(world.Seed, p.Household.Index, 302, 0) < 0.25)
        {
            var given = t.HealthNeglect ? 0.5 : 0.95;
            foreach (var (months, vaccines) in Schedule)
            {
                var date = p.Birth.AddMonths(months).AddDays(rng.Next(30));
                if (date < from || date > world.AsOf || !rng.Chance(given))
                {
                    continue;
                }

                var at = date.ToDateTime(new TimeOnly(14, 0));
                foreach (var vaccine in vaccines)
                {
                    contacts.Add(new Contact(p, home, at, null, null, null, vaccine, contacts.Count));
                }
            }
        }
    }

    private static int WriteBundle(World world, Func<string, Stream> openWrite, TruthRecords truth, int h, DateOnly month, List<Contact> inMonth, Dictionary<Person, string> numbers, Noise noise)
    {
        var (slug, name) = Hospitals[h];
        var tag = month.ToString("yyyyMM", Inv);
        var file = $"{SourceName}/{slug}_{tag}.json";
        var institution = string.Create(Inv, $"11{h + 1:0}0{Math.Abs(world.Seed % 100_000):000000}");
        var bundle = new Bundle
        {
            Id = $"{slug}-{tag}",
            Type = Bundle.BundleType.Collection,
            Timestamp = new DateTimeOffset(month.AddMonths(1).AddDays(-1).ToDateTime(new TimeOnly(23, 59, 59)), TimeSpan.FromHours(9)),
        };
        var organizationUrl = Uuid(world.Seed, h, 0, 0);
        bundle.Entry.Add(new Bundle.EntryComponent
        {
            FullUrl = organizationUrl,
            Resource = new Organization
            {
                Id = "org-" + slug,
                Identifier = [new Identifier("http://jpfhir.jp/fhir/core/IdSystem/insurance-medical-institution-no", institution)],
                Name = name,
            },
        });

        var line = 1;
        var rows = 0;
        var seq = 0;
        foreach (var group in inMonth.GroupBy(c => c.Person).OrderBy(g => numbers[g.Key], StringComparer.Ordinal))
        {
            var p = group.Key;
            var number = numbers[p];
            var patientUrl = Uuid(world.Seed, h, 1, p.Index);
            bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = patientUrl, Resource = PatientResource(world, p, number, institution, noise) });
            truth.Add(SourceName, file, ++line, p);
            rows++;
            foreach (var c in group)
            {
                seq++;
                Resource resource = c.Vaccine is { } vaccine
                    ? new Immunization
                    {
                        Id = string.Create(Inv, $"imm-{tag}-{seq:00000}"),
                        Status = Immunization.ImmunizationStatusCodes.Completed,
                        VaccineCode = new CodeableConcept { Text = vaccine },
                        Patient = new ResourceReference("Patient/pt-" + number),
                        Occurrence = new FhirDateTime(DateOnly.FromDateTime(c.At).ToString("yyyy-MM-dd", Inv)),
                    }
                    : new Encounter
                    {
                        Id = string.Create(Inv, $"enc-{tag}-{seq:00000}"),
                        Status = Encounter.EncounterStatus.Finished,
                        Class = new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", c.Class, c.Class == "EMER" ? "emergency" : "ambulatory"),
                        Type = [new CodeableConcept { Text = c.Type }],
                        ReasonCode = [new CodeableConcept { Text = c.Reason }],
                        Subject = new ResourceReference(patientUrl),
                        Period = new Period { Start = c.At.ToString("yyyy-MM-dd'T'HH:mm:ss'+09:00'", Inv) },
                        ServiceProvider = new ResourceReference(organizationUrl),
                    };
                bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = Uuid(world.Seed, (h * 10_000) + (month.Year % 100 * 100) + month.Month, 2, seq), Resource = resource });
                truth.Add(SourceName, file, ++line, p);
                rows++;
            }
        }

        var json = bundle.ToJson(pretty: true);
        using var output = openWrite("feeds/" + file);
        var bytes = new UTF8Encoding(false).GetBytes(json.ReplaceLineEndings("\n") + "\n");
        output.Write(bytes);
        return rows;
    }

    private static Patient PatientResource(World world, Person p, string number, string institution, Noise noise)
    {
        var household = p.Household;
        var patient = new Patient
        {
            Id = "pt-" + number,
            Meta = new Meta { Profile = ["http://jpfhir.jp/fhir/core/StructureDefinition/JP_Patient"] },
            Identifier = [new Identifier("urn:oid:1.2.392.100495.20.3.51.1" + institution, number)],
            Name = noise.SwapsOrder(p, world.Noise.SwappedOrderRate)
                ? [Name("IDE", p.Given, noise.Family(p, allowOld: true)), Name("SYL", p.GivenKana, noise.FamilyKana(p, allowOld: true))]
                : [Name("IDE", noise.Family(p, allowOld: true), p.Given), Name("SYL", noise.FamilyKana(p, allowOld: true), p.GivenKana)],
            Gender = p.Male ? AdministrativeGender.Male : AdministrativeGender.Female,
            BirthDate = noise.Birth(p).ToString("yyyy-MM-dd", Inv),
            Address =
            [
                new Address
                {
                    Use = Address.AddressUse.Home,
                    // The text is the address as the registry writes it (町丁目 onwards); the city is a separate part.
                    Text = household.Address,
                    City = world.Options.City,
                    PostalCode = household.Town.PostalCode[..3] + "-" + household.Town.PostalCode[3..],
                    Country = "JP",
                },
            ],
        };

        if (Rand.Unit(world.Seed, household.Index, 303, 0) < 0.7)
        {
            var u = Rand.Unit(world.Seed, household.Index, 303, 1);
            patient.Telecom = [new ContactPoint(ContactPoint.ContactPointSystem.Phone, ContactPoint.ContactPointUse.Home, string.Create(Inv, $"048-{400 + (int)(u * 500)}-{(int)(u * 1e8) % 10_000:0000}"))];
        }

        return patient;
    }

    private static HumanName Name(string representation, string family, string given) => new()
    {
        Extension = [new Extension(RepresentationUrl, new Code(representation))],
        Use = HumanName.NameUse.Official,
        Family = family,
        Given = [given],
    };

    /// <summary>A version-4 UUID derived from the seed and three numbers: stable across runs, distinct across resources.</summary>
    private static string Uuid(int seed, int a, int b, int c)
    {
        Span<byte> bytes = stackalloc byte[16];
        var hi = (ulong)(Rand.Unit(seed, a, 800 + b, c) * (1UL << 53));
        var lo = (ulong)(Rand.Unit(seed, a, 900 + b, c) * (1UL << 53));
        BitConverter.TryWriteBytes(bytes[..8], hi << 11);
        BitConverter.TryWriteBytes(bytes[8..], lo << 11);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return "urn:uuid:" + new Guid(bytes, bigEndian: true).ToString();
    }

    /// <summary>One visit (Class set) or one vaccine dose (Vaccine set).</summary>
    private sealed record Contact(Person Person, int Hospital, DateTime At, string? Class, string? Type, string? Reason, string? Vaccine, int Seq);
}
