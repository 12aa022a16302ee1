using System.Globalization;
using System.Text;
using Mimamori.Kernel.Dates;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;

namespace Mimamori.Support.Outreach;

/// <summary>
/// Renders a <see cref="Letter"/> as an A4 PDF, folded in three for a 長3 window envelope, with the Japanese TrueType
/// font embedded (the caller reads the font file; this module touches no files). The address block sits where the
/// window of a standard 長3 窓付き封筒 shows it when the sheet is folded in three: about 20 mm from the left edge and
/// 15–55 mm from the top of the sheet.
/// </summary>
public static class LetterPdf
{
    /// <summary>The family name the font is registered under.</summary>
    public const string FontFamily = "MimamoriLetter";

    private const double Mm = 72.0 / 25.4;
    private static readonly Lock FontLock = new();
    private static FontBytesResolver? resolver;

    /// <summary>The address window in points from the top-left of the page (x, y, width, height).</summary>
    public static (double X, double Y, double Width, double Height) AddressWindow { get; } = (20 * Mm, 15 * Mm, 90 * Mm, 40 * Mm);

    /// <summary>Writes the letter as PDF to <paramref name="output"/>.</summary>
    /// <param name="font">The bytes of a TrueType font with Japanese glyphs (e.g. IPAゴシック ipag.ttf); .ttc collections are not supported.</param>
    public static void Write(Letter letter, byte[] font, Stream output)
    {
        ArgumentNullException.ThrowIfNull(letter);
        ArgumentNullException.ThrowIfNull(font);
        ArgumentNullException.ThrowIfNull(output);
        foreach (var text in new[] { letter.Message.Subject, letter.Message.Body, letter.Message.ApplyWith, letter.Message.Where, letter.Message.Contact })
        {
            ForbiddenWords.Ensure(text, "letter");
        }

        UseFont(font);
        using var document = new PdfDocument();
        document.Info.Title = letter.Message.Subject;
        document.Info.Creator = "Mimamori";
        var page = document.AddPage();
        page.Width = XUnit.FromMillimeter(210);
        page.Height = XUnit.FromMillimeter(297);
        using (var gfx = XGraphics.FromPdfPage(page))
        {
            Draw(gfx, letter, page.Width.Point);
        }

        document.Save(output, closeStream: false);
    }

    private static void Draw(XGraphics gfx, Letter letter, double pageWidth)
    {
        var english = letter.Message.Language == "en";
        var options = new XPdfFontOptions(PdfFontEncoding.Unicode);
        var small = new XFont(FontFamily, 9, XFontStyleEx.Regular, options);
        var normal = new XFont(FontFamily, 10.5, XFontStyleEx.Regular, options);
        var address = new XFont(FontFamily, 11, XFontStyleEx.Regular, options);
        var name = new XFont(FontFamily, 15, XFontStyleEx.Regular, options);
        var title = new XFont(FontFamily, 15, XFontStyleEx.Regular, options);
        var heading = new XFont(FontFamily, 11, XFontStyleEx.Bold, options);
        var left = 20 * Mm;
        var right = pageWidth - (20 * Mm);

        // Address block, inside the envelope window.
        var (wx, wy, ww, _) = AddressWindow;
        var y = wy + (6 * Mm);
        gfx.DrawString("〒" + FormatPostalCode(letter.PostalCode), address, XBrushes.Black, wx + (3 * Mm), y);
        y += 7 * Mm;
        foreach (var line in Wrap(gfx, letter.Address, address, ww - (6 * Mm)))
        {
            gfx.DrawString(line, address, XBrushes.Black, wx + (3 * Mm), y);
            y += 5.5 * Mm;
        }

        y += 3 * Mm;
        gfx.DrawString(letter.Addressee + "　様", name, XBrushes.Black, wx + (8 * Mm), y);

        // Date and sender, top right, outside the window.
        var date = english ? letter.Date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture) : Wareki.Format(letter.Date);
        DrawRight(gfx, date, normal, right, 20 * Mm);
        DrawRight(gfx, letter.Sender, normal, right, 26 * Mm);

        // Below the first fold (99 mm): the offer.
        y = 105 * Mm;
        if (english)
        {
            gfx.DrawString($"Dear {letter.Addressee},", normal, XBrushes.Black, left, y - (8 * Mm));
        }

        var titleWidth = gfx.MeasureString(letter.Message.Subject, title).Width;
        gfx.DrawString(letter.Message.Subject, title, XBrushes.Black, Math.Max(left, (pageWidth - titleWidth) / 2), y);
        y += 12 * Mm;
        y = Paragraph(gfx, letter.Message.Body, normal, left, right, y, 6 * Mm);
        y += 6 * Mm;

