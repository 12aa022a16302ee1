using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace Mimamori.Web.Rendering;

/// <summary>
/// The interpolated-string handler behind <see cref="Html.H"/>: literal parts are the template, every hole is
/// HTML-encoded unless it is already <see cref="Markup"/>.
/// </summary>
[InterpolatedStringHandler]
public ref struct MarkupBuilder
{
    // All Unicode ranges stay literal so Japanese text is readable in the page source; < > & " ' are still encoded.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private readonly StringBuilder text;

    /// <summary>Called by the compiler.</summary>
    public MarkupBuilder(int literalLength, int formattedCount) => text = new StringBuilder(literalLength + (formattedCount * 16));

    /// <summary>Template text, written as is.</summary>
    public readonly void AppendLiteral(string value) => text.Append(value);

    /// <summary>Trusted markup, written as is.</summary>
    public readonly void AppendFormatted(Markup value) => text.Append(value.Html);

    /// <summary>Text, encoded.</summary>
    public readonly void AppendFormatted(string? value) => text.Append(Encoder.Encode(value ?? string.Empty));

    /// <summary>Any other value, formatted invariantly and encoded.</summary>
    public readonly void AppendFormatted<T>(T value) => AppendFormatted(value is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : value?.ToString());

    /// <summary>A formattable value with a format string, formatted invariantly and encoded.</summary>
    public readonly void AppendFormatted<T>(T value, string? format)
        where T : IFormattable => AppendFormatted(value.ToString(format, CultureInfo.InvariantCulture));

    /// <summary>The finished markup.</summary>
    public readonly Markup ToMarkup() => new(text.ToString());

    /// <summary>Encodes one value.</summary>
    public static string Encode(string? value) => Encoder.Encode(value ?? string.Empty);
}
