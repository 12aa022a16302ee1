using System.Text.RegularExpressions;

namespace Mimamori.Support.Outreach;

/// <summary>
/// Words a message to a family must never contain. An offer of support says what the support is and how to get it;
/// it never tells a family it was scored, flagged or placed in a category, because that stigmatises and breaks the
/// trust outreach depends on — and would disclose what other departments hold. Every composed message is checked.
/// </summary>
public static partial class ForbiddenWords
{
    /// <summary>Japanese words matched anywhere in the text (no word boundaries in Japanese).</summary>
    public static IReadOnlyList<string> Japanese { get; } =
    [
        "リスク", "スコア", "点数", "危険度", "判定", "虐待", "ネグレクト", "貧困", "困窮", "不登校", "要対協", "要保護", "要支援",
        "通告", "非課税", "生活保護", "未受診", "欠席", "ハイリスク",

        // A program for children with a disability is offered by what it does; a letter never tells a family their child has one.
        "障害がある", "障害のある", "障害をお持ち", "障がいがある", "障がいのある", "障がいをお持ち", "発達の遅れ", "手帳をお持ち",
    ];

    /// <summary>English words matched as whole words, case-insensitively.</summary>
    public static IReadOnlyList<string> English { get; } =
    [
        "risk", "risks", "at-risk", "score", "scored", "scoring", "abuse", "neglect", "poverty", "poor", "truancy", "truant",
        "non-attendance", "absence", "absences", "flagged", "assessment", "algorithm", "tax-exempt", "welfare recipient", "child protection",
        "disabled", "has a disability", "have a disability", "with a disability", "developmental delay",
    ];

    /// <summary>The forbidden words found in a text (empty when it is fit to send).</summary>
    public static IReadOnlyList<string> Find(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var found = Japanese.Where(w => text.Contains(w, StringComparison.Ordinal)).ToList();
        foreach (Match m in Word().Matches(text))
        {
            if (English.Contains(m.Value.ToLowerInvariant()))
            {
                found.Add(m.Value);
            }
        }

        foreach (var phrase in English.Where(e => e.Contains(' ', StringComparison.Ordinal)))
        {
            if (text.Contains(phrase, StringComparison.OrdinalIgnoreCase))
            {
                found.Add(phrase);
            }
        }

        return found;
    }

    /// <summary>Throws when the text contains a forbidden word, naming the word and where the text came from.</summary>
    public static void Ensure(string text, string origin)
    {
        var found = Find(text);
        if (found.Count > 0)
        {
            throw new InvalidOperationException($"{origin} contains words a family must never read: {string.Join(", ", found)}");
        }
    }

    [GeneratedRegex(@"[A-Za-z]+(?:-[A-Za-z]+)*")]
    private static partial Regex Word();
}
