namespace Mimamori.Needs.Validation;

/// <summary>A child on the list at the reference date: flagged for a difficulty with a band.</summary>
public sealed record ListFlag(long PersonId, string Difficulty, string Band);

/// <summary>A dated fact that may confirm a need (a 要対協 registration, a 児相 case, a month of absences).</summary>
public sealed record OutcomeFact(long PersonId, string Kind, DateOnly Date, string? Text, double? Number);

/// <summary>A need confirmed by a person or an agency on a date: the difficulty it confirms and how it was confirmed.</summary>
public sealed record ConfirmedNeed(long PersonId, string Difficulty, string How, DateOnly Date);

/// <summary>
/// The list's validity for one difficulty (or <see cref="ListValidity.Any"/>): of the children flagged at the
/// reference date, how many had a need confirmed afterwards (precision); of those confirmed afterwards, how many were
/// on the list beforehand (recall), and how many months before the confirmation (lead time).
/// </summary>
/// <param name="Children">Children assessed at the reference date whose need was not already confirmed by then.</param>
/// <param name="AlreadyKnown">Children left out because their need was confirmed on or before the reference date.</param>
/// <param name="Flagged">Of <paramref name="Children"/>, those flagged (band high or medium).</param>
/// <param name="Confirmed">Of <paramref name="Children"/>, those confirmed in the window after the reference date.</param>
/// <param name="FlaggedConfirmed">Flagged and confirmed afterwards.</param>
/// <param name="LeadMonths">For each flagged child confirmed afterwards, whole months from the reference date to the first confirmation.</param>
public sealed record ValidityFigures(string Difficulty, int Children, int AlreadyKnown, int Flagged, int Confirmed, int FlaggedConfirmed, IReadOnlyList<int> LeadMonths)
{
    /// <summary>Flagged and confirmed over flagged; NaN with nobody flagged.</summary>
    public double Precision => Flagged == 0 ? double.NaN : (double)FlaggedConfirmed / Flagged;

    /// <summary>Flagged and confirmed over confirmed; NaN with nobody confirmed.</summary>
    public double Recall => Confirmed == 0 ? double.NaN : (double)FlaggedConfirmed / Confirmed;

    /// <summary>Median of <see cref="LeadMonths"/>; NaN when empty.</summary>
    public double MedianLeadMonths => ListValidity.Median(LeadMonths);

    /// <summary>Precision, or null when it rests on a count small enough to identify a child.</summary>
    public double? PrecisionShown => ListValidity.IsSuppressed(Flagged) || ListValidity.IsSuppressed(FlaggedConfirmed) || Flagged == 0 ? null : Precision;

    /// <summary>Recall, or null when it rests on a count small enough to identify a child.</summary>
    public double? RecallShown => ListValidity.IsSuppressed(Confirmed) || ListValidity.IsSuppressed(FlaggedConfirmed) || Confirmed == 0 ? null : Recall;

    /// <summary>Median lead time, or null with fewer than <see cref="ListValidity.MinimumCount"/> children behind it.</summary>
    public double? MedianLeadMonthsShown => LeadMonths.Count < ListValidity.MinimumCount ? null : MedianLeadMonths;
}

/// <summary>The validity of the list for one past period, per difficulty, with the difficulties no confirmation can measure.</summary>
/// <param name="ReferenceDate">The date the list is taken at.</param>
/// <param name="End">The end of the observation window (confirmations in (ReferenceDate, End] count).</param>
/// <param name="Rows"><see cref="ListValidity.Any"/> first (flags for measured difficulties against any confirmation), then each measured difficulty.</param>
/// <param name="Unmeasured">Flagged difficulties with no kind of confirmation in the data (their precision is unknown, not zero).</param>
public sealed record ListValidityReport(DateOnly ReferenceDate, DateOnly End, IReadOnlyList<ValidityFigures> Rows, IReadOnlyList<string> Unmeasured);

/// <summary>
/// 福岡市's question — is the list valid? — as a pure computation: the list at a past reference date against the needs
/// confirmed afterwards. A need counts as confirmed by a 要対協 registration (要保護・要支援児童) or a 児童相談所 abuse case
/// (abuse and neglect), or by 30 days' absence within a school year (不登校, MEXT's definition). Children whose need was
/// confirmed on or before the reference date were already known, so they are left out rather than counted as hits.
/// </summary>
public static class ListValidity
{
    /// <summary>The row for "any difficulty" against "any confirmed need".</summary>
    public const string Any = "any";

    /// <summary>Counts from 1 to this minus one are not shown (a small cell can identify a child).</summary>
    public const int MinimumCount = 5;

    /// <summary>Days absent within a school year that make 不登校 (MEXT).</summary>
    public const double FutokoDays = 30;

    /// <summary>The bands that put a child on the list (the worklist asks staff to look at these).</summary>
    public static IReadOnlySet<string> FlagBands { get; } = new HashSet<string>(StringComparer.Ordinal) { "high", "medium" };

    /// <summary>
    /// The difficulties a confirmation in the data can measure. The row for any difficulty counts only flags for these:
    /// a child flagged for poverty alone can never be "confirmed" here, and counting them would make the list look
    /// worse for a reason that is the data's, not the list's.
    /// </summary>
    public static IReadOnlyList<string> MeasuredDifficulties { get; } = ["abuse_neglect", "futoko"];

    /// <summary>The fact kinds <see cref="Confirmations"/> reads.</summary>
    public static IReadOnlyList<string> OutcomeKinds { get; } = ["cw.yotaikyo_kind", "cw.jisou_consultation", "school.absence_days"];

