namespace Mimamori.Ingestion.Specs;

/// <summary>A fault in a feed spec file, with the file and line to fix.</summary>
public sealed record SpecError(string File, long Line, string Message)
{
    public override string ToString() => $"{File}:{Line}: {Message}";
}
