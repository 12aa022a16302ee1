namespace Mimamori.Storage.Retention;

/// <summary>What a purge removed (or, in a dry run, would remove) for one data category. Counts only, never names.</summary>
/// <param name="Category">The data category id.</param>
/// <param name="RetentionYears">The category's retention from the policy.</param>
/// <param name="Cutoff">Data whose clock stopped before this date has passed its retention.</param>
/// <param name="Records">Source records removed.</param>
/// <param name="Facts">Facts of those records removed.</param>
/// <param name="QuarantinedValues">Rejected values (kept as received) removed with their batches.</param>
public sealed record CategoryPurge(string Category, int RetentionYears, DateOnly Cutoff, long Records, long Facts, long QuarantinedValues)
{
    /// <summary>True when nothing of this category was due.</summary>
    public bool IsEmpty => Records == 0 && Facts == 0 && QuarantinedValues == 0;
}

/// <summary>The outcome of one purge.</summary>
/// <param name="AsOf">The day the retention was measured against.</param>
/// <param name="DryRun">True when nothing was changed.</param>
/// <param name="Categories">Per category, in the order given.</param>
/// <param name="Persons">Resolved persons left with no source record, removed with their derived rows.</param>
/// <param name="DerivedRows">Assessments, scores and unclaimed-support rows removed because they could quote purged records.</param>
public sealed record PurgeReport(DateOnly AsOf, bool DryRun, IReadOnlyList<CategoryPurge> Categories, long Persons, long DerivedRows)
{
    /// <summary>Source records removed in all categories.</summary>
    public long Records => Categories.Sum(c => c.Records);
}

/// <summary>A category's retention, as the policy states it.</summary>
/// <param name="Category">The data category id (as in <c>source_record.category</c>).</param>
/// <param name="Years">Years kept after the category's clock stops; zero or less keeps the data.</param>
public sealed record RetentionRule(string Category, int Years);
