namespace Mimamori.Cli;

/// <summary>An expected failure whose message a person can act on: printed as one sentence, exit code 1.</summary>
public sealed class UsageException : Exception
{
    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException()
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
