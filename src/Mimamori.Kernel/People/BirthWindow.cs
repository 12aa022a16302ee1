namespace Mimamori.Kernel.People;

/// <summary>
/// The days a subject without a recorded birth date can have been born on, both ends included: what a source's age
/// column or its subject ("a child on the day of the consultation") tells. It bounds, it never stands for a birth date.
/// </summary>
public readonly record struct BirthWindow(DateOnly From, DateOnly To)
{
    /// <summary>True when <paramref name="date"/> lies in the window.</summary>
    public bool Contains(DateOnly date) => date >= From && date <= To;

    /// <summary>
    /// Born by someone who was <paramref name="age"/> full years old on <paramref name="on"/>, widened by
    /// <paramref name="slackYears"/> on each side (an age written some time before or after that day).
    /// </summary>
    public static BirthWindow? OfAge(DateOnly on, int age, int slackYears) => OfAges(on, age - slackYears, age + slackYears);

    /// <summary>Born by someone between <paramref name="minAge"/> and <paramref name="maxAge"/> full years old on <paramref name="on"/>; null for an impossible range.</summary>
    public static BirthWindow? OfAges(DateOnly on, int minAge, int maxAge)
    {
        minAge = Math.Max(0, minAge);
        if (maxAge < minAge || maxAge > 150)
        {
            return null;
        }

        // maxAge full years on the day: born after the day maxAge + 1 years before; minAge: born on or before minAge years before.
        return new BirthWindow(on.AddYears(-(maxAge + 1)).AddDays(1), on.AddYears(-minAge));
    }

    /// <summary>The days both windows allow; null when they share none (the source contradicts itself, and bounds nothing).</summary>
    public static BirthWindow? Intersect(BirthWindow? a, BirthWindow? b)
    {
        if (a is not { } x)
        {
            return b;
        }

        if (b is not { } y)
        {
            return x;
        }

        var from = x.From > y.From ? x.From : y.From;
        var to = x.To < y.To ? x.To : y.To;
        return from <= to ? new BirthWindow(from, to) : null;
    }
}
