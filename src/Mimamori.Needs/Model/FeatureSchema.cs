using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Mimamori.Needs.Model;

/// <summary>What a column of the feature vector is: an aggregate of facts, a registry fact, a rule score, or a missing indicator.</summary>
public enum FeatureKind
{
    Fact,
    Registry,
    RuleScore,
    Missing,
}

/// <summary>One column of the feature vector, with the plain-words templates that explain it.</summary>
public sealed record FeatureColumn(string Name, FeatureKind Kind, string Group, double Fill, string Ja, string En);

/// <summary>
/// The ordered columns of the feature vector. A child's values are doubles where NaN means unknown (the group's
/// source holds nothing, or no fact gives a value); the model sees the column's fill value next to the group's
/// missing indicator, so "unknown" is always visible to it and to people, never a silent zero.
/// </summary>
public sealed partial class FeatureSchema
{
    private readonly Dictionary<string, int> index;

    public FeatureSchema(IReadOnlyList<FeatureColumn> columns, string version)
    {
        Columns = columns;
        Version = version;
        index = columns.Select((c, i) => (c.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
    }

    public IReadOnlyList<FeatureColumn> Columns { get; }

    /// <summary>The feature catalog's version.</summary>
    public string Version { get; }

    public int Count => Columns.Count;

    public int IndexOf(string name) => index.TryGetValue(name, out var i) ? i : -1;

    /// <summary>A short hash of the column names, kinds and fills: part of the model version.</summary>
    public string Hash()
    {
        var text = string.Join('\n', Columns.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Name}|{c.Kind}|{c.Group}|{c.Fill}")));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Version + "\n" + text)))[..12];
    }

    /// <summary>The values the model sees: unknown replaced by the column's fill (its missing indicator says so).</summary>
    public float[] ModelVector(IReadOnlyList<double> values)
    {
        var v = new float[Columns.Count];
        for (var i = 0; i < v.Length; i++)
        {
            v[i] = double.IsNaN(values[i]) ? (float)Columns[i].Fill : (float)values[i];
        }

        return v;
    }

    /// <summary>A column's explanation for one child, in Japanese or English, with its placeholders filled in.</summary>
    public string Explain(int column, IReadOnlyList<double> values, bool japanese)
    {
        var c = Columns[column];
        var template = japanese ? c.Ja : c.En;
        return Placeholder().Replace(template, m =>
        {
            var name = m.Groups["name"].Value;
            var i = name == "value" ? column : IndexOf(name);
            if (i < 0)
            {
                return m.Value;
            }

            var value = values[i];
            if (double.IsNaN(value))
            {
                return japanese ? "不明" : "unknown";
            }

            if (m.Groups["div"].Success)
            {
                value /= double.Parse(m.Groups["div"].Value, CultureInfo.InvariantCulture);
            }

            return Format(value);
        });
    }

    /// <summary>Numbers as people read them: whole numbers plain, others with one decimal.</summary>
    public static string Format(double value) =>
        Math.Abs(value - Math.Round(value)) < 1e-9 ? Math.Round(value).ToString("0", CultureInfo.InvariantCulture) : value.ToString("0.0", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\{(?<name>[a-z0-9_]+)(/(?<div>[0-9]+))?\}")]
    private static partial Regex Placeholder();
}

/// <summary>
/// One child's features at a reference date. <see cref="HouseholdKey"/> keeps siblings together when splitting;
/// <see cref="FirstSignal"/> is the earliest dated fact that is a signal (for lead time).
/// </summary>
public sealed record ChildFeatures(long PersonId, string HouseholdKey, double[] Values, DateOnly? FirstSignal);

/// <summary>What the registry says about a child's household at the reference date.</summary>
public sealed record ChildContext(string HouseholdKey, int Adults, int Children);
