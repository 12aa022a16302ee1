namespace Mimamori.Synthetic;

/// <summary>Household make-up, which drives ages, relations, income and the hidden states.</summary>
internal enum HouseholdKind
{
    Single,
    CoupleOnly,
    ElderlyCouple,
    CoupleWithChildren,
    SingleParent,
    ThreeGeneration,
    CoupleWithAdultChildren,
    ParentWithAdultChild,
    Other,
}

/// <summary>Relation codes of the legacy 住民記録 export (続柄), relative to the head of household.</summary>
internal static class Relation
{
    public const string Head = "01";
    public const string Spouse = "02";
    public const string Child = "03";
    public const string Parent = "04";
    public const string Grandchild = "05";
    public const string Sibling = "06";
    public const string ChildInLaw = "07";
    public const string ParentInLaw = "08";
    public const string Other = "99";
}

/// <summary>A 町丁目 (real or generated) and the elementary-school district it belongs to.</summary>
internal sealed class Town
{
    public required string Name { get; init; }
    public required string Kana { get; init; }
    public required string PostalCode { get; init; }
    public required bool IsOaza { get; init; }
    public required bool Generated { get; init; }
    public int District { get; set; }
    public List<Building> Buildings { get; } = [];
}

/// <summary>An apartment building: households in it share the 番地-号 and differ by room.</summary>
internal sealed class Building(string name, string number, int floors, int roomsPerFloor)
{
    public string Name { get; } = name;
    public string Number { get; } = number;
    public int Floors { get; } = floors;
    public int RoomsPerFloor { get; } = roomsPerFloor;
    public int Occupied { get; set; }
    public bool Full => Occupied >= Floors * RoomsPerFloor;
}

/// <summary>A municipal school.</summary>
internal sealed class School(int index, string name, bool junior)
{
    public int Index { get; } = index;
    public string Name { get; } = name;
    public bool Junior { get; } = junior;
    public List<Person> Pupils { get; } = [];

    /// <summary>How the school's 校務 system writes ふりがな: 0 no space, 1 half-width space, 2 full-width space.</summary>
    public int KanaSpaceStyle { get; set; }
    public int DayOffset { get; set; }
}

/// <summary>A registered household.</summary>
internal sealed class Household
{
    public required int Index { get; init; }
    public string Id => $"H{Index + 1:000000}";
    public required HouseholdKind Kind { get; init; }
    public required Town Town { get; init; }
    public required string Address { get; set; }
    public required DateOnly MoveIn { get; init; }
    public bool Foreign { get; init; }
    public long Number { get; set; }
    public List<Person> Members { get; } = [];

    public bool Poor { get; set; }
    public bool LowIncome { get; set; }
    public double Stress { get; set; }
    public bool Welfare { get; set; }
    public DateOnly WelfareSince { get; set; }

    public bool ShugakuEligible { get; set; }
    public bool ShugakuClaims { get; set; }
    public bool FuyoEligible { get; set; }
    public bool FuyoClaims { get; set; }
    public DateOnly FuyoSince { get; set; }

    /// <summary>The rest of the program catalog: who would apply, drawn apart, and what the department exports show.</summary>
    public CatalogTruth Catalog { get; } = new();

    /// <summary>A move within the city during the history window: the address before it, and when.</summary>
    public string? PreviousAddress { get; set; }
    public DateOnly MovedWithin { get; set; }

    /// <summary>Exactly one member aged 18 or over and at least one under 18: the "one-adult household" of the poverty statistics.</summary>
    public bool OneAdultWithChildren { get; set; }
    public bool HasChildren { get; set; }
}

/// <summary>A resident, with the truth about them.</summary>
internal sealed class Person
{
    public required int Index { get; init; }
    public string Id => $"P{Index + 1:0000000}";
    public required Household Household { get; init; }
    public required string Family { get; set; }
    public required string FamilyKana { get; set; }
    public required string Given { get; set; }
    public required string GivenKana { get; set; }
    public required DateOnly Birth { get; init; }
    public required bool Male { get; init; }
    public required string Relation { get; init; }
    public required DateOnly Since { get; init; }
    public bool Foreign { get; init; }

    /// <summary>Romaji names of foreign residents are written in katakana by systems other than the registry.</summary>
    public bool RomajiName { get; init; }

    /// <summary>The surname before the latest change (marriage, divorce), when it changed recently.</summary>
    public string? PreviousFamily { get; set; }
    public string? PreviousFamilyKana { get; set; }

