namespace Mimamori.Kernel.Dates;

/// <summary>
/// The Japanese school year (学年度, April to March) and school grades. Children born from 2 April to 1 April of the
/// next year form one cohort (早生まれ belong to the year before), and enter 小学校1年 in the April after they turn 6.
/// </summary>
public static class SchoolYear
{
    /// <summary>The calendar year in which the school year containing <paramref name="date"/> began.</summary>
    public static int Of(DateOnly date) => date.Month >= 4 ? date.Year : date.Year - 1;

    /// <summary>
    /// The grade at <paramref name="date"/>: 1–6 小学校, 7–9 中学校, 10–12 高校 age; 0 or less before school; counted by
    /// age cohort, whether or not the child actually attends.
    /// </summary>
    public static int Grade(DateOnly birth, DateOnly date)
    {
        // Born 1 January to 1 April: the cohort of the previous year.
        var cohort = birth < new DateOnly(birth.Year, 4, 2) ? birth.Year - 1 : birth.Year;
        return Of(date) - cohort - 6;
    }
}
