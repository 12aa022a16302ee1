using System.Collections.Concurrent;
using Mimamori.Ingestion.Records;
using Mimamori.Ingestion.Specs;

namespace Mimamori.Ingestion.Validation;

/// <summary>
/// Reads and validates a feed on a second thread while the caller stores what it has already read. Parsing (decoding,
/// validation, 和暦 dates) and storing each cost about half of an import, so on two cores the two halves overlap.
/// The caller sees exactly the calls <see cref="FeedReader.Read"/> would make, in the same order and on its own
/// thread, so a store that is not thread-safe (one database transaction) stays on one thread.
/// </summary>
public static class ReadAhead
{
    // Rows are handed over in chunks: one hand-over per row would cost more than it saves.
    private const int ChunkSize = 1024;

    // A few chunks ahead keep both threads busy while bounding memory to a few thousand rows.
    private const int ChunksAhead = 8;

    /// <summary>
    /// As <see cref="FeedReader.Read"/>, with reading on another thread. A fault in the file is thrown to the caller
    /// once the rows before it have been handed over; a fault in <paramref name="accept"/> or
    /// <paramref name="quarantine"/> stops the reading and is thrown as it was.
    /// </summary>
    public static ReadSummary Read(FeedSpec spec, Stream stream, string file, Action<CanonicalRecord> accept, Action<QuarantinedValue> quarantine)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(accept);
        ArgumentNullException.ThrowIfNull(quarantine);
        using var chunks = new BlockingCollection<List<object>>(ChunksAhead);
        using var stop = new CancellationTokenSource();
        var reader = Task.Factory.StartNew(
            () =>
            {
                var chunk = new List<object>(ChunkSize);
                void Hand(object item)
                {
                    chunk.Add(item);
                    if (chunk.Count == ChunkSize)
                    {
                        chunks.Add(chunk, stop.Token);
                        chunk = new List<object>(ChunkSize);
                    }
                }

                try
                {
                    return FeedReader.Read(spec, stream, file, Hand, Hand);
                }
                finally
                {
                    try
                    {
                        // The rows read before a fault in the file are handed over too, as the plain reader would have.
                        if (chunk.Count > 0 && !stop.IsCancellationRequested)
                        {
                            chunks.Add(chunk, stop.Token);
                        }
                    }
                    finally
                    {
                        chunks.CompleteAdding();
                    }
                }
            },
            stop.Token,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        try
        {
            foreach (var chunk in chunks.GetConsumingEnumerable())
            {
                foreach (var item in chunk)
                {
                    if (item is CanonicalRecord record)
                    {
                        accept(record);
                    }
                    else
                    {
                        quarantine((QuarantinedValue)item);
                    }
                }
            }
        }
        catch
        {
            // The store failed: the reader stops at its next hand-over instead of reading the rest of the file.
            stop.Cancel();
            try
            {
                reader.Wait(CancellationToken.None);
            }
            catch (AggregateException)
            {
                // Its cancellation (or its own fault) is not what the caller needs to see.
            }

            throw;
        }

        // A fault in the file (a structure error) reaches the caller as itself, not wrapped.
        return reader.GetAwaiter().GetResult();
    }
}
