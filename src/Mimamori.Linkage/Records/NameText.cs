using System.Globalization;
using System.Text;
using Mimamori.Kernel.Text;

namespace Mimamori.Linkage.Records;

/// <summary>
/// Folding of names written in any script into comparison tokens: width (NFKC), variant kanji (異体字), case, Latin
/// accents (José = Jose) and punctuation (O'Brien = OBrien, "Smith, John" = Smith John). Kana and kanji are kept as
/// they are apart from width and variant folding, so voicing marks are never lost.
/// </summary>
public static class NameText
{
    /// <summary>The name split into folded tokens on spaces, commas and middle dots.</summary>
    public static string[] Tokens(string? name)
    {
        var text = VariantKanji.Fold(JapaneseText.FoldWidth(name));
        if (text.Length == 0)
        {
            return [];
        }

        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || c is '\u3000' or '・' or '･' or ',' or '、' or '/')
            {
                sb.Append(' ');
            }
            else if (c is '.' or '\'' or '’' or '-' or '‐' or '_')
            {
                // Punctuation inside a name: J.Smith, O'Brien and Smith-Jones fold to J Smith, OBrien, SmithJones.
                if (c == '.')
                {
                    sb.Append(' ');
                }
            }
            else if (c is >= '\u00C0' and <= '\u024F')
            {
                foreach (var d in c.ToString().Normalize(NormalizationForm.FormD))
                {
                    if (CharUnicodeInfo.GetUnicodeCategory(d) != UnicodeCategory.NonSpacingMark)
                    {
                        sb.Append(char.ToLowerInvariant(d));
                    }
                }
            }
            else
            {
                sb.Append(char.ToLowerInvariant(c));
            }
        }

        return sb.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>The folded name without separators: the "exact" comparison key.</summary>
    public static string Key(string? name) => string.Concat(Tokens(name));

    /// <summary>True when the text is written in Latin letters (romaji or English), where initials and case matter.</summary>
    public static bool IsLatin(string key)
    {
        foreach (var c in key)
        {
            if (c is >= 'a' and <= 'z')
            {
                return true;
            }
        }

        return false;
    }
}
