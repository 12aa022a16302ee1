using System.Globalization;
using Mimamori.Needs.Indicators;
using Mimamori.Needs.Scoring;

namespace Mimamori.Needs.Model;

/// <summary>
/// Turns a child's linked facts at a reference date into the model's feature vector: the catalog's aggregates, the
/// registry's household make-up and age, the rule scores per difficulty, and one missing indicator per group.
/// Facts dated after the reference date are never looked at, so features for a past date use only what was known then.
/// </summary>
public sealed class FeatureBuilder
{
    private readonly FeatureCatalog catalog;
    private readonly DateOnly referenceDate;
    private readonly HashSet<string> kinds;
    private readonly Dictionary<string, FeatureGroup> groups;
    private readonly int[] missingIndex;
    private readonly int ageIndex;
    private readonly int adultsIndex;
    private readonly int childrenIndex;
    private readonly int singleIndex;
    private readonly int registryMissingIndex;
    private readonly Dictionary<string, int> ruleIndex;

    public FeatureBuilder(FeatureCatalog catalog, DateOnly referenceDate)
    {
        this.catalog = catalog;
        this.referenceDate = referenceDate;
        kinds = catalog.Features.Select(f => f.Fact).ToHashSet(StringComparer.Ordinal);
        groups = catalog.Groups.ToDictionary(g => g.Id, StringComparer.Ordinal);
        var columns = new List<FeatureColumn>();
        foreach (var f in catalog.Features)
        {
            columns.Add(new FeatureColumn(f.Name, FeatureKind.Fact, f.Group, f.Fill, f.Ja, f.En));
        }

        columns.Add(new FeatureColumn("age_years", FeatureKind.Registry, "registry", 0, "{value}歳", "aged {value}"));
        columns.Add(new FeatureColumn("adults_in_household", FeatureKind.Registry, "registry", 0, "世帯の大人が{value}人", "{value} adults in the household"));
        columns.Add(new FeatureColumn("children_in_household", FeatureKind.Registry, "registry", 0, "世帯の子どもが{value}人", "{value} children in the household"));
        columns.Add(new FeatureColumn("single_adult_household", FeatureKind.Registry, "registry", 0, "大人1人の世帯", "a single-adult household"));
        foreach (var d in NeedScorer.Difficulties)
        {
            columns.Add(new FeatureColumn("rule_" + d, FeatureKind.RuleScore, "rules", 0, $"規則による「{d}」のスコアが{{value}}", $"the rule score for {d} is {{value}}"));
        }

        foreach (var g in catalog.Groups)
        {
            columns.Add(new FeatureColumn("missing_" + g.Id, FeatureKind.Missing, g.Id, 0, $"{g.Ja}がない（不明）", $"no {g.En} (unknown)"));
        }

        columns.Add(new FeatureColumn("missing_registry", FeatureKind.Missing, "registry", 0, "住民記録の世帯情報がない（不明）", "no registry household (unknown)"));
        Schema = new FeatureSchema(columns, catalog.Version);
        missingIndex = catalog.Groups.Select(g => Schema.IndexOf("missing_" + g.Id)).ToArray();
        ageIndex = Schema.IndexOf("age_years");
        adultsIndex = Schema.IndexOf("adults_in_household");
        childrenIndex = Schema.IndexOf("children_in_household");
        singleIndex = Schema.IndexOf("single_adult_household");
        registryMissingIndex = Schema.IndexOf("missing_registry");
        ruleIndex = NeedScorer.Difficulties.ToDictionary(d => d, d => Schema.IndexOf("rule_" + d), StringComparer.Ordinal);
    }

    public FeatureSchema Schema { get; }

    public DateOnly ReferenceDate => referenceDate;

    /// <summary>The child's features; <paramref name="context"/> is null when the registry has no household for the child.</summary>
    public ChildFeatures Build(ChildFacts child, ChildContext? context, IEnumerable<NeedAssessment> assessments)
    {
        var values = new double[Schema.Count];
        var own = ByKind(child.Own);
        var household = ByKind(child.Household);
        var missingGroup = new Dictionary<string, bool>(StringComparer.Ordinal);
        for (var gi = 0; gi < catalog.Groups.Count; gi++)
        {
            var g = catalog.Groups[gi];
            var present = g.Sources.Any(s => g.Scope switch
            {
                "child" => child.SourcesWithRecords.Contains(s),
                "household" => child.HouseholdSourcesWithRecords.Contains(s),
                _ => child.SourcesWithRecords.Contains(s) || child.HouseholdSourcesWithRecords.Contains(s),
            });
            missingGroup[g.Id] = !present;
            values[missingIndex[gi]] = present ? 0 : 1;
        }

        DateOnly? firstSignal = null;
        for (var i = 0; i < catalog.Features.Count; i++)
        {
            var f = catalog.Features[i];
            if (missingGroup[f.Group])
            {
                values[i] = double.NaN;
                continue;
            }

            var (value, signal) = Aggregate(f, child.BirthDate, f.Scope switch
            {
                "child" => [own.GetValueOrDefault(f.Fact)],
                "household" => [household.GetValueOrDefault(f.Fact)],
                _ => [own.GetValueOrDefault(f.Fact), household.GetValueOrDefault(f.Fact)],
            });
            values[i] = value;
            if (signal is { } s && (firstSignal is null || s < firstSignal))
            {
                firstSignal = s;
            }
        }

        values[ageIndex] = child.BirthDate is { } b ? NeedScorer.AgeAt(b, referenceDate) : double.NaN;
        if (context is null)
        {
            values[adultsIndex] = values[childrenIndex] = values[singleIndex] = double.NaN;
            values[registryMissingIndex] = 1;
        }
        else
        {
            values[adultsIndex] = context.Adults;
            values[childrenIndex] = context.Children;
            values[singleIndex] = context.Adults == 1 ? 1 : 0;
        }

        foreach (var a in assessments)
        {
            if (ruleIndex.TryGetValue(a.Difficulty, out var ri))
            {
                values[ri] = a.Score;
            }
        }

        return new ChildFeatures(child.PersonId, context?.HouseholdKey ?? "person:" + child.PersonId.ToString(CultureInfo.InvariantCulture), values, firstSignal);
    }

