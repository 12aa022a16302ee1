namespace Mimamori.Linkage.Specs;

/// <summary>A problem with a link spec or its input files, stated in one sentence a person can act on.</summary>
public sealed class LinkSpecException : Exception
{
    public LinkSpecException(string message)
        : base(message)
    {
    }

    public LinkSpecException()
    {
    }

    public LinkSpecException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
