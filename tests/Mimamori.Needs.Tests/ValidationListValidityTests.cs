using Mimamori.Needs.Validation;

namespace Mimamori.Needs.Tests;

/// <summary>The list's validity on a small case computed by hand.</summary>
public sealed class ValidationListValidityTests
{
    private static readonly DateOnly Reference = new(2025, 3, 31);
    private static readonly DateOnly End = new(2026, 3, 31);

    private static OutcomeFact Fact(long person, string kind, string date, string? text = null, double? number = null) =>
        new(person, kind, DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture), text, number);

    private static ListValidityReport HandCase()
    {
        var facts = new[]
        {
            Fact(1, "cw.yotaikyo_kind", "2025-06-15", "support"),       // flagged, confirmed 2 whole months later
            Fact(1, "cw.jisou_consultation", "2025-09-01", "abuse"),    // a later confirmation of the same child: the first counts
            Fact(3, "cw.yotaikyo_kind", "2025-05-01", "protection"),    // band low: not on the list, missed
            Fact(7, "cw.yotaikyo_kind", "2024-06-01", "support"),       // registered before the reference date: already known
            Fact(8, "cw.jisou_consultation", "2025-12-01", "abuse"),    // never flagged: missed
            Fact(8, "cw.jisou_consultation", "2025-01-01", "disability"), // not an abuse case: no confirmation
            Fact(10, "cw.yotaikyo_kind", "2026-05-01", "support"),      // after the window
            Fact(6, "cw.yotaikyo_kind", "2025-07-01", "specified_expectant_mother"), // about a mother, not a child's need
            Fact(4, "school.absence_days", "2025-04-30", number: 10),
            Fact(4, "school.absence_days", "2025-05-31", number: 12),
            Fact(4, "school.absence_days", "2025-06-30", number: 9),    // 31 days in 令和7年度: 不登校 from 2025-06-30
            Fact(5, "school.absence_days", "2024-10-31", number: 20),
            Fact(5, "school.absence_days", "2024-11-30", number: 15),   // 35 days in 令和6年度: already known
            Fact(5, "school.absence_days", "2025-04-30", number: 5),    // a new school year starts from zero
            Fact(9, "school.absence_days", "2025-03-31", number: 20),
            Fact(9, "school.absence_days", "2025-04-30", number: 20),   // 20 + 20 across two school years: not 不登校
        };
        var flags = new[]
        {
            new ListFlag(1, "abuse_neglect", "high"),
            new ListFlag(2, "abuse_neglect", "medium"),
            new ListFlag(3, "abuse_neglect", "low"),
            new ListFlag(4, "futoko", "high"),
            new ListFlag(5, "futoko", "medium"),
            new ListFlag(6, "poverty", "high"),
            new ListFlag(7, "abuse_neglect", "high"),
            new ListFlag(99, "abuse_neglect", "high"), // not among the children assessed
        };
        var children = Enumerable.Range(1, 12).Select(i => (long)i).ToList();
        return ListValidity.Compute(children, flags, ListValidity.Confirmations(facts), Reference, End);
    }

    [Fact]
    public void Confirmations_FromRegistrationsCasesAndAbsences()
    {
        var facts = new[]
        {
            Fact(4, "school.absence_days", "2025-04-30", number: 10),
            Fact(4, "school.absence_days", "2025-06-30", number: 9),
            Fact(4, "school.absence_days", "2025-05-31", number: 12),
            Fact(1, "cw.yotaikyo_kind", "2025-06-15", "support"),
        };
        var confirmed = ListValidity.Confirmations(facts);
        Assert.Equal(
            [new ConfirmedNeed(1, "abuse_neglect", "yotaikyo", new DateOnly(2025, 6, 15)), new ConfirmedNeed(4, "futoko", "absence_30", new DateOnly(2025, 6, 30))],
            confirmed);
    }

    [Fact]
    public void Compute_HandCase_AnyDifficulty()
    {
        var any = HandCase().Rows[0];
        // Known before: 7 (要対協 2024) and 5 (不登校 令和6年度) → 10 children. On the list for a measured difficulty: 1, 2, 4
        // (6 is flagged for poverty only, which no confirmation can measure). Confirmed afterwards: 1 (06-15), 3 (05-01),
        // 4 (06-30), 8 (12-01). Hits: 1 and 4, both 2 whole months later.
        Assert.Equal(ListValidity.Any, any.Difficulty);
        Assert.Equal((10, 2, 3, 4, 2), (any.Children, any.AlreadyKnown, any.Flagged, any.Confirmed, any.FlaggedConfirmed));
        Assert.Equal(2 / 3.0, any.Precision, 10);
        Assert.Equal(0.5, any.Recall);
        Assert.Equal([2, 2], any.LeadMonths);
        Assert.Equal(2, any.MedianLeadMonths);
    }

    [Fact]
    public void Compute_HandCase_ByDifficulty_AndSmallCountsSuppressed()
    {
        var report = HandCase();
        Assert.Equal([ListValidity.Any, "abuse_neglect", "futoko"], report.Rows.Select(r => r.Difficulty));
        Assert.Equal(["poverty"], report.Unmeasured);

        var abuse = report.Rows[1];
        // Known: 7. On the list: 1, 2. Confirmed afterwards: 1, 3, 8. Hit: 1.
        Assert.Equal((11, 1, 2, 3, 1), (abuse.Children, abuse.AlreadyKnown, abuse.Flagged, abuse.Confirmed, abuse.FlaggedConfirmed));
        Assert.Equal(0.5, abuse.Precision);
        Assert.Equal(1 / 3.0, abuse.Recall, 10);
        var futoko = report.Rows[2];
        Assert.Equal((11, 1, 1, 1, 1), (futoko.Children, futoko.AlreadyKnown, futoko.Flagged, futoko.Confirmed, futoko.FlaggedConfirmed));

        // Every count here is under 5: nothing that could point at a child is shown.
        Assert.All(report.Rows, r => Assert.Null(r.PrecisionShown));
        Assert.All(report.Rows, r => Assert.Null(r.RecallShown));
        Assert.All(report.Rows, r => Assert.Null(r.MedianLeadMonthsShown));
    }

    [Fact]
    public void Compute_LargerCounts_AreShown()
    {
        // 20 flagged; 5 of them registered two weeks later, 3 unflagged children registered too.
        var flags = Enumerable.Range(100, 20).Select(i => new ListFlag(i, "abuse_neglect", "high"));
        var confirmed = Enumerable.Range(100, 5).Concat(Enumerable.Range(200, 3))
            .Select(i => new ConfirmedNeed(i, "abuse_neglect", "yotaikyo", new DateOnly(2025, 4, 14))).ToList();
        var children = Enumerable.Range(100, 20).Concat(Enumerable.Range(200, 30)).Select(i => (long)i).ToList();
        var row = ListValidity.Compute(children, flags, confirmed, Reference, End).Rows[1];
        Assert.Equal((50, 20, 8, 5), (row.Children, row.Flagged, row.Confirmed, row.FlaggedConfirmed));
        Assert.Equal(0.25, row.PrecisionShown);
        Assert.Equal(5 / 8.0, row.RecallShown);
        Assert.Equal(0, row.MedianLeadMonthsShown);
    }

    [Fact]
    public void MonthsBetween_CountsWholeMonths()
    {
        Assert.Equal(0, ListValidity.MonthsBetween(new DateOnly(2025, 1, 31), new DateOnly(2025, 2, 28)));
        Assert.Equal(1, ListValidity.MonthsBetween(new DateOnly(2025, 1, 15), new DateOnly(2025, 2, 15)));
        Assert.Equal(12, ListValidity.MonthsBetween(Reference, End));
        Assert.Equal(2.5, ListValidity.Median([1, 4, 2, 3]));
        Assert.True(double.IsNaN(ListValidity.Median([])));
    }

    [Fact]
    public void Compute_WindowEndingBeforeTheReference_IsRefused() =>
        Assert.Throws<ArgumentException>(() => ListValidity.Compute([1L], [], [], Reference, Reference));
}
