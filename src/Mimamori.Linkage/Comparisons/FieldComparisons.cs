using Mimamori.Linkage.Records;

namespace Mimamori.Linkage.Comparisons;

/// <summary>
/// The comparisons of the generic file linkage, one per role the input holds. Names are compared as family and given
/// name when every named record has them apart, otherwise as one full name; both ways know variant kanji (by the
/// folded key), readings, swapped order, typing errors (Jaro–Winkler) and Latin initials (J. Smith = John Smith).
/// </summary>
public static class FieldComparisons
{
    /// <summary>Jaro–Winkler similarity from which two names count as a typing variant of each other.</summary>
    public const double CloseName = 0.9;

    /// <summary>The comparisons for these records: a role counts when at least two records hold it.</summary>
    public static IReadOnlyList<FieldComparison> For(IReadOnlyList<PreparedRecord> records)
    {
        bool Has(Func<PreparedRecord, bool> present) => records.Where(present).Take(2).Count() == 2;
        var list = new List<FieldComparison>();
        var named = records.Where(r => r.Name.Length > 0 || r.Reading.Length > 0).ToList();
        if (named.Count >= 2 && named.All(r => r.HasSplitName))
        {
            list.Add(new FieldComparison("family_name", ["exact", "reading", "swapped", "close", "different", "missing"], (a, b) => Part(a, b, family: true), r => r.Family));
            list.Add(new FieldComparison("given_name", ["exact", "reading", "swapped", "close", "initial", "different", "missing"], (a, b) => Part(a, b, family: false), r => r.Given));
        }
        else if (named.Count >= 2)
        {
            list.Add(new FieldComparison("name", ["exact", "reading", "swapped", "close", "initial", "different", "missing"], FullName, r => r.Name));
        }

        if (Has(r => r.BirthDate is not null))
        {
            string[] levels = ["exact", "one_digit", "day_month_swap", "year_month", "different", "missing"];
            list.Add(new FieldComparison("birth_date", levels, (a, b) => Array.IndexOf(levels, PairComparer.BirthDate(a.BirthDate, b.BirthDate))));
        }

        if (Has(r => r.Sex != '\0'))
        {
            list.Add(new FieldComparison("sex", ["agree", "disagree", "missing"], (a, b) => a.Sex == '\0' || b.Sex == '\0' ? 2 : a.Sex == b.Sex ? 0 : 1));
        }

        if (Has(r => r.PostalCode.Length > 0))
        {
            list.Add(new FieldComparison("postal_code", ["exact", "different", "missing"], (a, b) => Text(a.PostalCode, b.PostalCode, fuzzy: false, levels: 3)));
        }

        if (Has(r => r.Address.Length > 0))
        {
            list.Add(new FieldComparison("address", ["exact", "close", "different", "missing"], (a, b) => Address(a.Address, b.Address)));
        }

        if (Has(r => r.Phone.Length > 0))
        {
            list.Add(new FieldComparison("phone", ["exact", "one_edit", "different", "missing"], (a, b) => Edit(a.Phone, b.Phone)));
        }

        if (Has(r => r.Identifier.Length > 0))
        {
            list.Add(new FieldComparison("identifier", ["exact", "one_edit", "different", "missing"], (a, b) => Edit(a.Identifier, b.Identifier)));
        }

        var others = records.Count == 0 ? 0 : records.Max(r => r.Other.Length);
        for (var k = 0; k < others; k++)
        {
            var column = k;
            if (Has(r => column < r.Other.Length && r.Other[column].Length > 0))
            {
                list.Add(new FieldComparison($"other_{k + 1}", ["exact", "close", "different", "missing"], (a, b) => Text(At(a.Other, column), At(b.Other, column), fuzzy: true, levels: 4)));
            }
        }

        return list;
    }

