using System.Data.Common;
using Dapper;

namespace Mimamori.Storage.Connection;

/// <summary>
/// A whole table read as slices of its ids, side by side. Reading is one thread stepping one statement, and decoding
/// the rows is most of a bulk read's work: each slice is read on its own connection by as many readers as there are
/// cores (at most two here, which leaves room for work done on what was read), and the slices come back in id order.
/// Superseded rows leave slices of unequal size, so there are more slices than readers and a reader takes the next one
/// when done.
/// </summary>
public static class IdSlices
{
    /// <summary>Slices an id range is cut into.</summary>
    public const int Count = 16;

    /// <param name="bounds">A query giving the smallest and largest id (NULLs when there are no rows).</param>
    /// <param name="readSlice">Reads the ids from the second argument to the third, inclusive, on the connection given.</param>
    /// <returns>The slices in id order; none when there are no rows.</returns>
    public static T[] Read<T>(MimamoriDatabase database, string bounds, Func<DbConnection, long, long, T> readSlice)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(readSlice);
        (long? Min, long? Max) range;
        using (var connection = database.OpenForBulk())
        {
            range = connection.QueryFirst<(long?, long?)>(bounds);
        }

        if (range.Min is not { } min || range.Max is not { } max)
        {
            return [];
        }

        var slices = (int)Math.Min(max - min + 1, Count);
        var width = ((max - min) / slices) + 1;
        var parts = new T[slices];
        var next = -1;
        var readers = Math.Clamp(Environment.ProcessorCount, 1, 2);
        Task.WaitAll(Enumerable.Range(0, readers).Select(_ => Task.Run(() =>
        {
            using var connection = database.OpenForBulk();
            int i;
            while ((i = Interlocked.Increment(ref next)) < slices)
            {
                var from = min + (i * width);
                parts[i] = readSlice(connection, from, Math.Min(max, from + width - 1));
            }
        })).ToArray());
        return parts;
    }
}
