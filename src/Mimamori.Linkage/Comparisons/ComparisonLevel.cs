namespace Mimamori.Linkage.Comparisons;

/// <summary>
/// One level of a comparison with its m probability (agreement at this level among true matches) and u probability
/// (among non-matches). Its match weight log2(m/u) is the level's contribution to a pair's total, so every score
/// explains itself as a sum.
/// </summary>
public sealed record ComparisonLevel(string Id, double M, double U)
{
    /// <summary>log2(m/u); zero for a level that carries no information (missing values).</summary>
    public double Weight => M <= 0 || U <= 0 ? 0 : Math.Log2(M / U);
}
