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
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(household);
        ArgumentNullException.ThrowIfNull(reasons);

        // Reasons of a part are kept only when the whole part holds, so a branch that failed halfway explains nothing.
        if (condition.All is { } all)
        {
            var part = new List<string>();
            if (all.All(c => Holds(c, household, part)))
            {
                reasons.AddRange(part);
                return true;
            }

            return false;
        }

        if (condition.Any is { } any)
        {
            foreach (var c in any)
            {
                var part = new List<string>();
                if (Holds(c, household, part))
                {
                    reasons.AddRange(part);
                    return true;
                }
            }

            return false;
        }

        if (condition.Not is { } not)
        {
            return !Holds(not, household, []);
        }

        if (condition.HasMember is { } member)
        {
            return HasMember(member, household, reasons);
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

        if (condition.Children is { } children)
        {
            var count = household.Members.Count(m => m.Age is >= 0 and < 18);
            var holds = InRange(count, children);
            if (holds)
            {
                reasons.Add($"世帯の18歳未満のこどもが{count}人");
            }

            return holds;
        }

        if (condition.Members is { } members)
        {
            var count = household.Members.Count;
            var holds = InRange(count, members);
            if (holds)
            {
                reasons.Add($"世帯の人数が{count}人");
            }

            return holds;
        }

        if (condition.MemberFact is { } fact)
        {
            foreach (var m in household.Members)
            {
                if (fact.Ages is { } ages && (m.Age < ages[0] || m.Age > ages[1]))
                {
                    continue;
                }

                if (FirstMatch(fact, m) is { } f)
                {
                    reasons.Add(Describe(f));
                    return true;
                }
            }

            return false;
        }

        return false;
    }

    private static bool HasMember(MemberCondition member, HouseholdFacts household, List<string> reasons)
    {
        foreach (var m in household.Members)
        {
            var inRange = member.Grades is { } grades
                ? m.Grade >= grades[0] && m.Grade <= grades[1]
                : m.Age >= member.Ages[0] && m.Age <= member.Ages[1];
            if (!inRange)
            {
                continue;
            }

            var used = new List<string>();
            if (member.Facts is { } facts)
            {
                var all = true;
                foreach (var fact in facts)
                {
                    if (FirstMatch(fact, m) is not { } f)
                    {
                        all = false;
                        break;
                    }

                    used.Add(Describe(f));
                }

                if (!all)
                {
                    continue;
                }
            }

            reasons.Add(member.Grades is not null
                ? $"世帯に学齢のこどもがいる（{GradeName(m.Grade!.Value)}相当）"
                : $"世帯に{member.Ages[0]}〜{member.Ages[1]}歳の人がいる（{m.Age}歳）");
            reasons.AddRange(used);
            return true;
        }

        return false;
    }

    private static FactItem? FirstMatch(FactCondition condition, MemberFacts member)
    {
        foreach (var f in member.Facts)
        {
            if (f.Kind == condition.Kind && Matches(condition, f))
            {
                return f;
            }
        }

        return null;
    }

    private static string Describe(FactItem f) => $"{f.Kind} = {f.Text}（{f.Source}）";

    private static bool InRange(int count, CountCondition range) => (range.Min is null || count >= range.Min) && (range.Max is null || count <= range.Max);

    private static string GradeName(int grade) => grade <= 6 ? $"小学{grade}年" : $"中学{grade - 6}年";

    private static bool Matches(FactCondition condition, FactItem fact)
    {
        if ((condition.EqualsText is not null && fact.Text != condition.EqualsText) || (condition.In is not null && !condition.In.Contains(fact.Text)))
        {
            return false;
        }

        // A numeric bound needs a number: a fact without one (blank, or text) does not satisfy it.
        if (condition.AtLeast is null && condition.AtMost is null)
        {
            return true;
        }

        var number = fact.Number ?? (double.TryParse(fact.Text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null);
        return number is { } v && (condition.AtLeast is null || v >= condition.AtLeast) && (condition.AtMost is null || v <= condition.AtMost);
    }
}
