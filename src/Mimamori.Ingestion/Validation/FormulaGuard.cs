using System.Buffers;

namespace Mimamori.Ingestion.Validation;

/// <summary>
/// Spreadsheet-formula injection (CSV injection). A value such as <c>=cmd|' /C calc'!A0</c> is stored exactly as it was
/// received — it is evidence of what the source sent, and changing it would break lineage — but any export that a
/// person may open in Excel or LibreOffice (CSV, xlsx, a worklist download) must pass every text cell through
/// <see cref="Neutralise"/> so that it is shown as text and never evaluated.
/// </summary>
public static class FormulaGuard
{
    /// <summary>
    /// Characters that make a spreadsheet read a cell as a formula (= + - @), or that some spreadsheets skip before
    /// looking (tab, CR, LF), and the full-width forms a Japanese IME types, which some spreadsheets also accept.
    /// </summary>
    private static readonly SearchValues<char> Triggers = SearchValues.Create("=+-@\t\r\n＝＋－＠");

    /// <summary>True when a spreadsheet could take <paramref name="value"/> for a formula.</summary>
    public static bool IsRisky(string? value)
    {
        if (string.IsNullOrEmpty(value) || !Triggers.Contains(value[0]))
        {
            return false;
        }

        // A plain signed number (-3, +81.5) is shown as a number and cannot run anything; leave it alone.
        return !IsSignedNumber(value);
    }

    /// <summary>
    /// The value to write into an exported cell: unchanged when harmless, otherwise prefixed with an apostrophe, which
    /// spreadsheets treat as "this is text" and do not display.
    /// </summary>
    public static string Neutralise(string? value) =>
        value is null ? string.Empty : IsRisky(value) ? "'" + value : value;

    private static bool IsSignedNumber(string value)
    {
        if (value.Length < 2 || (value[0] != '-' && value[0] != '+'))
        {
            return false;
        }

        var digits = 0;
        var dot = false;
        for (var i = 1; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsAsciiDigit(c))
            {
                digits++;
            }
            else if (c == '.' && !dot)
            {
                dot = true;
            }
            else
            {
                return false;
            }
        }

        return digits > 0;
    }
}
