using Mimamori.Ingestion.Specs;
using Mimamori.Storage.Connection;

namespace Mimamori.Web;

/// <summary>How to host the web app.</summary>
/// <param name="Database">The database to read and to write the audit trail to (already migrated).</param>
/// <param name="Urls">Where to listen, e.g. <c>http://127.0.0.1:5080</c>; port 0 picks a free port.</param>
/// <param name="Clock">The clock for sessions, lockouts, ages and the audit trail; the system clock when null.</param>
public sealed record WebOptions(MimamoriDatabase Database, string Urls, TimeProvider? Clock = null)
{
    /// <summary>The feed specs in use: the transparency page lists their data items.</summary>
    public IReadOnlyList<FeedSpec> Feeds { get; init; } = [];

    /// <summary>How long a break-glass grant opens a child outside the user's scope.</summary>
    public TimeSpan BreakGlassDuration { get; init; } = TimeSpan.FromHours(4);

    /// <summary>A Japanese TrueType font's bytes for PDFs made in the web app (本人開示); none disables them.</summary>
    public byte[]? PdfFont { get; init; }

    /// <summary>Speech-to-text for consultation notes; Whisper.net with no model configured when null.</summary>
    public Notes.ITranscriber? Transcriber { get; init; }

    /// <summary>
    /// The hand-over keys' folder (<c>DATA/handover</c>: this city's <c>handover.key</c>, partners' <c>recipients/*.pub</c>);
    /// hand-overs cannot be produced when null.
    /// </summary>
    public string? HandoverDirectory { get; init; }

    /// <summary>Where recordings wait until their note is confirmed; a folder under the temp directory when null.</summary>
    public string? AudioDirectory { get; init; }
}
