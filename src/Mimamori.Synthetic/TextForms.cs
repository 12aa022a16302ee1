using System.Text;

namespace Mimamori.Synthetic;

/// <summary>Small text conversions the exports need that the kernel does not offer.</summary>
internal static class TextForms
{
    /// <summary>ASCII letters, digits and space to their full-width forms (ＮＧＵＹＥＮ), as legacy systems store romaji.</summary>
    public static string ToFullWidthAscii(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            sb.Append(c switch
            {
                ' ' => '\u3000',
                >= '!' and <= '~' => (char)(c - '!' + '\uFF01'),
                _ => c,
            });
        }

        return sb.ToString();
    }
}