    /// <summary>True for a count that must not be shown (1 to <see cref="MinimumCount"/> − 1).</summary>
    public static bool IsSuppressed(int count) => count is > 0 and < MinimumCount;

    /// <summary>
    /// Confirmed needs from dated facts: each 要対協 registration of a child (not of an expectant mother) and each 児相
    /// abuse case confirms abuse_neglect on its date; 不登校 is confirmed on the date of the month in which a school
    /// year's (April–March) absences reach <see cref="FutokoDays"/>.
    /// </summary>
    public static IReadOnlyList<ConfirmedNeed> Confirmations(IEnumerable<OutcomeFact> facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var result = new List<ConfirmedNeed>();
        var absences = new List<OutcomeFact>();
        foreach (var f in facts)
        {
            switch (f.Kind)
            {
                case "cw.yotaikyo_kind" when f.Text is "protection" or "support":
                    result.Add(new ConfirmedNeed(f.PersonId, "abuse_neglect", "yotaikyo", f.Date));
                    break;
                case "cw.jisou_consultation" when f.Text == "abuse":
                    result.Add(new ConfirmedNeed(f.PersonId, "abuse_neglect", "jisou", f.Date));
                    break;
                case "school.absence_days" when f.Number is > 0:
                    absences.Add(f);
                    break;
            }
        }

        foreach (var year in absences.GroupBy(f => (f.PersonId, Year: SchoolYear(f.Date))))
        {
            double total = 0;
            foreach (var month in year.OrderBy(f => f.Date))
            {
                total += month.Number!.Value;
                if (total >= FutokoDays)
                {
                    result.Add(new ConfirmedNeed(year.Key.PersonId, "futoko", "absence_30", month.Date));
                    break;
                }
            }
        }

        return result.OrderBy(c => c.Date).ThenBy(c => c.PersonId).ToList();
    }

    /// <summary>
    /// The figures for the list taken at <paramref name="referenceDate"/> against confirmations in
    /// (<paramref name="referenceDate"/>, <paramref name="end"/>].
    /// </summary>
    /// <param name="children">Every child assessed at the reference date (flagged or not).</param>
    /// <param name="flags">The assessments at the reference date; only bands in <see cref="FlagBands"/> put a child on the list.</param>
    /// <param name="confirmed">Every confirmation known, before and after the reference date.</param>
    public static ListValidityReport Compute(IReadOnlyCollection<long> children, IEnumerable<ListFlag> flags, IEnumerable<ConfirmedNeed> confirmed, DateOnly referenceDate, DateOnly end)
    {
        ArgumentNullException.ThrowIfNull(children);
        ArgumentNullException.ThrowIfNull(flags);
        ArgumentNullException.ThrowIfNull(confirmed);
        if (end <= referenceDate)
        {
            throw new ArgumentException($"The window must end after the reference date ({referenceDate:yyyy-MM-dd}); it ends {end:yyyy-MM-dd}.", nameof(end));
        }

        var population = children.ToHashSet();
        var onList = flags.Where(f => population.Contains(f.PersonId) && FlagBands.Contains(f.Band)).ToList();
        var confirmations = confirmed.Where(c => population.Contains(c.PersonId) && c.Date <= end).ToList();

        var measured = MeasuredDifficulties.Union(confirmations.Select(c => c.Difficulty), StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var rows = new List<ValidityFigures> { Figures(Any, population, onList.Where(f => measured.Contains(f.Difficulty, StringComparer.Ordinal)).Select(f => f.PersonId), confirmations, referenceDate) };
        rows.AddRange(measured.Select(d => Figures(d, population, onList.Where(f => f.Difficulty == d).Select(f => f.PersonId), confirmations.Where(c => c.Difficulty == d), referenceDate)));
        var unmeasured = onList.Select(f => f.Difficulty).Distinct(StringComparer.Ordinal).Where(d => !measured.Contains(d, StringComparer.Ordinal)).Order(StringComparer.Ordinal).ToList();
        return new ListValidityReport(referenceDate, end, rows, unmeasured);
    }

    /// <summary>Whole months from one date to a later one (a month is complete on the same day of the month).</summary>
    public static int MonthsBetween(DateOnly from, DateOnly to)
    {
        var months = ((to.Year - from.Year) * 12) + to.Month - from.Month;
        return to.Day < from.Day ? months - 1 : months;
    }

    /// <summary>The median of whole numbers; NaN for none.</summary>
    public static double Median(IReadOnlyList<int> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToList();
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
    }

    private static ValidityFigures Figures(string difficulty, HashSet<long> population, IEnumerable<long> flagged, IEnumerable<ConfirmedNeed> confirmations, DateOnly referenceDate)
    {
        var known = new HashSet<long>();
        var firstAfter = new Dictionary<long, DateOnly>();
        foreach (var c in confirmations)
        {
            if (c.Date <= referenceDate)
            {
                known.Add(c.PersonId);
            }
            else if (!firstAfter.TryGetValue(c.PersonId, out var first) || c.Date < first)
            {
                firstAfter[c.PersonId] = c.Date;
            }
        }

        var flaggedSet = flagged.Where(p => !known.Contains(p)).ToHashSet();
        var confirmedSet = firstAfter.Keys.Where(p => !known.Contains(p)).ToHashSet();
        var hits = flaggedSet.Where(confirmedSet.Contains).ToList();
        var lead = hits.Select(p => MonthsBetween(referenceDate, firstAfter[p])).Order().ToList();
        return new ValidityFigures(difficulty, population.Count - known.Count, known.Count, flaggedSet.Count, confirmedSet.Count, hits.Count, lead);
    }

    private static int SchoolYear(DateOnly date) => date.Month >= 4 ? date.Year : date.Year - 1;
}