        var labels = english
            ? (With: "What to bring", Where: "Where to apply", Contact: "Contact", Online: "You can also read and answer this notice online")
            : letter.Message.Variant == MessageComposer.Easy
                ? (With: "もっていく もの", Where: "もうしこむ ところ", Contact: "きく ところ", Online: "インターネットでも みられます・こたえられます")
                : (With: "申請に必要なもの", Where: "申請先", Contact: "お問い合わせ", Online: "このお知らせはインターネットでも確認・回答できます");
        foreach (var (label, text) in new[] { (labels.With, letter.Message.ApplyWith), (labels.Where, letter.Message.Where), (labels.Contact, letter.Message.Contact) })
        {
            gfx.DrawString("■ " + label, heading, XBrushes.Black, left, y);
            y += 6 * Mm;
            y = Paragraph(gfx, text, normal, left + (5 * Mm), right, y, 5.5 * Mm);
            y += 3 * Mm;
        }

        if (letter.AccessCode is { } code)
        {
            y += 4 * Mm;
            var box = new XRect(left, y, right - left, 24 * Mm);
            gfx.DrawRectangle(new XPen(XColors.Black, 0.8), box);
            gfx.DrawString(labels.Online, heading, XBrushes.Black, left + (4 * Mm), y + (7 * Mm));
            gfx.DrawString(letter.InboxAddress, normal, XBrushes.Black, left + (4 * Mm), y + (13 * Mm));
            gfx.DrawString((english ? "Access code: " : "アクセスコード：") + code, heading, XBrushes.Black, left + (4 * Mm), y + (19.5 * Mm));
        }

        var note = english
            ? "If you do not wish to receive these notices, please tell us by telephone, at the counter or online."
            : "今後このようなお知らせが不要な場合は、お電話・窓口・インターネットでお知らせください。";
        Paragraph(gfx, note, small, left, right, 280 * Mm, 4.5 * Mm);
    }

    private static void DrawRight(XGraphics gfx, string text, XFont font, double right, double y) =>
        gfx.DrawString(text, font, XBrushes.Black, right - gfx.MeasureString(text, font).Width, y);

    private static double Paragraph(XGraphics gfx, string text, XFont font, double left, double right, double y, double lineHeight)
    {
        foreach (var line in Wrap(gfx, text, font, right - left))
        {
            gfx.DrawString(line, font, XBrushes.Black, left, y);
            y += lineHeight;
        }

        return y;
    }

    // Characters that may not begin a line (行頭禁則): closing brackets and punctuation stay with the previous line.
    private const string NoLineStart = "、。，．・：；？！）」』】〕｝〉》ー々ゃゅょっャュョッぁぃぅぇぉァィゥェォ,.)!?:;";

    /// <summary>
    /// Breaks text to the width. Japanese has no spaces, so a line may break between any two characters except before
    /// closing punctuation; Latin text breaks at spaces.
    /// </summary>
    internal static IReadOnlyList<string> Wrap(XGraphics gfx, string text, XFont font, double width)
    {
        var lines = new List<string>();
        foreach (var paragraph in text.Split('\n'))
        {
            var tokens = Tokens(paragraph);
            var line = new StringBuilder();
            foreach (var token in tokens)
            {
                var candidate = line + token;
                if (line.Length > 0 && gfx.MeasureString(candidate.TrimEnd(), font).Width > width && !NoLineStart.Contains(token[0], StringComparison.Ordinal))
                {
                    lines.Add(line.ToString().TrimEnd());
                    line.Clear();
                    if (token == " ")
                    {
                        continue;
                    }
                }

                line.Append(token);
            }

            if (line.Length > 0)
            {
                lines.Add(line.ToString().TrimEnd());
            }
        }

        return lines;
    }

    // A Latin word (with its trailing space) is one token; every other character is its own token.
    private static List<string> Tokens(string text)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsAscii(text[i]) && text[i] != ' ')
            {
                var start = i;
                while (i < text.Length && char.IsAscii(text[i]) && text[i] != ' ')
                {
                    i++;
                }

                tokens.Add(text[start..i]);
                continue;
            }

            tokens.Add(char.IsHighSurrogate(text[i]) && i + 1 < text.Length ? text.Substring(i++, 2) : text[i].ToString());
            i++;
        }

        return tokens;
    }

    private static string FormatPostalCode(string postalCode)
    {
        var digits = new string(postalCode.Where(char.IsAsciiDigit).ToArray());
        return digits.Length == 7 ? digits[..3] + "-" + digits[3..] : postalCode;
    }

    /// <summary>
    /// PDFsharp resolves fonts through one process-wide resolver, which may be set only once. It is set on first use
    /// and serves the bytes it was first given: a deployment uses one letter font.
    /// </summary>
    internal static void UseFont(byte[] font)
    {
        lock (FontLock)
        {
            if (resolver is null)
            {
                resolver = new FontBytesResolver(font);
                GlobalFontSettings.FontResolver = resolver;
            }
        }
    }

    private sealed class FontBytesResolver(byte[] font) : IFontResolver
    {
        private const string Face = "MimamoriLetterFace";

        // The one font serves every style; bold is simulated, since IPA fonts ship a single weight.
        public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
            new(Face, bold, italic);

        public byte[]? GetFont(string faceName) => font;
    }
}
