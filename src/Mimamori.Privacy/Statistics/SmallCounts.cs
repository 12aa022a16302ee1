namespace Mimamori.Privacy.Statistics;

/// <summary>
/// Small-cell suppression for published counts. A count from 1 to <see cref="MinimumCount"/> − 1 can single out a
/// child in a small area or group, so it is not shown (primary suppression). Where a table also shows totals, a lone
/// hidden cell could be recovered as the total minus the others, so for every row or column (and the totals among
/// themselves) that would hide exactly one figure, another figure is hidden too — the smallest non-zero one, a cell
/// before a total (secondary suppression). Zero is shown: it names nobody.
/// </summary>
public static class SmallCounts
{
    /// <summary>The smallest count that is shown (the usual threshold of Japanese official statistics).</summary>
    public const int MinimumCount = 5;

    /// <summary>True for a count that must not be shown by itself (1 to <see cref="MinimumCount"/> − 1).</summary>
    public static bool IsSmall(long count) => count is > 0 and < MinimumCount;

    /// <summary>
    /// Suppresses a table of counts. <paramref name="rowTotals"/>: each row's total is shown, and is the sum of its
    /// cells (each counted unit falls in one column only); likewise <paramref name="columnTotals"/>. The grand total
    /// is shown only when both are.
    /// </summary>
    public static SuppressedCounts Suppress(long[,] counts, bool rowTotals, bool columnTotals)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var rows = counts.GetLength(0);
        var columns = counts.GetLength(1);

        // One grid holding cells, with the row totals in the last column and the column totals in the last row.
        var values = new long[rows + 1, columns + 1];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                if (counts[r, c] < 0)
                {
                    throw new ArgumentException("Counts cannot be negative.", nameof(counts));
                }

                values[r, c] = counts[r, c];
                values[r, columns] += counts[r, c];
                values[rows, c] += counts[r, c];
                values[rows, columns] += counts[r, c];
            }
        }

        var shown = new bool[rows + 1, columns + 1];
        var hidden = new bool[rows + 1, columns + 1];
        var grand = rowTotals && columnTotals;
        for (var r = 0; r <= rows; r++)
        {
            for (var c = 0; c <= columns; c++)
            {
                var isRowTotal = c == columns;
                var isColumnTotal = r == rows;
                shown[r, c] = (isRowTotal, isColumnTotal) switch
                {
                    (false, false) => true,
                    (true, false) => rowTotals,
                    (false, true) => columnTotals,
                    _ => grand,
                };
                hidden[r, c] = shown[r, c] && IsSmall(values[r, c]);
            }
        }

        // Each shown relation "members add up to a total" in which all members are shown.
        var relations = new List<List<(int R, int C)>>();
        if (rowTotals)
        {
            relations.AddRange(Enumerable.Range(0, rows).Select(r => Enumerable.Range(0, columns + 1).Select(c => (r, c)).ToList()));
        }

        if (columnTotals)
        {
            relations.AddRange(Enumerable.Range(0, columns).Select(c => Enumerable.Range(0, rows + 1).Select(r => (r, c)).ToList()));
        }

        if (grand)
        {
            relations.Add(Enumerable.Range(0, rows + 1).Select(r => (r, columns)).ToList());
            relations.Add(Enumerable.Range(0, columns + 1).Select(c => (rows, c)).ToList());
        }

        // Hiding only ever grows, so this ends; each pass fixes every relation that would give a figure away.
        bool changed;
        do
        {
            changed = false;
            foreach (var relation in relations)
            {
                if (relation.Count(m => hidden[m.R, m.C]) != 1)
                {
                    continue;
                }

                var candidates = relation.Where(m => !hidden[m.R, m.C]).ToList();
                if (candidates.Count == 0)
                {
                    continue;
                }

                var pick = candidates
                    .OrderBy(m => values[m.R, m.C] == 0 ? 1 : 0)
                    .ThenBy(m => m.R == rows || m.C == columns ? 1 : 0)
                    .ThenBy(m => values[m.R, m.C])
                    .ThenBy(m => m.R)
                    .ThenBy(m => m.C)
                    .First();
                hidden[pick.R, pick.C] = true;
                changed = true;
            }
        }
        while (changed);

        return new SuppressedCounts(values, shown, hidden, rows, columns);
    }

    /// <summary>A single list of counts (one column, no totals): primary suppression only.</summary>
    public static long? Shown(long count) => IsSmall(count) ? null : count;
}

/// <summary>A table after suppression: each figure, or null where it must not be shown.</summary>
public sealed class SuppressedCounts
{
    private readonly long[,] values;
    private readonly bool[,] shown;
    private readonly bool[,] hidden;

    internal SuppressedCounts(long[,] values, bool[,] shown, bool[,] hidden, int rows, int columns)
    {
        this.values = values;
        this.shown = shown;
        this.hidden = hidden;
        Rows = rows;
        Columns = columns;
    }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Number of columns.</summary>
    public int Columns { get; }

    /// <summary>A cell, or null when suppressed.</summary>
    public long? Cell(int row, int column) => Figure(row, column);

    /// <summary>A row's total, or null when suppressed or not part of the table.</summary>
    public long? RowTotal(int row) => Figure(row, Columns);

    /// <summary>A column's total, or null when suppressed or not part of the table.</summary>
    public long? ColumnTotal(int column) => Figure(Rows, column);

    /// <summary>The grand total, or null when suppressed or not part of the table.</summary>
    public long? Total => Figure(Rows, Columns);

    /// <summary>True when a figure that belongs to the table is withheld (as opposed to a total the table has not got).</summary>
    public bool IsSuppressed(int row, int column) => shown[row, column] && hidden[row, column];

    private long? Figure(int row, int column) => shown[row, column] && !hidden[row, column] ? values[row, column] : null;
}
