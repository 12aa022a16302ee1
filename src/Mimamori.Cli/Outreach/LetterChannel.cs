using Mimamori.Storage.Outreach;
using Mimamori.Support.Outreach;

namespace Mimamori.Cli.Outreach;

/// <summary>Writes each letter as a PDF for printing and posting: DATA/letters/&lt;message id&gt;.pdf.</summary>
public sealed class LetterChannel : IOutreachChannel
{
    private readonly string folder;
    private readonly byte[] font;

    public LetterChannel(string folder, byte[] font)
    {
        this.folder = folder;
        this.font = font;
    }

    public string Name => "letter";

    /// <summary>The files written, in order.</summary>
    public List<string> Written { get; } = [];

    public Task<string> DeliverAsync(long messageId, string? recipient, Letter letter, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{messageId:D8}.pdf");
        var partial = path + ".part";

        // Written aside and renamed, so a print run never picks up half a letter.
        using (var file = File.Create(partial))
        {
            LetterPdf.Write(letter, font, file);
        }

        File.Move(partial, path, overwrite: true);
        Written.Add(path);
        return Task.FromResult(MessageState.Sent);
    }
}
