namespace Mimamori.Ingestion.Readers;

/// <summary>
/// A whole file cannot be read as its spec declares (undecodable in the declared encoding, a required column
/// missing, not a spreadsheet). Nothing from the file is stored; the message says which fault and where.
/// </summary>
public sealed class FeedStructureException : Exception
{
    public FeedStructureException(string message)
        : base(message)
    {
    }

    public FeedStructureException()
    {
    }

    public FeedStructureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
