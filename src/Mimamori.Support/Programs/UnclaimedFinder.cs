using Mimamori.Needs.Indicators;

namespace Mimamori.Support.Programs;

/// <summary>A household that appears eligible for a program it does not receive, with the facts that made it so.</summary>
public sealed record UnclaimedSupport(string HouseholdNo, long PersonId, string Program, IReadOnlyList<string> Reasons);

/// <summary>
/// Finds unclaimed support: households whose linked facts satisfy a program's eligibility and not its "claimed"
/// condition. The reasons list the facts used, so that staff can check them before any letter goes out.
/// </summary>
public static class UnclaimedFinder
{
    public static IReadOnlyList<UnclaimedSupport> Find(ProgramCatalog catalog, IEnumerable<HouseholdFacts> households)
    {
        var result = new List<UnclaimedSupport>();
        foreach (var household in households)
        {
            foreach (var program in catalog.Programs)
            {
                var reasons = new List<string>();
                if (!Holds(program.Eligibility, household, reasons) || Holds(program.Claimed, household, []))
                {
                    continue;
                }

                // The letter is addressed to the household; the youngest eligible child is the one it is about.
                var child = household.Members.Where(m => m.Age < 18).OrderBy(m => m.Age).FirstOrDefault() ?? household.Members[0];
                result.Add(new UnclaimedSupport(household.HouseholdNo, child.PersonId, program.Id, reasons));
            }
        }

        return result;
    }

    /// <summary>Evaluates a condition, appending a plain description of each part that held.</summary>
    public static bool Holds(Condition condition, HouseholdFacts household, List<string> reasons)
    {
        if (condition.All is { } all)
        {
            return all.All(c => Holds(c, household, reasons));
        }

        if (condition.Any is { } any)
        {
            foreach (var c in any)
            {
                if (Holds(c, household, reasons))
                {
                    return true;
                }
            }

            return false;
        }

        if (condition.HasMember is { } member)
        {
            if (member.Grades is { } grades)
            {
                var pupil = household.Members.FirstOrDefault(m => m.Grade >= grades[0] && m.Grade <= grades[1]);
                if (pupil is not null)
                {
                    reasons.Add($"世帯に学齢のこどもがいる（{GradeName(pupil.Grade!.Value)}相当）");
                }

                return pupil is not null;
            }

            var found = household.Members.FirstOrDefault(m => m.Age >= member.Ages[0] && m.Age <= member.Ages[1]);
            if (found is not null)
            {
                reasons.Add($"世帯に{member.Ages[0]}〜{member.Ages[1]}歳の人がいる（{found.Age}歳）");
            }

            return found is not null;
        }

        if (condition.Adults is { } adults)
        {
            var count = household.Members.Count(m => m.Age >= 18);
            if (count == adults.Count)
            {
                reasons.Add($"世帯の大人が{count}人");
            }

            return count == adults.Count;
        }

        if (condition.MemberFact is { } fact)
        {
            foreach (var m in household.Members)
            {
                if (fact.Ages is { } ages && (m.Age < ages[0] || m.Age > ages[1]))
                {
                    continue;
                }

                foreach (var f in m.Facts)
                {
                    if (f.Kind == fact.Kind && Matches(fact, f))
                    {
                        reasons.Add($"{f.Kind} = {f.Text}（{f.Source}）");
                        return true;
                    }
                }
            }

            return false;
        }

        return false;
    }

    private static string GradeName(int grade) => grade <= 6 ? $"小学{grade}年" : $"中学{grade - 6}年";

    private static bool Matches(FactCondition condition, FactItem fact) =>
        (condition.EqualsText is null || fact.Text == condition.EqualsText) && (condition.In is null || condition.In.Contains(fact.Text));
}
