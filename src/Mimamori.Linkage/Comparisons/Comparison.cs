namespace Mimamori.Linkage.Comparisons;

/// <summary>A compared attribute (name, birth date ...) and its ordered levels, most similar first.</summary>
public sealed record Comparison(string Id, IReadOnlyList<ComparisonLevel> Levels)
{
    /// <summary>The level with this id.</summary>
    public ComparisonLevel Level(string id)
    {
        foreach (var level in Levels)
        {
            if (level.Id == id)
            {
                return level;
            }
        }

        throw new ArgumentException($"comparison {Id} has no level {id}", nameof(id));
    }
}