    /// <summary>
    /// Pairs that must never share a cluster, whatever else agrees: twins (<see cref="IsTwinConflict"/>), and birth
    /// dates that differ by more than a typing slip (not one digit, not day and month swapped, not the same month)
    /// unless an identifier agrees. Names repeat (同姓同名) and agreeing names are correlated evidence that a model
    /// of independent comparisons over-counts; a birth date that plainly differs is the stronger word.
    /// </summary>
    public static bool IsConflict(PreparedRecord a, PreparedRecord b)
    {
        if (IsTwinConflict(a, b))
        {
            return true;
        }

        return a.BirthDate is not null && b.BirthDate is not null && PairComparer.BirthDate(a.BirthDate, b.BirthDate) == "different"
            && !(a.Identifier.Length > 0 && a.Identifier == b.Identifier);
    }

    /// <summary>
    /// Twins and siblings born the same day share everything but the given name, and no weight of agreement elsewhere
    /// may join them: same birth date, and given names (or their readings) that are clearly different.
    /// </summary>
    public static bool IsTwinConflict(PreparedRecord a, PreparedRecord b)
    {
        if (a.BirthDate is null || a.BirthDate != b.BirthDate)
        {
            return false;
        }

        if (a.HasSplitName && b.HasSplitName)
        {
            return Part(a, b, family: false) == 5 && Part(a, b, family: true) != 4;
        }

        // Full names: when both have two or more words and share one, the others must not be far apart.
        if (a.NameTokens.Length >= 2 && b.NameTokens.Length >= 2 && a.SortedName != b.SortedName)
        {
            var restA = a.NameTokens.Except(b.NameTokens, StringComparer.Ordinal).ToList();
            var restB = b.NameTokens.Except(a.NameTokens, StringComparer.Ordinal).ToList();
            if (restA.Count == 1 && restB.Count == 1 && restA.Count < a.NameTokens.Length)
            {
                var x = restA[0];
                var y = restB[0];
                return TextSimilarity.JaroWinkler(x, y) < CloseName && !IsInitialOf(x, y) && !IsInitialOf(y, x);
            }
        }

        return false;
    }

    /// <summary>Family (levels exact, reading, swapped, close, different, missing) or given name (…, close, initial, different, missing).</summary>
    private static int Part(PreparedRecord a, PreparedRecord b, bool family)
    {
        var (ka, kb) = family ? (a.Family, b.Family) : (a.Given, b.Given);
        var (ra, rb) = family ? (a.FamilyReading, b.FamilyReading) : (a.GivenReading, b.GivenReading);
        var (la, lb) = family ? (a.FamilyLooseReading, b.FamilyLooseReading) : (a.GivenLooseReading, b.GivenLooseReading);
        var different = family ? 4 : 5;
        var missing = family ? 5 : 6;
        var hasKey = ka.Length > 0 && kb.Length > 0;
        var hasReading = ra.Length > 0 && rb.Length > 0;
        if (!hasKey && !hasReading)
        {
            return missing;
        }

        if (hasKey && ka == kb)
        {
            return 0;
        }

        if (hasReading && ra == rb)
        {
            return 1;
        }

        if (IsSwapped(a, b))
        {
            return 2;
        }

        // A Latin name one keystroke off (Liam/Liax) is close; kanji names are not, where one character of two is a
        // different name (陽翔/陽菜), and their readings tell.
        if ((hasKey && (TextSimilarity.JaroWinkler(ka, kb) >= CloseName || (ka.Length >= 3 && NameText.IsLatin(ka) && TextSimilarity.WithinOneEdit(ka, kb)))) ||
            (hasReading && (la == lb || TextSimilarity.JaroWinkler(ra, rb) >= CloseName)))
        {
            return 3;
        }

        if (!family && hasKey && (IsInitialOf(ka, kb) || IsInitialOf(kb, ka)))
        {
            return 4;
        }

        return different;
    }

    private static bool IsSwapped(PreparedRecord a, PreparedRecord b) =>
        (a.Family.Length > 0 && a.Given.Length > 0 && a.Family == b.Given && a.Given == b.Family) ||
        (a.FamilyReading.Length > 0 && a.GivenReading.Length > 0 && a.FamilyReading == b.GivenReading && a.GivenReading == b.FamilyReading);

