namespace Mimamori.Storage.Ingestion;

/// <summary>What one import did to its source: records added, changed (same key, different values) and removed.</summary>
public sealed record BatchChanges(long Added, long Changed, long Removed);
