using Mimamori.Support.Outreach;
using Mimamori.Support.Programs;

namespace Mimamori.Support.Tests;

public sealed class LetterPdfTests
{
    private static readonly DateOnly Issued = new(2025, 12, 1);

    private static Letter Sample(string variant = MessageComposer.Plain, string? code = "ABCD-EFGH-JKMN-PQRS")
    {
        var program = ProgramCatalog.Default.Programs.Single(p => p.Id == "shugaku_enjo");
        var message = MessageComposer.Compose(program, variant, Issued.AddDays(30));
        return new Letter("1230045", "見守り市本町1丁目2番3号 見守りハイツ101", "山田 太郎", Issued, "見守り市 こども家庭センター", message, code, "https://mimamori.example.lg.jp/inbox");
    }

    private static (string Pdf, string Dir) Render(Letter letter)
    {
        var dir = Tools.TempDirectory();
        var pdf = Path.Combine(dir, "letter.pdf");
        using (var file = File.Create(pdf))
        {
            LetterPdf.Write(letter, Tools.Font(), file);
        }

        return (pdf, dir);
    }

    [Fact]
    public void Letter_RendersToAPngWithInkInTheAddressWindow()
    {
        var (pdf, dir) = Render(Sample());
        Tools.Run("pdftoppm", "-png", "-r", "60", "-singlefile", pdf, Path.Combine(dir, "page"));
        var pngPath = Path.Combine(dir, "page.png");
        Assert.True(File.Exists(pngPath));
        var png = Png.Read(File.ReadAllBytes(pngPath));
        Assert.InRange(png.Width, 490, 500); // A4 at 60 dpi is 496 × 702

        // The window in pixels: points × 60/72.
        var (x, y, w, h) = LetterPdf.AddressWindow;
        var scale = 60.0 / 72.0;
        var dark = 0;
        for (var py = (int)(y * scale); py < (int)((y + h) * scale); py++)
        {
            for (var px = (int)(x * scale); px < (int)((x + w) * scale); px++)
            {
                if (png.Luma(px, py) < 128)
                {
                    dark++;
                }
            }
        }

        Assert.True(dark > 50, $"only {dark} dark pixels in the address window");

        // Above the window (the top margin) stays blank: the address is not printed where the envelope hides it.
        var topDark = 0;
        for (var py = 0; py < (int)(8 * 72 / 25.4 * scale); py++)
        {
            for (var px = 0; px < png.Width; px++)
            {
                topDark += png.Luma(px, py) < 128 ? 1 : 0;
            }
        }

        Assert.Equal(0, topDark);
    }

    [Fact]
    public void Letter_TextRoundTripsThroughTheEmbeddedFont()
    {
        var (pdf, _) = Render(Sample());
        var text = Tools.Run("pdftotext", "-enc", "UTF-8", pdf, "-");
        Assert.Contains("山田 太郎", text, StringComparison.Ordinal);
        Assert.Contains("〒123-0045", text, StringComparison.Ordinal);
        Assert.Contains("令和7年12月1日", text, StringComparison.Ordinal);
        Assert.Contains("就学援助のご案内", text, StringComparison.Ordinal);
        Assert.Contains("ABCD-EFGH-JKMN-PQRS", text, StringComparison.Ordinal);
        Assert.Contains("学務課", text, StringComparison.Ordinal);

        var fonts = Tools.Run("pdffonts", pdf);
        Assert.Contains("yes", fonts.Split('\n').Last(l => l.Length > 0), StringComparison.Ordinal); // emb column
    }

    [Fact]
    public void Letter_EasyJapaneseAndEnglishVariants_Render()
    {
        var (easyPdf, _) = Render(Sample(MessageComposer.Easy));
        var easy = Tools.Run("pdftotext", "-enc", "UTF-8", easyPdf, "-");
        Assert.Contains("もっていく もの", easy, StringComparison.Ordinal);
        Assert.Contains("令和7年12月1日", easy, StringComparison.Ordinal);

        var (enPdf, _) = Render(Sample(MessageComposer.English, code: null));
        var en = Tools.Run("pdftotext", "-enc", "UTF-8", enPdf, "-");
        Assert.Contains("Dear 山田 太郎", en, StringComparison.Ordinal);
        Assert.Contains("1 December 2025", en, StringComparison.Ordinal);
        Assert.DoesNotContain("Access code", en, StringComparison.Ordinal);
    }

    [Fact]
    public void Letter_WithAForbiddenWord_IsRefused()
    {
        var letter = Sample();
        var bad = letter with { Message = letter.Message with { Body = "あなたの世帯のリスクが高いと判定されました。" } };
        using var sink = new MemoryStream();
        var error = Assert.Throws<InvalidOperationException>(() => LetterPdf.Write(bad, Tools.Font(), sink));
        Assert.Contains("リスク", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, sink.Length);
    }
}
