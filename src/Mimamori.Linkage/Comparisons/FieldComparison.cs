using Mimamori.Linkage.Records;

namespace Mimamori.Linkage.Comparisons;

/// <summary>
/// One comparison of the generic file linkage: its id, its ordered levels (most similar first, <c>missing</c> last),
/// the function that puts a pair on a level, and the value whose frequency adjusts the <c>exact</c> level's u
/// (term frequency: two records agreeing on 佐藤 say less than two agreeing on 勅使河原).
/// </summary>
public sealed record FieldComparison(
    string Id,
    IReadOnlyList<string> Levels,
    Func<PreparedRecord, PreparedRecord, int> Compare,
    Func<PreparedRecord, string>? TermFrequencyValue = null)
{
    /// <summary>Index of the <c>missing</c> level (always last): it carries no evidence and is left out of training.</summary>
    public int Missing => Levels.Count - 1;
}
