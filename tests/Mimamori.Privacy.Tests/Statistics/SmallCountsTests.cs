using Mimamori.Privacy.Statistics;

namespace Mimamori.Privacy.Tests.Statistics;

public class SmallCountsTests
{
    [Fact]
    public void CountsOneToFour_AreHidden_ZeroAndFiveAreShown()
    {
        var t = SmallCounts.Suppress(new long[,] { { 0, 1, 4, 5, 120 } }, rowTotals: false, columnTotals: false);
        Assert.Equal([0L, null, null, 5L, 120L], Enumerable.Range(0, 5).Select(c => t.Cell(0, c)));
        Assert.Null(t.RowTotal(0));
        Assert.False(t.IsSuppressed(0, 5));
    }

    [Fact]
    public void LoneSmallCellInARowWithATotal_HidesTheSmallestOtherCellToo()
    {
        // Row total 3 + 20 + 7 = 30: hiding only the 3 would let 30 − 20 − 7 give it back.
        var t = SmallCounts.Suppress(new long[,] { { 3, 20, 7 } }, rowTotals: true, columnTotals: false);
        Assert.Null(t.Cell(0, 0));
        Assert.Null(t.Cell(0, 2));
        Assert.Equal(20, t.Cell(0, 1));
        Assert.Equal(30, t.RowTotal(0));
    }

    [Fact]
    public void SecondaryHidingInARow_IsCarriedIntoTheColumnsItTouches()
    {
        var counts = new long[,]
        {
            { 2, 30, 40 },
            { 50, 60, 70 },
            { 80, 90, 100 },
        };
        var t = SmallCounts.Suppress(counts, rowTotals: true, columnTotals: true);
        Assert.Null(t.Cell(0, 0));
        AssertNothingRecoverable(counts, t, rowTotals: true, columnTotals: true);

        // Column 0 lost the 2: something else in it went too, or its total would give the 2 back.
        Assert.True(Enumerable.Range(0, 3).Count(r => t.Cell(r, 0) is null) + (t.ColumnTotal(0) is null ? 1 : 0) >= 2);
    }

    [Fact]
    public void SmallTotal_IsHidden_AndItsRowCannotGiveItBack()
    {
        // Every cell is zero but one child: the row total is 1 as well.
        var counts = new long[,] { { 0, 1, 0 }, { 10, 12, 9 } };
        var t = SmallCounts.Suppress(counts, rowTotals: true, columnTotals: true);
        Assert.Null(t.Cell(0, 1));
        Assert.Null(t.RowTotal(0));
        AssertNothingRecoverable(counts, t, rowTotals: true, columnTotals: true);
    }

    [Fact]
    public void RandomTables_NeverShowASmallCount_NorLeaveARelationWithOneHiddenFigure()
    {
        var random = new Random(20261128);
        for (var i = 0; i < 500; i++)
        {
            var rows = random.Next(1, 7);
            var columns = random.Next(1, 6);
            var counts = new long[rows, columns];
            for (var r = 0; r < rows; r++)
            {
                for (var c = 0; c < columns; c++)
                {
                    counts[r, c] = random.Next(4) switch { 0 => 0, 1 => random.Next(1, 5), _ => random.Next(5, 60) };
                }
            }

            var rowTotals = random.Next(2) == 0;
            var columnTotals = random.Next(2) == 0;
            var t = SmallCounts.Suppress(counts, rowTotals, columnTotals);
            AssertNothingRecoverable(counts, t, rowTotals, columnTotals);
        }
    }

    // No shown figure is 1–4, and no shown sum has exactly one unknown (which would be its total minus the others).
    private static void AssertNothingRecoverable(long[,] counts, SuppressedCounts t, bool rowTotals, bool columnTotals)
    {
        var rows = counts.GetLength(0);
        var columns = counts.GetLength(1);
        var figures = new List<long?>();
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                Assert.True(t.Cell(r, c) is null || t.Cell(r, c) == counts[r, c]);
                figures.Add(t.Cell(r, c));
            }
        }

        Assert.DoesNotContain(figures.Concat(Enumerable.Range(0, rows).Select(t.RowTotal)).Concat(Enumerable.Range(0, columns).Select(t.ColumnTotal)).Append(t.Total), f => f is > 0 and < SmallCounts.MinimumCount);
        if (rowTotals)
        {
            for (var r = 0; r < rows; r++)
            {
                var unknown = Enumerable.Range(0, columns).Count(c => t.Cell(r, c) is null) + (t.RowTotal(r) is null ? 1 : 0);
                Assert.NotEqual(1, unknown);
            }
        }

        if (columnTotals)
        {
            for (var c = 0; c < columns; c++)
            {
                var unknown = Enumerable.Range(0, rows).Count(r => t.Cell(r, c) is null) + (t.ColumnTotal(c) is null ? 1 : 0);
                Assert.NotEqual(1, unknown);
            }
        }

        if (rowTotals && columnTotals)
        {
            Assert.NotEqual(1, Enumerable.Range(0, rows).Count(r => t.RowTotal(r) is null) + (t.Total is null ? 1 : 0));
            Assert.NotEqual(1, Enumerable.Range(0, columns).Count(c => t.ColumnTotal(c) is null) + (t.Total is null ? 1 : 0));
        }
    }
}