    public long Atena { get; set; }
    public string AtenaText => Atena.ToString("0000000000", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>0 = no 個人住民税 record; otherwise the income band 1..5.</summary>
    public int IncomeBand { get; set; }
    public bool Hikazei { get; set; }

    public ChildTruth? Child { get; set; }

    /// <summary>Resident, or why this person is known to some system without being in the registry snapshot.</summary>
    public Residency Residency { get; set; }

    /// <summary>When a former resident moved out or died.</summary>
    public DateOnly Left { get; set; }

    /// <summary>For a resident who lived here before: the 宛名番号 of the earlier stay (a returning resident gets a new one).</summary>
    public long OldAtena { get; set; }
    public DateOnly OldSince { get; set; }
    public DateOnly OldLeft { get; set; }
    public string OldAddress { get; set; } = string.Empty;

    /// <summary>A number issued by the education board to a pupil not registered here (住登外).</summary>
    public string NonResidentNo { get; set; } = string.Empty;

    public int AgeOn(DateOnly date)
    {
        var age = date.Year - Birth.Year;
        if (date.Month < Birth.Month || (date.Month == Birth.Month && date.Day < Birth.Day))
        {
            age--;
        }

        return age;
    }
}

/// <summary>Whether a person is in the registry snapshot, and if not, why some system still knows them.</summary>
internal enum Residency
{
    Resident,
    MovedOut,
    Died,

    /// <summary>Lives in another municipality and attends a school here (区域外就学, 住登外).</summary>
    NonResidentPupil,
}

/// <summary>Hidden states and outcomes of a child (under 18 at the reference date).</summary>
internal sealed class ChildTruth
{
    public bool Poverty { get; set; }
    public bool AbuseNeglect { get; set; }
    public bool Futoko { get; set; }
    public bool YoungCarer { get; set; }
    public bool Developmental { get; set; }
    public bool PostnatalDepression { get; set; }
    public bool HealthNeglect { get; set; }

    /// <summary>Not yet 不登校 but drifting towards it: absences rise in the last months.</summary>
    public bool Emerging { get; set; }

    /// <summary>A long illness: many absences that are not 不登校 (noise a model must not take for it).</summary>
    public bool ChronicIllness { get; set; }

    public bool YotaikyoWithin12m { get; set; }
    public bool FutokoNextYear { get; set; }

    /// <summary>School grade 1..9 (小1..中3) in the school year of the reference date; 0 when not of school age.</summary>
    public int Grade { get; set; }
    public School? School { get; set; }
    public string StudentNo { get; set; } = string.Empty;
}

/// <summary>
/// The programs of the catalog beyond 就学援助 and 児童扶養手当. The "wants" are drawn by the truth model from a random
/// stream of their own (per household), so that adding them leaves every earlier draw, and the feeds built from those
/// draws, as they were; the feed writers fill in what each department's export shows, and the truth files combine both.
/// </summary>
internal sealed class CatalogTruth
{
    /// <summary>ひとり親家庭等医療費助成: the card is taken at the 児童扶養手当 counter, so only by households that claim the allowance.</summary>
    public bool HitorioyaIryoClaims { get; set; }

    /// <summary>子ども医療費助成: the card is asked for at birth or moving in.</summary>
    public bool KodomoIryoWanted { get; set; }

    /// <summary>特別児童扶養手当 is applied for by a family with a qualifying child.</summary>
    public bool TokujiWanted { get; set; }

    /// <summary>A child with a developmental need qualifies by a doctor's report without holding a 手帳.</summary>
    public bool TokujiByReport { get; set; }

    public bool GakushuWanted { get; set; }
    public bool PantryWanted { get; set; }
    public bool HomeVisitWanted { get; set; }
    public bool SangoCareWanted { get; set; }

    // What the exports show (set by the feed writers, without drawing).

    /// <summary>A 児童手当 group of this household is paid by the parent's employer (公務員), not by the city.</summary>
    public bool TeateFromEmployer { get; set; }
    public bool TeateListed { get; set; }
    public bool KodomoIryoListed { get; set; }
    public bool HitorioyaIryoListed { get; set; }

    /// <summary>A child of the household holds a 療育手帳 or a 身体障害者手帳 of grade 1–3.</summary>
    public bool TokujiCertificate { get; set; }
    public bool TokujiListed { get; set; }
    public bool TsushoListed { get; set; }

    /// <summary>A child in 保育 under the 3号 certificate (0–2 years old, care needed), and the fee reduction shown for the household.</summary>
    public bool Hoiku3 { get; set; }
    public string HoikuReduction { get; set; } = string.Empty;

    public bool ShokudoListed { get; set; }
    public bool GakushuListed { get; set; }
    public bool PantryListed { get; set; }
    public bool HomeVisitListed { get; set; }
    public bool SangoCareListed { get; set; }
}
