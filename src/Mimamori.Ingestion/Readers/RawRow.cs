namespace Mimamori.Ingestion.Readers;

/// <summary>A row as read from a file: its 1-based physical line (or sheet row) and its fields as text.</summary>
public readonly record struct RawRow(long Line, string[] Fields);