    /// <summary>A reading given name first on one side (はなこ さとう), the same reading family name first on the other (サトウハナコ, with or without a space).</summary>
    private static bool IsSwappedReading(PreparedRecord a, PreparedRecord b) =>
        (a.SwappedLooseReading.Length > 0 && a.SwappedLooseReading == b.LooseReading) || (b.SwappedLooseReading.Length > 0 && b.SwappedLooseReading == a.LooseReading);

    /// <summary>Full name: exact, reading, swapped, close, initial, different, missing.</summary>
    private static int FullName(PreparedRecord a, PreparedRecord b)
    {
        var hasKey = a.Name.Length > 0 && b.Name.Length > 0;
        var hasReading = a.Reading.Length > 0 && b.Reading.Length > 0;
        if (!hasKey && !hasReading)
        {
            return 6;
        }

        if (hasKey && a.Name == b.Name)
        {
            return 0;
        }

        if (hasReading && a.Reading == b.Reading)
        {
            return 1;
        }

        if ((hasKey && a.NameTokens.Length > 1 && a.SortedName == b.SortedName) || IsSwapped(a, b) || (hasReading && IsSwappedReading(a, b)))
        {
            return 2;
        }

        if ((hasKey && TextSimilarity.JaroWinkler(a.Name, b.Name) >= CloseName) ||
            (hasReading && (a.LooseReading == b.LooseReading || TextSimilarity.JaroWinkler(a.Reading, b.Reading) >= CloseName)))
        {
            return 3;
        }

        if (hasKey && InitialsAgree(a.NameTokens, b.NameTokens))
        {
            return 4;
        }

        return 5;
    }

    /// <summary>
    /// Same number of words, and word by word (in order, or reversed) equal, or one an initial of the other, with at
    /// least one whole word equal: J Smith = John Smith, Smith J = John Smith.
    /// </summary>
    private static bool InitialsAgree(string[] a, string[] b)
    {
        if (a.Length != b.Length || a.Length < 2)
        {
            return false;
        }

        bool Aligned(IReadOnlyList<string> y)
        {
            var whole = 0;
            for (var i = 0; i < a.Length; i++)
            {
                if (a[i] == y[i])
                {
                    whole++;
                }
                else if (!IsInitialOf(a[i], y[i]) && !IsInitialOf(y[i], a[i]))
                {
                    return false;
                }
            }

            return whole > 0;
        }

        return Aligned(b) || Aligned([.. b.Reverse()]);
    }

    private static bool IsInitialOf(string initial, string word) =>
        initial.Length == 1 && word.Length > 1 && word[0] == initial[0] && NameText.IsLatin(initial);

    private static int Address(string a, string b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return 3;
        }

        if (a == b)
        {
            return 0;
        }

        // Same town and 丁目 (the first two parts of the key), or a Latin address with a typing error.
        var keyed = a.Contains('|', StringComparison.Ordinal) && b.Contains('|', StringComparison.Ordinal);
        var close = keyed ? Head(a) == Head(b) && Head(a).Length > 1 : TextSimilarity.JaroWinkler(a, b) >= 0.93;
        return close ? 1 : 2;
    }

    private static string Head(string key)
    {
        var first = key.IndexOf('|', StringComparison.Ordinal);
        var second = first < 0 ? -1 : key.IndexOf('|', first + 1);
        return second < 0 ? key : key[..second];
    }

    private static int Edit(string a, string b) =>
        a.Length == 0 || b.Length == 0 ? 3 : a == b ? 0 : a.Length >= 4 && TextSimilarity.WithinOneEdit(a, b) ? 1 : 2;

    private static int Text(string a, string b, bool fuzzy, int levels)
    {
        var missing = levels - 1;
        if (a.Length == 0 || b.Length == 0)
        {
            return missing;
        }

        if (a == b)
        {
            return 0;
        }

        return fuzzy ? (TextSimilarity.JaroWinkler(a, b) >= 0.9 ? 1 : 2) : 1;
    }

    private static string At(string[] values, int i) => i < values.Length ? values[i] : string.Empty;
}
