namespace Mimamori.Linkage.Scoring;

/// <summary>A pair's total match weight and the contribution of each comparison (the waterfall shown to staff).</summary>
public sealed record MatchExplanation(double Total, IReadOnlyList<Contribution> Contributions)
{
    public string ToJson()
    {
        var parts = Contributions.Select(c => $"{{\"comparison\":\"{c.Comparison}\",\"level\":\"{c.Level}\",\"weight\":{c.Weight.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)}}}");
        return $"{{\"total\":{Total.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)},\"contributions\":[{string.Join(",", parts)}]}}";
    }
}

/// <summary>One comparison's level and its weight log2(m/u).</summary>
public sealed record Contribution(string Comparison, string Level, double Weight);
