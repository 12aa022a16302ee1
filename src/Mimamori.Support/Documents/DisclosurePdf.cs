using Mimamori.Support.Outreach;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Mimamori.Support.Documents;

/// <summary>
/// Renders a <see cref="DisclosureReport"/> as an A4 PDF with the Japanese font embedded: each row as a block of
/// "item: value" lines, since the tables are too wide for a page and a person reads them one record at a time.
/// Parts that need the privacy officer's review before release carry a visible mark on every page they appear.
/// </summary>
public static class DisclosurePdf
{
    private const double Mm = 72.0 / 25.4;

    /// <summary>Writes the report to <paramref name="output"/>.</summary>
    /// <param name="font">The bytes of a TrueType font with Japanese glyphs (the same font as letters).</param>
    public static void Write(DisclosureReport report, byte[] font, Stream output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(font);
        ArgumentNullException.ThrowIfNull(output);
        LetterPdf.UseFont(font);
        using var document = new PdfDocument();
        document.Info.Title = report.Title;
        document.Info.Creator = "Mimamori";
        new Writer(document).Render(report);
        document.Save(output, closeStream: false);
    }

    private sealed class Writer(PdfDocument document)
    {
        private static readonly XPdfFontOptions Options = new(PdfFontEncoding.Unicode);
        private readonly XFont title = new(LetterPdf.FontFamily, 14, XFontStyleEx.Bold, Options);
        private readonly XFont heading = new(LetterPdf.FontFamily, 11, XFontStyleEx.Bold, Options);
        private readonly XFont normal = new(LetterPdf.FontFamily, 8.5, XFontStyleEx.Regular, Options);
        private readonly double left = 15 * Mm;
        private readonly double right = 195 * Mm;
        private readonly double bottom = 282 * Mm;
        private XGraphics? gfx;
        private double y;
        private int pages;

        public void Render(DisclosureReport report)
        {
            NewPage();
            gfx!.DrawString(report.Title, title, XBrushes.Black, left, y);
            y += 8 * Mm;
            Lines(report.Subject, normal, left, 4.5 * Mm);
            Lines(report.Prepared, normal, left, 4.5 * Mm);
            Lines(report.Note, normal, left, 4.5 * Mm);
            foreach (var part in report.Parts)
            {
                y += 4 * Mm;
                Room(14 * Mm);
                gfx!.DrawString($"■ {part.Heading}（{part.Rows.Count}）", heading, XBrushes.Black, left, y);
                y += 5.5 * Mm;
                if (part.NeedsReview)
                {
                    Lines("※ 開示前に不開示情報（通告者・第三者の情報など）の有無を確認すること", normal, left + (3 * Mm), 4.5 * Mm, XBrushes.DarkRed);
                }

                foreach (var row in part.Rows)
                {
                    Room(6 * Mm);
                    for (var i = 0; i < part.Columns.Count; i++)
                    {
                        Lines($"{part.Columns[i]}: {row[i] ?? "（なし）"}", normal, left + (3 * Mm), 4 * Mm);
                    }

                    y += 1.5 * Mm;
                    gfx!.DrawLine(XPens.LightGray, left, y - (1 * Mm), right, y - (1 * Mm));
                }
            }

            gfx?.Dispose();
        }

        private void NewPage()
        {
            gfx?.Dispose();
            var page = document.AddPage();
            page.Width = XUnit.FromMillimeter(210);
            page.Height = XUnit.FromMillimeter(297);
            gfx = XGraphics.FromPdfPage(page);
            pages++;
            gfx.DrawString($"{pages}", normal, XBrushes.Gray, 105 * Mm, 290 * Mm, XStringFormats.Center);
            y = 18 * Mm;
        }

        private void Room(double needed)
        {
            if (y + needed > bottom)
            {
                NewPage();
            }
        }

        private void Lines(string text, XFont font, double x, double lineHeight, XBrush? brush = null)
        {
            foreach (var paragraph in text.Split('\n'))
            {
                foreach (var line in LetterPdf.Wrap(gfx!, paragraph, font, right - x))
                {
                    Room(lineHeight);
                    gfx!.DrawString(line, font, brush ?? XBrushes.Black, x, y);
                    y += lineHeight;
                }
            }
        }
    }
}
