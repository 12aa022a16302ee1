namespace Mimamori.Linkage.Scoring;

/// <summary>A pair's total match weight and the contribution of each comparison (the waterfall shown to staff).</summary>
public sealed record MatchExplanation(double Total, IReadOnlyList<Contribution> Contributions)
{
    /// <summary>The explanation as stored with each link; weights rounded to three decimals.</summary>
    public string ToJson()
    {
        // Written by hand: one explanation is stored per linked identity, and a general serializer costs more than the scoring.
        var json = new System.Text.StringBuilder(64 + (Contributions.Count * 64));
        json.Append("{\"total\":").Append(Number(Total)).Append(",\"contributions\":[");
        for (var i = 0; i < Contributions.Count; i++)
        {
            var c = Contributions[i];
            json.Append(i == 0 ? "{\"comparison\":\"" : ",{\"comparison\":\"").Append(c.Comparison).Append("\",\"level\":\"").Append(c.Level).Append("\",\"weight\":").Append(Number(c.Weight)).Append('}');
        }

        return json.Append("]}").ToString();
    }

    private static string Number(double value)
    {
        var rounded = Math.Round(value, 3, MidpointRounding.AwayFromZero);
        return (rounded == 0 ? 0d : rounded).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>One comparison's level and its weight log2(m/u).</summary>
public sealed record Contribution(string Comparison, string Level, double Weight);
