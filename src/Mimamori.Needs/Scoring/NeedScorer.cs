using System.Globalization;
using Mimamori.Needs.Indicators;

namespace Mimamori.Needs.Scoring;

/// <summary>
/// Applies the rule catalog to a child's linked facts at a reference date. Each difficulty is scored on its own, as a
/// noisy-OR of the weights of the rules that fired, so that no single opaque number stands for a child.
/// </summary>
public sealed class NeedScorer(RuleCatalog catalog, DateOnly referenceDate)
{
    private const int MaxEvidence = 6;

    /// <summary>The difficulties scored, in display order.</summary>
    public static IReadOnlyList<string> Difficulties { get; } =
        ["abuse_neglect", "poverty", "futoko", "health_neglect", "young_carer", "developmental", "postnatal_depression", "no_contact"];

    public RuleCatalog Catalog => catalog;

    public DateOnly ReferenceDate => referenceDate;

    /// <summary>Assessments for every difficulty that has a rule or a relevant source for a child of this age.</summary>
    public IReadOnlyList<NeedAssessment> Assess(ChildFacts child)
    {
        var age = child.BirthDate is { } b ? AgeAt(b, referenceDate) : -1;
        var result = new List<NeedAssessment>();
        foreach (var difficulty in Difficulties)
        {
            var signals = new List<FiredSignal>();
            var applicable = false;
            foreach (var rule in catalog.Rules)
            {
                if (rule.Difficulty != difficulty || age < rule.Ages[0] || age > rule.Ages[1])
                {
                    continue;
                }

                applicable = true;
                if (Evaluate(rule, child) is { } fired)
                {
                    signals.Add(fired);
                }
            }

            var missing = new List<string>();
            if (catalog.RelevantSources.TryGetValue(difficulty, out var relevant))
            {
                foreach (var source in relevant)
                {
                    if (age < source.Ages[0] || age > source.Ages[1])
                    {
                        continue;
                    }

                    applicable = true;
                    if (!child.SourcesWithRecords.Contains(source.Source) && !child.HouseholdSourcesWithRecords.Contains(source.Source))
                    {
                        missing.Add(source.Source);
                    }
                }
            }

            if (!applicable)
            {
                continue;
            }

            var score = 1.0;
            foreach (var s in signals)
            {
                score *= 1 - s.Weight;
            }

            score = Math.Round(1 - score, 4);
            result.Add(new NeedAssessment(child.PersonId, difficulty, score, Bands.Of(score), signals, missing));
        }

        return result;
    }

    /// <summary>Whole years of age at a date.</summary>
    public static int AgeAt(DateOnly birth, DateOnly at)
    {
        var age = at.Year - birth.Year;
        if (at < birth.AddYears(age))
        {
            age--;
        }

        return age;
    }

    private FiredSignal? Evaluate(Rule rule, ChildFacts child)
    {
        if (rule.Aggregate == "absent")
        {
            var silent = rule.Sources.All(s => !child.SourcesWithRecords.Contains(s));
            return silent ? new FiredSignal(rule.Id, rule.Ja, rule.En, rule.Weight, 0, []) : null;
        }

        var facts = rule.Scope == "household" ? child.Household.Concat(child.Own) : child.Own;
        var from = rule.WindowMonths > 0 ? referenceDate.AddMonths(-rule.WindowMonths) : DateOnly.MinValue;
        var matching = new List<FactItem>();
        foreach (var f in facts)
        {
            if (f.Kind != rule.Fact || (rule.EqualsText is not null && f.Text != rule.EqualsText))
            {
                continue;
            }

            if (rule.WindowMonths > 0 && (f.Date is not { } d || d <= from || d > referenceDate))
            {
                continue;
            }

            // Assessing a past date (training on history) must not see what was recorded after it.
            if (f.Date is { } later && later > referenceDate)
            {
                continue;
            }

            matching.Add(f);
        }

        double observed = rule.Aggregate switch
        {
            "sum" => matching.Sum(f => f.Number ?? 0),
            "max" => matching.Count == 0 ? 0 : matching.Max(f => f.Number ?? 0),
            "exists" => matching.Count > 0 ? 1 : 0,
            "rise" => Rise(matching),
            _ => matching.Count,
        };

        if (observed < rule.Threshold)
        {
            return null;
        }

        var evidence = matching
            .OrderByDescending(f => f.Date)
            .Take(MaxEvidence)
            .Select(f => new Evidence(f.Source, f.RecordId, f.Date, f.Text ?? f.Number?.ToString(CultureInfo.InvariantCulture) ?? string.Empty))
            .ToList();
        return new FiredSignal(rule.Id, rule.Ja, rule.En, rule.Weight, observed, evidence);
    }

    private double Rise(List<FactItem> facts)
    {
        var split = referenceDate.AddMonths(-3);
        var recent = facts.Where(f => f.Date > split).Sum(f => f.Number ?? 0);
        var before = facts.Where(f => f.Date <= split).Sum(f => f.Number ?? 0);
        return recent - before;
    }
}