    private Dictionary<string, List<FactItem>> ByKind(IReadOnlyList<FactItem> facts)
    {
        var map = new Dictionary<string, List<FactItem>>(StringComparer.Ordinal);
        foreach (var f in facts)
        {
            if (!kinds.Contains(f.Kind) || (f.Date is { } d && d > referenceDate))
            {
                continue;
            }

            if (!map.TryGetValue(f.Kind, out var list))
            {
                list = [];
                map[f.Kind] = list;
            }

            list.Add(f);
        }

        return map;
    }

    private (double Value, DateOnly? FirstSignal) Aggregate(FeatureDefinition f, DateOnly? birth, List<FactItem>?[] lists)
    {
        var from = f.WindowMonths > 0 ? referenceDate.AddMonths(-f.WindowMonths) : DateOnly.MinValue;
        var to = referenceDate.AddMonths(-f.SkipMonths);
        var split = referenceDate.AddMonths(-3);
        double sum = 0, recent = 0, before = 0, count = 0;
        double max = double.NegativeInfinity, min = double.PositiveInfinity, latest = double.NaN;
        DateOnly? latestDate = null;
        DateOnly? earliestDate = null;
        DateOnly? firstSignal = null;
        foreach (var list in lists)
        {
            if (list is null)
            {
                continue;
            }

            foreach (var fact in list)
            {
                if (f.WindowMonths > 0 && (fact.Date is not { } d || d <= from || d > to))
                {
                    continue;
                }

                var selects = f.EqualsText is not null || f.AnyOf is not null;
                if ((f.EqualsText is not null && fact.Text != f.EqualsText) || (f.AnyOf is not null && !f.AnyOf.Contains(fact.Text, StringComparer.Ordinal)))
                {
                    continue;
                }

                var v = selects ? 1 : f.Map is not null ? (fact.Text is not null && f.Map.TryGetValue(fact.Text, out var mapped) ? mapped : double.NaN) : ValueOf(fact);
                if (double.IsNaN(v) && (f.Map is not null || f.Aggregate is "sum" or "max" or "min" or "mean" or "latest" or "rise"))
                {
                    continue;
                }

                if (f.MinValue is { } mv && !(v >= mv))
                {
                    continue;
                }

                count++;
                sum += double.IsNaN(v) ? 0 : v;
                max = Math.Max(max, v);
                min = Math.Min(min, v);
                if (fact.Date > split)
                {
                    recent += v;
                }
                else
                {
                    before += v;
                }

                if (latestDate is null || fact.Date > latestDate)
                {
                    (latest, latestDate) = (v, fact.Date);
                }

                if (fact.Date is { } ed && (earliestDate is null || ed < earliestDate))
                {
                    earliestDate = ed;
                }

                if (f.SignalMin is { } sm && (selects || v >= sm) && fact.Date is { } fd && (firstSignal is null || fd < firstSignal))
                {
                    firstSignal = fd;
                }
            }
        }

        var value = f.Aggregate switch
        {
            "sum" => sum,
            "count" => count,
            "exists" => count > 0 ? 1 : 0,
            "rise" => recent - before,
            "max" => count > 0 ? max : double.NaN,
            "min" => count > 0 ? min : double.NaN,
            "mean" => count > 0 ? sum / count : double.NaN,
            "latest" => count > 0 ? latest : double.NaN,
            "months_since_latest" => latestDate is { } ld ? ModelTrainer.MonthsBetween(ld, referenceDate) : double.NaN,
            "age_at_first" => earliestDate is { } first && birth is { } b ? ModelTrainer.MonthsBetween(b, first) : double.NaN,
            _ => double.NaN,
        };
        return (value, firstSignal);
    }

    private static double ValueOf(FactItem fact)
    {
        if (fact.Number is { } n)
        {
            return n;
        }

        return fact.Text switch
        {
            "true" => 1,
            "false" => 0,
            { } t when double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) => p,
            null => double.NaN,
            _ => 1,
        };
    }
}
